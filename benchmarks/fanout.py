"""Throughput of ``mirascope.fanout.map_calls`` on this machine, 1 and 2 Ray workers,
against the OpenAI fake answering after a fixed latency (a stand-in for the vendor's).

    python benchmarks/fanout.py                       # 200 calls, 50 ms latency
    python benchmarks/fanout.py --calls 400 --latency 0.1 --concurrency 16

Starts a local Ray instance (``num_cpus=2``) and the fake (in this process: it only sleeps
and echoes). Each figure is the best of ``--repeat`` runs on warm workers (their start,
seconds of process creation and SDK imports, is reported apart). With a shared
``RateLimit(concurrency=N)`` the same calls show what the limit's actor costs and that the
limit, not the workers, sets the pace."""

from __future__ import annotations

import argparse
import os
import time
from typing import Any

import ray

from mirascope.core import RateLimit, openai, reset_default_clients
from mirascope.fanout import close_workers, map_calls
from mirascope.testing import FakeOpenAI, Reply


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05, help="the fake's, seconds")
    parser.add_argument("--concurrency", type=int, default=8, help="calls at once per worker")
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()

    server = FakeOpenAI().start()
    os.environ.update(OPENAI_BASE_URL=server.url + "/v1", OPENAI_API_KEY="sk-bench")
    reset_default_clients()
    started = time.perf_counter()
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    print(f"ray.init: {time.perf_counter() - started:.1f} s")

    @openai.call("gpt-4o-mini")
    def item(index: int) -> str:
        return f"Item {index}"

    shared = RateLimit(concurrency=options.concurrency)

    @openai.call("gpt-4o-mini", limiter=shared)
    def limited(index: int) -> str:
        return f"Item {index}"

    def run(fn: Any, workers: int) -> float:
        server.reset()
        server.enqueue(*[Reply(delay=options.latency) for _ in range(options.calls)])
        began = time.perf_counter()
        responses = map_calls(
            fn, range(options.calls), workers=workers, concurrency=options.concurrency
        )
        elapsed = time.perf_counter() - began
        assert [r.content for r in responses] == [f"Item {i}" for i in range(options.calls)]
        assert len(server.requests) == options.calls
        return elapsed

    ideal = options.concurrency / options.latency
    print(
        f"{options.calls} calls, fake latency {options.latency * 1000:.0f} ms, "
        f"{options.concurrency} calls at once per worker (the ceiling: {ideal:.0f} calls/s "
        "per worker)"
    )
    print("| workers | limit | first run (workers start) | calls/s (best) |")
    print("|---|---|---|---|")
    for workers in (1, 2):
        for fn, label in ((item, "none"), (limited, f"concurrency={options.concurrency}")):
            first = run(fn, workers)
            best = min(run(fn, workers) for _ in range(options.repeat))
            print(f"| {workers} | {label} | {first:.2f} s | {options.calls / best:.0f} |")
        close_workers()
    ray.shutdown()
    server.stop()


if __name__ == "__main__":
    main()
