"""Static checks (pyright reads this file; nothing here runs): Cohere's decorator, dynamic
configs and call params type-check as the guide uses them, v1 and v2 clients alike."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from cohere import AsyncClient, AsyncClientV2, Client, ClientV2
from typing_extensions import assert_type

from mirascope.core import BaseTool, Messages, cohere


def _checks() -> None:
    @cohere.call("command-r-plus", client=AsyncClient())
    async def guide(genre: str) -> str:
        return f"Recommend a {genre} book"

    _ = assert_type(guide("fantasy"), Coroutine[Any, Any, cohere.CohereCallResponse])

    @cohere.call("command-r-plus")
    async def configured(genre: str) -> cohere.AsyncCohereDynamicConfig:
        return {"messages": [Messages.User(genre)], "client": AsyncClientV2()}

    _ = assert_type(configured("x"), Coroutine[Any, Any, cohere.CohereCallResponse])

    @cohere.call("command-r-plus", stream=True, client=ClientV2())
    def streamed(genre: str) -> cohere.CohereDynamicConfig:
        return {"messages": [Messages.User(genre)], "call_params": {"temperature": 0.2}}

    for chunk, tool in streamed("x"):
        assert_type(chunk, cohere.CohereCallResponseChunk)
        assert_type(tool, BaseTool | None)

    @cohere.call("command-r-plus", client=Client(), call_params={"preamble": "Be brief.", "k": 5})
    def with_params() -> str:
        return "hi"

    assert_type(with_params().content, str)
    cohere.call("command-r-plus", call_params={"temprature": 1})  # pyright: ignore[reportArgumentType]
