"""Mistral chat completions through the ``mistralai`` SDK.

The wire is OpenAI's chat-completions shape, so messages, tools and responses go through
the shared ``openai_chat`` conversions. One ``Mistral`` client serves sync and async."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING

from .._engine.adapter import CallPlan, Request
from .._engine.records import Decoded, Delta, ToolCallDelta
from .._formats import openai_chat
from .._formats.openai_chat import ChatCompletionsAdapter, CompletionJSON
from ..base._narrow import is_items
from ..base.errors import MissingCredentialsError
from ._types import UNSET_TYPE, ChatCompletionResponse, CompletionEvent, Mistral

if TYPE_CHECKING:
    from mistralai.utils.eventstreaming import EventStream, EventStreamAsync

API_KEY_ENV = "MISTRAL_API_KEY"
SERVER_URL_ENV = "MISTRAL_SERVER_URL"
"""Optional: the server the default client talks to (the SDK itself reads no such variable)."""


class _Events:
    """The SDK's event stream with a ``close``: the SDK's stream releases its HTTP response
    only as a context manager, and a stream left early must not hold a pooled connection."""

    __slots__ = ("stream",)

    def __init__(self, stream: EventStream[CompletionEvent]) -> None:
        self.stream = stream
        """The SDK's own ``EventStream``."""

    def __iter__(self) -> Iterator[CompletionEvent]:
        # the SDK's stream itself: no call of ours per chunk
        return self.stream

    def __next__(self) -> CompletionEvent:
        return next(self.stream)

    def close(self) -> None:
        self.stream.response.close()


class _AsyncEvents:
    """The async twin of ``_Events``."""

    __slots__ = ("stream",)

    def __init__(self, stream: EventStreamAsync[CompletionEvent]) -> None:
        self.stream = stream
        """The SDK's own ``EventStreamAsync``."""

    def __aiter__(self) -> AsyncIterator[CompletionEvent]:
        # the SDK's stream itself: no call of ours per chunk
        return self.stream

    def __anext__(self) -> Awaitable[CompletionEvent]:
        return self.stream.__anext__()

    async def close(self) -> None:
        await self.stream.response.aclose()


def _thinking(content: object) -> str:
    """The reasoning in a message's (or delta's) content: the text of its ``thinking``
    chunks (Magistral models'; ``ThinkChunk``), which are not the answer's text."""
    if not is_items(content):
        return ""
    texts: list[str] = []
    for chunk in content:
        if getattr(chunk, "type", None) == "thinking":
            parts: object = getattr(chunk, "thinking", ())
            if is_items(parts):
                texts.extend(
                    t
                    for p in parts
                    if getattr(p, "type", None) == "text"
                    and isinstance(t := getattr(p, "text", None), str)
                )
    return "".join(texts)


class MistralAdapter(
    ChatCompletionsAdapter[Mistral, Mistral, ChatCompletionResponse, CompletionEvent]
):
    name = "mistral"
    media = openai_chat.ChatMedia("mistral", audio="mistral", document=False)
    stream_usage = False  # Mistral refuses stream_options; the last chunk has usage unasked

    def default_client(self, *, is_async: bool) -> Mistral:
        api_key = os.environ.get(API_KEY_ENV)
        if not api_key:
            # the SDK sends a keyless request, and the server's 401 names no variable
            raise MissingCredentialsError(
                f"mistral's default client needs an API key: set {API_KEY_ENV} (or pass "
                "client=Mistral(api_key=...) to the call)"
            )
        return Mistral(api_key=api_key, server_url=os.environ.get(SERVER_URL_ENV) or None)

    client_names = "a mistralai Mistral client"

    def create(self, client: Mistral) -> Callable[..., object]:
        return client.chat.complete

    def create_async(self, client: Mistral) -> Callable[..., Awaitable[object]]:
        return client.chat.complete_async

    def apply_timeout(self, request: Request, seconds: float) -> None:
        if request.get("timeout_ms") is None:
            request["timeout_ms"] = max(1, round(seconds * 1000))

    def open_stream(self, client: Mistral, request: Request) -> Iterator[CompletionEvent]:
        return _Events(client.chat.stream(**request))

    async def open_stream_async(
        self, client: Mistral, request: Request
    ) -> AsyncIterator[CompletionEvent]:
        return _AsyncEvents(await client.chat.stream_async(**request))

    def decode_response(self, raw: ChatCompletionResponse) -> Decoded:
        decoded = openai_chat.decode_completion(raw)
        if raw.choices:
            thought = _thinking(raw.choices[0].message.content)
            if thought:
                decoded.thinking = ((thought, None),)
        return decoded

    # the SDK's items wrap the chunk; a text chunk's tool_calls is the SDK's UNSET
    decode_chunk, decode_text_chunk = openai_chat.text_first("data", absent=UNSET_TYPE)

    def decode_more(self, chunk: CompletionEvent) -> Delta:
        choices = chunk.data.choices
        delta = openai_chat.decode_completion_chunk(chunk.data)
        if choices and not delta.content:
            delta.thinking = _thinking(choices[0].delta.content)
        if delta.tool_calls:
            # Mistral streams each call whole, in one chunk, every one at index 0: key the
            # calls by id and close each at once
            delta.tool_calls = [
                ToolCallDelta(t.id or n, t.id, t.name, t.arguments, True, t.raw)
                for n, t in enumerate(delta.tool_calls)
            ]
        return delta

    def assemble_response(self, streamed: Decoded, plan: CallPlan) -> ChatCompletionResponse:
        completion = openai_chat.completion_json(streamed, plan)
        if streamed.thinking:  # a chunk of the content, first, as the model wrote it
            message = completion["choices"][0]["message"]
            thought = "".join(text for text, _ in streamed.thinking)
            chunks: list[dict[str, object]] = [
                {"type": "thinking", "thinking": [{"type": "text", "text": thought}]}
            ]
            if message["content"]:
                chunks.append({"type": "text", "text": message["content"]})
            message["content"] = chunks
        return self.completion_from_json(completion)

    def completion_from_json(self, completion: CompletionJSON) -> ChatCompletionResponse:
        # the SDK's response requires usage; a stream that reported none counted nothing
        completion.setdefault(
            "usage", {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
        )
        return ChatCompletionResponse.model_validate(completion)

    def close_client(self, client: Mistral) -> None:
        with client:  # the SDK's own exit closes the sync HTTP client it made
            pass

    async def close_client_async(self, client: Mistral) -> None:
        # a Mistral has no close(): its async exit closes the async HTTP client it made
        async with client:
            pass


ADAPTER = MistralAdapter()
