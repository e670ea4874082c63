"""Gemini through ``google-generativeai``: ``@gemini.call("gemini-1.5-flash")``, or
``@gemini.call("", client=GenerativeModel(model_name="gemini-1.5-flash"))`` to take the
model (and its settings) from a ``GenerativeModel``. Needs ``mirascope[gemini]``.

The SDK is configured as usual: ``GOOGLE_API_KEY`` (or ``GEMINI_API_KEY``), or
``genai.configure(api_key=..., transport=..., client_options={"api_endpoint": ...})``;
mirascope never changes that configuration.

Importing this module imports the SDK and nothing else: ``call`` and the types load on
first use (PEP 562), with pydantic, which this SDK does not load itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

try:
    from google.generativeai.generative_models import GenerativeModel as _GenerativeModel
except ImportError as _error:  # pragma: no cover - exercised in a venv without the extra
    from .._engine.extras import missing_extra

    raise missing_extra("gemini", _error) from _error

from .._lazy import load_on_first_use

if TYPE_CHECKING:
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

__getattr__, __dir__ = load_on_first_use(__name__, "Gemini", __all__)
