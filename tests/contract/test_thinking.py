"""The model's reasoning, where a vendor returns it: read on a response, a stream and its
chunks, and (where the vendor signs it) sent back in the history unchanged."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest

from mirascope.core import BaseTool, Messages
from mirascope.core.base.messages import ThinkingPart
from mirascope.testing import FAKE_SIGNATURE, FakeServer, Reply, ToolCall

from .base import ContractProvider

THINKS = frozenset({"anthropic", "bedrock", "groq", "litellm"})
"""Vendors whose answers carry reasoning the adapter reads (not yet openai.responses: the
Responses API's reasoning items, summaries where asked for, are left in ``response``)."""
SIGNED = frozenset({"anthropic", "bedrock"})
"""Vendors that sign their reasoning and take it back in the history."""
THOUGHT = "The reader likes long series, so a trilogy fits."


class FormatBook(BaseTool):
    """Format a book."""

    title: str


def _run(fn: Any, *args: Any) -> Any:
    result = fn(*args)
    return asyncio.run(result) if inspect.iscoroutine(result) else result


def _fn(module: Any, provider: ContractProvider, is_async: bool, **options: Any) -> Any:
    if is_async:

        async def prompt_async(history: list[Any]) -> Any:
            return {"messages": history}

        return module.call(provider.model, **options)(prompt_async)

    def prompt(history: list[Any]) -> Any:
        return {"messages": history}

    return module.call(provider.model, **options)(prompt)


def test_thinking_on_a_response(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    if provider.name not in THINKS:
        pytest.skip(f"{provider.name}'s adapter reads no reasoning")
    server.enqueue(Reply(text="Try Mistborn.", thinking=THOUGHT))
    response = _run(_fn(module, provider, is_async), [Messages.User("A fantasy book?")])
    assert response.content == "Try Mistborn."
    assert response.thinking == THOUGHT
    signature = FAKE_SIGNATURE if provider.name in SIGNED else None
    assert response.message_param.content == [
        ThinkingPart(thinking=THOUGHT, signature=signature),
        *response.message_param.content[1:],
    ]


def test_thinking_in_a_stream(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    if provider.name not in THINKS:
        pytest.skip(f"{provider.name}'s adapter reads no reasoning")
    server.enqueue(Reply(text="Try Mistborn.", thinking=THOUGHT))
    fn = _fn(module, provider, is_async, stream=True)
    history = [Messages.User("A fantasy book?")]
    if is_async:

        async def consume() -> tuple[Any, list[Any]]:
            stream = await fn(history)
            return stream, [chunk async for chunk, _ in stream]

        stream, chunks = asyncio.run(consume())
    else:
        stream = fn(history)
        chunks = [chunk for chunk, _ in stream]
    assert "".join(c.thinking for c in chunks) == THOUGHT
    assert len([c for c in chunks if c.thinking]) > 1, "reasoning should stream in pieces"
    assert stream.thinking == THOUGHT
    assert stream.content == "Try Mistborn."
    signature = FAKE_SIGNATURE if provider.name in SIGNED else None
    assert stream.message_param.content[0] == ThinkingPart(thinking=THOUGHT, signature=signature)


def test_signed_thinking_goes_back_with_tool_results(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    """Claude (direct or on Bedrock) refuses a tool result whose turn lost its reasoning:
    the signed block goes back as it came; other vendors' requests leave it out."""
    server.enqueue(
        Reply(thinking=THOUGHT, tool_calls=[ToolCall("FormatBook", {"title": "Dune"})]),
        Reply(text="Done."),
    )
    fn = _fn(module, provider, is_async, tools=[FormatBook])
    history: list[Any] = [Messages.User("Format Dune")]
    first = _run(fn, history)
    tool = first.tool
    assert isinstance(tool, FormatBook)
    history += [first.message_param, *first.tool_message_params([(tool, "Dune")])]
    assert _run(fn, history).content == "Done."
    sent = str(server.requests[-1].json)
    if provider.name in SIGNED:
        assert FAKE_SIGNATURE in sent and THOUGHT in sent
    else:
        assert THOUGHT not in sent
