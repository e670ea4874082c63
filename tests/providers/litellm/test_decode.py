"""LiteLLM's decoders read its pydantic objects' field and extra dicts instead of their
attributes (pydantic's ``__getattr__`` is slow, and slower where it misses): the readings
must be the attribute reads' exactly, on objects built by litellm's own types."""

from __future__ import annotations

from typing import Any

import pytest

from mirascope.core._formats.openai_chat import decode_completion, decode_completion_chunk
from mirascope.core.litellm._adapter import ADAPTER, _attr, import_litellm

litellm: Any = import_litellm()
types: Any = litellm.types.utils

# the names the decoders read from the dicts; a class attribute of the same name would win
# over both dicts in an attribute read
DICT_READS = {
    "ModelResponse": ("usage",),
    "Message": ("reasoning_content",),
    "ChatCompletionMessageToolCall": ("id", "function"),
    "ModelResponseStream": ("choices", "usage"),
    "StreamingChoices": ("delta", "finish_reason"),
    "Delta": ("content", "tool_calls", "reasoning_content"),
}


@pytest.mark.parametrize(("cls_name", "names"), DICT_READS.items())
def test_no_name_read_from_the_dicts_is_a_class_attribute(
    cls_name: str, names: tuple[str, ...]
) -> None:
    cls = getattr(types, cls_name)
    on_class = {n for c in cls.__mro__ for n in vars(c)}
    assert [n for n in names if n in on_class] == []
    assert cls.model_config.get("extra") == "allow"


def _response(message: dict[str, Any], usage: bool = True, choices: int = 1) -> Any:
    body: dict[str, Any] = {
        "id": "chatcmpl-1",
        "model": "gpt-4o-mini",
        "choices": [
            {"index": i, "message": message, "finish_reason": "tool_calls" if i else "stop"}
            for i in range(choices)
        ],
    }
    if usage:
        body["usage"] = {"prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10}
    return litellm.ModelResponse(**body)


CALL = {
    "role": "assistant",
    "content": None,
    "tool_calls": [
        {"id": "call_1", "type": "function", "function": {"name": "F", "arguments": '{"a": 1}'}},
        {"id": "call_2", "type": "function", "function": {"name": "G", "arguments": "{}"}},
    ],
}
RESPONSES = {
    "text": _response({"role": "assistant", "content": "Hi"}),
    "text, no usage": _response({"role": "assistant", "content": "Hi"}, usage=False),
    "tool calls, two choices": _response(CALL, choices=2),
    "reasoning": _response(
        {"role": "assistant", "content": "Hi", "reasoning_content": "Let me think"}
    ),
    "empty reasoning": _response({"role": "assistant", "content": "Hi", "reasoning_content": ""}),
}


@pytest.mark.parametrize("raw", RESPONSES.values(), ids=list(RESPONSES))
def test_response_reads_as_the_attributes_read(raw: Any) -> None:
    expected = decode_completion(raw)  # every field through an attribute read
    reasoning = getattr(raw.choices[0].message, "reasoning_content", None)
    if reasoning:
        expected.thinking = ((reasoning, None),)
    decoded = ADAPTER.decode_response(raw)
    assert decoded == expected
    assert [r.raw for r in decoded.tool_calls] == [r.raw for r in expected.tool_calls]
    assert decoded.usage is not None or "usage" not in raw.__pydantic_extra__


def test_a_response_without_choices_reads_as_before() -> None:
    raw = litellm.ModelResponse(id="chatcmpl-1", model="m", choices=[])
    assert ADAPTER.decode_response(raw) == decode_completion(raw)


def test_attr_is_the_attribute_read() -> None:
    raw = RESPONSES["tool calls, two choices"]
    call = raw.choices[0].message.tool_calls[0]
    assert _attr(call, "id") == call.id == "call_1"
    assert _attr(call, "function") is call.function
    assert _attr(raw, "usage") is raw.usage
    assert _attr(raw, "model") == "gpt-4o-mini"
    assert _attr(raw, "nothing", None) is None
    with pytest.raises(AttributeError, match="nothing"):
        _attr(raw, "nothing")
    with pytest.raises(AttributeError):
        _attr(object(), "id")  # not a pydantic object: the attribute read and its error


def _chunk(delta: dict[str, Any] | None, finish: str | None = None, **more: Any) -> Any:
    choices = [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish}]
    return types.ModelResponseStream(id="chatcmpl-1", model="gpt-4o-mini", choices=choices, **more)


CHUNKS = {
    "text": _chunk({"content": "Hi"}),
    "first, role only": _chunk({"role": "assistant", "content": ""}),
    "finish": _chunk({"content": None}, "stop"),
    "text and finish": _chunk({"content": "end"}, "length"),
    "usage": _chunk(None, usage=types.Usage(prompt_tokens=7, completion_tokens=3)),
    "text and usage": _chunk(
        {"content": "Hi"}, usage=types.Usage(prompt_tokens=7, completion_tokens=3)
    ),
    "tool call": _chunk(
        {
            "content": None,
            "tool_calls": [
                {"index": 0, "id": "c1", "function": {"name": "F", "arguments": '{"a"'}}
            ],
        }
    ),
}


def _fields(delta: Any) -> dict[str, Any]:
    names = ("content", "common_usage", "finish_reason", "model", "id", "lost", "thinking")
    return {n: getattr(delta, n) for n in names} | {"tool_calls": list(delta.tool_calls)}


@pytest.mark.parametrize("chunk", CHUNKS.values(), ids=list(CHUNKS))
def test_chunk_reads_as_the_attributes_read(chunk: Any) -> None:
    decoded = ADAPTER.decode_chunk(chunk)
    expected = decode_completion_chunk(chunk)  # every field through an attribute read
    assert _fields(decoded) == _fields(expected)
    plain = type(expected.content) is str and bool(expected.content)
    plain = plain and not expected.tool_calls and expected.finish_reason is None
    assert (type(decoded) is ADAPTER.chunk_class) == (plain and expected.common_usage is None)


def test_chunk_reasoning_is_read() -> None:
    decoded = ADAPTER.decode_chunk(_chunk({"content": None, "reasoning_content": "hmm"}))
    assert (decoded.content, decoded.thinking) == ("", "hmm")
