"""OpenAI chat completions: ``@openai.call("gpt-4o-mini")``; the Responses API:
``@openai.responses.call("gpt-4o-mini")``. Needs ``mirascope[openai]``."""

from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from . import responses


def __getattr__(name: str) -> Any:
    # the Responses API's module loads on first use: chat-only programs never import it
    if name == "responses":
        import importlib

        return importlib.import_module(f"{__name__}.responses")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    "responses",
]
