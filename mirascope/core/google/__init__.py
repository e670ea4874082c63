"""Google's Gemini models through ``google-genai``, Google's current SDK:
``@google.call("gemini-2.5-flash")``. Needs ``mirascope[google]``.

The default client is ``genai.Client()``, which reads ``GOOGLE_API_KEY`` (or
``GEMINI_API_KEY``) for the Gemini API, or, with ``GOOGLE_GENAI_USE_VERTEXAI=true``,
``GOOGLE_CLOUD_PROJECT``, ``GOOGLE_CLOUD_LOCATION`` and Application Default Credentials for
Vertex AI. Pass ``client=genai.Client(...)`` (``vertexai=True, project=..., location=...``
for Vertex AI) to choose; async calls go through its ``.aio``."""

from .._engine.extras import missing_extra

try:
    from google.genai.client import AsyncClient as _AsyncClient
    from google.genai.client import Client as _Client
except ImportError as _error:  # pragma: no cover - exercised in a venv without the extra
    raise missing_extra("google", _error) from _error

from .._engine.decorator import CallFactory
from ._adapter import ADAPTER
from ._types import (
    AsyncGoogleDynamicConfig,
    GoogleCallParams,
    GoogleCallResponse,
    GoogleCallResponseChunk,
    GoogleDynamicConfig,
    GoogleStream,
    GoogleTool,
)

call = CallFactory[
    GoogleCallResponse,
    GoogleStream,
    _Client | _AsyncClient,
    GoogleCallParams,
](ADAPTER, GoogleCallResponse, GoogleStream, GoogleCallParams)
"""Decorate a prompt function to call a Gemini model through ``google-genai``."""

__all__ = [
    "AsyncGoogleDynamicConfig",
    "GoogleCallParams",
    "GoogleCallResponse",
    "GoogleCallResponseChunk",
    "GoogleDynamicConfig",
    "GoogleStream",
    "GoogleTool",
    "call",
]
