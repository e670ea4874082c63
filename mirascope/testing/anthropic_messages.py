"""Fake of Anthropic's messages API: JSON answers and SSE streams of named events
(``event: message_start`` ... ``event: message_stop``), shaped as the real API answers
(see shared recordings)."""

from __future__ import annotations

import contextlib
import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any, cast

from ._server import (
    JSON_HEADERS,
    Answer,
    FakeServer,
    RecordedRequest,
    Reply,
    split_text,
)

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


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        return ""
    blocks = cast(list[Any], content)
    return "".join(
        str(cast(dict[str, Any], b).get("text", ""))
        for b in blocks
        if isinstance(b, dict) and cast(dict[str, Any], b).get("type") == "text"
    )


def named_sse(events: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """Server-sent events as Anthropic sends them: ``event: <type>`` then ``data: <json>``."""
    for event in events:
        data = json.dumps(event, separators=(",", ":"))
        yield f"event: {event['type']}\ndata: {data}\n\n".encode()


class FakeAnthropic(FakeServer):
    """``Anthropic(base_url=server.url, api_key="test")`` talks to this (so does any client
    built while ``ANTHROPIC_BASE_URL`` holds ``server.url``)."""

    vendor = "anthropic"

    def user_text(self, request: RecordedRequest) -> str:
        body: dict[str, Any] = request.json or {}
        messages: list[dict[str, Any]] = body.get("messages", [])
        for message in reversed(messages):
            if message.get("role") == "user":
                text = _text_of(message.get("content"))
                if text:  # a turn of tool results only carries no prompt
                    return text
        return ""

    def render(self, request: RecordedRequest, reply: Reply) -> Answer:
        headers = {**JSON_HEADERS, "request-id": f"req_fake{next(_ids)}", **reply.headers}
        if reply.status != 200:
            error = {
                "type": "error",
                "error": {
                    "type": _ERROR_TYPES.get(
                        reply.status, "invalid_request_error" if reply.status < 500 else "api_error"
                    ),
                    "message": reply.error_message,
                },
                "request_id": headers["request-id"],
            }
            return Answer(reply.status, headers, json.dumps(error).encode())
        body: dict[str, Any] = request.json or {}
        model = body.get("model", "claude-sonnet-4-20250514")
        text = (
            self.echo(request)
            if reply.text is None and not reply.tool_calls
            else (reply.text or "")
        )
        if reply.empty:
            text, reply = "", replace(reply, tool_calls=[])
        input_tokens = reply.input_tokens if reply.input_tokens is not None else 12
        output_tokens = (
            reply.output_tokens if reply.output_tokens is not None else max(1, len(text.split()))
        )
        stop_reason = "tool_use" if reply.tool_calls else "end_turn"
        mid = f"msg_fake{next(_ids)}"
        calls = [(c, c.id or f"toolu_fake{next(_ids)}") for c in reply.tool_calls]
        if body.get("stream"):
            headers["Content-Type"] = SSE_HEADERS["Content-Type"]
            headers["Cache-Control"] = SSE_HEADERS["Cache-Control"]
            events = named_sse(
                self._events(
                    mid, model, text, reply, calls, stop_reason, input_tokens, output_tokens
                )
            )
            if reply.malformed:
                broken = b"event: content_block_delta\ndata: {not json\n\n"
                events = itertools.chain(itertools.islice(events, 2), [broken])
            return Answer(200, headers, events=events)
        if reply.malformed:
            return Answer(200, headers, b'{"id": "msg_broken", "content": [')
        content: list[dict[str, Any]] = [{"type": "text", "text": text}] if text else []
        for call, call_id in calls:
            # a string that is not a JSON object (a fault script) goes out as it is
            arguments: Any = call.arguments
            if isinstance(arguments, str):
                with contextlib.suppress(ValueError):
                    arguments = json.loads(arguments)
            content.append(
                {"type": "tool_use", "id": call_id, "name": call.name, "input": arguments}
            )
        message = {
            "model": model,
            "id": mid,
            "type": "message",
            "role": "assistant",
            "content": content,
            "stop_reason": stop_reason,
            "stop_sequence": None,
            "usage": _usage(input_tokens, output_tokens),
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
        input_tokens: int,
        output_tokens: int,
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
                "usage": _usage(input_tokens, 1),
            },
        }
        index = 0
        if (text or not calls) and not reply.empty:
            yield {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            }
            yield {"type": "ping"}
            for piece in split_text(text, reply.chunk_size):
                yield {
                    "type": "content_block_delta",
                    "index": 0,
                    "delta": {"type": "text_delta", "text": piece},
                }
            yield {"type": "content_block_stop", "index": 0}
            index = 1
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
            arguments = call.arguments_json()
            half = len(arguments) // 2
            for part in ("", arguments[:half], arguments[half:]):
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
                "input_tokens": input_tokens,
                "cache_creation_input_tokens": 0,
                "cache_read_input_tokens": 0,
                "output_tokens": output_tokens,
            },
        }
        yield {"type": "message_stop"}


def _usage(input_tokens: int, output_tokens: int) -> dict[str, Any]:
    return {
        "input_tokens": input_tokens,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 0,
        "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0},
        "output_tokens": output_tokens,
        "service_tier": "standard",
    }
