"""Fake of Anthropic's messages API: JSON answers and SSE streams of named events
(``event: message_start`` ... ``event: message_stop``), shaped as the real API answers
(see shared recordings)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from ._server import (
    FAKE_SIGNATURE,
    JSON_HEADERS,
    Answer,
    FakeServer,
    RecordedRequest,
    Reply,
    Usage,
    last_user_text,
    named_sse,
    split_text,
    usage_of,
    with_broken_event,
)
from .anthropic_batch import AnthropicBatches

_ids = itertools.count(1)

SSE_HEADERS = {"Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache"}

_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}


class FakeAnthropic(FakeServer):
    """``Anthropic(base_url=server.url, api_key="test")`` talks to this (so does any client
    built while ``ANTHROPIC_BASE_URL`` holds ``server.url``, and ``AnthropicVertex`` given
    ``base_url=server.url``)."""

    vendor = "anthropic"

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(host, port)
        self.batches = AnthropicBatches(self)
        """The Message Batches API: ``polls``, ``expire``, the jobs made."""
        self.extensions.append(self.batches)

    routes = (
        r"/v1/messages",
        r"(/v1)?/projects/[^/]+/locations/[^/]+/publishers/anthropic/models/[^/:]+"
        r":(rawPredict|streamRawPredict)",
    )

    def user_text(self, request: RecordedRequest) -> str:
        body: dict[str, Any] = request.json or {}
        # a turn of tool results only carries no prompt: skipped
        return last_user_text(body.get("messages"))

    def response_headers(self) -> dict[str, str]:
        return {**JSON_HEADERS, "request-id": f"req_fake{next(_ids)}"}

    def error(self, status: int, message: str) -> Answer:
        headers = self.response_headers()
        kind = _ERROR_TYPES.get(status, "invalid_request_error" if status < 500 else "api_error")
        error = {
            "type": "error",
            "error": {"type": kind, "message": message},
            "request_id": headers["request-id"],
        }
        return Answer(status, headers, json.dumps(error).encode())

    def not_found(self, request: RecordedRequest) -> Answer:
        return self.error(404, "Not Found")

    def not_json(self, request: RecordedRequest) -> Answer:
        return self.error(400, "There was an issue with the request body: it is not valid JSON.")

    def respond(self, request: RecordedRequest, reply: Reply, headers: dict[str, str]) -> Answer:
        body: dict[str, Any] = request.json or {}
        model = body.get("model", "claude-sonnet-4-20250514")
        text = self.reply_text(request, reply)
        if reply.empty:
            text, reply = "", replace(reply, tool_calls=[])
        usage = usage_of(reply, text)
        stop_reason = (
            "max_tokens" if reply.truncated else "tool_use" if reply.tool_calls else "end_turn"
        )
        mid = f"msg_fake{next(_ids)}"
        calls = [(c, c.id or f"toolu_fake{next(_ids)}") for c in reply.tool_calls]
        if body.get("stream"):
            headers.update(SSE_HEADERS)
            events = named_sse(self._events(mid, model, text, reply, calls, stop_reason, usage))
            if reply.malformed:
                events = with_broken_event(
                    events, b"event: content_block_delta\ndata: {not json\n\n"
                )
            return Answer(200, headers, events=events)
        if reply.malformed:
            return Answer(200, headers, b'{"id": "msg_broken", "content": [')
        content: list[dict[str, Any]] = []
        if reply.thinking:
            content.append(
                {"type": "thinking", "thinking": reply.thinking, "signature": FAKE_SIGNATURE}
            )
        if text:
            content.append({"type": "text", "text": text})
        content.extend(
            # a string that is not a JSON object (a fault script) goes out as it is
            {"type": "tool_use", "id": call_id, "name": call.name, "input": call.arguments_value()}
            for call, call_id in calls
        )
        message = {
            "model": model,
            "id": mid,
            "type": "message",
            "role": "assistant",
            "content": content,
            "stop_reason": stop_reason,
            "stop_sequence": None,
            "usage": _usage(usage.input, usage.output, usage.cached),
        }
        return Answer(200, headers, json.dumps(message).encode())

    def _events(
        self,
        mid: str,
        model: str,
        text: str,
        reply: Reply,
        calls: list[tuple[Any, str]],
        stop_reason: str,
        usage: Usage,
    ) -> Iterator[dict[str, Any]]:
        yield {
            "type": "message_start",
            "message": {
                "model": model,
                "id": mid,
                "type": "message",
                "role": "assistant",
                "content": [],
                "stop_reason": None,
                "stop_sequence": None,
                "usage": _usage(usage.input, 1, usage.cached),
            },
        }
        index = 0
        if reply.thinking:
            block = {"type": "thinking", "thinking": "", "signature": ""}
            yield {"type": "content_block_start", "index": 0, "content_block": block}
            for piece in split_text(reply.thinking, reply.chunk_size):
                delta = {"type": "thinking_delta", "thinking": piece}
                yield {"type": "content_block_delta", "index": 0, "delta": delta}
            delta = {"type": "signature_delta", "signature": FAKE_SIGNATURE}
            yield {"type": "content_block_delta", "index": 0, "delta": delta}
            yield {"type": "content_block_stop", "index": 0}
            index = 1
        if (text or not calls) and not reply.empty:
            yield {
                "type": "content_block_start",
                "index": index,
                "content_block": {"type": "text", "text": ""},
            }
            yield {"type": "ping"}
            for piece in split_text(text, reply.chunk_size):
                yield {
                    "type": "content_block_delta",
                    "index": index,
                    "delta": {"type": "text_delta", "text": piece},
                }
            yield {"type": "content_block_stop", "index": index}
            index += 1
        for call, call_id in calls:
            yield {
                "type": "content_block_start",
                "index": index,
                "content_block": {
                    "type": "tool_use",
                    "id": call_id,
                    "name": call.name,
                    "input": {},
                },
            }
            for part in ("", *call.argument_halves()):
                yield {
                    "type": "content_block_delta",
                    "index": index,
                    "delta": {"type": "input_json_delta", "partial_json": part},
                }
            yield {"type": "content_block_stop", "index": index}
            index += 1
        yield {
            "type": "message_delta",
            "delta": {"stop_reason": stop_reason, "stop_sequence": None},
            "usage": {
                "input_tokens": usage.input,
                "cache_creation_input_tokens": 0,
                "cache_read_input_tokens": usage.cached or 0,
                "output_tokens": usage.output,
            },
        }
        yield {"type": "message_stop"}


def _usage(input_tokens: int, output_tokens: int, cached: int | None) -> dict[str, Any]:
    return {
        "input_tokens": input_tokens,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": cached or 0,
        "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0},
        "output_tokens": output_tokens,
        "service_tier": "standard",
    }
