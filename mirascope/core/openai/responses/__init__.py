"""OpenAI's Responses API: ``@openai.responses.call("gpt-4o-mini")``, on the same clients as
``openai.call``. Needs ``mirascope[openai]`` (its parent package says so when missing)."""

import openai as _sdk

from ..._engine.decorator import CallFactory
from ._adapter import ADAPTER
from ._types import (
    AsyncOpenAIResponsesDynamicConfig,
    OpenAIResponsesCallParams,
    OpenAIResponsesCallResponse,
    OpenAIResponsesCallResponseChunk,
    OpenAIResponsesDynamicConfig,
    OpenAIResponsesStream,
    OpenAIResponsesTool,
)

call = CallFactory[
    OpenAIResponsesCallResponse,
    OpenAIResponsesStream,
    _sdk.OpenAI | _sdk.AsyncOpenAI,
    OpenAIResponsesCallParams,
](ADAPTER, OpenAIResponsesCallResponse, OpenAIResponsesStream, OpenAIResponsesCallParams)
"""Decorate a prompt function to call an OpenAI model through the Responses API."""

__all__ = [
    "AsyncOpenAIResponsesDynamicConfig",
    "OpenAIResponsesCallParams",
    "OpenAIResponsesCallResponse",
    "OpenAIResponsesCallResponseChunk",
    "OpenAIResponsesDynamicConfig",
    "OpenAIResponsesStream",
    "OpenAIResponsesTool",
    "call",
]
