"""The shortcuts the protobuf chunk reader takes (shared by Gemini and Vertex AI): each must
give what the plain way gives."""

from __future__ import annotations

import dataclasses

import pytest
from google.cloud.aiplatform_v1beta1.types import GenerateContentResponse as VertexResponse
from google.generativeai import protos

from mirascope.core._formats.google_content import protobuf
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
