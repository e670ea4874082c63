"""Offline testing: fake vendor servers on 127.0.0.1 that speak each vendor's wire
protocol, so the real SDKs (and so mirascope) can be exercised without a network.

    from mirascope.testing import FakeOpenAI, Reply, ToolCall

    with FakeOpenAI() as server:
        server.enqueue(Reply(text="Hello"))
        client = OpenAI(base_url=server.url + "/v1", api_key="test")

Each fake lives in its own module and is imported on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._server import FAKE_SIGNATURE, Answer, FakeServer, RecordedRequest, Reply, ToolCall

if TYPE_CHECKING:
    from .anthropic_messages import FakeAnthropic
    from .azure_inference import FakeAzure
    from .bedrock_converse import FakeBedrock
    from .cohere_chat import FakeCohere
    from .google_genai import FakeGemini, FakeGoogle, FakeVertex
    from .mistral_chat import FakeMistral
    from .openai_chat import FakeOpenAI

_FAKES = {
    "FakeOpenAI": "openai_chat",
    "FakeAnthropic": "anthropic_messages",
    "FakeMistral": "mistral_chat",
    "FakeCohere": "cohere_chat",
    "FakeGemini": "google_genai",
    "FakeVertex": "google_genai",
    "FakeGoogle": "google_genai",
    "FakeAzure": "azure_inference",
    "FakeBedrock": "bedrock_converse",
}


def __getattr__(name: str) -> Any:
    module = _FAKES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "FAKE_SIGNATURE",
    "Answer",
    "FakeAnthropic",
    "FakeAzure",
    "FakeBedrock",
    "FakeCohere",
    "FakeGemini",
    "FakeGoogle",
    "FakeMistral",
    "FakeOpenAI",
    "FakeServer",
    "FakeVertex",
    "RecordedRequest",
    "Reply",
    "ToolCall",
]
