"""The model's reasoning, where a vendor returns it: read on a response, a stream and its
chunks, and (where the vendor signs it) sent back in the history unchanged."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest

from mirascope.core import BaseTool, Messages
from mirascope.core.base.messages import (
    GOOGLE_SIGNATURE,
    OPENAI_SIGNATURE,
    BaseMessageParam,
    TextPart,
    ThinkingPart,
)
from mirascope.testing import FAKE_SIGNATURE, FakeServer, Reply, ToolCall
from mirascope.testing.openai_responses import REASONING_ID

from .base import ContractProvider

NO_REASONING = {
    "openai": "OpenAI's chat completions return no reasoning text (a token count only)",
    "azure": "the azure adapter reads no reasoning field from Azure AI Inference's answers",
    "gemini": (
        "google-generativeai 0.8's messages have no thought fields (Part.thought, "
        "GenerationConfig.thinking_config): it can neither ask for thoughts nor pass them on"
    ),
}
"""Vendors whose adapter reads no reasoning, and why."""
SIGNATURES = {
    "anthropic": FAKE_SIGNATURE,
    "bedrock": FAKE_SIGNATURE,
    "google": GOOGLE_SIGNATURE + FAKE_SIGNATURE,
    "vertex": GOOGLE_SIGNATURE + FAKE_SIGNATURE,
    "openai.responses": OPENAI_SIGNATURE + f'{{"id":"{REASONING_ID}"}}',
}
"""Vendors that sign their reasoning and take it back in the history: the signature a
``ThinkingPart`` carries (Gemini's thought signature, base64, marked as Google's; the
Responses API's reasoning item id, and its encrypted content where asked for)."""
STATELESS = {
    "openai.responses": {
        "call_params": {"store": False, "include": ["reasoning.encrypted_content"]}
    },
}
"""The options of a call whose history carries the reasoning itself: the Responses API
keeps nothing (``store=False``) and returns the reasoning encrypted, to be sent back."""
THOUGHT = "The reader likes long series, so a trilogy fits."


class FormatBook(BaseTool):
    """Format a book."""

    title: str


def _run(fn: Any, *args: Any) -> Any:
    result = fn(*args)
    return asyncio.run(result) if inspect.iscoroutine(result) else result


def _options(
    provider: ContractProvider, server: FakeServer, is_async: bool, custom: bool
) -> dict[str, Any]:
    """The call's client: the default one, or a custom one (the vendor's client that
    returns reasoning)."""
    if provider.name in NO_REASONING:
        pytest.skip(f"{provider.name}: {NO_REASONING[provider.name]}")
    if not custom:
        if provider.default_reasoning is not None:
            pytest.skip(f"{provider.name}: {provider.default_reasoning}")
        return {}
    client = provider.reasoning_client(server, is_async=is_async)
    return {} if client is None else {"client": client}


def _fn(module: Any, provider: ContractProvider, is_async: bool, **options: Any) -> Any:
    if is_async:

        async def prompt_async(history: list[Any]) -> Any:
            return {"messages": history}

        return module.call(provider.model, **options)(prompt_async)

    def prompt(history: list[Any]) -> Any:
        return {"messages": history}

    return module.call(provider.model, **options)(prompt)


def test_thinking_on_a_response(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool, custom: bool
) -> None:
    options = _options(provider, server, is_async, custom)
    server.enqueue(Reply(text="Try Mistborn.", thinking=THOUGHT))
    fn = _fn(module, provider, is_async, **options)
    response = _run(fn, [Messages.User("A fantasy book?")])
    assert response.content == "Try Mistborn."
    assert response.thinking == THOUGHT
    signature = SIGNATURES.get(provider.name)
    assert response.message_param.content == [
        ThinkingPart(thinking=THOUGHT, signature=signature),
        *response.message_param.content[1:],
    ]


def test_thinking_in_a_stream(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool, custom: bool
) -> None:
    options = _options(provider, server, is_async, custom)
    server.enqueue(Reply(text="Try Mistborn.", thinking=THOUGHT))
    fn = _fn(module, provider, is_async, stream=True, **options)
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
    signature = SIGNATURES.get(provider.name)
    assert stream.message_param.content[0] == ThinkingPart(thinking=THOUGHT, signature=signature)
    whole = stream.construct_call_response()  # the SDK's whole response carries it too
    assert whole.thinking == THOUGHT
    assert whole.message_param == stream.message_param


def test_signed_thinking_goes_back_with_tool_results(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    """Claude (direct or on Bedrock) refuses a tool result whose turn lost its reasoning,
    and Gemini a function call that lost its thought signature: the signed reasoning goes
    back as it came (Gemini's signature on the function call); other vendors' requests
    leave it out."""
    server.enqueue(
        Reply(thinking=THOUGHT, tool_calls=[ToolCall("FormatBook", {"title": "Dune"})]),
        Reply(text="Done."),
    )
    fn = _fn(module, provider, is_async, tools=[FormatBook], **STATELESS.get(provider.name, {}))
    history: list[Any] = [Messages.User("Format Dune")]
    first = _run(fn, history)
    tool = first.tool
    assert isinstance(tool, FormatBook)
    history += [first.message_param, *first.tool_message_params([(tool, "Dune")])]
    assert _run(fn, history).content == "Done."
    sent = str(server.requests[-1].json)
    if provider.name in SIGNATURES:
        assert FAKE_SIGNATURE in sent and THOUGHT in sent
    else:
        assert THOUGHT not in sent


def test_reasoning_goes_back_only_to_the_vendor_that_signed_it(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    """A history that moved between vendors: Claude's signed reasoning goes back to Claude
    only (direct or on Bedrock), Gemini's to Google and Vertex AI only, the Responses API's
    reasoning items to it only, and none elsewhere."""
    claude = ThinkingPart(thinking="Claude's thought", signature="signed-by-claude")
    gemini = ThinkingPart(thinking="Gemini's thought", signature=GOOGLE_SIGNATURE + FAKE_SIGNATURE)
    openai = ThinkingPart(
        thinking="OpenAI's thought", signature=OPENAI_SIGNATURE + '{"id":"rs_sent_back"}'
    )
    parts = [claude, gemini, openai, TextPart(text="Hello")]
    history = [
        Messages.User("Hi"),
        BaseMessageParam(role="assistant", content=parts),
        Messages.User("A fantasy book?"),
    ]
    _run(_fn(module, provider, is_async), history)
    sent = str(server.requests[-1].json)
    assert ("Claude's thought" in sent) is (provider.name in {"anthropic", "bedrock"})
    gemini_sent = provider.name in {"google", "vertex"}
    assert ("Gemini's thought" in sent) is gemini_sent
    assert (FAKE_SIGNATURE in sent) is gemini_sent
    openai_sent = provider.name == "openai.responses"
    assert ("OpenAI's thought" in sent) is openai_sent
    assert ("rs_sent_back" in sent) is openai_sent
