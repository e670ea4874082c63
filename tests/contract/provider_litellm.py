from __future__ import annotations

from typing import Any

from .provider_openai import OpenAIContract


class LiteLLMContract(OpenAIContract):
    """LiteLLM routes "gpt-4o-mini" to OpenAI's API, which it finds through OpenAI's own
    variables (OPENAI_BASE_URL, OPENAI_API_KEY): the OpenAI fake and environment serve."""

    name = "litellm"
    model = "gpt-4o-mini"

    def client_at(self, url: str, *, is_async: bool, timeout: float) -> Any:
        return None  # no client object: litellm.completion is a function
