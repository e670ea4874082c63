"""Fake of Cohere's chat API, both versions, shaped as the real API answers (see shared
recordings): ``/v1/chat`` answers JSON or a newline-delimited JSON stream, ``/v2/chat``
JSON or server-sent events."""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from ._server import (
    JSON_HEADERS,
    SSE_DONE,
    Answer,
    FakeServer,
    RecordedRequest,
    Reply,
    last_user_text,
    named_sse,
    split_text,
    usage_of,
    with_broken_event,
)

_ids = itertools.count(1)


def _finish(reply: Reply) -> str:
    return "MAX_TOKENS" if reply.truncated else "TOOL_CALL" if reply.tool_calls else "COMPLETE"


def _usage(reply: Reply, text: str) -> dict[str, Any]:
    # both versions report it so (v1 in "meta"); the tokens seen include Cohere's preamble
    usage = usage_of(reply, text)
    return {
        "billed_units": {"input_tokens": usage.input, "output_tokens": usage.output},
        "tokens": {"input_tokens": usage.input + 60, "output_tokens": usage.output},
    }


def _lines(events: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    for event in events:
        yield json.dumps(event, separators=(",", ":")).encode() + b"\n"


class FakeCohere(FakeServer):
    """``cohere.Client(base_url=server.url, api_key="test")`` (or ``CO_API_URL``) talks to
    this; so do ``ClientV2`` and the async clients."""

    vendor = "cohere"
    routes = (r"/v1/chat", r"/v2/chat")

    def user_text(self, request: RecordedRequest) -> str:
        body: dict[str, Any] = request.json or {}
        if "messages" in body:  # v2
            return last_user_text(body["messages"], skip_empty=False)
        if body.get("message"):
            return body["message"]
        return last_user_text(
            body.get("chat_history"),
            content="message",
            is_user=lambda m: str(m.get("role", "")).upper() == "USER",
            skip_empty=False,
        )

    def response_headers(self) -> dict[str, str]:
        return {**JSON_HEADERS, "x-debug-trace-id": uuid.uuid4().hex}

    def error(self, status: int, message: str) -> Answer:
        error = {"id": str(uuid.uuid4()), "message": message}
        return Answer(status, self.response_headers(), json.dumps(error).encode())

    def not_found(self, request: RecordedRequest) -> Answer:
        return self.error(404, f"{request.method} {request.path.split('?', 1)[0]} not found")

    def not_json(self, request: RecordedRequest) -> Answer:
        return self.error(400, "invalid request: the body is not valid JSON")

    def respond(self, request: RecordedRequest, reply: Reply, headers: dict[str, str]) -> Answer:
        body: dict[str, Any] = request.json or {}
        text = self.reply_text(request, reply)
        if reply.empty:
            text, reply = "", replace(reply, tool_calls=[])
        v2 = request.path.split("?")[0].rstrip("/").endswith("/v2/chat")
        if body.get("stream"):
            if v2:
                headers["Content-Type"] = "text/event-stream"
                events = named_sse(self._v2_events(text, reply), done=SSE_DONE)
                broken = b"event: content-delta\ndata: {not json\n\n"
            else:
                headers["Content-Type"] = "application/stream+json"
                events = _lines(self._v1_events(body, text, reply))
                broken = b"{not json\n"
            if reply.malformed:
                events = with_broken_event(events, broken)
            return Answer(200, headers, events=events)
        if reply.malformed:
            return Answer(200, headers, b'{"id": "broken", "message": {')
        answer = self._v2_response(text, reply) if v2 else self._v1_response(body, text, reply)
        return Answer(200, headers, json.dumps(answer).encode())

    # -- v1 ------------------------------------------------------------------------------
    def _v1_response(self, body: dict[str, Any], text: str, reply: Reply) -> dict[str, Any]:
        # v1 sends arguments as an object; a scripted invalid string goes out as it is
        calls = [{"name": c.name, "parameters": c.arguments_value()} for c in reply.tool_calls]
        history: list[Any] = list(body.get("chat_history") or [])
        if body.get("message"):
            history.append({"role": "USER", "message": body["message"]})
        said: dict[str, Any] = {"role": "CHATBOT", "message": text}
        if calls:
            said["tool_calls"] = calls
        response: dict[str, Any] = {
            "response_id": str(uuid.uuid4()),
            "text": text,
            "generation_id": str(uuid.uuid4()),
            "chat_history": [*history, said],
            "finish_reason": "MAX_TOKENS" if reply.truncated else "COMPLETE",
            "meta": {"api_version": {"version": "1"}, **_usage(reply, text)},
        }
        if calls:
            response["tool_calls"] = calls
        return response

    def _v1_events(self, body: dict[str, Any], text: str, reply: Reply) -> Iterator[dict[str, Any]]:
        response = self._v1_response(body, text, reply)
        yield {
            "is_finished": False,
            "event_type": "stream-start",
            "generation_id": response["generation_id"],
        }
        # with tool calls the text is the tool plan, streamed as tool-calls-chunk text
        kind = "tool-calls-chunk" if reply.tool_calls else "text-generation"
        for piece in split_text(text, reply.chunk_size):
            yield {"is_finished": False, "event_type": kind, "text": piece}
        for index, call in enumerate(reply.tool_calls):
            yield {
                "is_finished": False,
                "event_type": "tool-calls-chunk",
                "tool_call_delta": {"index": index, "name": call.name},
            }
            for part in call.argument_halves():
                if part:
                    yield {
                        "is_finished": False,
                        "event_type": "tool-calls-chunk",
                        "tool_call_delta": {"index": index, "parameters": part},
                    }
        if reply.tool_calls:
            yield {
                "is_finished": False,
                "event_type": "tool-calls-generation",
                "text": text,
                "tool_calls": response["tool_calls"],
            }
        yield {
            "is_finished": True,
            "event_type": "stream-end",
            "response": response,
            "finish_reason": response["finish_reason"],
        }

    # -- v2 ------------------------------------------------------------------------------
    @staticmethod
    def _v2_calls(reply: Reply) -> list[dict[str, Any]]:
        return [
            {
                "id": c.id or f"{c.name}_fake{next(_ids)}",
                "type": "function",
                "function": {"name": c.name, "arguments": c.arguments_json()},
            }
            for c in reply.tool_calls
        ]

    def _v2_response(self, text: str, reply: Reply) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant"}
        # a reasoning model's thinking comes first, as a content item of its own (v2 only)
        thinking = [{"type": "thinking", "thinking": reply.thinking}] if reply.thinking else []
        if reply.tool_calls:
            message["tool_plan"] = text
            message["tool_calls"] = self._v2_calls(reply)
            if thinking:
                message["content"] = thinking
        elif not reply.empty:
            message["content"] = [*thinking, {"type": "text", "text": text}]
        else:
            message["content"] = []
        return {
            "id": str(uuid.uuid4()),
            "message": message,
            "finish_reason": _finish(reply),
            "usage": _usage(reply, text),
        }

    def _v2_events(self, text: str, reply: Reply) -> Iterator[dict[str, Any]]:
        yield {
            "id": str(uuid.uuid4()),
            "type": "message-start",
            "delta": {
                "message": {
                    "role": "assistant",
                    "content": [],
                    "tool_plan": "",
                    "tool_calls": [],
                    "citations": [],
                }
            },
        }
        pieces = split_text(text, reply.chunk_size)
        index = 0
        if reply.thinking and not reply.empty:
            yield {
                "type": "content-start",
                "index": 0,
                "delta": {"message": {"content": {"type": "thinking", "thinking": ""}}},
            }
            for piece in split_text(reply.thinking, reply.chunk_size):
                yield {
                    "type": "content-delta",
                    "index": 0,
                    "delta": {"message": {"content": {"thinking": piece}}},
                }
            yield {"type": "content-end", "index": 0}
            index = 1
        if reply.tool_calls:
            for piece in pieces:
                yield {"type": "tool-plan-delta", "delta": {"message": {"tool_plan": piece}}}
            calls = zip(reply.tool_calls, self._v2_calls(reply), strict=True)
            for index, (call, whole) in enumerate(calls):
                start = {**whole, "function": {"name": call.name, "arguments": ""}}
                yield {
                    "type": "tool-call-start",
                    "index": index,
                    "delta": {"message": {"tool_calls": start}},
                }
                for part in call.argument_halves():
                    if part:
                        yield {
                            "type": "tool-call-delta",
                            "index": index,
                            "delta": {"message": {"tool_calls": {"function": {"arguments": part}}}},
                        }
                yield {"type": "tool-call-end", "index": index}
        elif not reply.empty:
            yield {
                "type": "content-start",
                "index": index,
                "delta": {"message": {"content": {"type": "text", "text": ""}}},
            }
            for piece in pieces:
                yield {
                    "type": "content-delta",
                    "index": index,
                    "delta": {"message": {"content": {"text": piece}}},
                }
            yield {"type": "content-end", "index": index}
        yield {
            "type": "message-end",
            "delta": {
                "finish_reason": _finish(reply),
                "usage": _usage(reply, text),
            },
        }
