"""One provider's measurements, in a process of its own (so that providers do not share
imports, environment or heap): ``python -m benchmarks._worker <provider> [options]``.

Prints one ``ROW {json}`` line per result; ``run.py`` collects them."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import statistics
import subprocess
import sys
from collections.abc import Iterator
from contextlib import AsyncExitStack, contextmanager
from functools import partial
from typing import Any

from benchmarks._harness import (
    NO_PROBE,
    ROOT,
    Paired,
    SDKTimer,
    burst,
    cpu_async,
    cpu_sync,
    fake_server,
    self_async,
    self_sync,
    summarize,
)
from benchmarks.cases import BENCHES, KINDS, Bench, mirascope_calls, raw_calls

BURST = (sys.executable, "-W", "ignore", "-m", "benchmarks._burst")
US = 1e6


def emit(row: dict[str, Any]) -> None:
    print("ROW " + json.dumps(row), flush=True)


def cpu_row(
    bench: Bench,
    kind: str,
    mode: str,
    samples: dict[str, list[float]],
    block: int,
    selfs: dict[str, list[float]],
    chunks: int | None,
) -> dict[str, Any]:
    """One case's figures. The baseline of record is the cheapest raw read (``direct``
    where the bench has one, else the public accessors): ``<variant>_net_us`` is mirascope's
    own CPU over it; ``<variant>_net_public_us`` is over the public accessors."""
    base = "direct" if "direct" in samples else "raw"
    stats = summarize(samples, base)
    row: dict[str, Any] = {
        "provider": bench.name,
        "case": f"{kind} {mode}",
        "kind": kind,
        "mode": mode,
        "unit": "us/call",
        "baseline": base,
        "blocks": len(samples["raw"]),
        "block_size": block,
        "raw_us": round(stats["median"]["raw"] * US, 1),
    }
    if chunks:
        row["chunks"] = chunks
    row["raw_self_us"] = round(statistics.median(selfs["raw"]) * US, 1)
    if base == "direct":
        row["direct_us"] = round(stats["median"]["direct"] * US, 1)
        row["direct_self_us"] = round(statistics.median(selfs["direct"]) * US, 1)
    for variant in ("custom", "default"):
        if variant not in samples:
            continue
        over = stats["over"][variant]
        row[f"{variant}_us"] = round(stats["median"][variant] * US, 1)
        row[f"{variant}_overhead_us"] = round(over.median * US, 1)
        row[f"{variant}_overhead_se_us"] = round(over.se * US, 1)
        row[f"{variant}_self_us"] = round(statistics.median(selfs[variant]) * US, 1)
        for suffix, against in (("", base), ("_public", "raw")):
            if suffix and base == "raw":
                continue
            net = Paired.of(selfs[variant], selfs[against])
            row[f"{variant}_net{suffix}_us"] = round(net.median * US, 1)
            row[f"{variant}_net{suffix}_se_us"] = round(net.se * US, 1)
            if chunks:
                row[f"{variant}_net{suffix}_per_chunk_us"] = round(net.median * US / chunks, 2)
                row[f"{variant}_net{suffix}_per_chunk_se_us"] = round(net.se * US / chunks, 2)
    if "custom" in samples:
        d = summarize({"custom": samples["custom"], "default": samples["default"]}, "custom")
        row["default_minus_custom_us"] = round(d["over"]["default"].median * US, 1)
        row["default_minus_custom_se_us"] = round(d["over"]["default"].se * US, 1)
        gap = Paired.of(selfs["default"], selfs["custom"])
        row["default_minus_custom_self_us"] = round(gap.median * US, 1)
        row["default_minus_custom_self_se_us"] = round(gap.se * US, 1)
    return row


def _variants(
    raw: dict[str, Any],
    direct: dict[str, Any] | None,
    custom: dict[str, Any] | None,
    default: dict[str, Any],
    kind: str,
) -> dict[str, Any]:
    variants = {"raw": raw[kind]}
    if direct is not None:
        variants["direct"] = direct[kind]
    if custom is not None:
        variants["custom"] = custom[kind]
    variants["default"] = default[kind]
    return variants


@contextmanager
def timed(bench: Bench, timer: SDKTimer, adapter: Any, variant: str) -> Iterator[None]:
    """Route the SDK calls of ``variant`` through ``timer``."""
    if variant in ("raw", "direct"):
        bench.probe = timer
        try:
            yield
        finally:
            bench.probe = NO_PROBE
    else:
        with timer.installed(adapter):
            yield


def _routed(
    bench: Bench, timer: SDKTimer, adapter: Any, variants: dict[str, Any]
) -> dict[str, Any]:
    return {k: (fn, partial(timed, bench, timer, adapter, k)) for k, fn in variants.items()}


def _self_plan(kind: str, chunks: int, calls: int) -> tuple[int, int]:
    """(blocks, calls per block) for self times: ``calls`` per variant, streams by chunk."""
    if kind == "stream":
        calls = max(calls // chunks, calls // 20, 1)
    block = max(1, calls // 15)
    return max(5, calls // block), block


def sync_part(
    bench: Bench, timer: SDKTimer, adapter: Any, budget: float, self_calls: int, min_blocks: int
) -> None:
    client = bench.client()
    raw = raw_calls(bench, client, is_async=False)
    direct = raw_calls(bench, client, is_async=False, direct=True) if bench.direct else None
    custom = mirascope_calls(bench, client, is_async=False) if bench.custom_client else None
    default = mirascope_calls(bench, None, is_async=False)
    chunks = raw["stream"]().chunks
    for kind in KINDS:
        variants = _variants(raw, direct, custom, default, kind)
        samples, block = cpu_sync(variants, budget, min_blocks)
        selfs = self_sync(
            timer, _routed(bench, timer, adapter, variants), *_self_plan(kind, chunks, self_calls)
        )
        emit(
            cpu_row(
                bench, kind, "sync", samples, block, selfs, chunks if kind == "stream" else None
            )
        )


async def async_part(
    bench: Bench,
    timer: SDKTimer,
    adapter: Any,
    budget: float,
    self_calls: int,
    min_blocks: int,
    inline_burst: int,
) -> None:
    async with AsyncExitStack() as stack:
        client = await bench.aclient(stack)
        raw = raw_calls(bench, client, is_async=True)
        direct = raw_calls(bench, client, is_async=True, direct=True) if bench.direct else None
        custom = mirascope_calls(bench, client, is_async=True) if bench.custom_client else None
        default = mirascope_calls(bench, None, is_async=True)
        chunks = (await raw["stream"]()).chunks
        for kind in KINDS:
            variants = _variants(raw, direct, custom, default, kind)
            samples, block = await cpu_async(variants, budget, min_blocks)
            selfs = await self_async(
                timer,
                _routed(bench, timer, adapter, variants),
                *_self_plan(kind, chunks, self_calls),
            )
            stream_chunks = chunks if kind == "stream" else None
            emit(cpu_row(bench, kind, "async", samples, block, selfs, stream_chunks))
        if inline_burst:
            # --quick: in this process, one burst per side (no memory figure: the second
            # side would reuse the heap the first one grew)
            env_client = await bench.aclient(stack, from_env=True)
            sides = {
                "raw": raw_calls(bench, env_client, is_async=True)["call"],
                "mirascope": default["call"],
            }
            measured: dict[str, list[dict[str, float]]] = {}
            for side, fn in sides.items():
                await burst(fn, min(inline_burst, 25))
                calls_per_s, cpu = await burst(fn, inline_burst)
                measured[side] = [{"calls_per_s": calls_per_s, "cpu_us_per_call": cpu * 1e6}]
            emit(throughput_row(bench, inline_burst, 1, measured))


def _burst(bench: Bench, server: dict[str, str], n: int, side: str) -> dict[str, float]:
    out = subprocess.run(
        [*BURST, bench.name, side, str(n), json.dumps(server)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"{bench.name} {side} burst failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def bursts(bench: Bench, server: dict[str, str], n: int, rounds: int) -> None:
    """``n`` concurrent calls, a fresh process per burst, the sides alternating."""
    samples: dict[str, list[dict[str, float]]] = {"raw": [], "mirascope": []}
    for r in range(rounds):
        for side in ("raw", "mirascope") if r % 2 == 0 else ("mirascope", "raw"):
            samples[side].append(_burst(bench, server, n, side))

    def med(side: str, key: str) -> float:
        return statistics.median(x[key] for x in samples[side])

    emit(throughput_row(bench, n, rounds, samples))
    raw_kib, mira_kib = med("raw", "rss_added_kib"), med("mirascope", "rss_added_kib")
    emit(
        {
            "provider": bench.name,
            "case": f"peak memory, {n} calls",
            "kind": "memory",
            "unit": "KiB",
            "method": "peak RSS added by the burst (VmHWM minus VmRSS before it), in a fresh "
            "process after a warm-up burst; median of the bursts",
            "raw_kib": round(raw_kib),
            "mirascope_kib": round(mira_kib),
            "mirascope_over_raw": round(mira_kib / raw_kib, 3) if raw_kib > 0 else None,
            "samples_kib": {side: [x["rss_added_kib"] for x in v] for side, v in samples.items()},
        }
    )


def throughput_row(
    bench: Bench, n: int, rounds: int, samples: dict[str, list[dict[str, float]]]
) -> dict[str, Any]:
    def med(side: str, key: str) -> float:
        return statistics.median(x[key] for x in samples[side])

    raw_rate, mira_rate = med("raw", "calls_per_s"), med("mirascope", "calls_per_s")
    return {
        "provider": bench.name,
        "case": f"{n} async calls",
        "kind": "throughput",
        "unit": "calls/s",
        "rounds": rounds,
        "raw_calls_per_s": round(raw_rate, 1),
        "mirascope_calls_per_s": round(mira_rate, 1),
        "mirascope_over_raw": round(mira_rate / raw_rate, 3),
        "raw_over_mirascope": round(raw_rate / mira_rate, 3),
        "raw_cpu_us_per_call": round(med("raw", "cpu_us_per_call"), 1),
        "mirascope_cpu_us_per_call": round(med("mirascope", "cpu_us_per_call"), 1),
        "samples_calls_per_s": {
            side: [round(x["calls_per_s"], 1) for x in v] for side, v in samples.items()
        },
        # young collections per measured burst (700 net allocations each): GC pressure
        "samples_young_collections": {
            side: [x.get("young_collections") for x in v] for side, v in samples.items()
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("provider", choices=sorted(BENCHES))
    parser.add_argument("--budget", type=float, default=2.5, help="seconds per case and mode")
    parser.add_argument(
        "--self-calls", type=int, default=600, help="per variant, calls (streams: chunks)"
    )
    parser.add_argument("--rounds", type=int, default=2, help="bursts per side")
    parser.add_argument("--burst", type=int, default=1000)
    parser.add_argument("--min-blocks", type=int, default=7)
    parser.add_argument("--inline", action="store_true", help="bursts in this process")
    args = parser.parse_args()
    with fake_server(args.provider) as server:
        bench = BENCHES[args.provider](server)
        os.environ.update(bench.environ())
        bench.setup()
        adapter = importlib.import_module(f"mirascope.core.{bench.name}._adapter").ADAPTER
        timer = SDKTimer()
        timer.calibrate()
        sync_part(bench, timer, adapter, args.budget, args.self_calls, args.min_blocks)
        inline = args.burst if args.inline else 0
        asyncio.run(
            async_part(bench, timer, adapter, args.budget, args.self_calls, args.min_blocks, inline)
        )
        if args.burst and not args.inline:
            bursts(bench, server, args.burst, args.rounds)


if __name__ == "__main__":
    main()
