"""Every python block of every docs page runs here, against the fake vendor servers, and
prints what the page says it prints.

Pages are read with the mkdocs hook's own functions (``docs/hooks/provider_tabs.py``), so a
``python providers`` block runs once per provider with exactly the code of that
provider's tab. Each block runs with the guide harness (``tests/guide/harness_*.py``) of
every provider it uses: the harness starts the provider's fake server and sets the
environment so that the SDK reaches it. Conventions of the pages:

- the ```` ```text title="Output" ```` block right after a python block is its expected
  standard output (every python block has one);
- ``<!-- docs-test: {...} -->`` just above a block tells the test what the fake model
  answers (``replies``: ``Reply`` fields, ``tool_calls`` as ``{"name", "arguments"}``,
  ``raw_json`` for a verbatim body, or a dict of such lists by provider module for a block
  that calls several; or ``structured``: response models as each provider is
  asked for them by default) and what to check: ``sent`` (a subset of the last
  request's JSON), ``headers`` (of the last request), ``requests`` (how many were made; by
  default at least one when a provider is used); ``"harness": false`` runs the block
  without any (it brings its own server, or makes no request); ``batch_polls``: how many
  polls a batch job takes to end on the fakes (``server.batches.polls``). A block that
  offers tools and scripts no reply gets the harness's tool-call reply.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import importlib.util
import io
import json
import os
import pkgutil
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from mirascope.core import reset_default_clients
from mirascope.testing import Answer, FakeServer, Reply, ToolCall

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
HOOKS = DOCS / "hooks"


def _hook_module(name: str) -> ModuleType:
    """A module of ``docs/hooks`` (mkdocs loads them from that folder, so do we)."""
    if str(HOOKS) not in sys.path:
        sys.path.insert(0, str(HOOKS))
    return importlib.import_module(name)


tabs = _hook_module("provider_tabs")
table = _hook_module("provider_table")

# the guide's harnesses: one per provider, registered by tab name on import
_GUIDE = __name__.rpartition(".")[0].rpartition(".")[0] + ".guide"  # tests.guide
HARNESS_ERRORS: dict[str, str] = {}
for _info in pkgutil.iter_modules([str(ROOT / "tests" / "guide")]):
    if _info.name.startswith("harness_"):
        try:
            importlib.import_module(f"{_GUIDE}.{_info.name}")
        except ImportError as _error:  # the provider's SDK is not installed
            HARNESS_ERRORS[_info.name.removeprefix("harness_")] = str(_error)
HARNESSES: dict[str, Any] = importlib.import_module(f"{_GUIDE}.harness").HARNESSES


def pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if HOOKS not in p.parents)


@dataclass(frozen=True)
class Case:
    page: str
    example: Any  # provider_tabs.Example
    provider: Any  # provider_table.Provider, for a tab of a providers block

    @property
    def id(self) -> str:
        suffix = f":{self.provider.module}" if self.provider is not None else ""
        return f"{self.page}:L{self.example.line}{suffix}"


def _cases() -> list[Case]:
    cases: list[Case] = []
    for path in pages():
        page = path.relative_to(DOCS).as_posix()
        for example in tabs.examples(path.read_text(), page):
            if example.providers:
                cases += [Case(page, example, p) for p in table.PROVIDERS]
            else:
                cases.append(Case(page, example, None))
    return cases


CASES = _cases()

_servers: dict[str, FakeServer] = {}


@pytest.fixture(scope="module", autouse=True)
def _stop_servers() -> Iterator[None]:
    yield
    for server in _servers.values():
        server.stop()
    _servers.clear()


def _server(harness: Any) -> FakeServer:
    if harness.tab not in _servers:
        _servers[harness.tab] = harness.start()
    server = _servers[harness.tab]
    server.reset()
    return server


LOCAL_PROVIDERS = ("ollama", "vllm")
"""``llm``'s local servers: they speak OpenAI's wire, so OpenAI's fake stands in for them."""


def _llm_providers(node: ast.Call) -> list[str]:
    """The provider names an ``llm.call`` / ``llm.context`` / ``llm.override`` call names."""
    names = [k.value for k in node.keywords if k.arg == "provider"]
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr == "call" and node.args:
        names.append(node.args[0])  # llm.call("openai", ...)
    return [n.value for n in names if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _providers_used(code: str) -> list[Any]:
    """The providers a plain block imports from ``mirascope.core`` or names to ``llm``."""
    found: list[str] = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "mirascope.core":
                found += [a.name for a in node.names]
            elif node.module.startswith("mirascope.core."):
                found.append(node.module.split(".")[2])
        elif isinstance(node, ast.Import):
            found += [a.name.split(".")[2] for a in node.names if a.name.count(".") >= 2]
        elif isinstance(node, ast.Call):
            found += ["openai" if n in LOCAL_PROVIDERS else n for n in _llm_providers(node)]
    return [table.BY_MODULE[m] for m in dict.fromkeys(found) if m in table.BY_MODULE]


def _local_servers_at_openai_fake(code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point ``llm``'s local providers, when the block names one, at OpenAI's fake."""
    if not any(f'"{name}"' in code for name in LOCAL_PROVIDERS):
        return
    from mirascope.llm import _local

    url = os.environ["OPENAI_BASE_URL"]
    for name, server in _local.LOCAL_SERVERS.items():
        monkeypatch.setitem(_local.LOCAL_SERVERS, name, _local.LocalServer(url, server.api_key))


def _reply(spec: dict[str, Any]) -> Reply:
    spec = dict(spec)
    if "raw_json" in spec:
        body = json.dumps(spec.pop("raw_json")).encode()
        spec["raw"] = Answer(200, {"Content-Type": "application/json"}, body)
    calls = spec.pop("tool_calls", [])
    return Reply(**spec, tool_calls=[ToolCall(c["name"], c["arguments"]) for c in calls])


def _structured(provider: str, answers: list[dict[str, Any]]) -> list[Reply]:
    """Replies carrying response models (``{"name", "value"}``) the way the provider is
    asked for them by default: JSON text, or a forced tool call where it has no native
    structured-output mode. A ``"text"`` key scripts a verbatim answer instead."""
    adapter = importlib.import_module(f"mirascope.core.{provider}._adapter").ADAPTER
    native = "strict" in adapter.output_modes
    replies: list[Reply] = []
    for answer in answers:
        if "text" in answer:
            # where the request wrote the answer's start, the vendor only continues it
            text: str = answer["text"]
            replies.append(Reply(text=text.removeprefix(adapter.json_prefill)))
        elif native:
            replies.append(Reply(text=json.dumps(answer["value"])))
        else:
            replies.append(Reply(tool_calls=[ToolCall(answer["name"], answer["value"])]))
    return replies


def _uses_tools(code: str) -> bool:
    return re.search(r"\btools\s*=|[\"']tools[\"']\s*:", code) is not None


def _contains(actual: Any, expected: Any) -> bool:
    """``expected`` is ``actual`` with some dict keys left out (lists: item by item)."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            k in actual and _contains(actual[k], v) for k, v in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(_contains(a, e) for a, e in zip(actual, expected, strict=True))
        )
    return actual == expected


def _normalized(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def _run(code: str, name: str) -> str:
    out = io.StringIO()
    namespace: dict[str, Any] = {"__name__": "__docs_example__"}
    with contextlib.redirect_stdout(out):
        # dont_inherit: the example runs as a script, without this module's __future__ imports
        exec(compile(code, name, "exec", dont_inherit=True), namespace)
    return out.getvalue()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_example(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    example, provider = case.example, case.provider
    code: str = example.block.code
    expected: str | None = example.output.code if example.output else None
    if provider is not None:
        reason = tabs.missing(code + (expected or ""), provider)
        if reason is not None:
            pytest.skip(f"{provider.module}: no such tab ({reason})")
        code = tabs.expand(code, provider)
        expected = tabs.expand(expected, provider) if expected is not None else None
        used = [provider]
    else:
        used = [] if example.directive.get("harness") is False else _providers_used(code)
    assert expected is not None, f"{case.id}: the block states no output"

    harnesses: list[Any] = []
    for p in used:
        if p.module in HARNESS_ERRORS:
            pytest.skip(
                f"{p.module}: its guide harness does not import ({HARNESS_ERRORS[p.module]})"
            )
        if p.name not in HARNESSES:
            pytest.skip(f"{p.module}: no guide harness (tests/guide/harness_{p.module}.py)")
        try:
            importlib.import_module(f"mirascope.core.{p.module}")
        except ImportError as error:
            pytest.skip(f"{p.module}: mirascope.core.{p.module} does not import ({error})")
        harnesses.append(HARNESSES[p.name]())

    directive = example.directive
    environ = dict(os.environ)
    servers = [_server(h) for h in harnesses]
    reset_default_clients()
    try:
        with contextlib.ExitStack() as stack:
            for harness, server in zip(harnesses, servers, strict=True):
                stack.enter_context(harness.active(server, monkeypatch))
                if "replies" in directive:
                    replies = directive["replies"]
                    if isinstance(replies, dict):  # each provider's server its own
                        replies = replies.get(harness.module, [])
                    server.enqueue(*(_reply(r) for r in replies))
                elif "structured" in directive:
                    server.enqueue(*_structured(harness.module, directive["structured"]))
                elif _uses_tools(code):
                    server.enqueue(harness.tool_reply())
                if "batch_polls" in directive:
                    server.batches.polls = directive["batch_polls"]  # type: ignore[attr-defined]
            if any(p.module == "openai" for p in used):
                _local_servers_at_openai_fake(code, monkeypatch)
            if any(p.module == "litellm" for p in used):
                # imported as the first call would (offline cost map); its help banner on
                # errors would otherwise be part of the output
                from mirascope.core.litellm._adapter import import_litellm

                monkeypatch.setattr(import_litellm(), "suppress_debug_info", True)
            name = f"<docs/{case.page}:{example.line}{':' + provider.module if provider else ''}>"
            out = _run(code, name)
    finally:
        reset_default_clients()
        os.environ.clear()
        os.environ.update(environ)

    assert _normalized(out) == _normalized(expected), f"{case.id}: output differs"
    requests = [r for s in servers for r in s.requests]
    if "requests" in directive:
        assert len(requests) == directive["requests"], f"{case.id}: {len(requests)} requests"
    elif servers:
        assert requests, f"{case.id}: the example never reached the fake server"
    if "sent" in directive:
        body = requests[-1].json
        assert _contains(body, directive["sent"]), f"{case.id}: sent {body}"
    if "headers" in directive:
        headers = requests[-1].headers
        assert _contains(headers, directive["headers"]), f"{case.id}: headers {headers}"


def test_every_example_states_its_output() -> None:
    silent = [c.id for c in CASES if c.example.output is None]
    assert not silent, f"python blocks without an Output block: {silent}"


def test_pages_have_examples_for_every_provider() -> None:
    covered = {c.provider.module for c in CASES if c.provider is not None}
    assert covered == {p.module for p in table.PROVIDERS}
    assert set(table.BY_MODULE) == set(importlib.import_module("mirascope.core").PROVIDERS)


def test_site_shows_the_code_that_runs() -> None:
    """The hook's page holds each tab's code exactly as ``test_example`` runs it."""
    for path in pages():
        page = path.relative_to(DOCS).as_posix()
        text = path.read_text()
        rendered = tabs.render(text, root=ROOT, page=page)
        assert "docs-test:" not in rendered
        assert "{{" not in rendered
        for example in tabs.examples(text, page):
            if not example.providers:
                continue
            for provider in table.PROVIDERS:
                code = tabs.expand(example.block.code, provider)
                if code is None:
                    assert f'!!! info "Not available for {provider.name}"' in rendered
                    continue
                indented = "\n".join(f"    {line}" if line else "" for line in code.splitlines())
                assert indented in rendered, f"{page}:{example.line} {provider.module}"


def test_hook_refuses_unknown_placeholders() -> None:
    page = '```python providers\nprint("{{ modul }}")\n```\n'
    with pytest.raises(KeyError, match="modul"):
        tabs.render(page)
    with pytest.raises(ValueError, match="not a `python providers` block"):
        tabs.render('```python\nprint("{{ module }}")\n```\n')


def test_hook_tabs_and_absent_values() -> None:
    page = (
        "Text.\n\n"
        '```python providers\nclient = {{ sync_client }}\nprint("{{ name }}")\n```\n\n'
        '```text title="Output"\n{{ name }}\n```\n'
    )
    rendered = tabs.render(page)
    assert rendered.count("\n=== ") == len(table.PROVIDERS)
    assert "    client = ChatCompletionsClient(\n        endpoint=" in rendered
    assert '!!! info "Not available for LiteLLM"' in rendered
    assert '    ```text title="Output"\n    Azure AI\n    ```' in rendered


def _public_names(module: str) -> list[str]:
    """``__all__`` of a module, read without importing it (no SDK import needed)."""
    path = ROOT / Path(*module.split(".")) / "__init__.py"
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            return list(ast.literal_eval(node.value))
    raise AssertionError(f"{module} has no __all__")


API_MODULES = [
    "mirascope.batch",
    "mirascope.core.base",
    *(f"mirascope.core.{p.module}" for p in table.PROVIDERS),
    "mirascope.retries",
    "mirascope.testing",
]


def test_site_builds_strict(tmp_path: Path) -> None:
    needed = ("mkdocs", "material", "mkdocstrings", "mkdocstrings_handlers.python", "pymdownx")
    absent = [m for m in needed if importlib.util.find_spec(m.split(".")[0]) is None]
    if absent:
        pytest.skip(f"docs tooling not installed ({', '.join(absent)}): pip install -e '.[docs]'")
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr[-5000:]

    # the API reference covers every public name (at its re-exported or defining path)
    ids: set[str] = set()
    for html in (site / "api").rglob("*.html"):
        ids |= set(re.findall(r'id="(mirascope\.[\w.]+)"', html.read_text()))
    missing: list[str] = []
    for module in API_MODULES:
        for name in _public_names(module):
            if f"{module}.{name}" in ids:
                continue
            if not any(i.startswith(module + ".") and i.endswith("." + name) for i in ids):
                missing.append(f"{module}.{name}")
    for name in ("PROVIDERS", "reset_default_clients"):
        if f"mirascope.core.{name}" not in ids:
            missing.append(f"mirascope.core.{name}")
    assert not missing, f"public names missing from the API reference: {missing}"
