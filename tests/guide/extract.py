"""Read the examples out of the async guide's own text (never copies of them).

The guide is ``../shared/seed/000_0e00ae74f860fa9e.txt`` beside the repository, or the
file named by ``MIRASCOPE_GUIDE``. Without it, the tests built from it collapse into one
placeholder each, skipped (failed under ``CI=true``) with a message naming the file."""

from __future__ import annotations

import os
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .._data import missing

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_GUIDE = ROOT.parent / "shared" / "seed" / "000_0e00ae74f860fa9e.txt"
_TAB = re.compile(r"^(\s*)=== \"(.+)\"")
_FENCE = re.compile(r"^(\s*)```python")
_END = re.compile(r"^\s*```\s*$")


@dataclass(frozen=True)
class Example:
    section: str  # "Basic Usage and Syntax", "Async Tools", ...
    style: str  # "Shorthand", "Messages", "String Template", "BaseMessageParam"
    provider: str  # as the guide's tab names it: "OpenAI", "Azure AI", ...
    line: int
    code: str

    @property
    def id(self) -> str:
        return f"{self.provider}-{self.section}-{self.style}-L{self.line}".replace(" ", "_")


GET_GUIDE = (
    "clone the shared folder beside the repository (../shared), "
    "or set MIRASCOPE_GUIDE to the guide's path"
)


def guide_path() -> Path:
    return Path(os.environ.get("MIRASCOPE_GUIDE", DEFAULT_GUIDE))


def require_guide() -> Path:
    """The guide's path; if it is absent the running test skips (fails under CI=true)."""
    path = guide_path()
    if not path.is_file():
        missing(path, GET_GUIDE)
    return path


def example_params(examples: list[Example]) -> list[Any]:
    """One pytest param per example, or, when there are none (the guide is absent), a single
    ``None`` placeholder so the test is still collected and says why it cannot run."""
    return [pytest.param(e, id=e.id) for e in examples] or [pytest.param(None, id="no-guide")]


def the_example(example: Example | None) -> Example:
    """The example a test was given; for the placeholder, skip or fail as ``require_guide``."""
    if example is None:
        require_guide()
        pytest.fail("the guide is present but has none of the examples this test runs")
    return example


def load_examples(path: Path | None = None) -> list[Example]:
    """Every python block of the guide with the section and tabs it sits under."""
    path = path or guide_path()
    if not path.exists():
        return []
    lines = path.read_text().splitlines()
    examples: list[Example] = []
    section = ""
    tabs: dict[int, str] = {}
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("## "):
            section, tabs = line[3:].strip(), {}
        tab = _TAB.match(line)
        if tab:
            depth = len(tab.group(1))
            tabs = {d: name for d, name in tabs.items() if d < depth}
            tabs[depth] = tab.group(2)
        fence = _FENCE.match(line)
        if fence:
            body: list[str] = []
            j = i + 1
            while not _END.match(lines[j]):
                body.append(lines[j])
                j += 1
            names = [tabs[d] for d in sorted(tabs) if d < len(fence.group(1))]
            if len(names) == 2:
                examples.append(
                    Example(section, names[0], names[1], i + 1, textwrap.dedent("\n".join(body)))
                )
            i = j
        i += 1
    return examples
