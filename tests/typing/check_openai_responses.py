"""Static checks (pyright reads this file; nothing here runs): ``openai.responses.call``
keeps the user's parameters and gives the Responses API's own precise types."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from openai import AsyncOpenAI, AzureOpenAI
from openai.types.responses import Response, ResponseStreamEvent
from pydantic import BaseModel
from typing_extensions import assert_type

from mirascope.core import BaseTool, Messages, StructuredStream, openai
from mirascope.core.openai import responses


class Book(BaseModel):
    title: str


def _checks() -> None:
    @openai.responses.call("gpt-4o-mini")
    def sync_call(genre: str, *, n: int = 1) -> str:
        return f"Recommend {n} {genre} books"

    response = sync_call("fantasy", n=2)
    assert_type(response, responses.OpenAIResponsesCallResponse)
    assert_type(response.response, Response)

    @responses.call(model="gpt-4o-mini", client=AsyncOpenAI())
    async def async_call(genre: str) -> Messages.Type:
        return Messages.User(genre)

    _ = assert_type(
        async_call("fantasy"), Coroutine[Any, Any, responses.OpenAIResponsesCallResponse]
    )

    @responses.call("gpt-4o-mini", stream=True)
    def streamed(genre: str) -> responses.OpenAIResponsesDynamicConfig:
        return {"messages": [Messages.User(genre)], "client": AzureOpenAI()}

    stream = streamed("fantasy")
    assert_type(stream, responses.OpenAIResponsesStream)
    for chunk, tool in stream:
        assert_type(chunk, responses.OpenAIResponsesCallResponseChunk)
        assert_type(chunk.chunk, ResponseStreamEvent)
        assert_type(tool, BaseTool | None)

    @responses.call("gpt-4o-mini", response_model=Book)
    def extract() -> str:
        return "Extract"

    assert_type(extract(), Book)

    @responses.call("gpt-4o-mini", response_model=Book, stream=True)
    def extract_streamed() -> str:
        return "Extract"

    assert_type(extract_streamed(), StructuredStream[Book])

    params: responses.OpenAIResponsesCallParams = {
        "max_output_tokens": 100,
        "tools": [{"type": "web_search"}],
        "text": {"verbosity": "low"},
    }
    responses.call("gpt-4o-mini", call_params=params)
    sync_call(3)  # pyright: ignore[reportArgumentType] -- the parameter types are kept
    responses.call("m", call_params={"max_tokens": 1})  # pyright: ignore[reportArgumentType]
