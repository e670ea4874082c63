"""The Responses API's wire (``POST /v1/responses``), which ``FakeOpenAI`` serves beside chat
completions, as the real API does: ``Response`` bodies, and SSE streams of named events in
the order the API sends them (``response.created``, ``response.in_progress``, each output
item's ``added`` / deltas / ``done`` events, then ``response.completed``, or
``response.incomplete`` for an answer cut at ``max_output_tokens``)."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from ._server import (
    FAKE_SIGNATURE,
    Answer,
    RecordedRequest,
    Reply,
    ToolCall,
    Usage,
    last_user_text,
    named_sse,
    split_text,
    usage_of,
    with_broken_event,
)

if TYPE_CHECKING:
    from .openai_chat import FakeOpenAI

_ids = itertools.count(1)

ROUTES = (
    r"/v1/responses",
    r"/openai/v1/responses",  # Azure OpenAI's v1 API
    r"/openai/responses",  # AzureOpenAI clients (with or without a deployment)
)
SSE_HEADERS = {"Content-Type": "text/event-stream; charset=utf-8"}
REASONING_ID = "rs_fake"
"""The id of the reasoning item that ``Reply(thinking=...)`` renders (its summary), whose
``encrypted_content`` is ``FAKE_SIGNATURE`` when the request's ``include`` asks for it."""


def is_responses(request: RecordedRequest) -> bool:
    return request.path.split("?", 1)[0].endswith("/responses")


def user_text(request: RecordedRequest) -> str:
    """The last user message's text: ``input`` is a string, or a list of items."""
    body: dict[str, Any] = request.json or {}
    given = body.get("input")
    if isinstance(given, str):
        return given
    return last_user_text(given)


@dataclass
class _Answer:
    """One answer being rendered: its ids, the request it answers, what it holds."""

    body: dict[str, Any]
    model: str
    text: str
    calls: list[tuple[ToolCall, str, str]]
    """(call, call id, item id)."""
    usage: Usage
    truncated: bool
    thinking: str | None = None
    rid: str = field(default_factory=lambda: f"resp_fake{next(_ids)}")
    mid: str = field(default_factory=lambda: f"msg_fake{next(_ids)}")
    created: int = field(default_factory=lambda: int(time.time()))

    @property
    def status(self) -> str:
        return "incomplete" if self.truncated else "completed"

    def message(self, status: str, text: str | None) -> dict[str, Any]:
        content = [] if text is None else [_output_text(text)]
        return {
            "id": self.mid,
            "type": "message",
            "status": status,
            "content": content,
            "role": "assistant",
        }

    def reasoning(self, summary: list[str]) -> dict[str, Any]:
        item: dict[str, Any] = {
            "id": REASONING_ID,
            "type": "reasoning",
            "summary": [{"type": "summary_text", "text": text} for text in summary],
        }
        include: Any = self.body.get("include") or ()
        if "reasoning.encrypted_content" in include:
            item["encrypted_content"] = FAKE_SIGNATURE
        return item

    def call_item(self, n: int, status: str, arguments: str) -> dict[str, Any]:
        call, call_id, item_id = self.calls[n]
        return {
            "id": item_id,
            "type": "function_call",
            "status": status,
            "arguments": arguments,
            "call_id": call_id,
            "name": call.name,
        }

    def output(self) -> list[dict[str, Any]]:
        items = [self.reasoning([self.thinking])] if self.thinking else []
        if self.text:
            items.append(self.message(self.status, self.text))
        items.extend(
            self.call_item(n, self.status, c.arguments_json())
            for n, (c, _, _) in enumerate(self.calls)
        )
        return items

    def response(self, status: str, output: list[dict[str, Any]], final: bool) -> dict[str, Any]:
        """The ``Response`` object, echoing the request's settings as the API does."""
        body = self.body
        tools: Any = body.get("tools")
        given: Any = body.get("text")
        text_config = cast(dict[str, Any], given) if isinstance(given, dict) else {}
        usage = None
        if final:
            usage = {
                "input_tokens": self.usage.input,
                "input_tokens_details": {"cached_tokens": self.usage.cached or 0},
                "output_tokens": self.usage.output,
                "output_tokens_details": {"reasoning_tokens": 0},
                "total_tokens": self.usage.total,
            }
        incomplete = {"reason": "max_output_tokens"} if final and self.truncated else None
        return {
            "id": self.rid,
            "object": "response",
            "created_at": self.created,
            "status": status,
            "background": False,
            "error": None,
            "incomplete_details": incomplete,
            "instructions": body.get("instructions"),
            "max_output_tokens": body.get("max_output_tokens"),
            "max_tool_calls": body.get("max_tool_calls"),
            "model": self.model,
            "output": output,
            "parallel_tool_calls": body.get("parallel_tool_calls", True),
            "previous_response_id": body.get("previous_response_id"),
            "prompt_cache_key": body.get("prompt_cache_key"),
            "reasoning": {"effort": None, "summary": None},
            "safety_identifier": body.get("safety_identifier"),
            "service_tier": "default" if final else "auto",
            "store": body.get("store", True),
            "temperature": body.get("temperature", 1.0),
            "text": {
                "format": text_config.get("format") or {"type": "text"},
                "verbosity": text_config.get("verbosity") or "medium",
            },
            "tool_choice": body.get("tool_choice", "auto"),
            "tools": tools if isinstance(tools, list) else [],
            "top_logprobs": 0,
            "top_p": body.get("top_p", 1.0),
            "truncation": "disabled",
            "usage": usage,
            "user": body.get("user"),
            "metadata": body.get("metadata") or {},
        }


def _output_text(text: str) -> dict[str, Any]:
    return {"type": "output_text", "annotations": [], "logprobs": [], "text": text}


def respond(
    fake: FakeOpenAI, request: RecordedRequest, reply: Reply, headers: dict[str, str]
) -> Answer:
    """The Responses API's successful answer to ``reply``."""
    body: dict[str, Any] = request.json or {}
    text = fake.reply_text(request, reply)
    scripted = reply.tool_calls
    if reply.empty:
        text, scripted = "", []
    calls = [(c, c.id or f"call_fake{next(_ids)}", f"fc_fake{next(_ids)}") for c in scripted]
    model = body.get("model") or fake.default_model
    answer = _Answer(
        body, model, text, calls, usage_of(reply, text), reply.truncated, reply.thinking
    )
    if body.get("stream"):
        headers.update(SSE_HEADERS)
        options: dict[str, Any] = body.get("stream_options") or {}
        obfuscate = options.get("include_obfuscation", True) is not False
        events = named_sse(_numbered(_events(answer, reply.chunk_size, obfuscate)))
        if reply.malformed:
            broken = b"event: response.output_text.delta\ndata: {not json\n\n"
            events = with_broken_event(events, broken)
        return Answer(200, headers, events=events)
    if reply.malformed:
        return Answer(200, headers, b'{"id": "resp_broken", "object": "response", "output": [')
    response = answer.response(answer.status, answer.output(), final=True)
    return Answer(200, headers, json.dumps(response).encode())


def _numbered(events: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for n, event in enumerate(events):
        yield {"type": event.pop("type"), "sequence_number": n, **event}


def _events(answer: _Answer, chunk_size: int | None, obfuscate: bool) -> Iterator[dict[str, Any]]:
    pending = answer.response("in_progress", [], final=False)
    yield {"type": "response.created", "response": pending}
    yield {"type": "response.in_progress", "response": pending}
    index = 0
    status = answer.status
    if answer.thinking:  # the reasoning item first, its summary streamed
        where = {"item_id": REASONING_ID, "output_index": 0, "summary_index": 0}
        yield {
            "type": "response.output_item.added",
            "output_index": 0,
            "item": answer.reasoning([]),
        }
        part = {"type": "summary_text", "text": ""}
        yield {"type": "response.reasoning_summary_part.added", **where, "part": part}
        for piece in split_text(answer.thinking, chunk_size):
            yield {"type": "response.reasoning_summary_text.delta", **where, "delta": piece}
        text = answer.thinking
        yield {"type": "response.reasoning_summary_text.done", **where, "text": text}
        part = {"type": "summary_text", "text": text}
        yield {"type": "response.reasoning_summary_part.done", **where, "part": part}
        item = answer.reasoning([text])
        yield {"type": "response.output_item.done", "output_index": 0, "item": item}
        index = 1
    if answer.text:
        mid = answer.mid
        where = {"item_id": mid, "output_index": index, "content_index": 0}
        yield {
            "type": "response.output_item.added",
            "output_index": index,
            "item": answer.message("in_progress", None),
        }
        yield {"type": "response.content_part.added", **where, "part": _output_text("")}
        for piece in split_text(answer.text, chunk_size):
            delta: dict[str, Any] = {"type": "response.output_text.delta", **where, "delta": piece}
            delta["logprobs"] = []
            if obfuscate:  # the API pads each delta with random characters, to hide its size
                delta["obfuscation"] = "x" * (16 - len(piece) % 16)
            yield delta
        yield {"type": "response.output_text.done", **where, "text": answer.text, "logprobs": []}
        yield {"type": "response.content_part.done", **where, "part": _output_text(answer.text)}
        yield {
            "type": "response.output_item.done",
            "output_index": index,
            "item": answer.message(status, answer.text),
        }
        index += 1
    for n, (call, _, item_id) in enumerate(answer.calls):
        at = {"item_id": item_id, "output_index": index}
        yield {
            "type": "response.output_item.added",
            "output_index": index,
            "item": answer.call_item(n, "in_progress", ""),
        }
        for part in call.argument_halves():
            if part:
                yield {"type": "response.function_call_arguments.delta", **at, "delta": part}
        arguments = call.arguments_json()
        yield {"type": "response.function_call_arguments.done", **at, "arguments": arguments}
        yield {
            "type": "response.output_item.done",
            "output_index": index,
            "item": answer.call_item(n, status, arguments),
        }
        index += 1
    final = answer.response(status, answer.output(), final=True)
    yield {"type": f"response.{status}", "response": final}
