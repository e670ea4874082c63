"""xAI's Grok models through its OpenAI-compatible API: ``@xai.call("grok-3")``. Needs
``mirascope[xai]`` (the ``openai`` SDK).

The default clients are ``OpenAI(base_url="https://api.x.ai/v1", api_key=...)`` and its
``AsyncOpenAI`` twin, with the key read from ``XAI_API_KEY`` (and the URL from
``XAI_BASE_URL`` when set). A custom client is an ``openai.OpenAI`` / ``openai.AsyncOpenAI``
pointed at xAI."""

from .._engine.extras import missing_extra

try:
    import openai as _sdk
except ImportError as _error:  # pragma: no cover - exercised in a venv without the extra
    raise missing_extra("xai", _error) from _error

from .._engine.decorator import CallFactory
from ._adapter import ADAPTER
from ._types import (
    AsyncXAIDynamicConfig,
    XAICallParams,
    XAICallResponse,
    XAICallResponseChunk,
    XAIDynamicConfig,
    XAIStream,
    XAITool,
)

call = CallFactory[
    XAICallResponse,
    XAIStream,
    _sdk.OpenAI | _sdk.AsyncOpenAI,
    XAICallParams,
](ADAPTER, XAICallResponse, XAIStream, XAICallParams)
"""Decorate a prompt function to call a Grok model on xAI."""

__all__ = [
    "AsyncXAIDynamicConfig",
    "XAICallParams",
    "XAICallResponse",
    "XAICallResponseChunk",
    "XAIDynamicConfig",
    "XAIStream",
    "XAITool",
    "call",
]
