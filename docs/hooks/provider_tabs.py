"""mkdocs hook: one source per example, one tab per provider.

On every page, before markdown is rendered:

- a ```` ```python providers ```` block, written once with ``{{ name }}`` placeholders, and
  the ```` ```text title="Output" ```` block right after it (if any) become one
  ``=== "<provider>"`` tab per provider of ``provider_table.PROVIDERS`` (pymdownx.tabbed),
  each holding the code and output with that provider's values filled in; where a value is
  missing (``None``) the tab says why instead;
- ``<!-- docs-test: {...} -->`` lines (instructions for ``tests/docs/test_docs.py``) are
  dropped;
- ``<!-- providers:table -->`` becomes the providers overview table, and
  ``<!-- benchmarks:results -->`` the tables of ``benchmarks/RESULTS.md``.

``tests/docs/test_docs.py`` reads the pages with ``examples()`` and ``expand()`` from this
module, so what it runs is exactly what the site shows."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import provider_table  # mkdocs puts this folder on sys.path while loading the hook
from provider_table import PROVIDERS, Provider

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")
_DIRECTIVE = re.compile(r"^<!--\s*docs-test:\s*(?P<json>\{.*\})\s*-->\s*$")
_TITLE = re.compile(r"""title=["']([^"']*)["']""")
OUTPUT_TITLE = "Output"


@dataclass
class Fence:
    """A fenced code block of a page (``start``/``end``: 0-based lines of its fences)."""

    info: str
    code: str
    start: int
    end: int
    indent: str

    @property
    def lang(self) -> str:
        return self.info.split()[0] if self.info.split() else ""

    @property
    def title(self) -> str | None:
        match = _TITLE.search(self.info)
        return match.group(1) if match else None

    @property
    def providers(self) -> bool:
        """Whether this is a ``python providers`` block (one tab per provider)."""
        return self.lang == "python" and "providers" in self.info.split()[1:]


@dataclass
class Example:
    """A python block of a page, the output it states, and its test instructions."""

    page: str
    block: Fence
    output: Fence | None
    directive: dict[str, Any] = field(default_factory=dict[str, Any])

    @property
    def line(self) -> int:
        """1-based line of the opening fence."""
        return self.block.start + 1

    @property
    def providers(self) -> bool:
        return self.block.providers


def fences(markdown: str) -> list[Fence]:
    """Every fenced block of the page, in order."""
    lines = markdown.splitlines()
    found: list[Fence] = []
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if match is None:
            i += 1
            continue
        indent, fence = match.group("indent"), match.group("fence")
        closing = re.compile(rf"^{re.escape(indent)}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        j = i + 1
        while j < len(lines) and not closing.match(lines[j]):
            j += 1
        if j == len(lines):
            raise ValueError(f"unclosed code fence at line {i + 1}")
        body = [
            line[len(indent) :] if line.startswith(indent) else line for line in lines[i + 1 : j]
        ]
        found.append(Fence(match.group("info").strip(), "\n".join(body) + "\n", i, j, indent))
        i = j + 1
    return found


def _directive(lines: list[str], start: int) -> dict[str, Any]:
    """The ``<!-- docs-test: {...} -->`` line just above a block (blank lines allowed)."""
    k = start - 1
    while k >= 0 and not lines[k].strip():
        k -= 1
    if k >= 0:
        match = _DIRECTIVE.match(lines[k].strip())
        if match:
            return json.loads(match.group("json"))
    return {}


def examples(markdown: str, page: str = "") -> list[Example]:
    """Every python block of the page, each with the ``Output`` block that follows it
    (only blank lines between) and its test directive."""
    lines = markdown.splitlines()
    blocks = fences(markdown)
    found: list[Example] = []
    for n, block in enumerate(blocks):
        if block.lang != "python":
            continue
        output = None
        if n + 1 < len(blocks):
            after = blocks[n + 1]
            between = lines[block.end + 1 : after.start]
            if after.title == OUTPUT_TITLE and not any(line.strip() for line in between):
                output = after
        found.append(Example(page, block, output, _directive(lines, block.start)))
    return found


def placeholders(text: str) -> list[str]:
    """The placeholder names ``text`` uses, in order of first use."""
    names: list[str] = []
    for name in _PLACEHOLDER.findall(text):
        if name not in names:
            names.append(name)
    return names


def missing(text: str, provider: Provider) -> str | None:
    """Why ``text`` cannot be written for ``provider`` (a value it needs is None)."""
    values = provider.values()
    for name in placeholders(text):
        if name not in values:
            known = ", ".join(sorted(values))
            raise KeyError(f"unknown placeholder {{{{ {name} }}}} (known: {known})")
        if values[name] is None:
            return provider.reason(name)
    return None


def expand(text: str, provider: Provider) -> str | None:
    """``text`` with ``provider``'s values filled in; None when one of them is missing.

    A multi-line value continues at the indentation of the line that holds it."""
    if missing(text, provider) is not None:
        return None
    values = provider.values()
    out: list[str] = []
    for line in text.split("\n"):
        indent = line[: len(line) - len(line.lstrip())]

        def fill(match: re.Match[str], indent: str = indent) -> str:
            value = values[match.group(1)]
            assert value is not None
            first, *rest = value.split("\n")
            return "\n".join([first, *(indent + line if line else "" for line in rest)])

        out.append(_PLACEHOLDER.sub(fill, line))
    return _tidy_imports("\n".join(out))


_IMPORT = re.compile(r"^(?:import (?P<plain>[\w.]+)|from (?P<from>[\w.]+) import [\w, ]+)$")


def _tidy_imports(code: str) -> str:
    """Regroup the leading one-line imports as isort would (standard library, third
    party, mirascope), since filled-in placeholders bring imports of their own."""
    lines = code.split("\n")
    head: list[str] = []
    n = 0
    while n < len(lines) and (not lines[n].strip() or _IMPORT.match(lines[n])):
        if lines[n].strip():
            head.append(lines[n])
        n += 1
    groups: dict[int, list[str]] = {0: [], 1: [], 2: []}
    for line in dict.fromkeys(head):
        match = _IMPORT.match(line)
        assert match is not None
        root = (match.group("plain") or match.group("from")).split(".")[0]
        group = 2 if root == "mirascope" else 0 if root in sys.stdlib_module_names else 1
        groups[group].append(line)
    blocks = [
        sorted(g, key=lambda line: (line.startswith("from "), line.split()[1]))
        for g in groups.values()
        if g
    ]
    rest = lines[n:]
    tidy = "\n\n".join("\n".join(block) for block in blocks)
    definition = rest and rest[0].startswith(("def ", "async def ", "class ", "@"))
    blank = ["", ""] if definition else [""] if rest else []
    return "\n".join([tidy, *blank, *rest]) if blocks else code


def _indented(text: str, by: str = "    ") -> list[str]:
    return [by + line if line.strip() else "" for line in text.rstrip("\n").split("\n")]


def _tabs(example: Example) -> list[str]:
    block, output = example.block, example.output
    info = " ".join(word for word in block.info.split() if word != "providers")
    out: list[str] = []
    for provider in PROVIDERS:
        out += [f'=== "{provider.name}"', ""]
        reason = missing(block.code + (output.code if output else ""), provider)
        if reason is not None:
            out += [f'    !!! info "Not available for {provider.name}"', ""]
            out += _indented(reason, "        ")
            out.append("")
            continue
        code = expand(block.code, provider)
        assert code is not None
        out += _indented(f"```{info}\n{code}```")
        out.append("")
        if output is not None:
            text = expand(output.code, provider)
            assert text is not None
            out += _indented(f"```{output.info}\n{text}```")
            out.append("")
    return out


def providers_table() -> str:
    """The overview of providers: extra, SDK, environment, custom clients."""
    rows = [
        "| Provider | Install | SDK | Default client reads | Custom client |",
        "|---|---|---|---|---|",
    ]
    for p in PROVIDERS:
        client = "yes" if provider_table.custom_client(p) else "no"
        if p.one_client_for_both:
            client = "yes (one client for sync and async)"
        rows.append(
            f'| [{p.name}]({p.module}.md) | `pip install "mirascope[{p.module}]"` | {p.sdk} '
            f"| {p.env} | {client} |"
        )
    return "\n".join(rows)


def benchmark_tables(results: Path) -> str:
    """The tables of ``benchmarks/RESULTS.md`` (a note when it is absent)."""
    if not results.exists():
        return (
            "*No results yet: run `python benchmarks/run.py --markdown "
            "benchmarks/RESULTS.md`, then rebuild the site.*"
        )
    return results.read_text().strip()


def render(markdown: str, *, root: Path | None = None, page: str = "") -> str:
    """The page as mkdocs should see it (see the module docstring)."""
    lines = markdown.splitlines()
    replace: dict[int, tuple[int, list[str]]] = {}  # first line -> (last line, new lines)
    for example in examples(markdown, page):
        if not example.providers:
            for name in placeholders(example.block.code):
                raise ValueError(
                    f"{page}:{example.line}: placeholder {{{{ {name} }}}} in a block that is "
                    "not a `python providers` block"
                )
            continue
        if example.block.indent:
            raise ValueError(f"{page}:{example.line}: a providers block must not be indented")
        last = example.output.end if example.output else example.block.end
        replace[example.block.start] = (last, _tabs(example))
    out: list[str] = []
    i = 0
    while i < len(lines):
        if i in replace:
            last, new = replace[i]
            out += new
            i = last + 1
            continue
        stripped = lines[i].strip()
        if _DIRECTIVE.match(stripped):
            pass
        elif stripped == "<!-- providers:table -->":
            out.append(providers_table())
        elif stripped == "<!-- benchmarks:results -->":
            base = root if root is not None else Path(__file__).resolve().parents[2]
            out.append(benchmark_tables(base / "benchmarks" / "RESULTS.md"))
        else:
            out.append(lines[i])
        i += 1
    return "\n".join(out) + "\n"


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """mkdocs event: expand the page's provider blocks and tables."""
    root = Path(config["docs_dir"]).resolve().parent
    return render(markdown, root=root, page=page.file.src_uri)
