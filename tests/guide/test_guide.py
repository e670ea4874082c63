"""Every example of the async guide, run unchanged against the fake vendor servers.

The examples are read from the guide itself (see ``extract.py``). Each runs with its
provider's harness; its printed output is checked, and an example that only defines a
function is also called, and must reach the server through the client it gave."""

from __future__ import annotations

import asyncio
import dataclasses
import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mirascope.core import reset_default_clients
from mirascope.core._engine.clients import default_clients_created
from mirascope.core._engine.decorator import SPEC_ATTR
from mirascope.testing import FakeServer

from .extract import Example, example_params, load_examples, require_guide, the_example
from .harness import BOOK_LINE, HARNESSES, Harness

for _info in pkgutil.iter_modules([str(Path(__file__).parent)]):
    if _info.name.startswith("harness_"):
        importlib.import_module(f"{__package__}.{_info.name}")

EXAMPLES = load_examples()
GENRES = ["fantasy", "scifi", "mystery"]


def _runnable() -> list[Example]:
    """The guide's examples of every provider with a harness: its own tab's, or another
    tab's rewritten for it (providers the guide has no tab for)."""
    own = [e for e in EXAMPLES if e.provider in HARNESSES and not HARNESSES[e.provider].source_tab]
    for harness in HARNESSES.values():
        if harness.source_tab:
            own += [
                dataclasses.replace(e, provider=harness.tab, code=harness.rewrite(e.code))
                for e in EXAMPLES
                if e.provider == harness.source_tab
            ]
    return own


_servers: dict[str, FakeServer] = {}


@pytest.fixture(scope="session", autouse=True)
def _stop_servers() -> Iterator[None]:
    yield
    for server in _servers.values():
        server.stop()


def _server(harness: Harness) -> FakeServer:
    if harness.tab not in _servers:
        _servers[harness.tab] = harness.start()
    server = _servers[harness.tab]
    server.reset()
    return server


def expected_output(example: Example) -> str | None:
    section = example.section
    if section == "Basic Usage and Syntax":
        return "Recommend a fantasy book\n"
    if section == "Parallel Async Calls":
        return "".join(f"({g}):\nRecommend a {g} book\n\n" for g in GENRES)
    if section == "Async Streaming":
        return "Recommend a fantasy book"
    if section == "Async Tools":
        return BOOK_LINE + "\n"
    return None  # Custom Client: defines a function, checked by calling it


def _decorated(namespace: dict[str, Any]) -> Any:
    found = [v for v in namespace.values() if callable(v) and hasattr(v, SPEC_ATTR)]
    assert len(found) == 1, f"expected one decorated function, found {found}"
    return found[0]


def _run(
    example: Example, harness: Harness, server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    if example.code.strip() == "# Not Supported":
        # the guide says the provider has no custom client: the library must say so too
        assert not harness.custom_client, f"the guide says {harness.tab} has no custom client"
        module = importlib.import_module(f"mirascope.core.{harness.module}")
        with pytest.raises(TypeError, match="client"):
            module.call("model", client=object())(lambda: "hi")
        return
    if example.section == "Async Tools":
        server.enqueue(harness.tool_reply())
    namespace: dict[str, Any] = {"__name__": "__guide__"}
    exec(compile(example.code, f"<guide line {example.line}>", "exec"), namespace)
    expected = expected_output(example)
    if expected is not None:
        assert capsys.readouterr().out == expected
        assert server.requests, "the example never reached the fake server"
        return
    fn = _decorated(namespace)
    result = fn("fantasy")
    if inspect.iscoroutine(result):
        result = asyncio.run(result)
    assert result.content == "Recommend a fantasy book"
    assert len(server.requests) == 1
    assert not default_clients_created(harness.module), (
        "the call went through mirascope's default client, not the one the example gave"
    )


@pytest.mark.guide
@pytest.mark.parametrize("example", example_params(_runnable()))
def test_guide_example(
    example: Example | None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    example = the_example(example)
    harness = HARNESSES[example.provider]()
    server = _server(harness)
    reset_default_clients()
    try:
        with harness.active(server, monkeypatch):
            error = harness.expected_error(example)
            if error is None:
                _run(example, harness, server, capsys)
            else:
                with pytest.raises(error[0], match=error[1]):
                    _run(example, harness, server, capsys)
            harness.check_requests(example, server)
    finally:
        reset_default_clients()


def test_guide_is_present() -> None:
    require_guide()
    assert len(EXAMPLES) == 240
    tabs = {h.source_tab or h.tab for h in HARNESSES.values()}
    assert {e.provider for e in EXAMPLES} >= tabs
