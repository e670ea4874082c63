"""Groq chat completions: ``@groq.call("llama-3.1-70b-versatile")``. Needs ``mirascope[groq]``.

The default clients are ``groq.Groq()`` and ``groq.AsyncGroq()``, which read
``GROQ_API_KEY`` and ``GROQ_BASE_URL`` from the environment."""

from .._engine.extras import missing_extra

try:
    import groq as _sdk
except ImportError as _error:  # pragma: no cover - exercised in a venv without the extra
    raise missing_extra("groq", _error) from _error

from .._engine.decorator import CallFactory
from ._adapter import ADAPTER
from ._types import (
    AsyncGroqDynamicConfig,
    GroqCallParams,
    GroqCallResponse,
    GroqCallResponseChunk,
    GroqDynamicConfig,
    GroqStream,
    GroqTool,
)

call = CallFactory[
    GroqCallResponse,
    GroqStream,
    _sdk.Groq | _sdk.AsyncGroq,
    GroqCallParams,
](ADAPTER, GroqCallResponse, GroqStream, GroqCallParams)
"""Decorate a prompt function to call a model on Groq."""

__all__ = [
    "AsyncGroqDynamicConfig",
    "GroqCallParams",
    "GroqCallResponse",
    "GroqCallResponseChunk",
    "GroqDynamicConfig",
    "GroqStream",
    "GroqTool",
    "call",
]
