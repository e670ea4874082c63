"""OpenAI chat completions: ``@openai.call("gpt-4o-mini")``. Needs ``mirascope[openai]``."""

from .._engine.extras import missing_extra

try:
    import openai as _sdk
except ImportError as _error:  # pragma: no cover - exercised in a venv without the extra
    raise missing_extra("openai", _error) from _error

from .._engine.decorator import CallFactory
from ._adapter import ADAPTER
from ._types import (
    AsyncOpenAIDynamicConfig,
    OpenAICallParams,
    OpenAICallResponse,
    OpenAICallResponseChunk,
    OpenAIDynamicConfig,
    OpenAIStream,
    OpenAITool,
    OpenAIToolConfig,
)

call = CallFactory[
    OpenAICallResponse,
    OpenAIStream,
    _sdk.OpenAI | _sdk.AsyncOpenAI,
    OpenAICallParams,
](ADAPTER, OpenAICallResponse, OpenAIStream, OpenAICallParams)
"""Decorate a prompt function to call an OpenAI chat model."""

__all__ = [
    "AsyncOpenAIDynamicConfig",
    "OpenAICallParams",
    "OpenAICallResponse",
    "OpenAICallResponseChunk",
    "OpenAIDynamicConfig",
    "OpenAIStream",
    "OpenAITool",
    "OpenAIToolConfig",
    "call",
]
