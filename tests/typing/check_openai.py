"""Static checks (pyright reads this file; nothing here runs): the decorator keeps the
user's parameters and gives precise return types."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from openai import AsyncOpenAI, OpenAI
from openai.types import CompletionUsage
from openai.types.chat import ChatCompletion
from typing_extensions import assert_type

from mirascope.core import BaseTool, Messages, Usage, openai, prompt_template
from mirascope.core.openai import OpenAICallParams


def _checks() -> None:
    @openai.call("gpt-4o-mini")
    def sync_call(genre: str, *, n: int = 1) -> str:
        return f"Recommend {n} {genre} books"

    assert_type(sync_call("fantasy", n=2), openai.OpenAICallResponse)

    @openai.call(model="gpt-4o-mini", client=AsyncOpenAI())
    async def async_call(genre: str) -> Messages.Type:
        return Messages.User(genre)

    _ = assert_type(async_call("fantasy"), Coroutine[Any, Any, openai.OpenAICallResponse])

    @openai.call("gpt-4o-mini", stream=True)
    @prompt_template("Recommend a {genre} book")
    def streamed(genre: str): ...

    stream = streamed("fantasy")
    assert_type(stream, openai.OpenAIStream)
    for chunk, tool in stream:
        assert_type(chunk, openai.OpenAICallResponseChunk)
        assert_type(tool, BaseTool | None)

    @openai.call("gpt-4o-mini", stream=True)
    async def async_streamed(genre: str) -> openai.AsyncOpenAIDynamicConfig:
        return {"messages": [Messages.User(genre)], "client": AsyncOpenAI()}

    _ = assert_type(async_streamed("x"), Coroutine[Any, Any, openai.OpenAIStream])

    @openai.call("gpt-4o-mini", client=OpenAI(), call_params={"temperature": 0.5})
    def with_params() -> str:
        return "hi"

    assert_type(with_params().content, str)
    assert_type(with_params().usage, CompletionUsage | None)
    assert_type(with_params().common_usage, Usage | None)
    assert_type(with_params().call_params, OpenAICallParams)
    assert_type(with_params().cost, float | None)
    assert_type(with_params().response, ChatCompletion)

    @openai.call("gpt-4o-mini", stream=True)
    def stream_for_response() -> str:
        return "hi"

    assert_type(stream_for_response().construct_call_response(), openai.OpenAICallResponse)
    assert_type(stream_for_response().usage, CompletionUsage | None)
    assert_type(stream_for_response().call_params, OpenAICallParams)

    sync_call(3)  # pyright: ignore[reportArgumentType] -- the parameter types are kept
    openai.call("gpt-4o-mini", call_params={"temprature": 1})  # pyright: ignore[reportArgumentType]


def _vocabulary_checks() -> None:
    from mirascope.core import BaseMessageParam, BasePrompt

    @prompt_template("Recommend a {genre} book")
    def bare(genre: str): ...

    assert_type(bare("fantasy"), list[BaseMessageParam])

    @prompt_template("Recommend a {genre} book")
    async def bare_async(genre: str): ...

    _ = assert_type(bare_async("fantasy"), Coroutine[Any, Any, list[BaseMessageParam]])

    @prompt_template("Recommend a {genre} book")
    class Recommend(BasePrompt):
        genre: str

    prompt = Recommend(genre="fantasy")
    assert_type(prompt.run(openai.call("gpt-4o-mini")), openai.OpenAICallResponse)
    assert_type(prompt.run(openai.call("gpt-4o-mini", stream=True)), openai.OpenAIStream)

    async def run_async() -> None:
        response = await prompt.run_async(openai.call("gpt-4o-mini"))
        assert_type(response, openai.OpenAICallResponse)
