from __future__ import annotations

from typing import Any

from mistralai import Mistral

from mirascope.testing import FakeMistral, FakeServer

from .base import ContractProvider
from .provider_openai import OpenAIContract


class MistralContract(ContractProvider):
    name = "mistral"
    model = "mistral-large-latest"

    # Mistral's request bodies are OpenAI's chat-completions shape
    history_check = OpenAIContract.history_check
    messages_of = OpenAIContract.messages_of

    def __init__(self) -> None:
        self._clients: list[Mistral] = []

    def start(self) -> FakeServer:
        return FakeMistral().start()

    def environ(self, server: FakeServer) -> dict[str, str]:
        return {"MISTRAL_SERVER_URL": server.url, "MISTRAL_API_KEY": "test-key"}

    def client(self, server: FakeServer, *, is_async: bool) -> Any:
        # one Mistral client serves sync and async alike
        client = Mistral(api_key="custom-key", server_url=server.url)
        self._clients.append(client)
        return client

    def close_clients(self) -> None:
        for client in self._clients:
            with client:  # the SDK's exit closes the HTTP client it made
                pass
        self._clients.clear()
