"""Fake of Mistral's chat-completions API (``POST /v1/chat/completions``): JSON answers and
SSE streams shaped as the real API answers (see shared recordings), and its error bodies.

A client given the server's URL reaches it directly::

    Mistral(api_key="test", server_url=server.url)

The SDK reads no server URL from the environment, so code that builds ``Mistral(...)``
itself reaches the fake through ``server.proxy_environ()`` instead (see ``FakeServer``): a
proxy on 127.0.0.1 answering for api.mistral.ai."""

from __future__ import annotations

import json
import random
import string
import uuid
from typing import Any

from ._chat_completions import ChatCompletionsFake
from ._server import JSON_HEADERS, Answer, RecordedRequest, ToolCall
from .mistral_batch import MistralBatches

API_HOST = "api.mistral.ai"
_ALNUM = string.ascii_letters + string.digits


def _error_body(status: int, message: str) -> dict[str, Any]:
    if status == 422:  # request validation: the spec's HTTPValidationError
        return {"detail": [{"type": "value_error", "loc": ["body"], "msg": message, "input": None}]}
    if status == 401:  # the gateway's answer
        return {"message": message, "request_id": uuid.uuid4().hex}
    return {
        "object": "error",
        "message": message,
        "type": "invalid_request_error" if status < 500 else "internal_server_error",
        "param": None,
        "code": None,
    }


class FakeMistral(ChatCompletionsFake):
    """``Mistral(api_key="test", server_url=server.url)`` talks to this."""

    vendor = "mistral"
    routes = (r"/v1/chat/completions",)
    default_model = "mistral-large-latest"
    whole_stream_calls = True  # all in one chunk, which also ends the answer
    api_hosts = (API_HOST,)  # for clients built without a server URL: see proxy_environ

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(host, port)
        self.batches = MistralBatches(self)
        """The batch API (files and batch jobs): ``polls``, ``expire``, the jobs made."""
        self.extensions.append(self.batches)

    def response_headers(self) -> dict[str, str]:
        return {**JSON_HEADERS, "mistral-correlation-id": str(uuid.uuid4())}

    def error(self, status: int, message: str) -> Answer:
        body = json.dumps(_error_body(status, message)).encode()
        return Answer(status, self.response_headers(), body)

    def not_found(self, request: RecordedRequest) -> Answer:
        # a bare router 404, not the API's error object
        return Answer(404, self.response_headers(), b'{"detail":"Not Found"}')

    def call_id(self, call: ToolCall) -> str:
        # Mistral's tool-call ids are 9 letters and digits (and it refuses others sent back)
        return call.id or "".join(random.choices(_ALNUM, k=9))

    def message_call(self, call: ToolCall, call_id: str, index: int) -> dict[str, Any]:
        function = {"name": call.name, "arguments": call.arguments_json()}
        return {"id": call_id, "function": function, "index": index}

    def with_thinking(self, message: dict[str, Any], thinking: str) -> None:
        # Magistral models answer with a list of chunks: the reasoning, then the text
        chunks = [_think(thinking)]
        if message.get("content"):
            chunks.append({"type": "text", "text": message["content"]})
        message["content"] = chunks

    def thinking_delta(self, piece: str) -> dict[str, Any]:
        return {"content": [_think(piece)]}


def _think(text: str) -> dict[str, Any]:
    """A ``thinking`` content chunk (the mistralai SDK's ``ThinkChunk``)."""
    return {"type": "thinking", "thinking": [{"type": "text", "text": text}]}
