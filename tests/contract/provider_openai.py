from __future__ import annotations

from typing import Any

import openai

from mirascope.testing import FakeOpenAI, FakeServer

from .base import ContractProvider


class OpenAIContract(ContractProvider):
    name = "openai"
    model = "gpt-4o-mini"

    def start(self) -> FakeServer:
        return FakeOpenAI().start()

    def environ(self, server: FakeServer) -> dict[str, str]:
        return {"OPENAI_BASE_URL": server.url + "/v1", "OPENAI_API_KEY": "sk-test"}

    def client(self, server: FakeServer, *, is_async: bool) -> Any:
        return self.client_at(server.url, is_async=is_async, timeout=30)

    def client_at(self, url: str, *, is_async: bool, timeout: float) -> Any:
        cls = openai.AsyncOpenAI if is_async else openai.OpenAI
        return cls(base_url=url + "/v1", api_key="sk-custom", max_retries=0, timeout=timeout)

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
