"""Measuring tools: a fake server in its own process (its CPU is not ours), client CPU per
call with raw and mirascope runs interleaved, and fresh-process import times."""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def fake_server(vendor: str) -> Iterator[str]:
    """``python -m mirascope.testing <vendor>`` in a child process; yields its URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "mirascope.testing", vendor],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        yield proc.stdout.readline().strip()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def cpu_sync(fn: Callable[[], Any], n: int) -> float:
    """Client CPU seconds per call of ``fn`` over ``n`` sequential calls."""
    start = time.process_time()
    for _ in range(n):
        fn()
    return (time.process_time() - start) / n


def cpu_async(
    make: Callable[[], Callable[[], Awaitable[Any]]], n: int, concurrency: int = 1
) -> float:
    """Client CPU seconds per call, ``concurrency`` calls in flight at a time. ``make``
    builds the call inside the event loop (async clients belong to one loop)."""

    async def run() -> float:
        fn = make()
        for _ in range(min(n, 5)):  # warm the connection pool in this loop
            await fn()
        start = time.process_time()
        done = 0
        while done < n:
            batch = min(concurrency, n - done)
            if batch == 1:
                await fn()
            else:
                await asyncio.gather(*(fn() for _ in range(batch)))
            done += batch
        return (time.process_time() - start) / n

    return asyncio.run(run())


def interleaved(measure: dict[str, Callable[[], float]], rounds: int) -> dict[str, float]:
    """Run each measurement ``rounds`` times, alternating, and keep the medians."""
    samples: dict[str, list[float]] = {k: [] for k in measure}
    for _ in range(rounds):
        for key, fn in measure.items():
            samples[key].append(fn())
    return {k: statistics.median(v) for k, v in samples.items()}


def import_time(statement: str, runs: int = 5) -> float:
    """Median seconds a fresh interpreter spends on ``statement``."""
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"LITELLM_LOCAL_MODEL_COST_MAP": "True", "PATH": ""},
        )
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(times)
