"""xAI through its OpenAI-compatible chat-completions API, with the ``openai`` SDK's
clients pointed at ``https://api.x.ai/v1``."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import openai

from .._engine.records import Decoded, Delta
from .._formats import openai_chat
from .._formats.openai_chat import ChatCompletionsAdapter, ChatMedia, CompletionJSON
from ..base.errors import MissingCredentialsError

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletion, ChatCompletionChunk

BASE_URL = "https://api.x.ai/v1"
"""xAI's OpenAI-compatible API."""
KEY_ENV = "XAI_API_KEY"
"""The API key of the default clients."""
URL_ENV = "XAI_BASE_URL"
"""Another base URL for the default clients (a proxy, a fake), read by mirascope."""


class XAIAdapter(
    ChatCompletionsAdapter[
        openai.OpenAI, openai.AsyncOpenAI, "ChatCompletion", "ChatCompletionChunk"
    ]
):
    name = "xai"
    media = ChatMedia("xai", audio=None, document=False)  # Grok's chat takes images only
    client_names = "an openai.OpenAI or openai.AsyncOpenAI client pointed at xAI"
    reasoning_field = "reasoning_content"

    def default_client(self, *, is_async: bool) -> openai.OpenAI | openai.AsyncOpenAI:
        """An OpenAI SDK client for xAI's API, keyed with ``XAI_API_KEY`` (the OpenAI
        variables are not read: they belong to OpenAI's own default client)."""
        key = os.environ.get(KEY_ENV)
        if not key:
            raise MissingCredentialsError(
                f"xai's default client found no API key: set {KEY_ENV}, or pass "
                f'client=OpenAI(base_url="{BASE_URL}", api_key=...) (AsyncOpenAI for async '
                "def) to the call"
            )
        base_url = os.environ.get(URL_ENV) or BASE_URL
        cls = openai.AsyncOpenAI if is_async else openai.OpenAI
        return cls(api_key=key, base_url=base_url)

    def create(self, client: openai.OpenAI) -> Callable[..., object]:
        return client.chat.completions.create

    def create_async(self, client: openai.AsyncOpenAI) -> Callable[..., Awaitable[object]]:
        return client.chat.completions.create

    # Grok's reasoning models (grok-3-mini) answer with ``reasoning_content``, a field the
    # openai SDK does not declare: its models keep it among their pydantic extras

    def decode_response(self, raw: ChatCompletion) -> Decoded:
        decoded = openai_chat.decode_completion(raw)
        if raw.choices:
            extra = raw.choices[0].message.__pydantic_extra__
            reasoning = extra.get("reasoning_content") if extra else None
            if isinstance(reasoning, str) and reasoning:
                decoded.thinking = ((reasoning, None),)
        return decoded

    # the delta's undeclared fields: reasoning_content, a field of xAI's own
    decode_chunk, decode_text_chunk = openai_chat.text_first(delta_extra="__pydantic_extra__")

    def decode_more(self, chunk: ChatCompletionChunk) -> Delta:
        delta = openai_chat.decode_completion_chunk(chunk)
        choices = chunk.choices
        if choices:
            extra = choices[0].delta.__pydantic_extra__
            reasoning = extra.get("reasoning_content") if extra else None
            if isinstance(reasoning, str):
                delta.thinking = reasoning
        return delta

    def completion_from_json(self, completion: CompletionJSON) -> ChatCompletion:
        from openai.types.chat import ChatCompletion

        return ChatCompletion.model_validate(completion)


ADAPTER = XAIAdapter()
