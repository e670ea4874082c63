"""mirascope.core: the neutral vocabulary (messages, templates, tools, responses) and one
module per provider.

Every name loads on first use (PEP 562): importing this package imports neither pydantic
nor any vendor SDK, and ``from mirascope.core import openai`` loads only OpenAI's SDK."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import (
        anthropic,
        azure,
        bedrock,
        cohere,
        gemini,
        google,
        groq,
        litellm,
        mistral,
        openai,
        vertex,
        xai,
    )
    from ._engine.clients import reset_default_clients
    from .base import (
        BaseCallResponse,
        BaseCallResponseChunk,
        BaseDynamicConfig,
        BaseMessageParam,
        BaseStream,
        BaseTool,
        ClientKindError,
        ContentPart,
        EmptyPromptError,
        EmptyResponseError,
        ImagePart,
        IncompleteStreamError,
        InvalidCallError,
        InvalidTextError,
        Messages,
        MirascopeError,
        MissingCredentialsError,
        MissingExtraError,
        PromptTemplateError,
        TemplateFormatError,
        TextPart,
        ToolArgumentsError,
        ToolCallPart,
        ToolResultPart,
        UnexpectedResponseError,
        UnknownToolError,
        Usage,
        prompt_template,
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
    "google",
    "xai",
)
"""Provider modules, each behind its own extra: ``pip install "mirascope[<name>]"``."""

_BASE_NAMES = frozenset(
    {
        "BaseCallResponse",
        "BaseCallResponseChunk",
        "BaseDynamicConfig",
        "BaseMessageParam",
        "BaseStream",
        "BaseTool",
        "ClientKindError",
        "ContentPart",
        "EmptyPromptError",
        "EmptyResponseError",
        "IncompleteStreamError",
        "InvalidCallError",
        "InvalidTextError",
        "ImagePart",
        "Messages",
        "MirascopeError",
        "MissingCredentialsError",
        "MissingExtraError",
        "PromptTemplateError",
        "TemplateFormatError",
        "TextPart",
        "ToolArgumentsError",
        "ToolCallPart",
        "ToolResultPart",
        "UnexpectedResponseError",
        "UnknownToolError",
        "Usage",
        "prompt_template",
    }
)


def __getattr__(name: str) -> Any:
    if name in PROVIDERS:
        value: Any = importlib.import_module(f"{__name__}.{name}")
    elif name in _BASE_NAMES:
        value = getattr(importlib.import_module(f"{__name__}.base"), name)
    elif name == "reset_default_clients":
        value = importlib.import_module(f"{__name__}._engine.clients").reset_default_clients
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "BaseCallResponse",
    "BaseCallResponseChunk",
    "BaseDynamicConfig",
    "BaseMessageParam",
    "BaseStream",
    "BaseTool",
    "ClientKindError",
    "ContentPart",
    "EmptyPromptError",
    "EmptyResponseError",
    "IncompleteStreamError",
    "InvalidCallError",
    "InvalidTextError",
    "ImagePart",
    "Messages",
    "MirascopeError",
    "MissingCredentialsError",
    "MissingExtraError",
    "PromptTemplateError",
    "TemplateFormatError",
    "TextPart",
    "ToolArgumentsError",
    "ToolCallPart",
    "ToolResultPart",
    "UnexpectedResponseError",
    "UnknownToolError",
    "Usage",
    "anthropic",
    "azure",
    "bedrock",
    "cohere",
    "gemini",
    "google",
    "groq",
    "litellm",
    "mistral",
    "openai",
    "prompt_template",
    "reset_default_clients",
    "vertex",
    "xai",
]
