"""``mirascope.llm``: provider-agnostic calls. ``@llm.call(provider=..., model=...)`` turns a
prompt function into a call of any provider, returning ``llm.CallResponse`` /
``llm.Stream`` whichever answers; ``llm.override`` and ``llm.context`` switch the provider,
model, client or call params later.

Every name loads on first use (PEP 562): ``from mirascope import llm`` imports no SDK and
no pydantic; a provider's SDK loads when a function of that provider is decorated."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..core.base.stream import BaseCallResponseChunk as CallResponseChunk
    from ..core.base.tool import BaseTool as Tool
    from ._call import call
    from ._context import LLMContext, context
    from ._override import override
    from ._registry import LocalProvider, Provider
    from ._response import CallResponse, Stream

_NAMES = {
    "call": "._call",
    "context": "._context",
    "LLMContext": "._context",
    "override": "._override",
    "Provider": "._registry",
    "LocalProvider": "._registry",
    "CallResponse": "._response",
    "Stream": "._response",
}


def __getattr__(name: str) -> Any:
    if name in _NAMES:
        value = getattr(importlib.import_module(_NAMES[name], __name__), name)
    elif name == "CallResponseChunk":  # each provider's chunk class derives from it
        value = importlib.import_module("..core.base.stream", __name__).BaseCallResponseChunk
    elif name == "Tool":  # tools are provider-neutral already: the user's own classes
        value = importlib.import_module("..core.base.tool", __name__).BaseTool
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "CallResponse",
    "CallResponseChunk",
    "LLMContext",
    "LocalProvider",
    "Provider",
    "Stream",
    "Tool",
    "call",
    "context",
    "override",
]
