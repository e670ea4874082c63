"""mirascope's own cost per call, without the SDK's and without I/O, and where it goes.

    python benchmarks/profile_self.py mistral tool          # us per call, then a profile
    python benchmarks/profile_self.py openai stream --calls 2000 --top 25
    python benchmarks/profile_self.py --all                 # the table for every provider
    python benchmarks/profile_self.py openai call --llm     # through llm.call(provider=...)
    python benchmarks/profile_self.py --llm-overhead        # llm.call minus the provider's
    python benchmarks/profile_self.py openai call --limiter # with a RateLimit that never waits
    python benchmarks/profile_self.py --features            # what each feature adds, per provider

One real call through the SDK against the provider's fake records what the SDK answered
(the response object, or the list of chunks); then the adapter's ``send``/``open_stream``
replay that record, so the loop runs only mirascope: the prompt function, the plan, the
request, the decoding, the response object and ``response.tool`` (or the chunk loop). This
is the quantity the issue's budget is about (``run.py``'s ``+self``), without its noise, and
cProfile shows which of mirascope's functions it is spent in. A profiling aid: the
overhead figures of record come from ``run.py``, which measures the real path.

``--features`` times, per provider, the plain call and the plain stream against the same
with one feature added (``benchmarks/_features.py``: ``response_model`` in each output
mode, ``llm.call``, a retry policy, a ``RateLimit``, the first read of ``response.cost``;
a structured stream's partial models per chunk), in blocks that alternate base and
feature, one process per provider, sync and async: the median over the rounds of the
paired differences. It also checks that the plain call runs no code of any of them.
``run.py`` runs it (``--skip features`` leaves it out) and puts the table in RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import importlib
import json
import os
import pstats
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.cases import BENCHES, Bench, mirascope_calls  # noqa: E402

CASES = ("call", "tool", "stream")
PER_CALL_US = 50.0
PER_CHUNK_US = 5.0
"""The issue's budget over the raw SDK: a feature fits when the plain call's own cost plus
what the feature adds stays within it."""


class _Replay:
    """Wraps an adapter: the first send/open_stream goes to the SDK and is recorded, every
    later one replays the record. Records are kept per ``slot`` (set it before running a
    function whose answer differs from another's: ``--features``)."""

    def __init__(self, adapter: Any) -> None:
        self.adapter = adapter
        self.slot = ""
        self.raws: dict[str, Any] = {}
        self.streams: dict[str, list[Any]] = {}

    @property
    def raw(self) -> Any:
        return self.raws.get(self.slot)

    @property
    def chunks(self) -> list[Any] | None:
        return self.streams.get(self.slot)

    def install(self) -> None:
        adapter, replay = self.adapter, self
        send, send_async = adapter.send, adapter.send_async
        open_stream, open_stream_async = adapter.open_stream, adapter.open_stream_async
        raws, streams = self.raws, self.streams

        def _send(client: Any, request: dict[str, Any]) -> Any:
            slot = replay.slot
            if slot not in raws:
                raws[slot] = send(client, request)
            return raws[slot]

        async def _send_async(client: Any, request: dict[str, Any]) -> Any:
            slot = replay.slot
            if slot not in raws:
                raws[slot] = await send_async(client, request)
            return raws[slot]

        def _open(client: Any, request: dict[str, Any]) -> Iterator[Any]:
            slot = replay.slot
            if slot not in streams:
                streams[slot] = list(open_stream(client, request))
            return iter(streams[slot])

        async def _open_async(client: Any, request: dict[str, Any]) -> AsyncIterator[Any]:
            slot = replay.slot
            if slot not in streams:
                streams[slot] = [c async for c in await open_stream_async(client, request)]
            return _aiter(streams[slot])

        adapter.send, adapter.send_async = _send, _send_async
        adapter.open_stream, adapter.open_stream_async = _open, _open_async


async def _aiter(items: list[Any]) -> AsyncIterator[Any]:
    for item in items:
        yield item


def _start_fake(provider: str) -> tuple[subprocess.Popen[str], dict[str, str]]:
    fake = subprocess.Popen(
        [sys.executable, "-m", "benchmarks._fake", provider],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert fake.stdout is not None
    return fake, json.loads(fake.stdout.readline())


def measure(
    provider: str,
    case: str,
    *,
    is_async: bool,
    calls: int,
    profile: bool,
    top: int,
    cold: bool = False,
    via_llm: bool = False,
    limiter: bool = False,
) -> float:
    """Microseconds of mirascope's own CPU per call (per chunk for streams), measured in a
    fresh process whose environment points the SDK at the fake (gRPC reads its TLS roots
    from the environment once)."""
    fake, server = _start_fake(provider)
    try:
        env = {**os.environ, **BENCHES[provider](server).environ()}
        argv = [sys.executable, "-m", "benchmarks.profile_self", provider, case]
        argv += ["--calls", str(calls), "--top", str(top if profile else 0)]
        argv += ["--server", json.dumps(server)] + (["--async"] if is_async else [])
        argv += ["--cold"] if cold else []
        argv += ["--llm"] if via_llm else []
        argv += ["--limiter"] if limiter else []
        done = subprocess.run(
            argv, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True
        )
        lines = done.stdout.splitlines()
        if lines[:-1]:
            print("\n".join(lines[:-1]))  # the profile
        return float(lines[-1])
    finally:
        fake.terminate()
        fake.wait()


def _child(provider: str, case: str, server: dict[str, str], args: argparse.Namespace) -> None:
    bench: Bench = BENCHES[provider](server)
    bench.setup()
    replay = _Replay(importlib.import_module(f"mirascope.core.{provider}._adapter").ADAPTER)
    replay.install()
    profiler = cProfile.Profile() if args.top > 0 else None
    scratch = bytearray(16 * 1024 * 1024) if args.cold else None

    async def timed_loop(fn: Any) -> float:
        # one loop for sync and async functions: running a sync one inside a coroutine
        # does not change what it costs
        is_async = args.is_async
        total = 0.0
        if profiler:
            profiler.enable()
        start = time.process_time()
        for _ in range(args.calls):
            if scratch is not None:
                total += time.process_time() - start
                # what the SDK, the socket and the other processes do between two runs
                # of our code: not timed
                for i in range(0, len(scratch), 64):
                    scratch[i] ^= 1
                start = time.process_time()
            out = fn()
            if is_async:
                await out
        total += time.process_time() - start
        if profiler:
            profiler.disable()
        return total

    async def run() -> float:
        async with AsyncExitStack() as stack:
            if args.is_async:
                client = await bench.aclient(stack) if bench.custom_client else None
            else:
                client = bench.client() if bench.custom_client else None
            options: dict[str, Any] = {}
            if args.limiter:
                from mirascope.core import RateLimit

                # every kind of limit, none ever reached: the cost of counting, not waiting
                huge = RateLimit(requests=10**9, tokens=10**12, concurrency=10**6)
                options["limiter"] = huge
            fn = mirascope_calls(
                bench, client, is_async=args.is_async, via_llm=args.llm, **options
            )[case]
            first = fn()  # the one real call: records the SDK's answer
            if args.is_async:
                await first
            return await timed_loop(fn)

    elapsed = asyncio.run(run())
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.top)
    per = elapsed / args.calls * 1e6
    if case == "stream":
        per /= max(1, len(replay.chunks or ()))
    print(f"{per:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("provider", nargs="?", default="openai")
    parser.add_argument("case", nargs="?", default="tool", choices=CASES)
    parser.add_argument("--async", dest="is_async", action="store_true")
    parser.add_argument("--calls", type=int, help="calls per figure (--features: per block)")
    parser.add_argument("--top", type=int, default=20, help="profile lines (0: no profile)")
    parser.add_argument("--all", action="store_true", help="a table: every provider and case")
    parser.add_argument(
        "--cold", action="store_true", help="evict the CPU caches before each call (as I/O does)"
    )
    parser.add_argument(
        "--llm", action="store_true", help="call through llm.call(provider=...) instead"
    )
    parser.add_argument(
        "--llm-overhead",
        action="store_true",
        help="a table: llm.call's cost per call over the provider's own call, every provider",
    )
    parser.add_argument(
        "--limiter",
        action="store_true",
        help="calls with a RateLimit (requests, tokens, concurrency) that never waits",
    )
    parser.add_argument(
        "--features",
        action="store_true",
        help="a table: what each feature adds to the plain call, every provider",
    )
    parser.add_argument("--providers", default="", help="--features: comma-separated")
    parser.add_argument("--rounds", type=int, default=9, help="--features: paired blocks")
    parser.add_argument(
        "--rows", action="store_true", help="--features: also print each row as ROW <json>"
    )
    parser.add_argument("--charts", help="--features: write features.png into this folder")
    parser.add_argument("--server", help=argparse.SUPPRESS)  # set in the measuring process
    args = parser.parse_args()
    if args.calls is None:
        args.calls = 200 if args.features else 3000
    if args.server:
        if args.features:
            _features_child(args.provider, json.loads(args.server), args.calls, args.rounds)
        else:
            _child(args.provider, args.case, json.loads(args.server), args)
        return
    if args.features:
        names = [n for n in args.providers.split(",") if n] or list(BENCHES)
        unknown = [n for n in names if n not in BENCHES]
        if unknown:
            parser.error(f"unknown provider(s) {unknown}; known: {', '.join(BENCHES)}")
        found = features_table(names, args.calls, args.rounds, rows=args.rows)
        if args.charts:
            _features_chart(found, Path(args.charts))
        return

    def run(
        provider: str, case: str, is_async: bool, top: int = 0, via_llm: bool = args.llm
    ) -> float:
        return measure(
            provider,
            case,
            is_async=is_async,
            calls=args.calls,
            profile=top > 0,
            top=top,
            cold=args.cold,
            via_llm=via_llm,
            limiter=args.limiter,
        )

    if args.llm_overhead:
        llm_overhead(run)
        return

    if not args.all:
        if args.top > 0:
            run(args.provider, args.case, args.is_async, args.top)
        per = run(args.provider, args.case, args.is_async)  # without the profiler's cost
        unit = "us/chunk" if args.case == "stream" else "us/call"
        print(f"{args.provider} {args.case}: {per:.{2 if args.case == 'stream' else 1}f} {unit}")
        return
    print("| provider | " + " | ".join(f"{c} sync | {c} async" for c in CASES) + " |")
    print("|---|" + "---:|" * (2 * len(CASES)))
    for provider in BENCHES:
        cells = [f"{run(provider, c, a):.1f}" for c in CASES for a in (False, True)]
        print(f"| {provider} | " + " | ".join(cells) + " |", flush=True)


def llm_overhead(run: Any, rounds: int = 5) -> None:
    """Microseconds ``llm.call`` adds to a call of each provider: the two ways measured in
    turn, ``rounds`` times, the median of each (us per call; per chunk for streams)."""
    import statistics

    print("| provider | case | provider's call | llm.call | added |")
    print("|---|---|---:|---:|---:|")
    for provider in BENCHES:
        for case, is_async in (("call", False), ("call", True), ("stream", False)):
            own: list[float] = []
            via: list[float] = []
            for _ in range(rounds):
                own.append(run(provider, case, is_async, via_llm=False))
                via.append(run(provider, case, is_async, via_llm=True))
            a, b = statistics.median(own), statistics.median(via)
            label = f"{case} {'async' if is_async else 'sync'}"
            print(f"| {provider} | {label} | {a:.2f} | {b:.2f} | {b - a:+.2f} |", flush=True)


# -- --features ----------------------------------------------------------------------------


def _features_child(provider: str, server: dict[str, str], calls: int, rounds: int) -> None:
    """One provider's features, sync then async, as one JSON line of rows."""
    from benchmarks._features import FEATURES, LABELS, Book, entered, features, unused_code

    bench: Bench = BENCHES[provider](server)
    bench.setup()
    replay = _Replay(importlib.import_module(f"mirascope.core.{provider}._adapter").ADAPTER)
    replay.install()
    rows: list[dict[str, Any]] = []

    async def run(is_async: bool) -> None:
        mode = "async" if is_async else "sync"
        async with AsyncExitStack() as stack:
            if is_async:
                client = await bench.aclient(stack) if bench.custom_client else None
            else:
                client = bench.client() if bench.custom_client else None
            found = features(bench, client, is_async=is_async)

            async def once(name: str) -> Any:
                replay.slot = f"{mode} {name}"
                out = found[name].fn()
                return await out if is_async else out

            # the one real call of each: records the SDK's answer; the answer is the book
            for name, feature in found.items():
                got = await once(name)
                if feature.mode:  # a response model: the book, validated
                    assert isinstance(got, Book) and got.plot, (name, got)
                else:  # the book's JSON as text
                    text = got[0] if name == "cost" else got
                    assert isinstance(text, str) and '"plot"' in text, (name, got)
            chunks = {n: len(replay.streams.get(f"{mode} {n}", ())) for n in found}

            # "0 us when unused": the plain call and stream run none of the features' code
            with entered() as seen:
                await once("call")
                await once("stream")
            rows.append(
                {
                    "provider": provider,
                    "case": f"unused {mode}",
                    "kind": "feature unused",
                    "mode": mode,
                    "code": unused_code(seen),
                }
            )

            async def block(name: str) -> float:
                fn, per = found[name].fn, found[name].per_chunk
                replay.slot = f"{mode} {name}"
                start = time.process_time()
                for _ in range(calls):
                    out = fn()
                    if is_async:
                        await out
                elapsed = (time.process_time() - start) / calls * 1e6
                return elapsed / max(1, chunks[name]) if per else elapsed

            for name in [n for n in FEATURES if n in found]:
                feature = found[name]
                base: list[float] = []
                added: list[float] = []
                for r in range(rounds):  # alternating, in turn first, so drift hits both
                    if r % 2:
                        b = await block(feature.base)
                        f = await block(name)
                    else:
                        f = await block(name)
                        b = await block(feature.base)
                    base.append(b)
                    added.append(f - b)
                base_us, added_us = statistics.median(base), statistics.median(added)
                budget = PER_CHUNK_US if feature.per_chunk else PER_CALL_US
                rows.append(
                    {
                        "provider": provider,
                        "case": f"{name} {mode}",
                        "kind": "feature",
                        "feature": name,
                        "label": LABELS[name],
                        "mode": mode,
                        "output_mode": feature.mode,
                        "per_chunk": feature.per_chunk,
                        "chunks": chunks[name],
                        "base_chunks": chunks[feature.base],
                        "base_us": round(base_us, 2),
                        "added_us": round(added_us, 2),
                        "added_runs": [round(a, 2) for a in added],
                        "budget_us": budget,
                        "fits": base_us + added_us <= budget,
                        "calls": calls,
                        "rounds": rounds,
                    }
                )

    asyncio.run(run(False))
    asyncio.run(run(True))
    print(json.dumps(rows))


def measure_features(provider: str, calls: int, rounds: int) -> list[dict[str, Any]]:
    """``_features_child`` in a fresh process against the provider's fake."""
    fake, server = _start_fake(provider)
    try:
        env = {**os.environ, **BENCHES[provider](server).environ()}
        argv = [sys.executable, "-W", "ignore", "-m", "benchmarks.profile_self", provider]
        argv += ["--features", "--calls", str(calls), "--rounds", str(rounds)]
        argv += ["--server", json.dumps(server)]
        done = subprocess.run(
            argv, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True
        )
        return json.loads(done.stdout.splitlines()[-1])
    finally:
        fake.terminate()
        fake.wait()


def _features_chart(rows: list[dict[str, Any]], out: Path) -> None:
    from benchmarks._charts import features

    command = " ".join(["python", "benchmarks/profile_self.py", *sys.argv[1:]])
    load = os.getloadavg()[0]
    started = time.strftime("%Y-%m-%dT%H:%M:%S")
    result = {"command": command, "rows": rows}
    out.mkdir(parents=True, exist_ok=True)
    subtitle = f"{command}  ({started}, {os.cpu_count()} CPUs, load average {load:.1f})"
    path = features(result, out, subtitle)
    print(f"wrote {path}")


def features_table(
    names: list[str], calls: int, rounds: int, *, rows: bool
) -> list[dict[str, Any]]:
    """Print the features table (markdown) for these providers; ``rows``: each row as JSON
    too. Returns the rows."""
    from benchmarks._features import FEATURES, LABELS

    load = os.getloadavg()
    print(
        f"us added to the plain call (streams: per chunk) by each feature, mirascope's own "
        f"CPU over replayed SDK answers; sync / async; median of {rounds} paired blocks of "
        f"{calls} calls; load average {load[0]:.1f} on {os.cpu_count()} CPUs\n"
    )
    print(
        "| provider | plain call | "
        + " | ".join(LABELS[f] for f in FEATURES)
        + " | plain stream /chunk |"
    )
    print("|---|---:|" + "---:|" * len(FEATURES) + "---:|")
    over: list[str] = []
    used: list[str] = []
    every: list[dict[str, Any]] = []
    for provider in names:
        try:
            found = measure_features(provider, calls, rounds)
        except subprocess.CalledProcessError as error:  # its traceback went to stderr
            if rows:
                failed = {"provider": provider, "case": "features", "kind": "error"}
                print("ROW " + json.dumps({**failed, "error": str(error)}), flush=True)
            print(f"| {provider} | failed: exit status {error.returncode} |", flush=True)
            continue
        every += found
        if rows:
            for row in found:
                print("ROW " + json.dumps(row), flush=True)
        by = {(r.get("feature"), r["mode"]): r for r in found if r["kind"] == "feature"}

        def cell(name: str, by: dict[tuple[Any, str], dict[str, Any]] = by) -> str:
            got = [by.get((name, m)) for m in ("sync", "async")]
            if not any(got):
                return "-"
            fmt = "{:+.2f}" if name == "partials" else "{:+.1f}"
            return " / ".join("-" if r is None else fmt.format(r["added_us"]) for r in got)

        def base(name: str, by: dict[tuple[Any, str], dict[str, Any]] = by) -> str:
            got = [by.get((name, m)) for m in ("sync", "async")]
            return " / ".join("-" if r is None else f"{r['base_us']:.1f}" for r in got)

        cells = [base("limiter"), *(cell(f) for f in FEATURES), base("partials")]
        print(f"| {provider} | " + " | ".join(cells) + " |", flush=True)
        over += [
            f"{provider} {r['feature']} {r['mode']}"
            for r in found
            if r["kind"] == "feature" and not r["fits"]
        ]
        for r in found:
            if r["kind"] == "feature unused":
                ran = {f: code for f, code in r["code"].items() if code}
                used += [f"{provider} {r['mode']} plain call ran {f}: {c}" for f, c in ran.items()]
    print(
        f"\nbudget: plain call + feature <= {PER_CALL_US:g} us/call, "
        f"<= {PER_CHUNK_US:g} us/chunk: "
        + ("every feature fits" if not over else "over: " + ", ".join(over))
    )
    print(
        "unused features: "
        + ("the plain call and stream ran none of their code" if not used else "; ".join(used))
    )
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return every


if __name__ == "__main__":
    main()
