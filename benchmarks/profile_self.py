"""mirascope's own cost per call, without the SDK's and without I/O, and where it goes.

    python benchmarks/profile_self.py mistral tool          # us per call, then a profile
    python benchmarks/profile_self.py openai stream --calls 2000 --top 25
    python benchmarks/profile_self.py --all                 # the table for every provider
    python benchmarks/profile_self.py openai call --llm     # through llm.call(provider=...)
    python benchmarks/profile_self.py --llm-overhead        # llm.call minus the provider's
    python benchmarks/profile_self.py openai call --limiter # with a RateLimit that never waits

One real call through the SDK against the provider's fake records what the SDK answered
(the response object, or the list of chunks); then the adapter's ``send``/``open_stream``
replay that record, so the loop runs only mirascope: the prompt function, the plan, the
request, the decoding, the response object and ``response.tool`` (or the chunk loop). This
is the quantity the issue's budget is about (``run.py``'s ``+self``), without its noise, and
cProfile shows which of mirascope's functions it is spent in. A profiling aid: the
overhead figures of record come from ``run.py``, which measures the real path.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import importlib
import json
import os
import pstats
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


class _Replay:
    """Wraps an adapter: the first send/open_stream goes to the SDK and is recorded, every
    later one replays the record."""

    def __init__(self, adapter: Any) -> None:
        self.adapter = adapter
        self.raw: Any = None
        self.chunks: list[Any] | None = None

    def install(self) -> None:
        adapter, replay = self.adapter, self
        send, send_async = adapter.send, adapter.send_async
        open_stream, open_stream_async = adapter.open_stream, adapter.open_stream_async

        def _send(client: Any, request: dict[str, Any]) -> Any:
            if replay.raw is None:
                replay.raw = send(client, request)
            return replay.raw

        async def _send_async(client: Any, request: dict[str, Any]) -> Any:
            if replay.raw is None:
                replay.raw = await send_async(client, request)
            return replay.raw

        def _open(client: Any, request: dict[str, Any]) -> Iterator[Any]:
            if replay.chunks is None:
                replay.chunks = list(open_stream(client, request))
            return iter(replay.chunks)

        async def _open_async(client: Any, request: dict[str, Any]) -> AsyncIterator[Any]:
            if replay.chunks is None:
                replay.chunks = [c async for c in await open_stream_async(client, request)]
            return _aiter(replay.chunks)

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
    parser.add_argument("--calls", type=int, default=3000)
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
    parser.add_argument("--server", help=argparse.SUPPRESS)  # set in the measuring process
    args = parser.parse_args()
    if args.server:
        _child(args.provider, args.case, json.loads(args.server), args)
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
        print(f"{args.provider} {args.case}: {per:.1f} {unit}")
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


if __name__ == "__main__":
    main()
