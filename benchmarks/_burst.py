"""``n`` concurrent async calls through a default client, in a fresh process:

    python -m benchmarks._burst <provider> <raw|mirascope> <n> '<server json>' [<measured>]

The raw side uses the SDK's client as built from the environment; mirascope's side its
shared default client. A warm-up burst first (it opens the connection pool), then a full
burst that settles the pool, then ``measured`` bursts (3 by default), each after a
``gc.collect()``; prints a JSON line: calls per second of wall time and client CPU per call
over the measured bursts, the peak resident memory all the full bursts added (VmHWM over
VmRSS before them), and the collections per measured burst. A fresh process per run: both
sides start from the same state, and no pool of an earlier run (nor the fake server's
threads serving it) is still around.

Full (oldest-generation) collections are held off during the bursts (the third GC
threshold raised) and run between them, untimed; the young ones, whose cost follows the
objects allocated, stay in. A full collection walks the whole heap, and where CPython
starts one depends on the collector's phase, not on the code measured: after
``gc.collect()`` it fires at a fixed count of young collections (~93,000 allocations), so
whether a 1,000-call burst holds one is a step (raw bedrock and cohere stop just short of
it, mirascope, +5 objects per call in flight, just pass it), and its cost is the heap at
that moment: 35-40 ms early or late in a bedrock burst, ~100 ms at its peak, when the calls
in flight double the heap. Either way one side paid 60-100 us per call more for the phase
it happened to be in. The young collections per burst (``young_collections``) give the
sides' GC pressure, which the collector's phase does not move."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import sys
from collections.abc import Callable
from contextlib import AsyncExitStack

from benchmarks._harness import burst, bursts, peak_rss, reset_peak_rss
from benchmarks.cases import BENCHES, mirascope_calls, raw_calls


def _counter(counts: list[int]) -> Callable[[str, dict[str, int]], None]:
    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            counts[info["generation"]] += 1

    return count


MEASURED = 3
"""Bursts measured after the settling one, by default."""


async def measure(
    provider: str, side: str, n: int, server: dict[str, str], measured: int = MEASURED
) -> None:
    bench = BENCHES[provider](server)
    os.environ.update(bench.environ())
    bench.setup()
    async with AsyncExitStack() as stack:
        if side == "raw":
            client = await bench.aclient(stack, from_env=True)
            call = raw_calls(bench, client, is_async=True)["call"]
        else:
            call = mirascope_calls(bench, None, is_async=True)["call"]
        await burst(call, min(n, 100))
        base = reset_peak_rss()
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, 1 << 30)  # full collections: between bursts only
        await burst(call, n)  # the pool grows to what n calls at once open
        counts = [0, 0, 0]
        counter = _counter(counts)
        gc.callbacks.append(counter)
        calls_per_s, cpu = await bursts(call, n, measured)
        gc.callbacks.remove(counter)
        added = peak_rss() - base
    result = {
        "calls_per_s": calls_per_s,
        "cpu_us_per_call": cpu * 1e6,
        "rss_added_kib": added,
        # per measured burst; the full ones are the gc.collect() before each
        "young_collections": (counts[0] + counts[1]) / measured,
        "full_collections": counts[2] / measured,
    }
    print(json.dumps(result), flush=True)


def main() -> None:
    provider, side, n, server = sys.argv[1:5]
    measured = int(sys.argv[5]) if len(sys.argv) > 5 else MEASURED
    asyncio.run(measure(provider, side, int(n), json.loads(server), measured))


if __name__ == "__main__":
    main()
