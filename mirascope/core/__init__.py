"""mirascope.core: the neutral vocabulary, plus one module per provider, loaded on first use
so that importing this package imports no vendor SDK."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._engine.clients import reset_default_clients  # after base: the engine builds on it
from .base import (
    BaseCallResponse,
    BaseCallResponseChunk,
    BaseDynamicConfig,
    BaseMessageParam,
    BaseStream,
    BaseTool,
    ClientKindError,
    ContentPart,
    ImagePart,
    Messages,
    MirascopeError,
    MissingExtraError,
    PromptTemplateError,
    TextPart,
    ToolArgumentsError,
    ToolCallPart,
    ToolResultPart,
    UnknownToolError,
    Usage,
    prompt_template,
)

if TYPE_CHECKING:
    from . import (
        anthropic,
        azure,
        bedrock,
        cohere,
        gemini,
        groq,
        litellm,
        mistral,
        openai,
        vertex,
    )

PROVIDERS = (
    "openai",
    "anthropic",
    "mistral",
    "gemini",
    "groq",
    "cohere",
    "litellm",
    "azure",
    "vertex",
    "bedrock",
)
"""Provider modules, each behind its own extra: ``pip install "mirascope[<name>]"``."""


def __getattr__(name: str) -> Any:
    if name in PROVIDERS:
        module = importlib.import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BaseCallResponse",
    "BaseCallResponseChunk",
    "BaseDynamicConfig",
    "BaseMessageParam",
    "BaseStream",
    "BaseTool",
    "ClientKindError",
    "ContentPart",
    "ImagePart",
    "Messages",
    "MirascopeError",
    "MissingExtraError",
    "PromptTemplateError",
    "TextPart",
    "ToolArgumentsError",
    "ToolCallPart",
    "ToolResultPart",
    "UnknownToolError",
    "Usage",
    "openai",
    "anthropic",
    "mistral",
    "gemini",
    "groq",
    "cohere",
    "litellm",
    "azure",
    "vertex",
    "bedrock",
    "prompt_template",
    "reset_default_clients",
]
