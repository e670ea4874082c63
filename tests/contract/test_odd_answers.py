"""Odd answers: a vendor (or a proxy in front of it) answering 200 with a body that is not
shaped as its API documents. Each either raises the SDK's own error (the SDK validated the
body) or mirascope's ``UnexpectedResponseError`` naming the provider and carrying the
SDK's object; never a bare ``AttributeError``/``TypeError``/``KeyError`` from inside an
adapter, and never a quiet answer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import mirascope
from mirascope.core import EmptyResponseError, MirascopeError, UnexpectedResponseError
from mirascope.testing import Answer, FakeServer, Reply

from .base import ContractProvider
from .test_faults import _decorate, _run

JSON = {"Content-Type": "application/json"}
SSE = {"Content-Type": "text/event-stream"}

_COMPLETION = {"id": "c-1", "object": "chat.completion", "created": 1, "model": "m"}
_CHUNK = {"id": "c-1", "object": "chat.completion.chunk", "created": 1, "model": "m"}
_USAGE = {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}


def _sse(*events: Any, done: bool = True) -> list[bytes]:
    out = [f"data: {json.dumps(e)}\n\n".encode() for e in events]
    return [*out, b"data: [DONE]\n\n"] if done else out


_CHAT_BODIES: dict[str, Any] = {
    "choice without message": {
        **_COMPLETION,
        "choices": [{"index": 0, "finish_reason": "stop"}],
        "usage": _USAGE,
    },
    "top-level list": [],
    "message content a number": {
        **_COMPLETION,
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": 42}, "finish_reason": "stop"}
        ],
        "usage": _USAGE,
    },
    "tool call without function": {
        **_COMPLETION,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "tool_calls": [{"id": "t", "type": "function"}]},
                "finish_reason": "tool_calls",
            }
        ],
        "usage": _USAGE,
    },
}
_CHAT_STREAMS: dict[str, list[bytes]] = {
    "chunk choice with a number as delta": _sse(
        {**_CHUNK, "choices": [{"index": 0, "delta": 7, "finish_reason": None}]},
        {**_CHUNK, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
    ),
    "chunk tool call with a number as function": _sse(
        {
            **_CHUNK,
            "choices": [
                {
                    "index": 0,
                    "delta": {"tool_calls": [{"index": 0, "id": "t", "function": 3}]},
                    "finish_reason": None,
                }
            ],
        },
        {**_CHUNK, "choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]},
    ),
}

_MESSAGE = {
    "id": "msg_1",
    "type": "message",
    "role": "assistant",
    "model": "m",
    "stop_reason": "end_turn",
    "stop_sequence": None,
    "usage": {"input_tokens": 1, "output_tokens": 1},
}
_ANTHROPIC_BODIES: dict[str, Any] = {
    "no content": _MESSAGE,
    "text block without text": {**_MESSAGE, "content": [{"type": "text"}]},
    "content a string": {**_MESSAGE, "content": "hello"},
}

_COHERE_BODIES: dict[str, Any] = {
    "text a list": {"text": ["a"], "generation_id": "g", "finish_reason": "COMPLETE"},
    "tool call without name": {
        "text": "",
        "generation_id": "g",
        "finish_reason": "COMPLETE",
        "tool_calls": [{"parameters": {}}],
    },
}

_BEDROCK_BODIES: dict[str, Any] = {
    "content a string": {
        "output": {"message": {"role": "assistant", "content": "hi"}},
        "stopReason": "end_turn",
        "usage": {"inputTokens": 1, "outputTokens": 1, "totalTokens": 2},
    },
    "tool use without name": {
        "output": {"message": {"role": "assistant", "content": [{"toolUse": {"input": {}}}]}},
        "stopReason": "tool_use",
        "usage": {"inputTokens": 1, "outputTokens": 1, "totalTokens": 2},
    },
}


def _candidate(*parts: Any, finish: Any = "STOP") -> dict[str, Any]:
    return {"content": {"role": "model", "parts": list(parts)}, "finishReason": finish}


_GOOGLE_BODIES: dict[str, Any] = {
    "content a string": {"candidates": [{"content": "hello", "finishReason": "STOP"}]},
    "part text a number": {"candidates": [_candidate({"text": 42})]},
    "function call without name": {"candidates": [_candidate({"functionCall": {"args": {}}})]},
    "function call args a list": {
        "candidates": [_candidate({"functionCall": {"name": "FormatBook", "args": [1]}})]
    },
    "top-level list": [],
    "candidate a string": {"candidates": ["hello"]},
    "finish reason a number": {"candidates": [_candidate({"text": "hi"}, finish=7)]},
}

_RESPONSE = {
    "id": "resp_1",
    "object": "response",
    "created_at": 1,
    "status": "completed",
    "model": "m",
    "usage": {"input_tokens": 1, "output_tokens": 1, "total_tokens": 2},
}
_MESSAGE_ITEM = {"id": "msg_1", "type": "message", "role": "assistant", "status": "completed"}
_RESPONSES_BODIES: dict[str, Any] = {
    "top-level list": [],
    "output a number": {**_RESPONSE, "output": 3},
    "message content a number": {**_RESPONSE, "output": [{**_MESSAGE_ITEM, "content": 42}]},
    "output text a number": {
        **_RESPONSE,
        "output": [{**_MESSAGE_ITEM, "content": [{"type": "output_text", "text": 42}]}],
    },
    "function call without name": {
        **_RESPONSE,
        "output": [{"type": "function_call", "id": "fc_1", "call_id": "c", "arguments": "{}"}],
    },
}

BODIES: dict[str, dict[str, Any]] = {
    "openai": _CHAT_BODIES,
    "xai": _CHAT_BODIES,
    "google": _GOOGLE_BODIES,
    "groq": _CHAT_BODIES,
    "litellm": _CHAT_BODIES,
    "mistral": _CHAT_BODIES,
    "azure": _CHAT_BODIES,
    "anthropic": _ANTHROPIC_BODIES,
    "cohere": _COHERE_BODIES,
    "bedrock": _BEDROCK_BODIES,
    "openai.responses": _RESPONSES_BODIES,
}


def _events(*events: dict[str, Any]) -> list[bytes]:
    return [f"event: {e['type']}\ndata: {json.dumps(e)}\n\n".encode() for e in events]


_ANTHROPIC_STREAMS: dict[str, list[bytes]] = {
    "text delta without text": _events(
        {"type": "message_start", "message": {**_MESSAGE, "content": [], "stop_reason": None}},
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "a"}},
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta"}},
        {"type": "content_block_stop", "index": 0},
        {"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {}},
        {"type": "message_stop"},
    ),
}

_GOOGLE_STREAMS: dict[str, list[bytes]] = {
    "chunk part text a number": _sse(
        {"candidates": [_candidate({"text": "a"}, finish=None)]},
        {"candidates": [_candidate({"text": 42})]},
        done=False,
    ),
    "chunk function call without name": _sse(
        {"candidates": [_candidate({"text": "a"}, finish=None)]},
        {"candidates": [_candidate({"functionCall": {"args": {}}})]},
        done=False,
    ),
}

_PENDING = {**_RESPONSE, "status": "in_progress", "output": [], "usage": None}
_RESPONSES_STREAMS: dict[str, list[bytes]] = {
    "text delta a number": _events(
        {"type": "response.created", "sequence_number": 0, "response": _PENDING},
        {
            "type": "response.output_text.delta",
            "sequence_number": 1,
            "item_id": "msg_1",
            "output_index": 0,
            "content_index": 0,
            "delta": 7,
        },
        {
            "type": "response.completed",
            "sequence_number": 2,
            "response": {**_RESPONSE, "output": []},
        },
    ),
    "function call item without its call": _events(
        {"type": "response.created", "sequence_number": 0, "response": _PENDING},
        {"type": "response.output_item.added", "sequence_number": 1, "output_index": 0},
        {
            "type": "response.completed",
            "sequence_number": 2,
            "response": {**_RESPONSE, "output": []},
        },
    ),
    "completed without its response": _events(
        {"type": "response.created", "sequence_number": 0, "response": _PENDING},
        {"type": "response.completed", "sequence_number": 1},
    ),
}

STREAMS: dict[str, dict[str, list[bytes]]] = {
    "anthropic": _ANTHROPIC_STREAMS,
    "google": _GOOGLE_STREAMS,
    "xai": _CHAT_STREAMS,
    "litellm": _CHAT_STREAMS,
    "openai": _CHAT_STREAMS,
    "groq": _CHAT_STREAMS,
    "mistral": _CHAT_STREAMS,
    "azure": _CHAT_STREAMS,
    "openai.responses": _RESPONSES_STREAMS,
}
NOT_SCRIPTABLE = {
    "gemini": "its answers are protobuf messages (gRPC), in which every field reads as its "
    "default: the only odd answers are empty ones (test_faults.py::test_empty)",
    "vertex": "its answers are protobuf messages, in which every field reads as its default: "
    "the only odd answers are empty ones (test_faults.py::test_empty)",
}

_BARE = (AttributeError, TypeError, KeyError, IndexError, ValueError)


def _check(provider: ContractProvider, error: BaseException | None, what: str) -> None:
    assert error is not None, f"{provider.name}: {what} passed as an answer"
    if isinstance(error, MirascopeError):
        assert isinstance(error, UnexpectedResponseError), repr(error)
        assert error.raw is not None  # the SDK's object, to inspect
        if not isinstance(error, EmptyResponseError):
            assert str(error).startswith(f"{provider.name}: the "), str(error)
            assert isinstance(error.__cause__, _BARE)  # what the adapter tripped on
        return
    # otherwise the SDK refused the body itself, with its own error (botocore's parser
    # trips with a bare AttributeError of its own: still the SDK's, left as it raised it)
    assert not type(error).__module__.startswith("mirascope"), repr(error)
    where = _raised_in(error)
    assert MIRASCOPE not in where.parents, f"{provider.name}: {what}: {error!r} from {where}"


MIRASCOPE = Path(mirascope.__file__).resolve().parent


def _raised_in(error: BaseException) -> Path:
    """The file of the frame that raised ``error``."""
    tb = error.__traceback__
    assert tb is not None
    while tb.tb_next is not None:
        tb = tb.tb_next
    return Path(tb.tb_frame.f_code.co_filename).resolve()


def _table(table: dict[str, dict[str, Any]], provider: ContractProvider) -> dict[str, Any]:
    if provider.name in NOT_SCRIPTABLE:
        pytest.skip(f"{provider.name}: {NOT_SCRIPTABLE[provider.name]}")
    if provider.name not in table:
        pytest.skip(f"{provider.name} streams in a framing these cases do not script")
    return table[provider.name]


def test_odd_responses(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    for name, body in _table(BODIES, provider).items():
        server.enqueue(Reply(raw=Answer(200, JSON, json.dumps(body).encode())))
        reach = provider.no_retry_params(timeout=10) if provider.name == "litellm" else None
        options = {"call_params": reach} if reach else None
        out = _run(_decorate(module, provider, options, is_async), False, is_async)
        if out.error is None:  # a call answer may hold what fails only when read as a tool
            try:
                _ = out.result.tools
            except Exception as error:
                out.error = error
        _check(provider, out.error, name)


def test_odd_streams(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    for name, events in _table(STREAMS, provider).items():
        server.enqueue(Reply(raw=Answer(200, SSE, events=events)))
        reach = provider.no_retry_params(timeout=10) if provider.name == "litellm" else None
        options = {"call_params": reach} if reach else None
        out = _run(_decorate(module, provider, options, is_async, stream=True), True, is_async)
        _check(provider, out.error, name)
        if isinstance(out.error, UnexpectedResponseError):
            assert out.error.content == "".join(out.texts)  # what arrived is kept
