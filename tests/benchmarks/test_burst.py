"""The concurrent-calls burst: ``bursts`` runs ``k`` bursts of ``n`` calls one after the
other, each ``n`` at once, and ``python -m benchmarks._burst`` reports its figures over the
measured bursts for both sides, no full collection inside them."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks._harness import bursts, fake_server

ROOT = Path(__file__).resolve().parents[2]


def test_bursts_runs_k_bursts_of_n_at_once() -> None:
    in_flight: list[int] = [0]
    peaks: list[int] = []

    async def call() -> None:
        in_flight[0] += 1
        await asyncio.sleep(0)  # all of a burst start before any ends
        peaks.append(in_flight[0])
        in_flight[0] -= 1

    calls_per_s, cpu = asyncio.run(bursts(call, 5, 3))
    assert len(peaks) == 15
    assert peaks == [5, 4, 3, 2, 1] * 3  # each burst: 5 at once, drained before the next
    assert calls_per_s > 0
    assert cpu >= 0


@pytest.mark.parametrize("side", ["raw", "mirascope"])
def test_burst_process_reports_the_measured_bursts(side: str) -> None:
    with fake_server("bedrock") as server:
        command = ["-m", "benchmarks._burst", "bedrock", side, "20", json.dumps(server), "2"]
        out = subprocess.run(
            [sys.executable, "-W", "ignore", *command],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert set(result) == {
        "calls_per_s",
        "cpu_us_per_call",
        "rss_added_kib",
        "young_collections",
        "full_collections",
    }
    assert result["calls_per_s"] > 0
    assert result["cpu_us_per_call"] > 0
    assert result["full_collections"] == 1.0  # only the gc.collect() before each burst
