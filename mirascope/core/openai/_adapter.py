"""OpenAI chat completions through the ``openai`` SDK."""

from __future__ import annotations

import os

import openai
from openai.types.chat import ChatCompletion, ChatCompletionChunk

from .._engine.adapter import ClientClasses
from .._formats.openai_chat import ChatCompletionsAdapter
from ..base.errors import MissingCredentialsError


class OpenAIAdapter(ChatCompletionsAdapter[ChatCompletion, ChatCompletionChunk]):
    name = "openai"

    def default_client(self, *, is_async: bool) -> openai.OpenAI | openai.AsyncOpenAI:
        # the SDK's own sources for a client made with no arguments
        if not os.environ.get("OPENAI_API_KEY") and os.environ.get("OPENAI_ADMIN_KEY") is None:
            raise MissingCredentialsError(
                "openai's default client found no API key: set OPENAI_API_KEY (or "
                "OPENAI_ADMIN_KEY), or pass client=OpenAI(api_key=...) (AsyncOpenAI for "
                "async def) to the call"
            )
        return openai.AsyncOpenAI() if is_async else openai.OpenAI()

    client_names = "an openai.OpenAI or openai.AsyncOpenAI client (or their Azure variants)"

    def client_classes(self) -> ClientClasses:
        return ClientClasses((openai.OpenAI,), (openai.AsyncOpenAI,))


ADAPTER = OpenAIAdapter()
