"""``llm.override``: a new function with other settings; the original stays as it was."""

from __future__ import annotations

import asyncio
import inspect

import openai as openai_sdk
import pytest

from mirascope import BaseTool, llm
from mirascope.core import InvalidCallError, UnknownProviderError, openai
from mirascope.core._engine.clients import default_clients_created
from mirascope.testing import FakeServer, Reply, ToolCall

pytestmark = pytest.mark.usefixtures("openai_server")


class FormatBook(BaseTool):
    """Format a book."""

    title: str
    author: str


@llm.call(provider="openai", model="base-model", call_params={"temperature": 0.5})
def recommend(genre: str) -> str:
    """Recommend a book."""
    return f"Recommend a {genre} book"


def test_model_and_call_params(openai_server: FakeServer) -> None:
    other = llm.override(recommend, model="other-model")
    params = llm.override(recommend, call_params={"max_tokens": 7})
    assert other is not recommend
    assert other.__name__ == "recommend" and other.__doc__ == "Recommend a book."
    assert inspect.signature(other) == inspect.signature(recommend)
    assert other("a").plan.model == "other-model"
    assert params("b").plan.model == "base-model"
    assert recommend("c").plan.model == "base-model"
    first, second, third = (r.json for r in openai_server.requests)
    assert first["temperature"] == 0.5  # kept: the provider did not change
    assert second["max_tokens"] == 7 and "temperature" not in second  # replaced
    assert third["temperature"] == 0.5 and "max_tokens" not in third


def test_client(openai_server: FakeServer) -> None:
    with openai_sdk.OpenAI(base_url=openai_server.url + "/v1", api_key="sk-over") as client:
        response = llm.override(recommend, client=client)("fantasy")
    assert response.plan.client is client
    assert openai_server.requests[0].headers["authorization"] == "Bearer sk-over"
    assert not default_clients_created("openai")


def test_a_new_provider_drops_the_client_and_call_params(openai_server: FakeServer) -> None:
    with openai_sdk.OpenAI(base_url=openai_server.url + "/v1", api_key="sk-own") as client:
        original = llm.call("openai", "base-model", client=client, call_params={"seed": 1})(
            recommend.__wrapped__  # type: ignore[attr-defined]
        )
        response = llm.override(original, provider="vllm", model="qwen")("fantasy")
    request = openai_server.requests[0]
    assert request.headers["authorization"] == "Bearer vllm"
    assert request.json["model"] == "qwen" and "seed" not in request.json
    assert response.content == "Recommend a fantasy book"


def test_override_keeps_stream_and_tools(openai_server: FakeServer) -> None:
    openai_server.enqueue(Reply(tool_calls=[ToolCall("FormatBook", {"title": "t", "author": "a"})]))

    @llm.call("openai", "base-model", stream=True, tools=[FormatBook])
    async def streamed(genre: str) -> str:
        return f"Recommend a {genre} book"

    other = llm.override(streamed, model="other-model")
    assert inspect.iscoroutinefunction(other)

    async def consume() -> list[BaseTool]:
        stream = await other("fantasy")
        assert type(stream) is llm.Stream
        return [tool async for _, tool in stream if tool is not None]

    tools = asyncio.run(consume())
    assert len(tools) == 1 and isinstance(tools[0], FormatBook)
    assert openai_server.requests[0].json["model"] == "other-model"


def test_override_of_an_override(openai_server: FakeServer) -> None:
    twice = llm.override(llm.override(recommend, model="one"), call_params={"seed": 3})
    assert twice("x").plan.model == "one"
    assert openai_server.requests[0].json["seed"] == 3


def test_a_new_provider_needs_a_model() -> None:
    with pytest.raises(InvalidCallError, match=r"provider='anthropic'.*needs the model"):
        llm.override(recommend, provider="anthropic")
    same = llm.override(recommend, provider="openai")  # the same provider: model kept
    assert same.__mirascope_llm__.args.model == "base-model"  # type: ignore[attr-defined]


def test_only_llm_functions() -> None:
    @openai.call("gpt-4o-mini")
    def plain(genre: str) -> str:
        return genre

    with pytest.raises(InvalidCallError, match=r"takes a function made by @llm\.call.*plain"):
        llm.override(plain, model="x")


def test_unknown_provider() -> None:
    with pytest.raises(UnknownProviderError, match="'nope'"):
        llm.override(recommend, provider="nope", model="x")  # pyright: ignore[reportArgumentType]
