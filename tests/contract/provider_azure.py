from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
from azure.ai.inference import ChatCompletionsClient
from azure.ai.inference.aio import ChatCompletionsClient as AsyncChatCompletionsClient
from azure.core.credentials import AzureKeyCredential
from azure.core.pipeline.transport import AioHttpTransport

from mirascope.testing import FakeAzure, FakeServer

from .base import ContractProvider


class _OneShotTransport(AioHttpTransport):
    """azure-core's aiohttp transport, over a connector that closes each connection once
    its response is done, in the loop that made it. ("Connection: close" in the request
    is no substitute: aiohttp pools the connection anyway, and it is closed only if the
    server's hang-up is read before the loop ends, which a loaded machine often misses.)"""

    async def open(self) -> None:
        if self.session is None and not self._has_been_opened:
            self.session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(force_close=True),
                cookie_jar=aiohttp.DummyCookieJar(),
                auto_decompress=False,  # as azure-core's own session
            )
        await super().open()


class AzureContract(ContractProvider):
    name = "azure"
    model = "gpt-4o-mini"

    def __init__(self) -> None:
        self._built: list[ChatCompletionsClient | AsyncChatCompletionsClient] = []

    def start(self) -> FakeServer:
        return FakeAzure().start()

    def environ(self, server: FakeServer) -> dict[str, str]:
        return {"AZURE_INFERENCE_ENDPOINT": server.url, "AZURE_INFERENCE_CREDENTIAL": "test-key"}

    def client(self, server: FakeServer, *, is_async: bool) -> Any:
        return self.client_at(server.url, is_async=is_async, timeout=60)

    def client_at(self, url: str, *, is_async: bool, timeout: float) -> Any:
        options: dict[str, Any] = {
            "retry_total": 0,
            "connection_timeout": timeout,
            "read_timeout": timeout,
        }
        client: ChatCompletionsClient | AsyncChatCompletionsClient
        if is_async:
            # The suite runs each call in its own asyncio.run, and close_clients runs after
            # that loop is gone, when aiohttp no longer closes what its pool holds (its
            # connector skips a closed loop): so no connection may outlive its response.
            # (a transport of one's own takes the timeouts: azure-core gives the client's
            # only to a transport it makes)
            transport = _OneShotTransport(connection_timeout=timeout, read_timeout=timeout)
            client = AsyncChatCompletionsClient(
                url, AzureKeyCredential("custom-key"), transport=transport, **options
            )
        else:
            client = ChatCompletionsClient(url, AzureKeyCredential("custom-key"), **options)
        self._built.append(client)
        return client

    def close_clients(self) -> None:
        for client in self._built:
            if isinstance(client, AsyncChatCompletionsClient):
                asyncio.run(client.close())
            else:
                client.close()
        self._built.clear()

    def client_closed(self, client: Any) -> bool:
        # azure-core's transports (requests, aiohttp) drop their session on close
        return client._client._pipeline._transport.session is None

    @asynccontextmanager
    async def keyed_client(self, server: FakeServer, key: str) -> AsyncIterator[Any]:
        async with AsyncChatCompletionsClient(server.url, AzureKeyCredential(key)) as client:
            yield client

    def history_check(self, body: Any) -> None:
        roles = [m["role"] for m in body["messages"]]
        assert roles[-2:] == ["assistant", "tool"], roles
        call = body["messages"][-2]["tool_calls"][0]
        assert call["function"]["name"] == "FormatBook"
        assert body["messages"][-1]["tool_call_id"] == call["id"]

    def messages_of(self, body: Any) -> list[tuple[str, str]]:
        return [
            (m["role"], m["content"]) for m in body["messages"] if isinstance(m["content"], str)
        ]
