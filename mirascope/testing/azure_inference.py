"""Fake of the Azure AI model inference API (``POST {endpoint}/chat/completions``), shaped as
the recorded exchanges of ``azure-ai-inference`` show: chat-completions JSON, and SSE streams
whose tool calls arrive whole (id, name and arguments in one delta, no ``index``) on the
chunk that carries ``finish_reason``, with usage on the last chunk."""

from __future__ import annotations

import itertools
import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

from ._server import (
    JSON_HEADERS,
    SSE_HEADERS,
    Answer,
    FakeServer,
    RecordedRequest,
    Reply,
    ToolCall,
    split_text,
    sse,
)
from .openai_chat import FakeOpenAI

_ids = itertools.count(1)


class FakeAzure(FakeServer):
    """``ChatCompletionsClient(endpoint=server.url, credential=AzureKeyCredential("k"))``
    (sync or ``.aio``) talks to this.

    ``indexed_tool_calls=True`` streams tool calls as Azure OpenAI deployments do instead:
    OpenAI's pieces keyed by ``index`` (id and name first, then the arguments in parts)."""

    vendor = "azure"

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, *, indexed_tool_calls: bool = False
    ) -> None:
        super().__init__(host, port)
        self.indexed_tool_calls = indexed_tool_calls

    user_text = FakeOpenAI.user_text  # the same request shape

    def render(self, request: RecordedRequest, reply: Reply) -> Answer:
        headers = {
            **JSON_HEADERS,
            "X-Request-ID": str(uuid.uuid4()),
            "x-ms-rai-invoked": "true",
            **reply.headers,
        }
        if "/chat/completions" not in request.path:
            return _error(404, "Resource not found", headers)
        if reply.status != 200:
            return _error(reply.status, reply.error_message, headers)
        body: dict[str, Any] = request.json or {}
        model = body.get("model") or "fake-model"
        text = (
            self.echo(request)
            if reply.text is None and not reply.tool_calls
            else (reply.text or "")
        )
        prompt_tokens = reply.input_tokens if reply.input_tokens is not None else 12
        completion_tokens = (
            reply.output_tokens if reply.output_tokens is not None else max(1, len(text.split()))
        )
        usage = {
            "completion_tokens": completion_tokens,
            "prompt_tokens": prompt_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        }
        finish = "tool_calls" if reply.tool_calls else "stop"
        cid = uuid.uuid4().hex
        empty: dict[str, Any] = {"choices": [], "created": int(time.time()), "id": cid}
        empty.update(model=model, object="chat.completion", usage=usage)
        if body.get("stream"):
            headers["Content-Type"] = SSE_HEADERS["Content-Type"] + "; charset=utf-8"
            events = self._events(cid, model, text, reply, finish, usage)
            if reply.empty:  # chunks without a choice (as content-filter chunks come)
                chunk = {**empty, "object": "chat.completion.chunk"}
                events = sse([chunk], done=b"data: [DONE]\n\n")
            if reply.malformed:
                events = itertools.chain(itertools.islice(events, 2), [b"data: {not json\n\n"])
            return Answer(200, headers, events=events)
        if reply.malformed:
            return Answer(200, headers, b'{"choices": [{"finish_reason": "stop", ')
        if reply.empty:
            return Answer(200, headers, json.dumps(empty).encode())
        completion = {
            "choices": [
                {
                    "finish_reason": finish,
                    "index": 0,
                    "message": {
                        "content": text,
                        "role": "assistant",
                        "tool_calls": [_whole_call(c) for c in reply.tool_calls] or None,
                    },
                }
            ],
            "created": int(time.time()),
            "id": cid,
            "model": model,
            "object": "chat.completion",
            "usage": usage,
        }
        return Answer(200, headers, json.dumps(completion).encode())

    def _events(
        self,
        cid: str,
        model: str,
        text: str,
        reply: Reply,
        finish: str,
        usage: dict[str, Any],
    ) -> Iterator[bytes]:
        created = int(time.time())

        def chunk(
            delta: dict[str, Any], finish_reason: str | None = None, last: bool = False
        ) -> dict[str, Any]:
            event: dict[str, Any] = {
                "choices": [
                    {
                        "delta": delta,
                        "finish_reason": finish_reason,
                        "index": 0,
                        "logprobs": None,
                    }
                ],
                "created": created,
                "id": cid,
                "model": model,
                "object": "chat.completion.chunk",
            }
            if last:
                event["usage"] = usage
            return event

        def events() -> Iterator[dict[str, Any]]:
            yield chunk({"content": "", "role": "assistant"})
            for piece in split_text(text, reply.chunk_size):
                yield chunk({"content": piece})
            if not reply.tool_calls:
                yield chunk({"content": ""}, finish, last=True)
            elif not self.indexed_tool_calls:
                calls = [_whole_call(c, streamed=True) for c in reply.tool_calls]
                yield chunk({"tool_calls": calls}, finish, last=True)
            else:
                for index, call in enumerate(reply.tool_calls):
                    yield chunk(
                        {
                            "tool_calls": [
                                {
                                    "index": index,
                                    "id": _call_id(call),
                                    "type": "function",
                                    "function": {"name": call.name, "arguments": ""},
                                }
                            ]
                        }
                    )
                    args = call.arguments_json()
                    half = len(args) // 2
                    for part in (args[:half], args[half:]):
                        if part:
                            yield chunk(
                                {"tool_calls": [{"index": index, "function": {"arguments": part}}]}
                            )
                yield chunk({}, finish, last=True)

        return sse(events(), done=b"data: [DONE]\n\n")


def _call_id(call: ToolCall) -> str:
    return call.id or f"call_fake{next(_ids)}"


def _whole_call(call: ToolCall, *, streamed: bool = False) -> dict[str, Any]:
    # as recorded: a streamed call carries only its id and function
    if streamed:
        return {
            "function": {"arguments": call.arguments_json(), "name": call.name},
            "id": _call_id(call),
        }
    return {
        "function": {"arguments": call.arguments_json(), "call_id": None, "name": call.name},
        "id": _call_id(call),
        "type": "function",
    }


def _error(status: int, message: str, headers: dict[str, str]) -> Answer:
    # the service's error envelope: azure-core reads error.code and error.message from it
    code = {400: "Bad Request", 401: "Unauthorized", 404: "NotFound", 429: "Too Many Requests"}
    error = {
        "error": {
            "code": code.get(status, "InternalServerError" if status >= 500 else "Error"),
            "message": message,
            "status": status,
            "details": message,
        }
    }
    return Answer(status, headers, json.dumps(error).encode())
