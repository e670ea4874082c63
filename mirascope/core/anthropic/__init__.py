"""Anthropic messages: ``@anthropic.call("claude-3-5-sonnet-20240620")``. Needs
``mirascope[anthropic]``.

The default clients read ``ANTHROPIC_API_KEY`` (and ``ANTHROPIC_BASE_URL``)."""

from .._engine.extras import missing_extra

try:
    import anthropic as _sdk  # noqa: F401  # pyright: ignore[reportUnusedImport]
except ImportError as _error:  # pragma: no cover - exercised in a venv without the extra
    raise missing_extra("anthropic", _error) from _error

from .._engine.decorator import CallFactory
from ._adapter import ADAPTER
from ._types import (
    AnthropicCallParams,
    AnthropicCallResponse,
    AnthropicCallResponseChunk,
    AnthropicClient,
    AnthropicDynamicConfig,
    AnthropicStream,
    AnthropicTool,
    AnthropicToolConfig,
    AsyncAnthropicClient,
    AsyncAnthropicDynamicConfig,
)

call = CallFactory[
    AnthropicCallResponse,
    AnthropicStream,
    AnthropicClient | AsyncAnthropicClient,
    AnthropicCallParams,
](ADAPTER, AnthropicCallResponse, AnthropicStream, AnthropicCallParams)
"""Decorate a prompt function to call an Anthropic model."""

__all__ = [
    "AnthropicCallParams",
    "AnthropicCallResponse",
    "AnthropicCallResponseChunk",
    "AnthropicDynamicConfig",
    "AnthropicStream",
    "AnthropicTool",
    "AnthropicToolConfig",
    "AsyncAnthropicDynamicConfig",
    "call",
]
