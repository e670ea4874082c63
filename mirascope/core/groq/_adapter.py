"""Groq chat completions through the ``groq`` SDK (OpenAI's wire shape, Groq's clients)."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import groq

from .._engine.records import Decoded, Delta
from .._formats import openai_chat
from .._formats.openai_chat import CompletionJSON
from ..base.errors import MissingCredentialsError

if TYPE_CHECKING:
    # named only in types (one in a quoted type argument): ``import groq`` does not load
    # groq.types.chat
    from groq.types.chat import ChatCompletion, ChatCompletionChunk


class GroqAdapter(
    openai_chat.ChatCompletionsAdapter[
        groq.Groq, groq.AsyncGroq, "ChatCompletion", "ChatCompletionChunk"
    ]
):
    name = "groq"
    media = openai_chat.ChatMedia("groq", audio=None, document=False)
    stream_usage = False  # the SDK has no stream_options; Groq sends stream usage unasked
    reasoning_field = "reasoning"  # reasoning_format="parsed"

    def default_client(self, *, is_async: bool) -> groq.Groq | groq.AsyncGroq:
        if not os.environ.get("GROQ_API_KEY"):  # the SDK's one source
            raise MissingCredentialsError(
                "groq's default client found no API key: set GROQ_API_KEY, or pass "
                "client=Groq(api_key=...) (AsyncGroq for async def) to the call"
            )
        return groq.AsyncGroq() if is_async else groq.Groq()

    client_names = "a groq.Groq or groq.AsyncGroq client"

    def create(self, client: groq.Groq) -> Callable[..., object]:
        return client.chat.completions.create

    def create_async(self, client: groq.AsyncGroq) -> Callable[..., Awaitable[object]]:
        return client.chat.completions.create

    def decode_response(self, raw: ChatCompletion) -> Decoded:
        decoded = openai_chat.decode_completion(raw)
        if raw.choices:  # reasoning models (reasoning_format="parsed") answer with it
            reasoning = raw.choices[0].message.reasoning
            if reasoning:
                decoded.thinking = ((reasoning, None),)
        return decoded

    # x_groq: Groq's place for usage
    decode_chunk, decode_text_chunk = openai_chat.text_first(chunk_extra="x_groq")

    def decode_more(self, chunk: ChatCompletionChunk) -> Delta:
        delta = openai_chat.decode_completion_chunk(chunk)
        if not delta.content and chunk.choices:
            reasoning = chunk.choices[0].delta.reasoning
            if reasoning:
                delta.thinking = reasoning
        if (
            delta.common_usage is None
            and chunk.x_groq is not None
            and chunk.x_groq.usage is not None
        ):
            # Groq's own place for stream usage (the top-level copy is the newer one)
            delta.common_usage = openai_chat.decode_usage(chunk.x_groq.usage)
        return delta

    def completion_from_json(self, completion: CompletionJSON) -> ChatCompletion:
        from groq.types.chat import ChatCompletion  # loaded with the SDK's client by now

        return ChatCompletion.model_validate(completion)


ADAPTER = GroqAdapter()
