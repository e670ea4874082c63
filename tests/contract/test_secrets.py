"""API keys never show: not in the repr or str of a response, stream, chunk, plan or tool,
not in an error mirascope raises, and mirascope writes no log line at all."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from mirascope.core import BaseTool, MirascopeError, reset_default_clients
from mirascope.testing import FakeServer, Reply, ToolCall

from .base import ContractProvider

SECRET = "sk-SECRET-4f9c2b7e1d"


class FormatBook(BaseTool):
    """Format a book as 'title by author'."""

    title: str
    author: str


async def _prompt() -> str:
    return "Recommend a fantasy book"


def _sync_prompt() -> str:
    return "Recommend a fantasy book"


async def _exercise(
    provider: ContractProvider, server: FakeServer, module: Any, client: Any
) -> list[str]:
    """Calls, streams, tools and mirascope's own errors through ``client`` (None: the
    default client); everything a user could print of them."""
    options: dict[str, Any] = {} if client is None else {"client": client}
    seen: list[str] = []

    def show(*values: Any) -> None:
        seen.extend(f"{v!r} {v!s}" for v in values)

    def call(**more: Any) -> Any:
        return module.call(provider.model, **options, **more)(_prompt)

    response = await call()()
    show(response, response.plan, response.messages, response.message_param, response.usage)
    stream = await call(stream=True)()
    async for chunk, _ in stream:
        show(chunk)
    show(stream, stream.plan, stream.message_param)

    server.enqueue(Reply(tool_calls=[ToolCall("FormatBook", {"title": "Dune", "author": "F"})]))
    response = await call(tools=[FormatBook])()
    show(response, response.tool, response.tools, response.message_param)

    errors: list[BaseException] = []
    server.enqueue(
        Reply(tool_calls=[ToolCall("FormatBook", {"title": "Dune"})]),
        Reply(tool_calls=[ToolCall("PlaceOrder", {"item": "tea"})]),
        Reply(empty=True),
    )
    for _ in range(2):
        response = await call(tools=[FormatBook])()
        try:
            _ = response.tool
        except MirascopeError as error:
            errors.append(error)
    try:
        await call()()
    except MirascopeError as error:
        errors.append(error)
    try:  # an unknown call param whose value is a secret: only its name is repeated
        call(call_params={"api_key": SECRET})
    except TypeError as error:
        errors.append(error)
    expected = 4
    if client is not None and module.call._adapter.client_kind(client) != "both":
        expected += 1
        try:  # the client's kind does not fit a sync function
            module.call(provider.model, client=client)(_sync_prompt)
        except TypeError as error:
            errors.append(error)
    assert len(errors) == expected, errors
    show(*errors)
    seen.extend(str(arg) for error in errors for arg in error.args)
    return seen


def test_api_keys_never_show(
    provider: ContractProvider,
    server: FakeServer,
    module: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    if provider.name in {"gemini", "vertex"}:
        pytest.skip(
            f"{provider.name}: a client is a model object that holds no credential (the key "
            "is process-wide, set by configure/init), so there is no client key to leak"
        )
    try:
        keyed = provider.keyed_client(server, SECRET)
    except NotImplementedError as why:
        pytest.skip(f"{provider.name}: {str(why) or 'ContractProvider.keyed_client is missing'}")

    # the default client's key too: find the variable that holds it and make it the secret
    asyncio.run(module.call(provider.model)(_prompt)())
    default_key = provider.key_of(server.requests[-1])
    names = [k for k, v in provider.environ(server).items() if v == default_key]
    assert names, f"no variable of {provider.name}'s environment holds {default_key!r}"
    for name in names:
        monkeypatch.setenv(name, SECRET)
    reset_default_clients()

    async def main() -> list[str]:
        async with keyed as client:
            return [
                *await _exercise(provider, server, module, client),
                *await _exercise(provider, server, module, None),
            ]

    with caplog.at_level(logging.DEBUG):
        seen = asyncio.run(main())
    assert {provider.key_of(r) for r in server.requests[1:]} == {SECRET}  # it was used
    leaks = [text for text in seen if SECRET in text]
    assert not leaks, leaks
    ours = [r for r in caplog.records if r.name.split(".")[0] == "mirascope"]
    assert not ours, [r.getMessage() for r in ours]  # mirascope logs nothing
