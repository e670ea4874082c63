from __future__ import annotations

from typing import Any

from .provider_openai import OpenAIContract


class OpenAIResponsesContract(OpenAIContract):
    """OpenAI's Responses API: the clients, server and errors of ``openai``, the wire of
    ``POST /v1/responses`` (``input`` items instead of messages)."""

    name = "openai.responses"

    def history_check(self, body: Any) -> None:
        items = body["input"]
        call, result = items[-2], items[-1]
        assert call["type"] == "function_call" and call["name"] == "FormatBook", items
        assert result["type"] == "function_call_output", items
        assert result["call_id"] == call["call_id"]

    def messages_of(self, body: Any) -> list[tuple[str, str]]:
        return [
            (m["role"], m["content"])
            for m in body["input"]
            if "role" in m and isinstance(m["content"], str)
        ]
