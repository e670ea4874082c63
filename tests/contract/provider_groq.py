from __future__ import annotations

import groq

from mirascope.testing import FakeOpenAI, FakeServer

from .provider_openai import OpenAIContract


class GroqContract(OpenAIContract):
    """Groq speaks OpenAI's wire shape: only the server dialect and the clients differ."""

    name = "groq"
    model = "llama-3.1-70b-versatile"
    sdk_clients = (groq.Groq, groq.AsyncGroq)
    url_path = ""  # the SDK adds /openai/v1
    custom_key = "gsk-custom"

    def start(self) -> FakeServer:
        return FakeOpenAI(groq=True).start()

    def environ(self, server: FakeServer) -> dict[str, str]:
        return {"GROQ_BASE_URL": server.url, "GROQ_API_KEY": "gsk-test"}
