"""One line at the end of the run naming the test data that was absent (see ``_data.py``).

The tests that needed it were skipped, or under ``CI=true`` failed; their reports carry the
file and how to get it, and this gathers them (from every xdist worker, as the controller
receives their reports) so nobody has to read through the skip reasons."""

from __future__ import annotations

from typing import Any

import pytest

from ._data import MISSING, MISSING_RE, in_ci


def _reason(report: Any) -> str:
    longrepr = getattr(report, "longrepr", None)
    if isinstance(longrepr, tuple):  # a skip: (path, line, "Skipped: <reason>")
        return str(longrepr[-1])
    return str(getattr(report, "longreprtext", "") or longrepr or "")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    absent: dict[str, set[str]] = {}  # how to get them -> the files
    tests = 0
    for key in ("skipped", "failed", "error"):
        for report in terminalreporter.stats.get(key, []):
            found: list[tuple[str, str]] = MISSING_RE.findall(_reason(report))
            tests += bool(found)
            for path, how in found:
                absent.setdefault(how, set()).add(path)
    if not absent:
        return
    outcome = "failed (CI=true)" if in_ci() else "skipped"
    files = "; ".join(f"{', '.join(sorted(paths))} ({how})" for how, paths in absent.items())
    terminalreporter.write_line(
        f"{MISSING.upper()}: {tests} test(s) {outcome} for want of {files}",
        yellow=not in_ci(),
        red=in_ci(),
        bold=True,
    )
