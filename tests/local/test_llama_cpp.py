"""A real model end to end: SmolLM2-135M behind llama-cpp-python's OpenAI-compatible server.

``nox -s local_model`` builds the server, starts it on 127.0.0.1 and runs this file with
``MIRASCOPE_LOCAL_MODEL_URL`` set to its ``/v1`` address. Without that variable the module
is skipped: the session is opt-in (its first run compiles llama.cpp for minutes), so the
normal suite and CI do not run it. With the variable set, a server that does not answer
fails every test.

A 135M model writes poor prose, so the tests check the shape of each answer (types, finish
reasons, token counts), never its wording. JSON and tool arguments are held to their schema
by the grammar llama.cpp builds from it; a string in that grammar may run on until the token
cap (newlines and all), so the fields carry a ``pattern`` that bounds them (llama.cpp turns it
into the grammar too)."""

from __future__ import annotations

import asyncio
import json
import os
import urllib.request
from collections.abc import Callable
from typing import Annotated, Any

import openai as openai_sdk
import pytest
from pydantic import BaseModel, Field

from mirascope import llm
from mirascope.core import BaseTool, ResponseModelConfigDict, openai

URL = os.environ.get("MIRASCOPE_LOCAL_MODEL_URL", "")
if not URL:
    pytest.skip(
        "opt-in: a real model (SmolLM2-135M on llama.cpp's server); run `.venv/bin/nox -s "
        "local_model`, which builds and starts the server and sets MIRASCOPE_LOCAL_MODEL_URL",
        allow_module_level=True,
    )

MODEL = "smollm2-135m"  # the noxfile's --model_alias
MAX_TOKENS = 48
PARAMS: openai.OpenAICallParams = {"temperature": 0.0, "max_tokens": MAX_TOKENS}
PROMPT = "Recommend a fantasy book. Reply with its title and author."
JSON_PROMPT = "Recommend a fantasy book as a JSON object with the keys title and author."

Short = Annotated[str, Field(pattern=r"^[A-Za-z0-9 .,'-]{1,40}$")]
"""A string the grammar ends within 40 plain characters."""


class Book(BaseModel):
    title: Short
    author: Short


class ToolBook(Book):
    """A book, asked for through a forced tool call (``output_mode="tool"``): llama.cpp's
    server takes no ``json_schema`` response format, but turns a forced tool's parameters
    into a grammar."""

    model_config = ResponseModelConfigDict(output_mode="tool")


class FormatBook(BaseTool):
    """Format a book recommendation."""

    title: Short
    author: Short

    def call(self) -> str:
        return f"{self.title} by {self.author}"


FORCE_FORMAT_BOOK: openai.OpenAICallParams = {
    **PARAMS,
    "max_tokens": 128,  # room for the whole JSON object the grammar makes it write
    "tool_choice": {"type": "function", "function": {"name": "FormatBook"}},
}


@pytest.fixture(scope="module", autouse=True)
def _server_answers() -> None:
    """Fail (not skip) when the variable is set but the server does not answer."""
    try:
        with urllib.request.urlopen(f"{URL}/models", timeout=10) as answer:
            models = json.load(answer)
    except OSError as error:
        pytest.fail(f"MIRASCOPE_LOCAL_MODEL_URL={URL} but {URL}/models failed: {error!r}")
    assert [m["id"] for m in models["data"]] == [MODEL]


def ask(
    decorate: Callable[[Any], Callable[[Callable[[], str]], Callable[[], Any]]],
    is_async: bool,
    *,
    stream: bool = False,
    text: str = PROMPT,
) -> tuple[Any, list[Any]]:
    """Decorate a prompt function with ``decorate(client)`` for a client of the server
    (``AsyncOpenAI`` for ``async def``; no retries), call it, and read a stream to its end
    while the client is open: the result and the stream's items (``[]`` for a call)."""
    if is_async:

        async def main() -> tuple[Any, list[Any]]:
            async with openai_sdk.AsyncOpenAI(
                base_url=URL, api_key="local", max_retries=0
            ) as client:

                async def prompt() -> str:
                    return text

                result = await decorate(client)(prompt)()  # pyright: ignore[reportArgumentType]
                items = [item async for item in result] if stream else []
                return result, items

        return asyncio.run(main())
    with openai_sdk.OpenAI(base_url=URL, api_key="local", max_retries=0) as client:

        def prompt() -> str:
            return text

        result = decorate(client)(prompt)()
        return result, list(result) if stream else []


def check_usage(input_tokens: int | None, output_tokens: int | None, most: int) -> None:
    assert isinstance(input_tokens, int) and input_tokens > 0
    assert isinstance(output_tokens, int) and 0 < output_tokens <= most


def check_finish(finish_reasons: list[str], output_tokens: int | None) -> None:
    """One choice, ended by the model or by the token cap (and then exactly at it)."""
    assert finish_reasons in (["stop"], ["length"])
    if finish_reasons == ["length"]:
        assert output_tokens == MAX_TOKENS


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_text(is_async: bool) -> None:
    response, _ = ask(
        lambda client: openai.call(MODEL, client=client, call_params=PARAMS), is_async
    )
    assert type(response) is openai.OpenAICallResponse
    assert isinstance(response.content, str) and response.content.strip()
    assert response.model == MODEL
    check_usage(response.input_tokens, response.output_tokens, MAX_TOKENS)
    check_finish(response.finish_reasons, response.output_tokens)
    assert response.tool is None


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_stream(is_async: bool) -> None:
    stream, items = ask(
        lambda client: openai.call(MODEL, client=client, stream=True, call_params=PARAMS),
        is_async,
        stream=True,
    )
    assert type(stream) is openai.OpenAIStream
    assert len(items) > 1
    assert all(type(chunk) is openai.OpenAICallResponseChunk for chunk, _ in items)
    assert all(tool is None for _, tool in items)
    text = "".join(chunk.content for chunk, _ in items)
    assert text.strip() and stream.content == text
    assert stream.finish_reasons in (["stop"], ["length"])
    assert stream.usage is None  # llama.cpp's server sends no usage in a stream


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_json_mode(is_async: bool) -> None:
    response, _ = ask(
        lambda client: openai.call(
            MODEL, client=client, json_mode=True, call_params={**PARAMS, "max_tokens": 128}
        ),
        is_async,
        text=JSON_PROMPT,
    )
    assert type(response) is openai.OpenAICallResponse
    assert response.finish_reasons == ["stop"]
    assert isinstance(json.loads(response.content), dict)  # llama.cpp's JSON grammar
    check_usage(response.input_tokens, response.output_tokens, 128)


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_forced_tool_call(is_async: bool) -> None:
    response, _ = ask(
        lambda client: openai.call(
            MODEL, client=client, tools=[FormatBook], call_params=FORCE_FORMAT_BOOK
        ),
        is_async,
    )
    assert type(response) is openai.OpenAICallResponse
    assert response.finish_reasons == ["tool_calls"]
    tool = response.tool
    assert type(tool) is FormatBook
    assert isinstance(tool.title, str) and isinstance(tool.author, str)
    assert tool.call() == f"{tool.title} by {tool.author}"
    assert response.content == ""
    check_usage(response.input_tokens, response.output_tokens, 128)


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_forced_tool_call_streamed(is_async: bool) -> None:
    stream, items = ask(
        lambda client: openai.call(
            MODEL, client=client, stream=True, tools=[FormatBook], call_params=FORCE_FORMAT_BOOK
        ),
        is_async,
        stream=True,
    )
    assert type(stream) is openai.OpenAIStream
    tools = [tool for _, tool in items if tool is not None]
    assert len(tools) == 1 and type(tools[0]) is FormatBook
    assert tools[0].title and tools[0].author
    assert stream.finish_reasons == ["tool_calls"]


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_response_model_through_a_forced_tool(is_async: bool) -> None:
    book, _ = ask(
        lambda client: openai.call(
            MODEL,
            client=client,
            response_model=Book,
            output_mode="tool",
            call_params={**PARAMS, "max_tokens": 128},
        ),
        is_async,
    )
    assert type(book) is Book
    assert isinstance(book.title, str) and isinstance(book.author, str)


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_response_model_streamed(is_async: bool) -> None:
    stream, items = ask(
        lambda client: openai.call(
            MODEL,
            client=client,
            stream=True,
            response_model=Book,
            output_mode="tool",
            call_params={**PARAMS, "max_tokens": 128},
        ),
        is_async,
        stream=True,
    )
    *partial, book = items
    assert type(book) is Book and stream.output is book
    assert isinstance(book.title, str) and isinstance(book.author, str)
    assert len(partial) > 1  # the tool's arguments arrive in pieces
    assert all(isinstance(p, BaseModel) and type(p) is not Book for p in partial)
    assert stream.stream.finish_reasons == ["tool_calls"]


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_response_model_strict_is_refused_by_the_server(is_async: bool) -> None:
    """The default for OpenAI's wire is ``response_format`` ``json_schema``, which
    llama-cpp-python 0.3.16's server rejects, with a 500 (it knows ``text`` and
    ``json_object``): the SDK's error comes through unchanged, and ``output_mode="tool"``
    is the way (above)."""
    with pytest.raises(openai_sdk.InternalServerError) as caught:
        ask(
            lambda client: openai.call(
                MODEL, client=client, response_model=Book, call_params=PARAMS
            ),
            is_async,
        )
    assert caught.value.status_code == 500
    assert "Input should be 'text' or 'json_object'" in str(caught.value)


@pytest.mark.parametrize("provider", ["ollama", "vllm"])
@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_llm_local_provider(provider: llm.LocalProvider, is_async: bool) -> None:
    """``llm.call(provider="ollama" | "vllm")`` at another address: ``client=``, as in v1."""
    response, _ = ask(
        lambda client: llm.call(provider, MODEL, client=client, call_params=PARAMS), is_async
    )
    assert type(response) is llm.CallResponse
    assert type(response.provider_response) is openai.OpenAICallResponse
    assert isinstance(response.content, str) and response.content.strip()
    check_usage(response.input_tokens, response.output_tokens, MAX_TOKENS)
    check_finish(response.finish_reasons, response.output_tokens)

    stream, items = ask(
        lambda client: llm.call(provider, MODEL, client=client, stream=True, call_params=PARAMS),
        is_async,
        stream=True,
    )
    assert type(stream) is llm.Stream
    assert "".join(chunk.content for chunk, _ in items).strip()

    book, _ = ask(
        lambda client: llm.call(
            provider,
            MODEL,
            client=client,
            response_model=ToolBook,
            call_params={**PARAMS, "max_tokens": 128},
        ),
        is_async,
    )
    assert type(book) is ToolBook
    assert isinstance(book.title, str) and isinstance(book.author, str)
