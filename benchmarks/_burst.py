"""``n`` concurrent async calls through a default client, in a fresh process:

    python -m benchmarks._burst <provider> <raw|mirascope> <n> '<server json>' [<measured>]

The raw side uses the SDK's client as built from the environment; mirascope's side its
shared default client. A warm-up burst first (it opens the connection pool), then a full
burst that settles the garbage collector, then ``measured`` bursts (3 by default) back to
back; prints a JSON line: calls per second of wall time and client CPU per call over the
measured bursts, and the peak resident memory all the full bursts added (VmHWM over VmRSS
before them). A fresh process per run: both sides start from the same state, and no pool of
an earlier run (nor the fake server's threads serving it) is still around.

Why the settling burst: a full (oldest-generation) collection walks the whole heap, 90-130
ms in these processes, and CPython starts one at a fixed count of young collections (11
second-generation ones, once enough objects were promoted), that is after a fixed number
of allocations. Straight after ``gc.collect()`` both sides stand at the same point of that
cycle, so whether a single 1,000-call burst contains a full collection is a step in the
objects it allocates: the raw bedrock and cohere bursts stop just short of it, mirascope's
(a few more objects per call in flight: its plan, message, and coroutine) just pass it,
and the 90-130 us per call that adds was most of their mirascope/raw gap. From the second
burst on, full collections come at their running rate (one per 1,000-call burst on both
sides here), which is what a process that serves calls pays."""

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


def _count_full(full: list[int]) -> Callable[[str, dict[str, int]], None]:
    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(1)

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
        await burst(call, n)  # settles the collector (see above); gc.collect() first
        full: list[int] = []
        counter = _count_full(full)
        gc.callbacks.append(counter)
        calls_per_s, cpu = await bursts(call, n, measured)
        gc.callbacks.remove(counter)
        added = peak_rss() - base
    result = {
        "calls_per_s": calls_per_s,
        "cpu_us_per_call": cpu * 1e6,
        "rss_added_kib": added,
        "full_collections": len(full) / measured,  # per burst
    }
    print(json.dumps(result), flush=True)


def main() -> None:
    provider, side, n, server = sys.argv[1:5]
    measured = int(sys.argv[5]) if len(sys.argv) > 5 else MEASURED
    asyncio.run(measure(provider, side, int(n), json.loads(server), measured))


if __name__ == "__main__":
    main()
