"""Static checks (pyright reads this file; nothing here runs): ``limiter=`` and ``timeout=``
go with every form of the decorator and change no type."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from pydantic import BaseModel
from typing_extensions import assert_type

from mirascope.core import RateLimit, StructuredStream, bedrock, cohere, openai

LIMIT = RateLimit(requests=500, tokens=200_000, concurrency=10, key="openai")


class Book(BaseModel):
    title: str


def _checks() -> None:
    @openai.call("gpt-4o-mini", limiter=LIMIT, timeout=30)
    def recommend(genre: str) -> str:
        return genre

    assert_type(recommend("fantasy"), openai.OpenAICallResponse)

    @openai.call("gpt-4o-mini", stream=True, limiter=LIMIT, timeout=2.5)
    async def recommend_stream(genre: str) -> str:
        return genre

    _ = assert_type(recommend_stream("fantasy"), Coroutine[Any, Any, openai.OpenAIStream])

    @cohere.call("command-r-plus", response_model=Book, limiter=LIMIT)
    def extract(text: str) -> str:
        return text

    assert_type(extract("Dune"), Book)

    @bedrock.call("anthropic.claude-3-haiku", response_model=Book, stream=True, timeout=10)
    def extract_stream(text: str) -> str:
        return text

    assert_type(extract_stream("Dune"), StructuredStream[Book])

    @openai.call("gpt-4o-mini", output_parser=lambda r: len(r.content), limiter=LIMIT)
    def parsed(text: str) -> str:
        return text

    assert_type(parsed("Dune"), int)

    openai.call("gpt-4o-mini", limiter="openai")  # pyright: ignore[reportArgumentType]
    openai.call("gpt-4o-mini", timeout="30")  # pyright: ignore[reportArgumentType]
    assert_type(LIMIT.in_flight, int)
