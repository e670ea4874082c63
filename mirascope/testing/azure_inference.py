"""Fake of the Azure AI model inference API (``POST {endpoint}/chat/completions``), shaped as
the recorded exchanges of ``azure-ai-inference`` show: chat-completions JSON with keys in
alphabetical order, and SSE streams whose tool calls arrive whole (id, name and arguments
in one delta, no ``index``) on the chunk that carries ``finish_reason``, with usage on the
last chunk."""

from __future__ import annotations

import json
import uuid
from typing import Any

from ._chat_completions import ChatCompletionsFake
from ._server import JSON_HEADERS, Answer, RecordedRequest, ToolCall, Usage

_CODES = {400: "Bad Request", 401: "Unauthorized", 404: "NotFound", 429: "Too Many Requests"}


class FakeAzure(ChatCompletionsFake):
    """``ChatCompletionsClient(endpoint=server.url, credential=AzureKeyCredential("k"))``
    (sync or ``.aio``) talks to this.

    ``indexed_tool_calls=True`` streams tool calls as Azure OpenAI deployments do instead:
    OpenAI's pieces keyed by ``index`` (id and name first, then the arguments in parts)."""

    vendor = "azure"
    routes = (r"(/.*)?/chat/completions",)  # under whatever path the endpoint has
    sort_keys = True

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, *, indexed_tool_calls: bool = False
    ) -> None:
        super().__init__(host, port)
        self.indexed_tool_calls = indexed_tool_calls
        self.whole_stream_calls = not indexed_tool_calls

    def response_headers(self) -> dict[str, str]:
        return {**JSON_HEADERS, "X-Request-ID": str(uuid.uuid4()), "x-ms-rai-invoked": "true"}

    def error(self, status: int, message: str) -> Answer:
        # the service's error envelope: azure-core reads error.code and error.message from it
        code = _CODES.get(status, "InternalServerError" if status >= 500 else "Error")
        body = {"error": {"code": code, "message": message, "status": status, "details": message}}
        return Answer(status, self.response_headers(), json.dumps(body).encode())

    def not_found(self, request: RecordedRequest) -> Answer:
        return self.error(404, "Resource not found")

    def usage_json(self, usage: Usage) -> dict[str, Any]:
        found = super().usage_json(usage)
        if usage.cached is not None:  # the service reports it for models that cache
            found["prompt_tokens_details"] = {"cached_tokens": usage.cached}
        return found

    def message_call(self, call: ToolCall, call_id: str, index: int) -> dict[str, Any]:
        whole = super().message_call(call, call_id, index)
        whole["function"]["call_id"] = None  # as recorded
        return whole

    def choice_extras(self, streamed: bool) -> dict[str, Any]:
        return {"logprobs": None} if streamed else {}
