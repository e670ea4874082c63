from __future__ import annotations

from mirascope.testing import FakeOpenAI, FakeServer

from .provider_openai import OpenAIContract


class XAIContract(OpenAIContract):
    """xAI speaks OpenAI's wire through the openai SDK: only the default client's
    environment (XAI_API_KEY, and XAI_BASE_URL for the fake) differs."""

    name = "xai"
    model = "grok-3"
    custom_key = "xai-custom"

    def start(self) -> FakeServer:
        return FakeOpenAI().start()

    def environ(self, server: FakeServer) -> dict[str, str]:
        return {"XAI_BASE_URL": server.url + "/v1", "XAI_API_KEY": "xai-test"}
