"""OpenAI chat completions through the ``openai`` SDK."""

from __future__ import annotations

from typing import Any

import openai
from openai.types.chat import ChatCompletion, ChatCompletionChunk

from .._engine.adapter import ClientKind
from .._formats.openai_chat import ChatCompletionsAdapter


class OpenAIAdapter(ChatCompletionsAdapter[ChatCompletion, ChatCompletionChunk]):
    name = "openai"

    def default_client(self, *, is_async: bool) -> openai.OpenAI | openai.AsyncOpenAI:
        return openai.AsyncOpenAI() if is_async else openai.OpenAI()

    def client_kind(self, client: Any) -> ClientKind:
        if isinstance(client, openai.AsyncOpenAI):
            return "async"
        if isinstance(client, openai.OpenAI):
            return "sync"
        raise TypeError(
            f"expected an openai.OpenAI or openai.AsyncOpenAI client (or their Azure "
            f"variants), got {type(client).__module__}.{type(client).__qualname__}"
        )


ADAPTER = OpenAIAdapter()
