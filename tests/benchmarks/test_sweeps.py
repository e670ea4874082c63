"""The stream sweep's line (``benchmarks/sweeps.py``), the per-chunk target ``run.py``
judges it by, and its table: the figure of record for "a chunk more costs at most 1 us"."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from benchmarks.run import CHUNK_MORE_US, _chunk_cost_markdown, judge
from benchmarks.sweeps import _collector_paused, chunk_cost

ROOT = Path(__file__).resolve().parents[2]
SWEEP_ARGS = ("--sweeps=stream", "--modes=sync,async", "--calls=3")


def _points(per_chunk: float, per_stream: float, se: float = 2.0) -> list[dict[str, Any]]:
    return [
        {
            "provider": "openai",
            "mode": "async",
            "client": "custom",
            "baseline": "raw",
            "chunks": n,
            "net_us": round(per_stream + per_chunk * n, 1),
            "net_se_us": se,
        }
        for n in (13, 53, 203, 803)
    ]


def test_the_line_through_the_points_splits_chunk_and_stream_costs() -> None:
    row = chunk_cost(_points(0.8, 30.0))
    assert row["kind"] == "chunk cost"
    assert row["case"] == "stream async: per chunk more"
    assert row["per_chunk_us"] == pytest.approx(0.8)
    assert row["per_stream_us"] == pytest.approx(30.0)
    assert row["points"] == [[13, 40.4], [53, 72.4], [203, 192.4], [803, 672.4]]
    # the points' errors carried into the slope's: the same error at every point gives
    # se / sqrt(sum of squared deviations of the chunk counts)
    xs = [13, 53, 203, 803]
    mean = sum(xs) / 4
    expected = 2.0 / sum((x - mean) ** 2 for x in xs) ** 0.5
    assert row["per_chunk_se_us"] == pytest.approx(expected, abs=1e-3)


@pytest.mark.parametrize(
    ("per_chunk", "met", "suspect"),
    [(0.95, True, False), (1.3, False, False), (-0.2, False, True)],
)
def test_run_judges_a_chunk_more_against_one_microsecond(
    per_chunk: float, met: bool, suspect: bool
) -> None:
    row = chunk_cost(_points(per_chunk, 25.0, se=0.1))
    [check] = judge(row)
    assert CHUNK_MORE_US == 1.0
    assert check["target"] == "stream async: per chunk more: <= 1 us"
    assert check["met"] is met
    assert check["baseline_suspect"] is suspect


def test_the_table_marks_a_miss() -> None:
    rows = []
    for mode, per_chunk in (("sync", 0.7), ("async", 1.2)):
        points = _points(per_chunk, 20.0, se=0.1)
        for p in points:
            p["mode"] = mode
        row = chunk_cost(points)
        row["checks"] = judge(row)
        rows.append(row)
    table = _chunk_cost_markdown(rows)
    assert table[-1] == "| openai | +0.70 +-0.00 | +1.20 +-0.00 ⚠ | +20 | +20 | - |"
    # the collections each side set off in the longest stream, counted with the collector on
    points = _points(0.7, 20.0, se=0.1)
    points[-1] |= {"young_gcs_mirascope": 2.4, "young_gcs_raw": 2.2}
    row = chunk_cost(points)
    assert row["young_gcs"] == {"chunks": 803, "mirascope": 2.4, "raw": 2.2}
    row["checks"] = judge(row)
    assert _chunk_cost_markdown([row])[-1] == "| openai | - | +0.70 +-0.00 | - | +20 | - |"
    row["mode"] = "sync"
    assert _chunk_cost_markdown([row])[-1] == "| openai | +0.70 +-0.00 | - | +20 | - | 2.4 / 2.2 |"


def test_a_timed_block_runs_with_the_collector_paused_after_a_collection() -> None:
    seen: list[tuple[bool, int]] = []

    @contextmanager
    def routed() -> Iterator[None]:
        seen.append((gc.isenabled(), len(gc.garbage)))
        yield

    cycle: list[object] = []
    cycle.append(cycle)
    ref = weakref.ref(_Cyclic(cycle))  # garbage only a collection frees
    assert gc.isenabled()
    with _collector_paused(routed):
        assert not gc.isenabled()
        assert ref() is None  # collected on the way in
    assert gc.isenabled()
    assert seen == [(False, 0)]
    with pytest.raises(RuntimeError), _collector_paused(routed):
        raise RuntimeError
    assert gc.isenabled()  # on again however the block ends


class _Cyclic:
    def __init__(self, other: object) -> None:
        self.me = self
        self.other = other


def test_the_sweep_runs_sync_and_async_against_the_fake() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.sweeps", "anthropic", *SWEEP_ARGS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    rows = [json.loads(x[4:]) for x in done.stdout.splitlines() if x.startswith("ROW ")]
    points = [r for r in rows if r["kind"] == "sweep"]
    lines = [r for r in rows if r["kind"] == "chunk cost"]
    assert [(r["mode"], r["x"]) for r in points] == [
        (mode, x) for mode in ("sync", "async") for x in (10, 50, 200, 800)
    ]
    for mode in ("sync", "async"):
        chunks = [r["chunks"] for r in points if r["mode"] == mode]
        assert chunks == sorted(chunks) and chunks[0] >= 10 and chunks[-1] >= 800
    assert [r["mode"] for r in lines] == ["sync", "async"]
    for r in points:  # each side's young collections per call, counted with them on
        assert isinstance(r["young_gcs_raw"], float) and r["young_gcs_raw"] >= 0
        assert isinstance(r["young_gcs_mirascope"], float) and r["young_gcs_mirascope"] >= 0
    for line in lines:
        assert line["young_gcs"]["chunks"] == points[-1]["chunks"]
        assert isinstance(line["per_chunk_us"], float)
        assert isinstance(line["per_stream_us"], float)
        assert [p[0] for p in line["points"]] == [
            r["chunks"] for r in points if r["mode"] == line["mode"]
        ]
