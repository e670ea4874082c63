"""mirascope.core: the neutral vocabulary (messages, templates, tools, responses) and one
module per provider.

Every name loads on first use (PEP 562): importing this package imports neither pydantic
nor any vendor SDK, and ``from mirascope.core import openai`` loads only OpenAI's SDK."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..llm._registry import LocalProvider, Provider
    from . import (
        anthropic,
        azure,
        base,
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
    from ._engine.limiter import RateLimit
    from ._engine.partial import StructuredStream
    from .base import (
        AudioPart,
        AudioURLPart,
        BaseCallResponse,
        BaseCallResponseChunk,
        BaseDynamicConfig,
        BaseMessageParam,
        BasePrompt,
        BaseStream,
        BaseTool,
        BaseToolKit,
        CacheControlPart,
        ClientKindError,
        ContentPart,
        DocumentPart,
        EmptyPromptError,
        EmptyResponseError,
        ImagePart,
        ImageURLPart,
        IncompleteStreamError,
        InvalidCallError,
        InvalidTextError,
        MediaError,
        Messages,
        Metadata,
        MirascopeError,
        MissingCredentialsError,
        MissingExtraError,
        PromptTemplateError,
        RefusalError,
        ResponseModelConfigDict,
        StreamConfig,
        TemplateFormatError,
        TextPart,
        ThinkingPart,
        ToolArgumentsError,
        ToolCallPart,
        ToolResultPart,
        TruncatedOutputError,
        UnexpectedResponseError,
        UnknownProviderError,
        UnknownToolError,
        UnsupportedPartError,
        Usage,
        merge_decorators,
        metadata,
        prompt_template,
        toolkit_tool,
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
        "AudioPart",
        "AudioURLPart",
        "BaseCallResponse",
        "BaseCallResponseChunk",
        "BaseDynamicConfig",
        "BaseMessageParam",
        "BasePrompt",
        "BaseStream",
        "BaseTool",
        "BaseToolKit",
        "CacheControlPart",
        "ClientKindError",
        "ContentPart",
        "DocumentPart",
        "EmptyPromptError",
        "EmptyResponseError",
        "ImagePart",
        "ImageURLPart",
        "IncompleteStreamError",
        "InvalidCallError",
        "InvalidTextError",
        "MediaError",
        "Messages",
        "Metadata",
        "MirascopeError",
        "MissingCredentialsError",
        "MissingExtraError",
        "PromptTemplateError",
        "RefusalError",
        "ResponseModelConfigDict",
        "StreamConfig",
        "TemplateFormatError",
        "TextPart",
        "ThinkingPart",
        "ToolArgumentsError",
        "ToolCallPart",
        "ToolResultPart",
        "TruncatedOutputError",
        "UnexpectedResponseError",
        "UnknownProviderError",
        "UnknownToolError",
        "UnsupportedPartError",
        "Usage",
        "merge_decorators",
        "metadata",
        "prompt_template",
        "toolkit_tool",
    }
)

_PROVIDER_TYPES = frozenset({"LocalProvider", "Provider"})
"""``llm.call``'s provider names, defined beside its registry (no pydantic to load)."""


def __getattr__(name: str) -> Any:
    if name in PROVIDERS:
        value: Any = importlib.import_module(f"{__name__}.{name}")
    elif name in _BASE_NAMES:
        value = getattr(importlib.import_module(f"{__name__}.base"), name)
    elif name == "StructuredStream":
        value = importlib.import_module(f"{__name__}._engine.partial").StructuredStream
    elif name in _PROVIDER_TYPES:
        value = getattr(importlib.import_module("mirascope.llm._registry"), name)
    elif name == "base":
        value = importlib.import_module(f"{__name__}.base")
    elif name == "RateLimit":
        value = importlib.import_module(f"{__name__}._engine.limiter").RateLimit
    elif name == "reset_default_clients":
        value = importlib.import_module(f"{__name__}._engine.clients").reset_default_clients
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "AudioPart",
    "AudioURLPart",
    "BaseCallResponse",
    "BaseCallResponseChunk",
    "BaseDynamicConfig",
    "BaseMessageParam",
    "BasePrompt",
    "BaseStream",
    "BaseTool",
    "BaseToolKit",
    "CacheControlPart",
    "ClientKindError",
    "ContentPart",
    "DocumentPart",
    "EmptyPromptError",
    "EmptyResponseError",
    "ImagePart",
    "ImageURLPart",
    "IncompleteStreamError",
    "InvalidCallError",
    "InvalidTextError",
    "LocalProvider",
    "MediaError",
    "Messages",
    "Metadata",
    "MirascopeError",
    "MissingCredentialsError",
    "MissingExtraError",
    "PromptTemplateError",
    "Provider",
    "RateLimit",
    "RefusalError",
    "ResponseModelConfigDict",
    "StreamConfig",
    "StructuredStream",
    "TemplateFormatError",
    "TextPart",
    "ThinkingPart",
    "ToolArgumentsError",
    "ToolCallPart",
    "ToolResultPart",
    "TruncatedOutputError",
    "UnexpectedResponseError",
    "UnknownProviderError",
    "UnknownToolError",
    "UnsupportedPartError",
    "Usage",
    "anthropic",
    "azure",
    "base",
    "bedrock",
    "cohere",
    "gemini",
    "google",
    "groq",
    "litellm",
    "merge_decorators",
    "metadata",
    "mistral",
    "openai",
    "prompt_template",
    "reset_default_clients",
    "toolkit_tool",
    "vertex",
    "xai",
]
