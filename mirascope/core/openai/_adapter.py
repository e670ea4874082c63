"""OpenAI chat completions through the ``openai`` SDK."""

from __future__ import annotations

import openai
from openai.types.chat import ChatCompletion, ChatCompletionChunk

from .._engine.adapter import ClientClasses
from .._formats.openai_chat import ChatCompletionsAdapter


class OpenAIAdapter(ChatCompletionsAdapter[ChatCompletion, ChatCompletionChunk]):
    name = "openai"

    def default_client(self, *, is_async: bool) -> openai.OpenAI | openai.AsyncOpenAI:
        return openai.AsyncOpenAI() if is_async else openai.OpenAI()

    client_names = "an openai.OpenAI or openai.AsyncOpenAI client (or their Azure variants)"

    def client_classes(self) -> ClientClasses:
        return ClientClasses((openai.OpenAI,), (openai.AsyncOpenAI,))


ADAPTER = OpenAIAdapter()
