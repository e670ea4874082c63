"""The shortcuts the protobuf chunk reader takes (shared by Gemini and Vertex AI): each must
give what the plain way gives."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from google.cloud.aiplatform_v1beta1.types import GenerateContentResponse as VertexResponse
from google.generativeai import protos
from google.protobuf import json_format

from mirascope.core._formats.google_content import _args, protobuf
from mirascope.core.base.usage import Usage


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
