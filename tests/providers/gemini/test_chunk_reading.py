"""The shortcuts the protobuf chunk reader takes (shared by Gemini and Vertex AI): each must
give what the plain way gives."""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Sequence
from typing import Any

import pytest
from google.cloud.aiplatform_v1beta1.types import GenerateContentResponse as VertexResponse
from google.generativeai import protos
from google.generativeai.types import GenerateContentResponse
from google.protobuf import json_format
from vertexai.generative_models import GenerationResponse

from mirascope.core import gemini
from mirascope.core._engine.accumulate import Accumulator
from mirascope.core._engine.adapter import CallPlan
from mirascope.core._engine.records import Delta, ToolCallRecord
from mirascope.core._engine.streaming import StreamRun
from mirascope.core._formats.google_content import _args, decode_chunk, protobuf
from mirascope.core.base.messages import GOOGLE_SIGNATURE
from mirascope.core.base.usage import Usage
from mirascope.core.gemini import GeminiCallResponseChunk
from mirascope.core.gemini._adapter import ADAPTER as GEMINI
from mirascope.core.vertex._adapter import ADAPTER as VERTEX


def test_usage_made_through_its_slots_is_the_frozen_dataclass() -> None:
    raw = object()
    usage = Usage(12, 3, None, raw)
    assert type(usage) is Usage
    assert usage == Usage(input_tokens=12, output_tokens=3, raw=object())  # raw not compared
    assert dataclasses.replace(usage, output_tokens=4) == Usage(12, 4)
    for name in ("input_tokens", "raw"):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(usage, name, 1)
    assert (usage.input_tokens, usage.output_tokens, usage.cached_tokens) == (12, 3, None)
    assert usage.raw is raw
    assert usage.total_tokens == 15
    # every field set (a field added to Usage must be set by its __init__ too)
    assert [f.name for f in dataclasses.fields(Usage)] == [
        "input_tokens",
        "output_tokens",
        "cached_tokens",
        "raw",
    ]


def test_protobuf_is_the_message_under_proto_plus() -> None:
    for message in (protos.GenerateContentResponse(model_version="m"), VertexResponse()):
        assert protobuf(message) is type(message).pb(message)


def _call(args: dict[str, object]) -> Any:
    return protos.FunctionCall(name="Book", args=args)._pb


def test_arguments_read_as_json_format_reads_them() -> None:
    args: dict[str, object] = {
        "title": "Dune",
        "pages": 412,
        "rating": 4.5,
        "ok": True,
        "none": None,
        "tags": ["a", 1, False, None, {"deep": [["x"]]}],
        "nested": {"k": {"j": -0.0}},
        "empty": {},
        "nothing": [],
    }
    call = _call(args)
    read = _args(call)
    assert read == json_format.MessageToDict(call.args)
    assert list(read) == list(json_format.MessageToDict(call.args))
    assert type(read["pages"]) is float and read["pages"] == 412.0  # Struct has no int
    assert read["tags"] == ["a", 1.0, False, None, {"deep": [["x"]]}]


def test_arguments_with_a_number_json_cannot_carry_are_refused() -> None:
    with pytest.raises(ValueError, match="inf"):
        _args(_call({"n": float("inf")}))
    with pytest.raises(ValueError):
        json_format.MessageToDict(_call({"n": float("inf")}).args)


# -- the text-first chunk reader: a text chunk the short way, any other the plain way -----

_TEXT = {"candidates": [{"content": {"role": "model", "parts": [{"text": "Hi"}]}}]}
_USAGE = {"prompt_token_count": 7, "candidates_token_count": 2, "cached_content_token_count": 5}


def _gemini(response: dict[str, Any]) -> GenerateContentResponse:
    return GenerateContentResponse.from_response(protos.GenerateContentResponse(response))


def _vertex(response: dict[str, Any]) -> GenerationResponse:
    return GenerationResponse.from_dict(response)


def _read(delta: Delta) -> tuple[object, ...]:
    usage = delta.common_usage
    return (
        delta.content,
        delta.tool_calls,
        usage,
        None if usage is None else usage.raw,
        delta.finish_reason,
        delta.model,
        delta.id,
        delta.lost,
        delta.whole_text,
        delta.thinking,
        delta.signature,
    )


def _both_ways(adapter: Any, chunk: object) -> tuple[Delta, Delta]:
    """What the adapter's chunk reader gives, and what the plain reader gives."""
    return adapter.decode_chunk(chunk), decode_chunk(
        protobuf(getattr(chunk, adapter.wrapped)), adapter.thoughts
    )


@pytest.mark.parametrize(
    ("adapter", "make", "extra"),
    [(GEMINI, _gemini, {}), (VERTEX, _vertex, {"response_id": "r-1"})],
    ids=["gemini", "vertex"],
)
@pytest.mark.parametrize("usage", [_USAGE, None], ids=["usage", "no usage"])
def test_a_text_chunk_is_a_plain_delta_with_what_the_plain_way_reads(
    adapter: Any, make: Any, extra: dict[str, object], usage: dict[str, int] | None
) -> None:
    response: dict[str, Any] = {**_TEXT, "model_version": "gemini-x", **extra}
    if usage is not None:
        response["usage_metadata"] = usage
    short, plain = _both_ways(adapter, make(response))
    assert type(short) is adapter.chunk_class and type(plain) is Delta
    assert _read(short) == _read(plain)
    assert short.content == "Hi" and short.model == "gemini-x"
    assert short.id == extra.get("response_id")
    assert short.common_usage == (None if usage is None else Usage(7, 2, 5))
    # the text reader: the text alone, its usage left for chunk_usage to read when asked
    chunk = make(response)
    assert adapter.decode_text_chunk(chunk) == "Hi"
    assert adapter.chunk_usage(chunk) == (None if usage is None else Usage(7, 2, 5))


def _dicts() -> int:
    return sum(1 for o in gc.get_objects() if type(o) is dict)


@pytest.mark.parametrize(("adapter", "make"), [(GEMINI, _gemini), (VERTEX, _vertex)])
def test_reading_chunks_builds_the_sdks_objects_no_dict(adapter: Any, make: Any) -> None:
    # an object's __dict__, read, is built as a dict that lives as long as the object: the
    # SDKs keep every chunk of a stream, so each would be one more object the collector
    # tracks (Gemini streams paid 40 % more young collections so)
    chunks = [make({**_TEXT, "model_version": "m", "usage_metadata": _USAGE}) for _ in range(40)]
    adapter.decode_chunk(chunks[0])  # first reads fill caches
    adapter.protobuf(chunks[0])
    gc.collect()
    gc.disable()
    try:
        before = _dicts()
        for chunk in chunks[1:]:
            assert adapter.decode_chunk(chunk).content == "Hi"
            assert adapter.protobuf(chunk) is protobuf(getattr(chunk, adapter.wrapped))
        assert _dicts() == before
    finally:
        gc.enable()


_NOT_PLAIN = {
    "finish": {"candidates": [{**_TEXT["candidates"][0], "finish_reason": "STOP"}]},
    "two parts": {
        "candidates": [{"content": {"role": "model", "parts": [{"text": "a"}, {"text": "b"}]}}]
    },
    "call": {
        "candidates": [{"content": {"role": "model", "parts": [{"function_call": {"name": "f"}}]}}]
    },
    "empty text": {"candidates": [{"content": {"role": "model", "parts": [{"text": ""}]}}]},
    "no candidate": {"usage_metadata": _USAGE},
}
_VERTEX_ONLY = {
    "thought": {
        "candidates": [{"content": {"role": "model", "parts": [{"text": "hmm", "thought": True}]}}]
    },
    "signed": {
        "candidates": [
            {"content": {"role": "model", "parts": [{"text": "Hi", "thought_signature": "c2ln"}]}}
        ]
    },
}


@pytest.mark.parametrize(
    ("sdk", "case"),
    # google-generativeai's parts have no thought fields: those chunks are Vertex AI's
    [*(("gemini", c) for c in _NOT_PLAIN), *(("vertex", c) for c in [*_NOT_PLAIN, *_VERTEX_ONLY])],
)
def test_any_other_chunk_is_read_the_plain_way(sdk: str, case: str) -> None:
    adapter: Any = GEMINI if sdk == "gemini" else VERTEX
    make = _gemini if sdk == "gemini" else _vertex
    response = {**_NOT_PLAIN, **_VERTEX_ONLY}[case]
    short, plain = _both_ways(adapter, make({**response, "model_version": "m"}))
    assert type(short) is Delta
    assert _read(short) == _read(plain)
    # nor does the text reader take it for a text alone
    alone = adapter.decode_text_chunk(make({**response, "model_version": "m"}))
    assert type(alone) is Delta and _read(alone) == _read(plain)
    if case == "thought":
        assert (short.content, short.thinking) == ("", "hmm")
    if case == "signed":
        assert (short.content, short.signature) == ("Hi", GOOGLE_SIGNATURE + "c2ln")


class _CountingAccumulator(Accumulator):
    __slots__ = ("fed",)

    def __init__(self, usage_of: Any = None) -> None:
        super().__init__(None, usage_of)
        self.fed = 0

    def feed(self, delta: Delta) -> Sequence[ToolCallRecord]:
        self.fed += 1
        return super().feed(delta)


def test_a_stream_without_an_id_takes_the_short_way_once_its_model_is_known() -> None:
    # Gemini's chunks name a model and never an id: feed reads the first and the last
    # (gemini's `call`, made on first use, gives the adapter its stream's chunk class, as a
    # user's first call does: the short way is for chunks made as it)
    assert gemini.call is not None
    assert GEMINI.chunk_class is GeminiCallResponseChunk

    def chunk(
        text: str, output: int, cached: int, finish: str | None = None
    ) -> GenerateContentResponse:
        candidate: dict[str, Any] = {"content": {"role": "model", "parts": [{"text": text}]}}
        if finish:
            candidate["finish_reason"] = finish
        usage = {"prompt_token_count": 7, "candidates_token_count": output}
        if cached:
            usage["cached_content_token_count"] = cached
        return _gemini(
            {"candidates": [candidate], "usage_metadata": usage, "model_version": "gemini-x"}
        )

    # the cached count only in the first chunks: merged as feed merges it (kept)
    chunks = [chunk("a", 1, 5), chunk("b", 2, 5), chunk("c", 3, 0), chunk("d", 4, 0, "STOP")]
    plan = CallPlan("gemini-x", [], (), {}, None)
    run = StreamRun(iter(chunks), plan, GEMINI)
    # the text chunks' usage left unread, read off the last when asked for
    assert run.acc.usage_of is not None
    counting = run.acc = _CountingAccumulator(run.acc.usage_of)
    seen = [
        (c.content, c.input_tokens, c.output_tokens, c.cached_tokens, c.chunk)
        for c, _ in run.iterate(GeminiCallResponseChunk)
    ]
    assert seen == [
        ("a", 7, 1, 5, chunks[0]),
        ("b", 7, 2, 5, chunks[1]),
        ("c", 7, 3, None, chunks[2]),
        ("d", 7, 4, None, chunks[3]),
    ]
    assert counting.fed == 2
    assert (counting.content, counting.model, counting.id) == ("abcd", "gemini-x", None)
    assert counting.finish_reasons == ["STOP"]
    assert counting.usage == Usage(7, 4, 5)
