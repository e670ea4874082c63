"""Vertex AI's Gemini models through ``vertexai.generative_models``:
``@vertex.call("gemini-1.5-flash")``, or ``@vertex.call("",
client=GenerativeModel(model_name="gemini-1.5-flash"))`` to take the model (and its
settings) from a ``GenerativeModel``. Needs ``mirascope[vertex]``.

The SDK is configured as usual: ``vertexai.init(project=..., location=...)`` or
``GOOGLE_CLOUD_PROJECT`` and ``GOOGLE_CLOUD_REGION`` (or ``CLOUD_ML_REGION``) with
Application Default Credentials (``GOOGLE_APPLICATION_CREDENTIALS``); the endpoint and
transport through ``vertexai.init(api_endpoint=..., api_transport=...)``. mirascope never
changes that configuration. Importing this module imports ``vertexai`` (seconds) and
nothing else: ``call`` and the types load on first use (PEP 562), with pydantic, which
this SDK does not load itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

try:
    import vertexai.generative_models  # noqa: F401  # pyright: ignore[reportUnusedImport]
except ImportError as _error:  # pragma: no cover - exercised in a venv without the extra
    from .._engine.extras import missing_extra

    raise missing_extra("vertex", _error) from _error

from .._lazy import load_on_first_use

if TYPE_CHECKING:
    from .._engine.decorator import CallFactory
    from ._adapter import ADAPTER
    from ._types import (
        AsyncVertexDynamicConfig,
        VertexCallParams,
        VertexCallResponse,
        VertexCallResponseChunk,
        VertexClient,
        VertexDynamicConfig,
        VertexStream,
        VertexTool,
    )

    call = CallFactory[
        VertexCallResponse,
        VertexStream,
        VertexClient,
        VertexCallParams,
    ](ADAPTER, VertexCallResponse, VertexStream, VertexCallParams)
    """Decorate a prompt function to call a Gemini model on Vertex AI."""


__all__ = [
    "AsyncVertexDynamicConfig",
    "VertexCallParams",
    "VertexCallResponse",
    "VertexCallResponseChunk",
    "VertexClient",
    "VertexDynamicConfig",
    "VertexStream",
    "VertexTool",
    "call",
]

__getattr__, __dir__ = load_on_first_use(__name__, "Vertex", __all__)
