"""v1's vocabulary on every provider, sync and async, through the real SDK and its fake:
BasePrompt.run / run_async, @metadata, merge_decorators, BaseToolKit tools, tool.id, and
bad tool arguments caught as pydantic's ValidationError."""

from __future__ import annotations

import asyncio
from typing import Any, Literal

import pytest
from pydantic import ValidationError

from mirascope.core import (
    BaseMessageParam,
    BasePrompt,
    BaseToolKit,
    ToolArgumentsError,
    merge_decorators,
    metadata,
    prompt_template,
    toolkit_tool,
)
from mirascope.testing import FakeServer, Reply, ToolCall

from .base import ContractProvider
from .test_contract import BOOK, FormatBook, _call, _client

CARRIES_IDS = frozenset(
    {"openai", "openai.responses", "azure", "groq", "litellm", "mistral", "anthropic", "bedrock"}
)
"""Vendors whose tool calls carry the model's id (the others' ids are made by mirascope)."""


@prompt_template(
    """
    SYSTEM: You are a {role}.
    USER: Recommend a {genre} book
    """
)
@metadata({"tags": {"version:0001"}})
class BookPrompt(BasePrompt):
    role: str
    genre: str


def test_base_prompt_run(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool, custom: bool
) -> None:
    prompt = BookPrompt(role="librarian", genre="fantasy")
    assert prompt.message_params() == [
        BaseMessageParam(role="system", content="You are a librarian."),
        BaseMessageParam(role="user", content="Recommend a fantasy book"),
    ]
    options: dict[str, Any] = {}
    if custom:
        options["client"] = _client(provider, server, is_async)
    call = module.call(provider.model, **options)
    response = asyncio.run(prompt.run_async(call)) if is_async else prompt.run(call)
    assert response.content == "Recommend a fantasy book"
    assert response.metadata == {"tags": {"version:0001"}}
    assert provider.messages_of(server.requests[0].json) == [
        ("system", "You are a librarian."),
        ("user", "Recommend a fantasy book"),
    ]


def test_metadata_and_merge_decorators(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    seen: list[str] = []

    def traced(fn: Any) -> Any:
        seen.append(fn.__name__)
        return fn

    merged = merge_decorators(module.call(provider.model), traced)
    if is_async:

        @merged()
        @prompt_template("Recommend a {genre} book")
        @metadata({"tags": {"books"}})
        async def recommend_async(genre: str) -> Any:
            return {"metadata": {"run": 1}}

        fn: Any = recommend_async
    else:

        @merged()
        @prompt_template("Recommend a {genre} book")
        @metadata({"tags": {"books"}})
        def recommend(genre: str) -> Any:
            return {"metadata": {"run": 1}}

        fn = recommend
    assert seen == [fn.__name__]  # applied once, at decoration
    response = _call(fn, "fantasy")
    assert response.content == "Recommend a fantasy book"
    assert response.metadata == {"tags": {"books"}, "run": 1}
    assert provider.messages_of(server.requests[0].json) == [("user", "Recommend a fantasy book")]


class BookTools(BaseToolKit):
    """Tools for one reading level."""

    __namespace__ = "books"
    reading_level: Literal["beginner", "advanced"]

    @toolkit_tool
    def format_book(self, title: str, author: str) -> str:
        """Format a book for a {self.reading_level} reader."""
        return f"{title} by {author} ({self.reading_level})"


def test_toolkit_tools(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    server.enqueue(Reply(tool_calls=[ToolCall("books_format_book", BOOK, id="call_42")]))
    if is_async:

        @module.call(provider.model)
        @prompt_template("Recommend a {genre} book")
        async def recommend_async(genre: str) -> Any:
            return {"tools": BookTools(reading_level="beginner").create_tools()}

        fn: Any = recommend_async
    else:

        @module.call(provider.model)
        @prompt_template("Recommend a {genre} book")
        def recommend(genre: str) -> Any:
            return {"tools": BookTools(reading_level="beginner").create_tools()}

        fn = recommend
    response = _call(fn, "fantasy")
    tool = response.tool
    assert tool is not None and type(tool).tool_name() == "books_format_book"
    assert type(tool).tool_description() == "Format a book for a beginner reader."
    assert tool.call() == "The Name of the Wind by Patrick Rothfuss (beginner)"
    assert tool.id == tool.tool_call_id
    if provider.name in CARRIES_IDS:
        assert tool.id == "call_42"
    elif provider.name == "vertex":
        assert tool.id == ""  # Vertex AI's calls carry no id
    else:
        assert tool.id  # made by mirascope


@pytest.mark.parametrize("arguments", ['{"title": "Dune"', '{"title": 3}'])
def test_bad_tool_arguments_are_a_validation_error(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool, arguments: str
) -> None:
    server.enqueue(Reply(tool_calls=[ToolCall("FormatBook", arguments)]))
    if is_async:

        @module.call(provider.model, tools=[FormatBook])
        async def recommend_async(genre: str) -> str:
            return f"Recommend a {genre} book"

        fn: Any = recommend_async
    else:

        @module.call(provider.model, tools=[FormatBook])
        def recommend(genre: str) -> str:
            return f"Recommend a {genre} book"

        fn = recommend
    try:
        response = _call(fn, "fantasy")
        _ = response.tool
    except ValidationError as error:  # v1 code's way of catching it
        assert isinstance(error, ToolArgumentsError)
        # Gemini's SDKs (and google-genai on the Gemini API) pass on nothing of a call whose
        # JSON they could not parse
        unnamed = provider.name in ("gemini", "google") and arguments.endswith('"Dune"')
        assert error.tool_name == ("" if unnamed else "FormatBook")
        if provider.name not in ("gemini", "vertex", "google", "bedrock"):  # they parse JSON
            assert error.raw == arguments
        assert unnamed or error.errors()  # pydantic's own details
    else:
        pytest.fail("invalid tool arguments raised nothing")
