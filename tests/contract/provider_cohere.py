from __future__ import annotations

from typing import Any

import cohere

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

    def client(self, server: FakeServer, *, is_async: bool) -> Any:
        cls = cohere.AsyncClient if is_async else cohere.Client
        return cls(api_key="co-custom", base_url=server.url, max_retries=0)

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
