"""mirascope: plain Python functions as LLM calls, through each vendor's own SDK.

``from mirascope import llm, prompt_template, Messages, BaseTool, ...`` as in Mirascope v1.
Every name loads on first use (PEP 562): ``import mirascope`` imports neither pydantic nor
any vendor SDK."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import core, llm, retries
    from .core.base import (
        BaseDynamicConfig,
        BaseMessageParam,
        BaseTool,
        ImagePart,
        Messages,
        TextPart,
        ToolCallPart,
        ToolResultPart,
        prompt_template,
    )
    from .llm._registry import LocalProvider, Provider

__version__ = "0.1.0"

_CORE_NAMES = frozenset(
    {
        "BaseDynamicConfig",
        "BaseMessageParam",
        "BaseTool",
        "ImagePart",
        "LocalProvider",
        "Messages",
        "Provider",
        "TextPart",
        "ToolCallPart",
        "ToolResultPart",
        "prompt_template",
    }
)
_MODULES = frozenset({"core", "llm", "retries"})


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        value: Any = importlib.import_module(f"{__name__}.{name}")
    elif name in _CORE_NAMES:
        value = getattr(importlib.import_module(f"{__name__}.core"), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "BaseDynamicConfig",
    "BaseMessageParam",
    "BaseTool",
    "ImagePart",
    "LocalProvider",
    "Messages",
    "Provider",
    "TextPart",
    "ToolCallPart",
    "ToolResultPart",
    "__version__",
    "core",
    "llm",
    "retries",
    "prompt_template",
]
