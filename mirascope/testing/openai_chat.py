"""Fake of OpenAI's chat-completions API (also the wire of Groq, LiteLLM's OpenAI route
and other OpenAI-compatible servers): JSON answers and SSE streams, shaped as the real
API answers (see shared recordings)."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterator
from typing import Any

from ._server import (
    JSON_HEADERS,
    SSE_HEADERS,
    Answer,
    FakeServer,
    RecordedRequest,
    Reply,
    split_text,
    sse,
)

_ids = itertools.count(1)


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))  # pyright: ignore
    return ""


class FakeOpenAI(FakeServer):
    """``OpenAI(base_url=server.url + "/v1", api_key="test")`` talks to this; with
    ``groq=True``, ``Groq(base_url=server.url, api_key="test")`` (Groq's dialect)."""

    vendor = "openai"

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, groq: bool = False) -> None:
        super().__init__(host, port)
        self.groq = groq
        """Answer as Groq does: ``x_groq`` metadata, and streams that always end with usage
        in their last chunk (Groq's SDK has no ``stream_options``)."""

    def user_text(self, request: RecordedRequest) -> str:
        body: dict[str, Any] = request.json or {}
        messages: list[dict[str, Any]] = body.get("messages", [])
        for message in reversed(messages):
            if message.get("role") == "user":
                return _content_text(message.get("content"))
        return ""

    def render(self, request: RecordedRequest, reply: Reply) -> Answer:
        headers = {**JSON_HEADERS, "x-request-id": f"req_{next(_ids)}", **reply.headers}
        if reply.status != 200:
            error = {
                "error": {
                    "message": reply.error_message,
                    "type": "invalid_request_error" if reply.status < 500 else "server_error",
                    "param": None,
                    "code": None,
                }
            }
            return Answer(reply.status, headers, json.dumps(error).encode())
        body: dict[str, Any] = request.json or {}
        model = body.get("model", "gpt-4o-mini")
        text = (
            self.echo(request)
            if reply.text is None and not reply.tool_calls
            else (reply.text or "")
        )
        usage: dict[str, Any] = {
            "prompt_tokens": reply.input_tokens if reply.input_tokens is not None else 12,
            "completion_tokens": reply.output_tokens
            if reply.output_tokens is not None
            else max(1, len(text.split())),
        }
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        usage["prompt_tokens_details"] = {"cached_tokens": 0, "audio_tokens": 0}
        finish = "tool_calls" if reply.tool_calls else "stop"
        cid = f"chatcmpl-fake{next(_ids)}"
        if body.get("stream"):
            headers["Content-Type"] = SSE_HEADERS["Content-Type"]
            options: dict[str, Any] = body.get("stream_options") or {}
            include_usage = self.groq or bool(options.get("include_usage"))
            events = self._chunks(cid, model, text, reply, finish, usage if include_usage else None)
            if reply.empty:
                events = self._empty_chunks(cid, model, usage)
            if reply.malformed:
                events = itertools.chain(itertools.islice(events, 2), [b"data: {not json\n\n"])
            return Answer(200, headers, events=events)
        if reply.malformed:
            return Answer(200, headers, b'{"id": "chatcmpl-broken", "choices": [')
        if reply.empty:
            empty: dict[str, Any] = {"id": cid, "object": "chat.completion"}
            empty.update(created=int(time.time()), model=model, choices=[], usage=usage)
            return Answer(200, headers, json.dumps(empty).encode())
        message: dict[str, Any] = {
            "role": "assistant",
            "content": text or None,
            "refusal": None,
            "annotations": [],
        }
        if reply.tool_calls:
            message["tool_calls"] = [
                {
                    "id": c.id or f"call_fake{next(_ids)}",
                    "type": "function",
                    "function": {"name": c.name, "arguments": c.arguments_json()},
                }
                for c in reply.tool_calls
            ]
        completion = {
            "id": cid,
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {"index": 0, "message": message, "logprobs": None, "finish_reason": finish}
            ],
            "usage": usage,
            "service_tier": "default",
            "system_fingerprint": "fp_fake",
        }
        if self.groq:
            completion["x_groq"] = {"id": f"req_fake{next(_ids)}"}
        return Answer(200, headers, json.dumps(completion).encode())

    @staticmethod
    def _empty_chunks(cid: str, model: str, usage: dict[str, Any]) -> Iterator[bytes]:
        # a stream whose chunks carry no choice (as Azure's filter chunks do), then [DONE]
        chunk: dict[str, Any] = {"id": cid, "object": "chat.completion.chunk"}
        chunk.update(created=int(time.time()), model=model, choices=[], usage=usage)
        return sse([chunk], done=b"data: [DONE]\n\n")

    def _chunks(
        self,
        cid: str,
        model: str,
        text: str,
        reply: Reply,
        finish: str,
        usage: dict[str, Any] | None,
    ) -> Iterator[bytes]:
        created = int(time.time())

        def chunk(
            delta: dict[str, Any],
            finish_reason: str | None = None,
            usage_value: Any = None,
            choices: bool = True,
        ) -> dict[str, Any]:
            return {
                "id": cid,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "service_tier": "default",
                "system_fingerprint": "fp_fake",
                "usage": usage_value,
                "choices": [
                    {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
                ]
                if choices
                else [],
            }

        def events() -> Iterator[dict[str, Any]]:
            yield chunk({"role": "assistant", "content": "" if not reply.tool_calls else None})
            for piece in split_text(text, reply.chunk_size):
                yield chunk({"content": piece})
            for index, call in enumerate(reply.tool_calls):
                yield chunk(
                    {
                        "tool_calls": [
                            {
                                "index": index,
                                "id": call.id or f"call_fake{next(_ids)}",
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
            if self.groq and usage is not None:  # as recorded: usage rides on the last chunk
                last = chunk({}, finish, usage_value=usage)
                last["x_groq"] = {"id": f"req_fake{next(_ids)}", "usage": usage}
                yield last
                return
            yield chunk({}, finish)
            if usage is not None:
                yield chunk({}, usage_value=usage, choices=False)

        return sse(events(), done=b"data: [DONE]\n\n")
