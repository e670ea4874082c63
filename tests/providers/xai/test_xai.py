"""xAI specifics: the default clients are the openai SDK's, pointed at xAI and keyed with
XAI_API_KEY (never OpenAI's variables); requests are OpenAI's chat completions."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import openai as openai_sdk
import pytest

from mirascope.core import (
    BaseTool,
    ClientKindError,
    MissingCredentialsError,
    reset_default_clients,
    xai,
)
from mirascope.testing import FakeOpenAI, Reply, ToolCall

MODEL = "grok-3"


class FormatBook(BaseTool):
    """Format a book."""

    title: str
    author: str


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server  # type: ignore[misc]


@pytest.fixture
def server(fake: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    fake.reset()
    monkeypatch.setenv("XAI_API_KEY", "xai-key")
    monkeypatch.setenv("XAI_BASE_URL", fake.url + "/v1")
    # OpenAI's own variables, which must not leak into xAI's client
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    reset_default_clients()
    yield fake
    reset_default_clients()


def _prompt() -> str:
    return "Recommend a fantasy book"


async def _prompt_async() -> str:
    return "Recommend a fantasy book"


def test_default_clients_are_xais(server: FakeOpenAI) -> None:
    response = xai.call(MODEL)(_prompt)()
    assert response.content == "Recommend a fantasy book"
    client = response.plan.client
    assert type(client) is openai_sdk.OpenAI and client.api_key == "xai-key"
    request = server.requests[-1]
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer xai-key"
    assert request.json["model"] == MODEL

    async_response = asyncio.run(xai.call(MODEL)(_prompt_async)())
    assert type(async_response.plan.client) is openai_sdk.AsyncOpenAI
    assert server.requests[-1].headers["authorization"] == "Bearer xai-key"


def test_default_base_url_is_xais(monkeypatch: pytest.MonkeyPatch) -> None:
    from mirascope.core.xai._adapter import ADAPTER

    monkeypatch.setenv("XAI_API_KEY", "xai-key")
    monkeypatch.delenv("XAI_BASE_URL", raising=False)
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    client = ADAPTER.default_client(is_async=False)
    try:
        assert str(client.base_url) == "https://api.x.ai/v1/"
    finally:
        client.close()


def test_no_key_is_refused_even_with_openais(
    server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XAI_API_KEY")
    with pytest.raises(MissingCredentialsError, match="set XAI_API_KEY") as info:
        xai.call(MODEL)(_prompt)()
    assert 'base_url="https://api.x.ai/v1"' in str(info.value)
    assert not server.requests


def test_stream_and_tools(server: FakeOpenAI) -> None:
    book = {"title": "Dune", "author": "Frank Herbert"}
    server.enqueue(Reply(text="Here:", tool_calls=[ToolCall("FormatBook", book)]))
    stream = xai.call(MODEL, stream=True, tools=[FormatBook])(_prompt)()
    tools = [t for _, t in stream if t is not None]
    assert stream.content == "Here:"
    assert isinstance(tools[0], FormatBook) and tools[0].title == "Dune"
    assert stream.usage is not None  # asked for with stream_options, as for OpenAI
    body = server.requests[-1].json
    assert body["stream_options"] == {"include_usage": True}
    assert body["tools"][0]["function"]["name"] == "FormatBook"


def test_custom_clients_and_their_kinds(server: FakeOpenAI) -> None:
    client = openai_sdk.OpenAI(base_url=server.url + "/v1", api_key="custom")
    response = xai.call(MODEL, client=client, call_params={"temperature": 0.1})(_prompt)()
    assert response.plan.client is client
    assert server.requests[-1].headers["authorization"] == "Bearer custom"
    assert server.requests[-1].json["temperature"] == 0.1
    with pytest.raises(ClientKindError, match=r"async function.*openai\.OpenAI"):
        xai.call(MODEL, client=client)(_prompt_async)
    client.close()
