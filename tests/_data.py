"""The files tests read, and what a test does when one of them is missing.

Recorded vendor exchanges and official API specs live in the repository, under
``tests/data/`` (sources and licences in ``tests/data/README.md``). The async guide does not:
``tests/guide/extract.py`` finds it beside the repository, or where ``MIRASCOPE_GUIDE`` says.

A missing file never makes tests vanish or pass quietly. With ``CI=true`` the test that
needs it fails, naming the file and how to get it; elsewhere it is skipped with the same
message, and ``tests/conftest.py`` sums the absent files up in one line at the end of the run.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import NoReturn

import pytest

DATA = Path(__file__).resolve().parent / "data"
ROOT = DATA.parents[1]  # the repository
RESTORE = "it is part of the repository: restore it with `git checkout -- tests/data`"

# "missing test data [<path>]: <how to get it>", in every skip or failure it causes
MISSING = "missing test data"
MISSING_RE = re.compile(re.escape(MISSING) + r" \[(?P<path>[^\]]+)\]: (?P<how>[^\n]+)")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def shown(path: Path) -> str:
    """``path`` as the repository sees it: ``tests/data/...``, ``../shared/...``, or absolute."""
    path = path.resolve()
    for base, prefix in ((ROOT, ""), (ROOT.parent, "../")):
        if path.is_relative_to(base):
            return prefix + path.relative_to(base).as_posix()
    return str(path)


def missing(path: Path, how: str) -> NoReturn:
    """Fail the running test under CI, skip it elsewhere; the message names the file."""
    message = f"{MISSING} [{shown(path)}]: {how}"
    if in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def require(path: Path, how: str = RESTORE) -> Path:
    """``path`` if the file exists; otherwise the running test fails (CI) or skips."""
    if not path.is_file():
        missing(path, how)
    return path


def recording(provider: str, name: str) -> Path:
    """A recorded real exchange: ``tests/data/recordings/<provider>/<name>``."""
    return require(DATA / "recordings" / provider / name)


def spec(name: str) -> Path:
    """An official API spec: ``tests/data/specs/<name>``."""
    return require(DATA / "specs" / name)


SHARED = ROOT.parent / "shared"
"""The team's shared folder beside the repository: data that may not be redistributed."""


def shared(*parts: str) -> Path:
    """A file of ``../shared`` that the repository cannot carry (its licence forbids it)."""
    return require(
        SHARED.joinpath(*parts),
        "its licence keeps it out of the repository: clone the shared folder beside the "
        "repository (../shared)",
    )
