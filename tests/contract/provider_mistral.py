from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from mistralai import Mistral
from mistralai.utils import BackoffStrategy, RetryConfig

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
        self._clients: list[tuple[Mistral, httpx.AsyncClient]] = []

    def start(self) -> FakeServer:
        return FakeMistral().start()

    def environ(self, server: FakeServer) -> dict[str, str]:
        return {"MISTRAL_SERVER_URL": server.url, "MISTRAL_API_KEY": "test-key"}

    def client(self, server: FakeServer, *, is_async: bool) -> Any:
        return self.client_at(server.url, is_async=is_async, timeout=30)

    def client_at(self, url: str, *, is_async: bool, timeout: float) -> Any:
        # the SDK retries only when given a retry_config: none here
        return self._build(url, timeout, None)

    def retrying_client(self, server: FakeServer, *, is_async: bool) -> Any:
        # 1 ms between attempts
        retry = RetryConfig("backoff", BackoffStrategy(1, 1, 1.0, 5_000), False)
        return self._build(server.url, 30, retry)

    def _build(self, url: str, timeout: float, retry: RetryConfig | None) -> Mistral:
        # one Mistral client serves sync and async alike. Each async call of the suite runs
        # in its own asyncio.run and close_clients runs after that loop is gone, when a
        # pooled socket of the dead loop can no longer be closed: the async HTTP client
        # asks the server to close each connection instead (the SDK's own would keep it)
        async_client = httpx.AsyncClient(follow_redirects=True, headers={"Connection": "close"})
        client = Mistral(
            api_key="custom-key",
            server_url=url,
            timeout_ms=int(timeout * 1000),
            async_client=async_client,
            retry_config=retry,
        )
        self._clients.append((client, async_client))
        return client

    def client_closed(self, client: Any) -> bool:
        # the SDK's exits close the HTTP client they own and drop it (sync and async apart)
        config = client.sdk_configuration
        return config.client is None or config.async_client is None

    @asynccontextmanager
    async def keyed_client(self, server: FakeServer, key: str) -> AsyncIterator[Any]:
        async with Mistral(api_key=key, server_url=server.url) as client:
            yield client

    def close_clients(self) -> None:
        for client, async_client in self._clients:
            with client:  # the SDK's exit closes the sync HTTP client it made
                pass
            asyncio.run(async_client.aclose())  # the async one is ours to close
        self._clients.clear()
