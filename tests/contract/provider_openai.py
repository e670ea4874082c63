from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import openai

from mirascope.testing import FakeOpenAI, FakeServer

from .base import ContractProvider


class OpenAIContract(ContractProvider):
    name = "openai"
    model = "gpt-4o-mini"
    sdk_clients: tuple[type[Any], type[Any]] = (openai.OpenAI, openai.AsyncOpenAI)
    """The SDK's (sync, async) clients: Stainless-made SDKs share the same options."""
    url_path = "/v1"
    """What the SDK expects after the server's address in ``base_url``."""
    custom_key = "sk-custom"

    def start(self) -> FakeServer:
        return FakeOpenAI().start()

    def environ(self, server: FakeServer) -> dict[str, str]:
        return {"OPENAI_BASE_URL": server.url + "/v1", "OPENAI_API_KEY": "sk-test"}

    def client(self, server: FakeServer, *, is_async: bool) -> Any:
        return self.client_at(server.url, is_async=is_async, timeout=30)

    def __init__(self) -> None:
        self._built: list[Any] = []

    def client_at(self, url: str, *, is_async: bool, timeout: float) -> Any:
        sync_cls, async_cls = self.sdk_clients
        options: dict[str, Any] = {
            "base_url": url + self.url_path,
            "api_key": self.custom_key,
            "max_retries": 0,
            "timeout": timeout,
        }
        if is_async:
            # each call of the suite runs in its own asyncio.run, and close_clients runs
            # after that loop is gone, when a pooled socket of the dead loop can no longer
            # be closed: this client asks the server to close each connection instead
            client = async_cls(**options, default_headers={"Connection": "close"})
        else:
            client = sync_cls(**options)
        self._built.append(client)
        return client

    def close_clients(self) -> None:
        for client in self._built:
            if isinstance(client, self.sdk_clients[1]):
                asyncio.run(client.close())
            else:
                client.close()
        self._built.clear()

    def client_closed(self, client: Any) -> bool:
        return client.is_closed()

    @asynccontextmanager
    async def keyed_client(self, server: FakeServer, key: str) -> AsyncIterator[Any]:
        url = server.url + self.url_path
        client = self.sdk_clients[1](base_url=url, api_key=key, max_retries=0)
        try:
            yield client
        finally:
            await client.close()

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
