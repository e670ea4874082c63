"""Cohere chat: ``@cohere.call("command-r-plus")``. Needs ``mirascope[cohere]``.

A ``cohere.Client`` / ``AsyncClient`` (the default) speaks the v1 chat API; pass a
``cohere.ClientV2`` / ``AsyncClientV2`` as ``client`` to use the v2 chat API."""

from .._engine.extras import missing_extra

try:
    import cohere as _sdk
except ImportError as _error:  # pragma: no cover - exercised in a venv without the extra
    raise missing_extra("cohere", _error) from _error

from .._engine.decorator import CallFactory
from ._adapter import ADAPTER
from ._types import (
    AsyncCohereDynamicConfig,
    CohereCallParams,
    CohereCallResponse,
    CohereCallResponseChunk,
    CohereDynamicConfig,
    CohereStream,
    CohereTool,
)

call = CallFactory[
    CohereCallResponse,
    CohereStream,
    _sdk.Client | _sdk.AsyncClient,
    CohereCallParams,
](ADAPTER, CohereCallResponse, CohereStream, CohereCallParams)
"""Decorate a prompt function to call a Cohere chat model."""

__all__ = [
    "AsyncCohereDynamicConfig",
    "CohereCallParams",
    "CohereCallResponse",
    "CohereCallResponseChunk",
    "CohereDynamicConfig",
    "CohereStream",
    "CohereTool",
    "call",
]
