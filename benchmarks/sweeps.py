"""How mirascope's own cost grows with the size of a call, for one provider, in a process
of its own: ``python -m benchmarks.sweeps <provider> [--calls N]``.

Three sweeps, each against the raw SDK sending the same request and reading the same data
(the cheapest raw read, as in ``run.py``), with the user's client (the default one where
the provider has no client object), sync:

- ``stream``: the stream case with prompts of 10 to 800 words (the fake echoes one word per
  chunk), so streams of about that many chunks;
- ``history``: the call case after 0 to 64 earlier messages (user and assistant turns);
- ``tools``: the tool case offering 1 to 64 tools (``FormatBook`` and look-alikes).

Prints one ``ROW {json}`` per point: both sides' self CPU per call (time inside the SDK
excluded, as ``+self`` in ``run.py``) and mirascope's paired difference. After the stream
sweep, one ``chunk cost`` row: the least-squares line through its points, whose slope is
what one more chunk costs (the issue's per-chunk target) and whose intercept is what a
stream costs once, however long (opening, the first and last chunks, closing), which
``run.py``'s 50-word stream spreads over its chunks. ``--modes sync,async`` runs the stream
sweep async as well (the history and tools sweeps are sync only)."""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib
import json
import os
import statistics
from collections.abc import Awaitable, Callable, Iterator
from contextlib import AbstractContextManager, AsyncExitStack, contextmanager
from functools import partial
from typing import Any

from benchmarks._harness import Paired, SDKTimer, fake_server, self_async, self_sync
from benchmarks._worker import timed
from benchmarks.cases import BENCHES, PROMPT, Bench, mirascope_calls, raw_calls

POINTS: dict[str, tuple[int, ...]] = {
    "stream": (10, 50, 200, 800),
    "history": (0, 4, 16, 64),
    "tools": (1, 4, 16, 64),
}
CASE = {"stream": "stream", "history": "call", "tools": "tool"}
US = 1e6


def configure(bench: Bench, sweep: str, x: int) -> None:
    """Set the bench's knob for this point (the others at their defaults)."""
    bench.prompt, bench.history, bench.n_tools = PROMPT, [], 1
    bench._tools = None
    if sweep == "stream":
        words = PROMPT.split()
        bench.prompt = " ".join(words[i % len(words)] for i in range(x))
    elif sweep == "history":
        bench.history = [
            ("user" if i % 2 == 0 else "assistant", f"Turn {i}: " + PROMPT) for i in range(x)
        ]
    else:
        bench.n_tools = x


def point(
    bench: Bench, timer: SDKTimer, adapter: Any, sweep: str, x: int, calls: int
) -> dict[str, Any]:
    configure(bench, sweep, x)
    case = CASE[sweep]
    client = bench.client() if bench.custom_client else None
    raw_client = client if client is not None else bench.client()
    raw = raw_calls(bench, raw_client, is_async=False, direct=bench.direct)[case]
    mira = mirascope_calls(bench, client, is_async=False)[case]
    reading = raw()
    variants = _variants(bench, timer, adapter, raw, mira)
    blocks, block = _plan(sweep, reading.chunks, calls)
    selfs = self_sync(timer, variants, blocks, block)
    young = {k: _young_collections(fn, _counted(blocks, block)) for k, (fn, _) in variants.items()}
    return _row(bench, sweep, x, "sync", client is not None, reading.chunks, selfs, young)


async def point_async(
    bench: Bench, timer: SDKTimer, adapter: Any, x: int, calls: int
) -> dict[str, Any]:
    """A point of the stream sweep, async."""
    configure(bench, "stream", x)
    async with AsyncExitStack() as stack:
        client = await bench.aclient(stack) if bench.custom_client else None
        raw_client = client if client is not None else await bench.aclient(stack)
        raw = raw_calls(bench, raw_client, is_async=True, direct=bench.direct)["stream"]
        mira = mirascope_calls(bench, client, is_async=True)["stream"]
        reading = await raw()
        variants = _variants(bench, timer, adapter, raw, mira)
        blocks, block = _plan("stream", reading.chunks, calls)
        selfs = await self_async(timer, variants, blocks, block)
        calls = _counted(blocks, block)
        young = {k: await _young_collections_async(fn, calls) for k, (fn, _) in variants.items()}
    return _row(bench, "stream", x, "async", client is not None, reading.chunks, selfs, young)


async def _points_async(
    bench: Bench, timer: SDKTimer, adapter: Any, calls: int
) -> list[dict[str, Any]]:
    return [await point_async(bench, timer, adapter, x, calls) for x in POINTS["stream"]]


def _variants(bench: Bench, timer: SDKTimer, adapter: Any, raw: Any, mira: Any) -> dict[str, Any]:
    # the raw side is routed through the probe under the name "raw" (direct or not)
    return {
        "raw": (raw, partial(_collector_paused, partial(timed, bench, timer, adapter, "raw"))),
        "mirascope": (
            mira,
            partial(_collector_paused, partial(timed, bench, timer, adapter, "custom")),
        ),
    }


@contextmanager
def _collector_paused(routed: Callable[[], AbstractContextManager[Any]]) -> Iterator[None]:
    """A block with Python's cyclic collector paused, after a collection. The SDKs that
    make garbage cycles (Mistral's, LiteLLM's, the Google family's) set off a young
    collection every few chunks; it runs wherever an allocation crosses the threshold,
    most often in the SDK's parsing, and now and then in either side's own code, whose
    few long calls a point times: milliseconds of noise in a line fitted in microseconds.
    What the collector costs each side is counted apart (``_young_collections``)."""
    gc.collect()
    gc.disable()
    try:
        with routed():
            yield
    finally:
        gc.enable()


def _counted(blocks: int, block: int) -> int:
    return max(3, blocks * block // 3)


def _young_collections(fn: Callable[[], Any], calls: int) -> float:
    """Young collections per call of ``fn``, the collector running."""
    fn()
    gc.collect()
    before = gc.get_stats()[0]["collections"]
    for _ in range(calls):
        fn()
    return (gc.get_stats()[0]["collections"] - before) / calls


async def _young_collections_async(fn: Callable[[], Awaitable[Any]], calls: int) -> float:
    await fn()
    gc.collect()
    before = gc.get_stats()[0]["collections"]
    for _ in range(calls):
        await fn()
    return (gc.get_stats()[0]["collections"] - before) / calls


STREAM_BLOCKS = 15
"""The fewest blocks of a stream sweep's point (``--calls`` 150, run.py's; fewer for fewer
calls): the long streams, a call or two a block, carry the slope (the least-squares line
leans on its ends), and five blocks left it +-0.3 us a chunk."""


def _plan(sweep: str, chunks: int, calls: int) -> tuple[int, int]:
    """(blocks, calls per block) of a point; a stream's ``calls`` count chunks."""
    per_call = max(1, calls // (chunks or 1)) if sweep == "stream" else calls
    block = max(1, per_call // 10)
    fewest = max(5, min(STREAM_BLOCKS, calls // 200)) if sweep == "stream" else 5
    return max(fewest, per_call // block), block


def _row(
    bench: Bench,
    sweep: str,
    x: int,
    mode: str,
    custom: bool,
    chunks: int,
    selfs: dict[str, list[float]],
    young: dict[str, float] | None = None,
) -> dict[str, Any]:
    net = Paired.of(selfs["mirascope"], selfs["raw"])
    row = {
        "provider": bench.name,
        "kind": "sweep",
        "sweep": sweep,
        "mode": mode,
        "case": f"{sweep} {x}" + (" async" if mode == "async" else ""),
        "x": x,
        "baseline": "direct" if bench.direct else "raw",
        "client": "custom" if custom else "default",
        "raw_self_us": round(statistics.median(selfs["raw"]) * US, 1),
        "mirascope_self_us": round(statistics.median(selfs["mirascope"]) * US, 1),
        "net_us": round(net.median * US, 1),
        "net_se_us": round(net.se * US, 1),
    }
    if young is not None:
        row["young_gcs_raw"] = round(young["raw"], 2)
        row["young_gcs_mirascope"] = round(young["mirascope"], 2)
    if sweep == "stream":
        row["chunks"] = chunks
        row["net_per_chunk_us"] = round(net.median * US / (chunks or 1), 2)
    print("ROW " + json.dumps(row), flush=True)
    return row


def chunk_cost(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The least-squares line of a stream sweep's ``net`` against its chunks: the slope
    (us per chunk more) with its standard error, and the intercept (us per stream)."""
    xs = [float(r["chunks"]) for r in rows]
    ys = [r["net_us"] for r in rows]
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    intercept = my - slope * mx
    # the points' own standard errors (not the residuals: four points leave two degrees
    # of freedom): the slope's error propagated from them
    var = sum(((x - mx) / sxx) ** 2 * r["net_se_us"] ** 2 for x, r in zip(xs, rows, strict=True))
    first, longest = rows[0], rows[-1]
    row: dict[str, Any] = {
        "provider": first["provider"],
        "kind": "chunk cost",
        "mode": first["mode"],
        "case": f"stream {first['mode']}: per chunk more",
        "client": first["client"],
        "baseline": first["baseline"],
        "points": [[r["chunks"], r["net_us"]] for r in rows],
        "per_chunk_us": round(slope, 3),
        "per_chunk_se_us": round(var**0.5, 3),
        "per_stream_us": round(intercept, 1),
    }
    if "young_gcs_raw" in longest:  # what the paused collector costs each side
        row["young_gcs"] = {
            "chunks": longest["chunks"],
            "mirascope": longest["young_gcs_mirascope"],
            "raw": longest["young_gcs_raw"],
        }
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("provider", choices=sorted(BENCHES))
    parser.add_argument(
        "--calls", type=int, default=150, help="per point and side (streams: chunks x 20)"
    )
    parser.add_argument("--sweeps", default=",".join(POINTS))
    parser.add_argument("--modes", default="sync", help="of the stream sweep: sync,async")
    args = parser.parse_args()
    with fake_server(args.provider) as server:
        bench = BENCHES[args.provider](server)
        os.environ.update(bench.environ())
        bench.setup()
        adapter = importlib.import_module(f"mirascope.core.{bench.name}._adapter").ADAPTER
        timer = SDKTimer()
        timer.calibrate()

        for sweep in args.sweeps.split(","):
            calls = args.calls * 20 if sweep == "stream" else args.calls
            rows = [point(bench, timer, adapter, sweep, x, calls) for x in POINTS[sweep]]
            if sweep != "stream":
                continue
            print("ROW " + json.dumps(chunk_cost(rows)), flush=True)
            if "async" in args.modes.split(","):
                # one event loop for all the points: some SDKs' async clients (gRPC's) stay
                # bound to the loop that first used them
                rows = asyncio.run(_points_async(bench, timer, adapter, calls))
                print("ROW " + json.dumps(chunk_cost(rows)), flush=True)


if __name__ == "__main__":
    main()
