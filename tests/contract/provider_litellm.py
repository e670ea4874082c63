from __future__ import annotations

from typing import Any

from mirascope.testing import FakeServer

from .provider_openai import OpenAIContract


class LiteLLMContract(OpenAIContract):
    """LiteLLM routes "gpt-4o-mini" to OpenAI's API, which it finds through OpenAI's own
    variables (OPENAI_BASE_URL, OPENAI_API_KEY): the OpenAI fake and environment serve."""

    name = "litellm"
    model = "gpt-4o-mini"

    def client_at(self, url: str, *, is_async: bool, timeout: float) -> Any:
        return None  # no client object: litellm.completion is a function

    def client_closed(self, client: Any) -> bool:
        raise NotImplementedError("litellm has no client object (it keeps its own inside)")

    def keyed_client(self, server: FakeServer, key: str) -> Any:
        raise NotImplementedError("litellm has no client object")

    def no_retry_params(self, *, timeout: float, url: str | None = None) -> dict[str, Any]:
        # litellm hands max_retries to the OpenAI client it makes, and retries nothing
        # itself with num_retries=0; api_base routes this one call
        params: dict[str, Any] = {"timeout": timeout, "max_retries": 0, "num_retries": 0}
        if url is not None:
            params["api_base"] = url + "/v1"
        return params
