from __future__ import annotations

from typing import Any

import groq

from mirascope.testing import FakeOpenAI, FakeServer

from .provider_openai import OpenAIContract


class GroqContract(OpenAIContract):
    """Groq speaks OpenAI's wire shape: only the server dialect and the clients differ."""

    name = "groq"
    model = "llama-3.1-70b-versatile"

    def start(self) -> FakeServer:
        return FakeOpenAI(groq=True).start()

    def environ(self, server: FakeServer) -> dict[str, str]:
        return {"GROQ_BASE_URL": server.url, "GROQ_API_KEY": "gsk-test"}

    def client_at(self, url: str, *, is_async: bool, timeout: float) -> Any:
        cls = groq.AsyncGroq if is_async else groq.Groq  # the SDK adds /openai/v1
        return cls(base_url=url, api_key="gsk-custom", max_retries=0, timeout=timeout)
