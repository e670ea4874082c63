"""``"ollama"`` and ``"vllm"``: OpenAI-compatible servers on this machine, through the
``openai`` SDK, with v1's default addresses and keys."""

from __future__ import annotations

import asyncio

import openai as openai_sdk
import pytest

from mirascope import llm
from mirascope.core import openai
from mirascope.core._engine.clients import default_clients_created
from mirascope.llm import _local
from mirascope.testing import FakeServer

PROMPT = "Recommend a fantasy book"


def test_default_addresses() -> None:
    assert {
        "ollama": _local.LocalServer("http://localhost:11434/v1", "ollama"),
        "vllm": _local.LocalServer("http://localhost:8000/v1", "vllm"),
    } == _local.LOCAL_SERVERS


@pytest.mark.parametrize("name", ["ollama", "vllm"])
@pytest.mark.parametrize("stream", [False, True], ids=["call", "stream"])
def test_default_client(openai_server: FakeServer, name: str, is_async: bool, stream: bool) -> None:
    if is_async:

        async def prompt_async(genre: str) -> str:
            return f"Recommend a {genre} book"

        fn = llm.call(name, "llama3.2", stream=stream)(prompt_async)  # pyright: ignore[reportArgumentType, reportCallIssue]

        async def run() -> str:
            result = await fn("fantasy")
            if stream:
                return "".join([c.content async for c, _ in result])
            return result.content

        content = asyncio.run(run())
    else:

        def prompt(genre: str) -> str:
            return f"Recommend a {genre} book"

        result = llm.call(name, "llama3.2", stream=stream)(prompt)("fantasy")  # pyright: ignore[reportArgumentType, reportCallIssue]
        content = "".join(c.content for c, _ in result) if stream else result.content
    assert content == PROMPT
    request = openai_server.requests[0]
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == f"Bearer {name}"
    assert request.json["model"] == "llama3.2"
    assert default_clients_created(name)
    assert not default_clients_created("openai")


def test_custom_client(openai_server: FakeServer, is_async: bool) -> None:
    url = openai_server.url + "/v1"
    if is_async:

        async def run() -> llm.CallResponse:
            async with openai_sdk.AsyncOpenAI(base_url=url, api_key="mine") as client:

                @llm.call("ollama", "llama3.2", client=client)
                async def fn(genre: str) -> str:
                    return f"Recommend a {genre} book"

                return await fn("fantasy")

        response = asyncio.run(run())
    else:
        with openai_sdk.OpenAI(base_url=url, api_key="mine") as client:

            @llm.call("ollama", "llama3.2", client=client)
            def fn(genre: str) -> str:
                return f"Recommend a {genre} book"

            response = fn("fantasy")
    assert type(response.provider_response) is openai.OpenAICallResponse
    assert response.content == PROMPT
    assert openai_server.requests[0].headers["authorization"] == "Bearer mine"
    assert not default_clients_created("ollama")
