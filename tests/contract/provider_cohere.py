from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import cohere
import httpx

from mirascope.testing import FakeCohere, FakeServer

from .base import ContractProvider

_ROLES = {"USER": "user", "CHATBOT": "assistant", "SYSTEM": "system"}


class CohereContract(ContractProvider):
    """The default client (and the custom one here) is v1's; tests/providers/cohere runs
    the same checks through ClientV2 / AsyncClientV2."""

    name = "cohere"
    model = "command-r-plus"

    def start(self) -> FakeServer:
        return FakeCohere().start()

    def environ(self, server: FakeServer) -> dict[str, str]:
        return {"CO_API_URL": server.url, "CO_API_KEY": "co-test"}

    def __init__(self) -> None:
        self._built: list[cohere.Client | cohere.AsyncClient] = []

    def client(self, server: FakeServer, *, is_async: bool) -> Any:
        return self.client_at(server.url, is_async=is_async, timeout=30)

    def client_at(self, url: str, *, is_async: bool, timeout: float) -> Any:
        client: cohere.Client | cohere.AsyncClient
        if is_async:
            # each call of the suite runs in its own asyncio.run and close_clients runs after
            # that loop is gone, when a pooled socket of the dead loop can no longer be
            # closed: this client asks the server to close each connection instead
            client = cohere.AsyncClient(
                api_key="co-custom",
                base_url=url,
                timeout=timeout,
                max_retries=0,
                httpx_client=httpx.AsyncClient(timeout=timeout, headers={"Connection": "close"}),
            )
        else:
            client = cohere.Client(
                api_key="co-custom", base_url=url, timeout=timeout, max_retries=0
            )
        self._built.append(client)
        return client

    default_reasoning = (
        "cohere's default client is v1's (as in mirascope v1), whose chat API returns no "
        "reasoning: ClientV2 / AsyncClientV2 read it"
    )

    def reasoning_client(self, server: FakeServer, *, is_async: bool) -> Any:
        client: cohere.ClientV2 | cohere.AsyncClientV2
        if is_async:  # see client_at: each connection closed by the server
            client = cohere.AsyncClientV2(
                api_key="co-custom",
                base_url=server.url,
                max_retries=0,
                httpx_client=httpx.AsyncClient(headers={"Connection": "close"}),
            )
        else:
            client = cohere.ClientV2(api_key="co-custom", base_url=server.url, max_retries=0)
        self._built.append(client)
        return client

    def close_clients(self) -> None:
        for client in self._built:
            if isinstance(client, cohere.AsyncClient):
                asyncio.run(client.__aexit__(None, None, None))
            else:
                client.__exit__(None, None, None)
        self._built.clear()

    def client_closed(self, client: Any) -> bool:
        return client._client_wrapper.httpx_client.httpx_client.is_closed

    @asynccontextmanager
    async def keyed_client(self, server: FakeServer, key: str) -> AsyncIterator[Any]:
        async with cohere.AsyncClient(api_key=key, base_url=server.url, max_retries=0) as client:
            yield client

    def history_check(self, body: Any) -> None:
        said = body["chat_history"][-1]
        assert said["role"] == "CHATBOT", body["chat_history"]
        call = said["tool_calls"][0]
        assert call["name"] == "FormatBook"
        assert body["message"] == ""
        assert body["tool_results"][0]["call"] == call
        assert body["tool_results"][0]["outputs"] == [
            {"result": "The Name of the Wind by Patrick Rothfuss"}
        ]

    def messages_of(self, body: Any) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        if body.get("preamble"):
            found.append(("system", body["preamble"]))
        for message in body.get("chat_history") or ():
            if isinstance(message.get("message"), str) and not message.get("tool_calls"):
                found.append((_ROLES[message["role"]], message["message"]))
        if body.get("message"):
            found.append(("user", body["message"]))
        return found
