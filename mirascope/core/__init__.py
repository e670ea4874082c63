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
        groq,
        litellm,
        mistral,
        openai,
        vertex,
    )
    from ._engine.clients import reset_default_clients
    from ._engine.limiter import RateLimit
    from ._engine.partial import StructuredStream
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
        RefusalError,
        ResponseModelConfigDict,
        TemplateFormatError,
        TextPart,
        ToolArgumentsError,
        ToolCallPart,
        ToolResultPart,
        TruncatedOutputError,
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
        "RefusalError",
        "ResponseModelConfigDict",
        "TemplateFormatError",
        "TextPart",
        "ToolArgumentsError",
        "ToolCallPart",
        "ToolResultPart",
        "TruncatedOutputError",
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
    elif name == "StructuredStream":
        value = importlib.import_module(f"{__name__}._engine.partial").StructuredStream
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
    "RateLimit",
    "RefusalError",
    "ResponseModelConfigDict",
    "StructuredStream",
    "TemplateFormatError",
    "TextPart",
    "ToolArgumentsError",
    "ToolCallPart",
    "ToolResultPart",
    "TruncatedOutputError",
    "UnexpectedResponseError",
    "UnknownToolError",
    "Usage",
    "anthropic",
    "azure",
    "bedrock",
    "cohere",
    "gemini",
    "groq",
    "litellm",
    "mistral",
    "openai",
    "prompt_template",
    "reset_default_clients",
    "vertex",
]
