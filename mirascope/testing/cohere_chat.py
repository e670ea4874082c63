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

from ._server import JSON_HEADERS, Answer, FakeServer, RecordedRequest, Reply, split_text
from .openai_chat import _content_text  # pyright: ignore[reportPrivateUsage] -- v2 is OpenAI-like

_ids = itertools.count(1)


def _parameters(call: Any) -> Any:
    # v1 sends arguments as an object; a scripted invalid string goes out as it is
    try:
        return call.arguments_dict()
    except ValueError:
        return call.arguments


def _usage(reply: Reply, text: str) -> tuple[int, int]:
    return (
        reply.input_tokens if reply.input_tokens is not None else 12,
        reply.output_tokens if reply.output_tokens is not None else max(1, len(text.split())),
    )


def _lines(events: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    for event in events:
        yield json.dumps(event, separators=(",", ":")).encode() + b"\n"


def _sse(events: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    for event in events:
        data = json.dumps(event, separators=(",", ":"))
        yield f"event: {event['type']}\ndata: {data}\n\n".encode()
    yield b"data: [DONE]\n\n"


class FakeCohere(FakeServer):
    """``cohere.Client(base_url=server.url, api_key="test")`` (or ``CO_API_URL``) talks to
    this; so do ``ClientV2`` and the async clients."""

    vendor = "cohere"

    def user_text(self, request: RecordedRequest) -> str:
        body: dict[str, Any] = request.json or {}
        if "messages" in body:  # v2
            for message in reversed(body["messages"]):
                if message.get("role") == "user":
                    return _content_text(message.get("content"))
            return ""
        if body.get("message"):
            return body["message"]
        for message in reversed(body.get("chat_history") or []):
            if str(message.get("role", "")).upper() == "USER":
                return message.get("message", "")
        return ""

    def render(self, request: RecordedRequest, reply: Reply) -> Answer:
        headers = {**JSON_HEADERS, "x-debug-trace-id": uuid.uuid4().hex, **reply.headers}
        if reply.status != 200:
            error = {"id": str(uuid.uuid4()), "message": reply.error_message}
            return Answer(reply.status, headers, json.dumps(error).encode())
        body: dict[str, Any] = request.json or {}
        text = (
            self.echo(request)
            if reply.text is None and not reply.tool_calls
            else (reply.text or "")
        )
        if reply.empty:
            text, reply = "", replace(reply, tool_calls=[])
        v2 = request.path.split("?")[0].rstrip("/").endswith("/v2/chat")
        if body.get("stream"):
            if v2:
                headers["Content-Type"] = "text/event-stream"
                events = _sse(self._v2_events(text, reply))
                broken = b"event: content-delta\ndata: {not json\n\n"
            else:
                headers["Content-Type"] = "application/stream+json"
                events = _lines(self._v1_events(body, text, reply))
                broken = b"{not json\n"
            if reply.malformed:
                events = itertools.chain(itertools.islice(events, 2), [broken])
            return Answer(200, headers, events=events)
        if reply.malformed:
            return Answer(200, headers, b'{"id": "broken", "message": {')
        answer = self._v2_response(text, reply) if v2 else self._v1_response(body, text, reply)
        return Answer(200, headers, json.dumps(answer).encode())

    # -- v1 ------------------------------------------------------------------------------
    def _v1_response(self, body: dict[str, Any], text: str, reply: Reply) -> dict[str, Any]:
        inputs, outputs = _usage(reply, text)
        calls = [{"name": c.name, "parameters": _parameters(c)} for c in reply.tool_calls]
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
            "finish_reason": "COMPLETE",
            "meta": {
                "api_version": {"version": "1"},
                "billed_units": {"input_tokens": inputs, "output_tokens": outputs},
                "tokens": {"input_tokens": inputs + 60, "output_tokens": outputs},
            },
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
            args = call.arguments_json()
            half = len(args) // 2
            for part in (args[:half], args[half:]):
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
            "finish_reason": "COMPLETE",
        }

    # -- v2 ------------------------------------------------------------------------------
    @staticmethod
    def _v2_usage(reply: Reply, text: str) -> dict[str, Any]:
        inputs, outputs = _usage(reply, text)
        return {
            "billed_units": {"input_tokens": inputs, "output_tokens": outputs},
            "tokens": {"input_tokens": inputs + 60, "output_tokens": outputs},
        }

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
        if reply.tool_calls:
            message["tool_plan"] = text
            message["tool_calls"] = self._v2_calls(reply)
        elif not reply.empty:
            message["content"] = [{"type": "text", "text": text}]
        else:
            message["content"] = []
        return {
            "id": str(uuid.uuid4()),
            "message": message,
            "finish_reason": "TOOL_CALL" if reply.tool_calls else "COMPLETE",
            "usage": self._v2_usage(reply, text),
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
        if reply.tool_calls:
            for piece in pieces:
                yield {"type": "tool-plan-delta", "delta": {"message": {"tool_plan": piece}}}
            for index, call in enumerate(self._v2_calls(reply)):
                args = call["function"]["arguments"]
                start = {**call, "function": {"name": call["function"]["name"], "arguments": ""}}
                yield {
                    "type": "tool-call-start",
                    "index": index,
                    "delta": {"message": {"tool_calls": start}},
                }
                half = len(args) // 2
                for part in (args[:half], args[half:]):
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
                "index": 0,
                "delta": {"message": {"content": {"type": "text", "text": ""}}},
            }
            for piece in pieces:
                yield {
                    "type": "content-delta",
                    "index": 0,
                    "delta": {"message": {"content": {"text": piece}}},
                }
            yield {"type": "content-end", "index": 0}
        yield {
            "type": "message-end",
            "delta": {
                "finish_reason": "TOOL_CALL" if reply.tool_calls else "COMPLETE",
                "usage": self._v2_usage(reply, text),
            },
        }
