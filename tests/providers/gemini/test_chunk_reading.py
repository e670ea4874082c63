"""The shortcuts the protobuf chunk reader takes (shared by Gemini and Vertex AI): each must
give what the plain way gives."""

from __future__ import annotations

import dataclasses

from google.cloud.aiplatform_v1beta1.types import GenerateContentResponse as VertexResponse
from google.generativeai import protos

from mirascope.core._formats.google_content import new_usage, protobuf
from mirascope.core.base.usage import Usage


def test_new_usage_is_the_dataclass_made_through_its_slots() -> None:
    raw = object()
    usage = new_usage(12, 3, None, raw)
    assert type(usage) is Usage
    assert usage == Usage(12, 3, None, raw)
    assert (usage.input_tokens, usage.output_tokens, usage.cached_tokens) == (12, 3, None)
    assert usage.raw is raw
    assert usage.total_tokens == 15
    # every field set (a field added to Usage must be set by new_usage too)
    assert [f.name for f in dataclasses.fields(Usage)] == [
        "input_tokens",
        "output_tokens",
        "cached_tokens",
        "raw",
    ]


def test_protobuf_is_the_message_under_proto_plus() -> None:
    for message in (protos.GenerateContentResponse(model_version="m"), VertexResponse()):
        assert protobuf(message) is type(message).pb(message)
