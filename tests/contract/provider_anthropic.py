from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anthropic

from mirascope.testing import FakeAnthropic, FakeServer

from .base import ContractProvider


def _text(content: Any) -> str | None:
    if isinstance(content, str):
        return content
    if all(block.get("type") == "text" for block in content):
        return "".join(block["text"] for block in content)
    return None


class AnthropicContract(ContractProvider):
    name = "anthropic"
    model = "claude-3-5-sonnet-20240620"

    def start(self) -> FakeServer:
        return FakeAnthropic().start()

    def environ(self, server: FakeServer) -> dict[str, str]:
        return {"ANTHROPIC_BASE_URL": server.url, "ANTHROPIC_API_KEY": "sk-ant-test"}

    def __init__(self) -> None:
        self._built: list[anthropic.Anthropic | anthropic.AsyncAnthropic] = []

    def client(self, server: FakeServer, *, is_async: bool) -> Any:
        return self.client_at(server.url, is_async=is_async, timeout=30)

    def client_at(self, url: str, *, is_async: bool, timeout: float) -> Any:
        client: anthropic.Anthropic | anthropic.AsyncAnthropic
        if is_async:
            # each call of the suite runs in its own asyncio.run, and close_clients runs after
            # that loop is gone: a pooled keep-alive socket of a dead loop can no longer be
            # closed then, so this client asks the server to close each connection
            client = anthropic.AsyncAnthropic(
                base_url=url,
                api_key="sk-ant-custom",
                max_retries=0,
                timeout=timeout,
                default_headers={"Connection": "close"},
            )
        else:
            client = anthropic.Anthropic(
                base_url=url, api_key="sk-ant-custom", max_retries=0, timeout=timeout
            )
        self._built.append(client)
        return client

    def close_clients(self) -> None:
        for client in self._built:
            if isinstance(client, anthropic.AsyncAnthropic):
                asyncio.run(client.close())
            else:
                client.close()
        self._built.clear()

    def client_closed(self, client: Any) -> bool:
        return client.is_closed()

    @asynccontextmanager
    async def keyed_client(self, server: FakeServer, key: str) -> AsyncIterator[Any]:
        client = anthropic.AsyncAnthropic(base_url=server.url, api_key=key, max_retries=0)
        try:
            yield client
        finally:
            await client.close()

    def history_check(self, body: Any) -> None:
        roles = [m["role"] for m in body["messages"]]
        assert roles[-2:] == ["assistant", "user"], roles
        call = next(b for b in body["messages"][-2]["content"] if b["type"] == "tool_use")
        assert call["name"] == "FormatBook"
        result = body["messages"][-1]["content"][0]
        assert result["type"] == "tool_result" and result["tool_use_id"] == call["id"]

    def messages_of(self, body: Any) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        if "system" in body:
            system = _text(body["system"])
            assert system is not None
            out.append(("system", system))
        for m in body["messages"]:
            text = _text(m["content"])
            if text is not None:
                out.append((m["role"], text))
        return out
