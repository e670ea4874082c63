"""``n`` concurrent async calls through a default client, in a fresh process:

    python -m benchmarks._burst <provider> <raw|mirascope> <n> '<server json>'

The raw side uses the SDK's client as built from the environment; mirascope's side its
shared default client. A warm-up burst first (it opens the connection pool), then one
measured burst; prints a JSON line: calls per second of wall time, client CPU per call, and
the peak resident memory the burst added (VmHWM over VmRSS before it). A fresh process per
burst: both sides start from the same state, and no pool of an earlier burst (nor the fake
server's threads serving it) is still around."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from contextlib import AsyncExitStack

from benchmarks._harness import burst, peak_rss, reset_peak_rss
from benchmarks.cases import BENCHES, mirascope_calls, raw_calls


async def measure(provider: str, side: str, n: int, server: dict[str, str]) -> None:
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
        calls_per_s, cpu = await burst(call, n)
        added = peak_rss() - base
    result = {"calls_per_s": calls_per_s, "cpu_us_per_call": cpu * 1e6, "rss_added_kib": added}
    print(json.dumps(result), flush=True)


def main() -> None:
    provider, side, n, server = sys.argv[1:5]
    asyncio.run(measure(provider, side, int(n), json.loads(server)))


if __name__ == "__main__":
    main()
