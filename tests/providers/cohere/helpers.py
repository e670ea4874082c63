"""Helpers of the Cohere provider tests: clients of both API versions, sync and async."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import cohere

from mirascope.testing import FakeCohere

CLIENTS = {
    "v1-sync": cohere.Client,
    "v1-async": cohere.AsyncClient,
    "v2-sync": cohere.ClientV2,
    "v2-async": cohere.AsyncClientV2,
}


def make_client(kind: str, server: FakeCohere) -> Any:
    return CLIENTS[kind](api_key="co-custom", base_url=server.url, max_retries=0)


def run(result: Any) -> Any:
    """Await a coroutine (from an ``async def`` call); pass anything else through."""
    return asyncio.run(result) if inspect.iscoroutine(result) else result


def consume(stream_or_coro: Any) -> tuple[Any, list[tuple[Any, Any]]]:
    """Iterate a stream (sync or async) to the end: (stream, [(chunk, tool), ...])."""
    if not inspect.iscoroutine(stream_or_coro):
        return stream_or_coro, list(stream_or_coro)

    async def go() -> tuple[Any, list[tuple[Any, Any]]]:
        stream = await stream_or_coro
        return stream, [pair async for pair in stream]

    return asyncio.run(go())


def decorate(module: Any, *, is_async: bool, prompt: Any = None, **options: Any) -> Any:
    """A decorated ``def`` or ``async def`` returning ``prompt`` (a string by default)."""

    def body(genre: str) -> Any:
        return prompt if prompt is not None else f"Recommend a {genre} book"

    if is_async:

        async def recommend_async(genre: str) -> Any:
            return body(genre)

        return module.call("command-r-plus", **options)(recommend_async)

    def recommend(genre: str) -> Any:
        return body(genre)

    return module.call("command-r-plus", **options)(recommend)
