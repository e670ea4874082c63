"""A summary of which providers the docs examples ran for (``pytest tests/docs``)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

_PREFIX = "tests/docs/test_docs.py::test_example["


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    counts: dict[str, Counter[str]] = {}
    for outcome in ("passed", "failed", "skipped"):
        for report in terminalreporter.stats.get(outcome, []):
            nodeid: str = getattr(report, "nodeid", "")
            if not nodeid.startswith(_PREFIX) or getattr(report, "when", "call") == "teardown":
                continue
            parts = nodeid[len(_PREFIX) : -1].split(":")
            key = parts[2] if len(parts) == 3 else "(single-provider and plain blocks)"
            counts.setdefault(key, Counter())[outcome] += 1
    if not counts:
        return
    terminalreporter.section("docs examples by provider tab")
    for key in sorted(counts):
        c = counts[key]
        line = ", ".join(f"{n} {o}" for o, n in sorted(c.items()))
        terminalreporter.write_line(f"{key:36} {line}")
    ran = sorted(k for k, c in counts.items() if c["passed"] and not k.startswith("("))
    terminalreporter.write_line(f"providers whose tabs ran: {', '.join(ran) or 'none'}")
