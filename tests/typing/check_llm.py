"""Static checks (pyright reads this file; nothing here runs): ``llm.call`` keeps the user's
parameters and returns ``llm.CallResponse`` / ``llm.Stream`` whichever provider answers;
``override`` keeps the function's type; the top-level names are the v1 ones."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from pydantic import BaseModel
from typing_extensions import assert_type

from mirascope import (
    BaseDynamicConfig,
    BaseMessageParam,
    BaseTool,
    LocalProvider,
    Messages,
    Provider,
    llm,
    prompt_template,
)
from mirascope.core import Usage


class Book(BaseModel):
    title: str


def _checks() -> None:
    @llm.call(provider="openai", model="gpt-4o-mini")
    def sync_call(genre: str, *, n: int = 1) -> str:
        return f"Recommend {n} {genre} books"

    response = sync_call("fantasy", n=2)
    assert_type(response, llm.CallResponse)
    assert_type(response.content, str)
    assert_type(response.usage, Usage | None)
    assert_type(response.tool, BaseTool | None)
    assert_type(response.tools, list[BaseTool] | None)
    assert_type(response.finish_reasons, list[str])
    assert_type(response.message_param, BaseMessageParam)
    assert_type(response.response, Any)
    assert_type(llm.CallResponse.tool_message_params([]), list[BaseMessageParam])

    @llm.call("anthropic", "claude-3-5-sonnet-latest")
    async def async_call(genre: str) -> Messages.Type:
        return Messages.User(genre)

    _ = assert_type(async_call("fantasy"), Coroutine[Any, Any, llm.CallResponse])

    @llm.call(provider="mistral", model="m", stream=True)
    @prompt_template("Recommend a {genre} book")
    def streamed(genre: str): ...

    stream = streamed("fantasy")
    assert_type(stream, llm.Stream)
    for chunk, tool in stream:
        assert_type(chunk, llm.CallResponseChunk[Any])
        assert_type(chunk.content, str)
        assert_type(tool, BaseTool | None)
        assert_type(tool, llm.Tool | None)

    @llm.call(provider="ollama", model="llama3.2", stream=True)
    async def async_streamed(genre: str) -> BaseDynamicConfig[Any, Any]:
        return {"messages": [Messages.User(genre)]}

    _ = assert_type(async_streamed("x"), Coroutine[Any, Any, llm.Stream])

    @llm.call(provider="openai", model="gpt-4o-mini", response_model=Book)
    def extract(text: str) -> str:
        return text

    assert_type(extract("x"), Book)

    @llm.call(provider="openai", model="gpt-4o-mini", output_parser=lambda r: len(r.content))
    def parsed(text: str) -> str:
        return text

    assert_type(parsed("x"), int)

    overridden = llm.override(sync_call, provider="anthropic", model="claude-3-5-haiku-latest")
    assert_type(overridden("x", n=1), llm.CallResponse)
    async_overridden = llm.override(async_call, model="claude-3-5-haiku-latest")
    _ = assert_type(async_overridden("x"), Coroutine[Any, Any, llm.CallResponse])

    with llm.context(provider="vllm", model="qwen") as ctx:
        assert_type(ctx, llm.LLMContext)

    provider: Provider = "bedrock"
    local: LocalProvider = "vllm"
    llm.call(provider, "m")
    llm.call(local, "m")
    llm.call(provider="openai.responses", model="gpt-4o-mini")

    sync_call(3)  # pyright: ignore[reportArgumentType] -- the parameter types are kept
    llm.call(provider="nope", model="m")  # pyright: ignore[reportArgumentType]
    llm.context(provider="nope", model="m")  # pyright: ignore[reportArgumentType]
