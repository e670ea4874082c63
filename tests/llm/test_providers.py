"""``llm.call`` over every provider: call, stream, tools, history, ``llm.context`` and
``llm.override`` switching to it -- sync and async, default and custom client, the real
SDK against the provider's fake server."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
from typing import Any

import pytest

from mirascope import BaseTool, Messages, llm
from mirascope.core import InvalidCallError
from mirascope.core._engine.clients import default_clients_created
from mirascope.testing import FakeServer, Reply, ToolCall

from ..contract.base import ContractProvider

PROMPT = "Recommend a fantasy book"
BOOK = {"title": "The Name of the Wind", "author": "Patrick Rothfuss"}


class FormatBook(BaseTool):
    """Format a book as 'title by author'."""

    title: str
    author: str

    def call(self) -> str:
        return f"{self.title} by {self.author}"


def _client(provider: ContractProvider, server: FakeServer, is_async: bool) -> Any:
    """The custom client; where the vendor has none (LiteLLM), ``llm.call`` refuses one."""
    client = provider.client(server, is_async=is_async)
    if client is None:
        with pytest.raises(InvalidCallError, match="has no client object"):
            llm.call(_name(provider), provider.model, client=object())(_sync_prompt)
    return client


def _sync_prompt(genre: str) -> str:
    return f"Recommend a {genre} book"


async def _async_prompt(genre: str) -> str:
    return f"Recommend a {genre} book"


def _prompt(is_async: bool) -> Any:
    return _async_prompt if is_async else _sync_prompt


def _run(fn: Any, *args: Any) -> Any:
    result = fn(*args)
    return asyncio.run(result) if inspect.iscoroutine(result) else result


def _stream(fn: Any, is_async: bool) -> tuple[Any, list[tuple[Any, Any]]]:
    if not is_async:
        stream = fn("fantasy")
        return stream, list(stream)

    async def consume() -> tuple[Any, list[tuple[Any, Any]]]:
        stream = await fn("fantasy")
        return stream, [pair async for pair in stream]

    return asyncio.run(consume())


def _name(provider: ContractProvider) -> Any:
    """The provider's name, for ``llm``'s ``provider`` (a literal type)."""
    return provider.name


def _other(provider: ContractProvider) -> Any:
    """A provider other than this one, to switch away from (never called)."""
    return "anthropic" if provider.name == "openai" else "openai"


def _check_provider_response(response: Any, provider: ContractProvider) -> None:
    inner = response.provider_response
    assert type(inner).__module__ == f"mirascope.core.{provider.name}._types"
    assert response.response is inner.response


def test_call(provider: ContractProvider, server: FakeServer, is_async: bool, custom: bool) -> None:
    client = _client(provider, server, is_async) if custom else None
    fn = llm.call(provider=_name(provider), model=provider.model, client=client)(_prompt(is_async))
    assert inspect.iscoroutinefunction(fn) is is_async
    assert fn.__name__ == _prompt(is_async).__name__
    response = _run(fn, "fantasy")
    assert type(response) is llm.CallResponse
    _check_provider_response(response, provider)
    inner = response.provider_response
    assert response.content == PROMPT
    assert str(response) == PROMPT
    assert response.usage is inner.common_usage and response.usage is not None
    assert response.input_tokens == inner.input_tokens and response.input_tokens
    assert response.output_tokens == inner.output_tokens and response.output_tokens
    assert response.finish_reasons == inner.finish_reasons and response.finish_reasons
    assert response.model == inner.model
    assert response.id == inner.id
    assert response.plan is inner.plan
    assert response.messages == inner.messages
    assert response.metadata == {}
    assert response.tool is None and response.tools is None
    assert response.message_param == inner.message_param
    assert response.message_param.role == "assistant"
    assert len(server.requests) == 1
    assert provider.messages_of(server.requests[0].json) == [("user", PROMPT)]
    assert default_clients_created(provider.name) is (client is None)


def test_stream(
    provider: ContractProvider, server: FakeServer, is_async: bool, custom: bool
) -> None:
    client = _client(provider, server, is_async) if custom else None
    fn = llm.call(_name(provider), provider.model, stream=True, client=client)(_prompt(is_async))
    stream, pairs = _stream(fn, is_async)
    assert type(stream) is llm.Stream
    inner = stream.provider_stream
    assert type(inner).__module__ == f"mirascope.core.{provider.name}._types"
    assert stream.source is inner.source
    assert len([c for c, _ in pairs if c.content]) > 1, "the text should arrive in pieces"
    assert all(isinstance(c, llm.CallResponseChunk) for c, _ in pairs)
    assert all(type(c) is inner.chunk_type for c, _ in pairs)
    assert "".join(c.content for c, _ in pairs) == PROMPT
    assert all(t is None for _, t in pairs)
    assert stream.content == PROMPT
    assert stream.finish_reasons == inner.finish_reasons and stream.finish_reasons
    assert stream.message_param.content == PROMPT
    if provider.streams_usage:
        assert stream.usage is inner.common_usage and stream.output_tokens
    # anything else: read from the provider's stream
    assert stream.chunk_type is inner.chunk_type  # pyright: ignore[reportAttributeAccessIssue]
    assert default_clients_created(provider.name) is (client is None)


def test_tools_and_history(
    provider: ContractProvider, server: FakeServer, is_async: bool, custom: bool
) -> None:
    client = _client(provider, server, is_async) if custom else None
    server.enqueue(Reply(tool_calls=[ToolCall("FormatBook", BOOK)]), Reply(text="Enjoy it!"))
    history: list[Any] = [Messages.User(PROMPT)]

    def prompt_sync(history: list[Any]) -> Any:
        return {"messages": history}

    async def prompt_async(history: list[Any]) -> Any:
        return {"messages": history}

    fn = llm.call(_name(provider), provider.model, tools=[FormatBook], client=client)(
        prompt_async if is_async else prompt_sync
    )

    def next_turn(first: Any) -> list[Any]:
        tool = first.tool
        assert isinstance(tool, FormatBook)
        assert first.tools == [tool]
        assert tool is first.provider_response.tool  # the same instance, not a copy
        outputs = first.tool_message_params([(tool, tool.call())])
        assert outputs == first.provider_response.tool_message_params([(tool, tool.call())])
        return [*history, first.message_param, *outputs]

    async def both_async() -> Any:  # one event loop: a custom async client is bound to it
        return await fn(next_turn(await fn(history)))

    second = asyncio.run(both_async()) if is_async else fn(next_turn(fn(history)))
    assert type(second) is llm.CallResponse
    assert second.content == "Enjoy it!"
    provider.history_check(server.requests[1].json)


def test_context_switches_to_this_provider(
    provider: ContractProvider, server: FakeServer, is_async: bool, custom: bool
) -> None:
    """A function made for another provider, called inside ``llm.context``, reaches this
    one; after the block it is the other provider's again."""
    client = _client(provider, server, is_async) if custom else None
    fn = llm.call(_other(provider), "their-model")(_prompt(is_async))
    with llm.context(provider=_name(provider), model=provider.model, client=client):
        response = _run(fn, "fantasy")
    assert type(response) is llm.CallResponse
    _check_provider_response(response, provider)
    assert response.content == PROMPT
    assert len(server.requests) == 1
    assert default_clients_created(provider.name) is (client is None)
    assert not default_clients_created(_other(provider))
    assert fn.__mirascope_llm__.args.provider == _other(provider)


def test_override_to_this_provider(
    provider: ContractProvider, server: FakeServer, is_async: bool, custom: bool
) -> None:
    client = _client(provider, server, is_async) if custom else None
    original = llm.call(_other(provider), "their-model", stream=True)(_prompt(is_async))
    fn = llm.override(original, provider=_name(provider), model=provider.model, client=client)
    assert inspect.iscoroutinefunction(fn) is is_async
    stream, pairs = _stream(fn, is_async)
    assert type(stream) is llm.Stream
    assert type(stream.provider_stream).__module__ == f"mirascope.core.{provider.name}._types"
    assert "".join(c.content for c, _ in pairs) == PROMPT
    assert default_clients_created(provider.name) is (client is None)
    assert not default_clients_created(_other(provider))


def test_structured_output(provider: ContractProvider, server: FakeServer, is_async: bool) -> None:
    """``response_model`` through ``llm.call``: the validated model, called and streamed."""
    from pydantic import BaseModel

    class Book(BaseModel):
        title: str
        author: str

    native = (
        "strict"
        in importlib.import_module(f"mirascope.core.{provider.name}._adapter").ADAPTER.output_modes
    )

    def answer() -> Reply:
        if native:
            return Reply(text=json.dumps(BOOK))
        return Reply(tool_calls=[ToolCall("Book", BOOK)])

    server.enqueue(answer(), answer())
    called = llm.call(_name(provider), provider.model, response_model=Book)(_prompt(is_async))
    streamed = llm.call(_name(provider), provider.model, response_model=Book, stream=True)(
        _prompt(is_async)
    )
    assert _run(called, "fantasy") == Book(**BOOK)
    if is_async:

        async def consume() -> list[Any]:
            return [item async for item in await streamed("fantasy")]

        items = asyncio.run(consume())
    else:
        items = list(streamed("fantasy"))
    assert items[-1] == Book(**BOOK) and type(items[-1]) is Book
