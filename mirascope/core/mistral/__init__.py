"""Mistral chat: ``@mistral.call("mistral-large-latest")``. Needs ``mirascope[mistral]``.

The default client reads ``MISTRAL_API_KEY`` and, optionally, ``MISTRAL_SERVER_URL`` (the
server to talk to instead of https://api.mistral.ai)."""

from .._engine.extras import missing_extra

try:
    from ._types import Mistral
except ImportError as _error:  # pragma: no cover - exercised in a venv without the extra
    raise missing_extra("mistral", _error) from _error

from .._engine.decorator import CallFactory
from ._adapter import ADAPTER
from ._types import (
    AsyncMistralDynamicConfig,
    MistralCallParams,
    MistralCallResponse,
    MistralCallResponseChunk,
    MistralDynamicConfig,
    MistralStream,
    MistralTool,
)

call = CallFactory[MistralCallResponse, MistralStream, Mistral, MistralCallParams](
    ADAPTER, MistralCallResponse, MistralStream, MistralCallParams
)
"""Decorate a prompt function (``def`` or ``async def``) to call a Mistral chat model."""

__all__ = [
    "AsyncMistralDynamicConfig",
    "MistralCallParams",
    "MistralCallResponse",
    "MistralCallResponseChunk",
    "MistralDynamicConfig",
    "MistralStream",
    "MistralTool",
    "call",
]
