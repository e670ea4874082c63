"""The chat-completions wire (OpenAI's, which Mistral, Azure AI inference, Groq and LiteLLM
speak too): completion bodies, SSE chunk streams, tool calls and usage, rendered once.
Each vendor's fake states where its dialect differs (ids, extra fields, how tool calls
and usage arrive in a stream) through the class attributes and small methods below."""

from __future__ import annotations

import itertools
import json
import time
import uuid
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar, Literal

from ._server import (
    SSE_DONE,
    SSE_HEADERS,
    Answer,
    FakeServer,
    RecordedRequest,
    Reply,
    ToolCall,
    Usage,
    last_user_text,
    split_text,
    sse,
    usage_of,
    with_broken_event,
)

_ids = itertools.count(1)

StreamUsage = Literal["last", "after"] | None
"""Where a stream reports usage: on its finishing chunk, in a chunk of its own after it
(with no choice), or nowhere."""


class ChatCompletionsFake(FakeServer):
    """Base of the chat-completions fakes; the defaults are the plain dialect that Mistral
    and Azure share, ``FakeOpenAI`` adds OpenAI's extra fields."""

    default_model: ClassVar[str] = "fake-model"
    stream_content_type: ClassVar[str] = SSE_HEADERS["Content-Type"] + "; charset=utf-8"
    sort_keys: ClassVar[bool] = False
    """Write JSON keys in alphabetical order (as Azure does)."""
    whole_stream_calls: bool = False
    """Stream tool calls whole (id, name and arguments in one delta) on the finishing
    chunk, rather than OpenAI's pieces keyed by ``index``."""
    opening_content_with_calls: ClassVar[str | None] = ""
    """The ``content`` of a stream's first delta when the answer calls tools."""
    closing_content: ClassVar[str | None] = ""
    """The ``content`` of the finishing delta of a stream without tool calls (None: an
    empty delta)."""
    envelope: ClassVar[dict[str, Any]] = {}
    """Extra top-level fields of every completion and chunk."""

    def user_text(self, request: RecordedRequest) -> str:
        body: dict[str, Any] = request.json or {}
        return last_user_text(body.get("messages"), skip_empty=False)

    # -- the dialect ---------------------------------------------------------------------
    def completion_id(self) -> str:
        return uuid.uuid4().hex

    def call_id(self, call: ToolCall) -> str:
        return call.id or f"call_fake{next(_ids)}"

    def stream_usage(self, body: dict[str, Any]) -> StreamUsage:
        return "last"

    def usage_json(self, usage: Usage) -> dict[str, Any]:
        return {
            "prompt_tokens": usage.input,
            "completion_tokens": usage.output,
            "total_tokens": usage.total,
        }

    def message_call(self, call: ToolCall, call_id: str, index: int) -> dict[str, Any]:
        """A tool call in a whole (not streamed) message."""
        function = {"name": call.name, "arguments": call.arguments_json()}
        return {"id": call_id, "type": "function", "function": function}

    def message_json(self, text: str, calls: list[dict[str, Any]]) -> dict[str, Any]:
        return {"role": "assistant", "content": text, "tool_calls": calls or None}

    def with_thinking(self, message: dict[str, Any], thinking: str) -> None:
        """Put ``Reply(thinking=...)`` into a whole message: ``reasoning_content`` (xAI,
        DeepSeek, LiteLLM) and ``reasoning`` (Groq's parsed reasoning format)."""
        message.update(reasoning=thinking, reasoning_content=thinking)

    def thinking_delta(self, piece: str) -> dict[str, Any]:
        """A stream delta carrying a piece of the reasoning."""
        return {"content": None, "reasoning": piece, "reasoning_content": piece}

    def choice_extras(self, streamed: bool) -> dict[str, Any]:
        """Extra fields of a choice, in a completion or (``streamed``) in a chunk."""
        return {}

    def completion_json(
        self, cid: str, model: str, choice: dict[str, Any], usage: dict[str, Any]
    ) -> dict[str, Any]:
        return {
            "id": cid,
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [choice],
            "usage": usage,
            **self.envelope,
        }

    def chunk_json(
        self, head: dict[str, Any], choice: dict[str, Any] | None, usage: dict[str, Any] | None
    ) -> dict[str, Any]:
        """A stream chunk: ``head`` holds its id, object, creation time and model."""
        chunk: dict[str, Any] = {
            **head,
            **self.envelope,
            "choices": [] if choice is None else [choice],
        }
        if usage is not None:
            chunk["usage"] = usage
        return chunk

    # -- rendering -----------------------------------------------------------------------
    def respond(self, request: RecordedRequest, reply: Reply, headers: dict[str, str]) -> Answer:
        body: dict[str, Any] = request.json or {}
        model = body.get("model") or self.default_model
        text = self.reply_text(request, reply)
        usage = self.usage_json(usage_of(reply, text))
        finish = "length" if reply.truncated else "tool_calls" if reply.tool_calls else "stop"
        cid = self.completion_id()
        calls = [(c, self.call_id(c)) for c in reply.tool_calls]
        empty: dict[str, Any] = {"id": cid, "object": "chat.completion"}
        empty.update(created=int(time.time()), model=model, choices=[], usage=usage)
        if body.get("stream"):
            headers["Content-Type"] = self.stream_content_type
            if reply.empty:  # chunks without a choice (as content-filter chunks come)
                events = self._sse([{**empty, "object": "chat.completion.chunk"}])
            else:
                where = self.stream_usage(body)
                chunks = self._chunks(cid, model, text, reply, calls, finish, usage, where)
                events = self._sse(chunks)
            if reply.malformed:
                events = with_broken_event(events, b"data: {not json\n\n")
            return Answer(200, headers, events=events)
        if reply.malformed:
            return Answer(200, headers, b'{"id": "chatcmpl-broken", "choices": [')
        if reply.empty:
            return Answer(200, headers, self._dumps(empty))
        whole = [self.message_call(c, i, n) for n, (c, i) in enumerate(calls)]
        choice: dict[str, Any] = {"index": 0, "message": self.message_json(text, whole)}
        if reply.thinking:
            self.with_thinking(choice["message"], reply.thinking)
        choice.update(self.choice_extras(False), finish_reason=finish)
        return Answer(200, headers, self._dumps(self.completion_json(cid, model, choice, usage)))

    def _chunks(
        self,
        cid: str,
        model: str,
        text: str,
        reply: Reply,
        calls: list[tuple[ToolCall, str]],
        finish: str,
        usage: dict[str, Any],
        where: StreamUsage,
    ) -> Iterator[dict[str, Any]]:
        head: dict[str, Any] = {"id": cid, "object": "chat.completion.chunk"}
        head.update(created=int(time.time()), model=model)

        def chunk(
            delta: dict[str, Any], reason: str | None = None, with_usage: bool = False
        ) -> dict[str, Any]:
            choice = {"index": 0, "delta": delta, **self.choice_extras(True)}
            choice["finish_reason"] = reason
            return self.chunk_json(head, choice, usage if with_usage else None)

        opening = self.opening_content_with_calls if reply.tool_calls else ""
        yield chunk({"role": "assistant", "content": opening})
        for piece in split_text(reply.thinking or "", reply.chunk_size):
            yield chunk(self.thinking_delta(piece))
        for piece in split_text(text, reply.chunk_size):
            yield chunk({"content": piece})
        if calls and self.whole_stream_calls:
            whole = [
                {"id": i, "function": {"name": c.name, "arguments": c.arguments_json()}}
                for c, i in calls
            ]
            closing: dict[str, Any] = {"tool_calls": whole}
        else:
            for index, (call, call_id) in enumerate(calls):
                function = {"name": call.name, "arguments": ""}
                start = {"index": index, "id": call_id, "type": "function", "function": function}
                yield chunk({"tool_calls": [start]})
                for part in call.argument_halves():
                    if part:
                        piece = {"index": index, "function": {"arguments": part}}
                        yield chunk({"tool_calls": [piece]})
            plain = calls or self.closing_content is None
            closing = {} if plain else {"content": self.closing_content}
        yield chunk(closing, finish, with_usage=where == "last")
        if where == "after":
            yield self.chunk_json(head, None, usage)

    def _dumps(self, value: Any) -> bytes:
        return json.dumps(value, sort_keys=self.sort_keys).encode()

    def _sse(self, events: Iterable[dict[str, Any]]) -> Iterator[bytes]:
        return sse(events, done=SSE_DONE, sort_keys=self.sort_keys)
