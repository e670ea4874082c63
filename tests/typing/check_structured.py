"""Static checks (pyright reads this file; nothing here runs): structured outputs keep
precise types through the decorator."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from pydantic import BaseModel
from typing_extensions import assert_type

from mirascope.core import StructuredStream, anthropic, gemini, openai


class Book(BaseModel):
    title: str


def _checks() -> None:
    @openai.call("gpt-4o-mini", response_model=Book)
    def extract(text: str) -> str:
        return text

    assert_type(extract("Dune"), Book)

    @anthropic.call("claude-haiku-4-5", response_model=Book)
    async def extract_async(text: str) -> str:
        return text

    _ = assert_type(extract_async("Dune"), Coroutine[Any, Any, Book])

    @gemini.call("gemini-2.0-flash", response_model=Book, stream=True)
    def extract_stream(text: str) -> str:
        return text

    stream = extract_stream("Dune")
    assert_type(stream, StructuredStream[Book])
    for partial in stream:
        assert_type(partial, Book)

    @openai.call("gpt-4o-mini", response_model=list[str])
    def listed(text: str) -> str:
        return text

    assert_type(listed("Dune"), list[str])

    def parse(response: openai.OpenAICallResponse) -> int:
        return len(response.content)

    @openai.call("gpt-4o-mini", output_parser=parse)
    def parsed(text: str) -> str:
        return text

    assert_type(parsed("Dune"), int)

    @openai.call("gpt-4o-mini", response_model=Book, output_parser=lambda b: b.title)
    def titled(text: str) -> str:
        return text

    assert_type(titled("Dune"), str)

    @openai.call("gpt-4o-mini", json_mode=True)
    def as_json(text: str) -> str:
        return text

    assert_type(as_json("Dune"), openai.OpenAICallResponse)


def _llm_checks() -> None:
    from mirascope import llm

    @llm.call("openai", "gpt-4o-mini", response_model=Book, stream=True)
    def streamed(text: str) -> str:
        return text

    assert_type(streamed("Dune"), StructuredStream[Book])

    @llm.call("anthropic", "claude-haiku-4-5", response_model=Book)
    def extracted(text: str) -> str:
        return text

    assert_type(extracted("Dune"), Book)
