from __future__ import annotations

from mirascope.testing import FakeOpenAI, FakeServer

from .harness import Harness


class OpenAIHarness(Harness):
    tab = "OpenAI"
    module = "openai"

    def start(self) -> FakeServer:
        return FakeOpenAI().start()

    def environ(self, server: FakeServer) -> dict[str, str]:
        return {
            "OPENAI_BASE_URL": server.url + "/v1",
            "OPENAI_API_KEY": "sk-test",
            # read by AzureOpenAI() built without arguments (the fake serves Azure's paths)
            "AZURE_OPENAI_ENDPOINT": server.url,
            "AZURE_OPENAI_API_KEY": "azure-test",
            "OPENAI_API_VERSION": "2024-10-21",
        }
