"""Gemini through ``google-generativeai``: ``@gemini.call("gemini-1.5-flash")``, or
``@gemini.call("", client=GenerativeModel(model_name="gemini-1.5-flash"))`` to take the
model (and its settings) from a ``GenerativeModel``. Needs ``mirascope[gemini]``.

The SDK is configured as usual: ``GOOGLE_API_KEY`` (or ``GEMINI_API_KEY``), or
``genai.configure(api_key=..., transport=..., client_options={"api_endpoint": ...})``;
mirascope never changes that configuration."""

from .._engine.extras import missing_extra

try:
    from google.generativeai.generative_models import GenerativeModel as _GenerativeModel
except ImportError as _error:  # pragma: no cover - exercised in a venv without the extra
    raise missing_extra("gemini", _error) from _error

from .._engine.decorator import CallFactory
from ._adapter import ADAPTER
from ._types import (
    AsyncGeminiDynamicConfig,
    GeminiCallParams,
    GeminiCallResponse,
    GeminiCallResponseChunk,
    GeminiDynamicConfig,
    GeminiStream,
    GeminiTool,
)

call = CallFactory[
    GeminiCallResponse,
    GeminiStream,
    _GenerativeModel,
    GeminiCallParams,
](ADAPTER, GeminiCallResponse, GeminiStream, GeminiCallParams)
"""Decorate a prompt function to call a Gemini model."""

__all__ = [
    "AsyncGeminiDynamicConfig",
    "GeminiCallParams",
    "GeminiCallResponse",
    "GeminiCallResponseChunk",
    "GeminiDynamicConfig",
    "GeminiStream",
    "GeminiTool",
    "call",
]
