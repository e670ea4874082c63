"""What a prompt function may return instead of a prompt: its messages plus per-call
settings (client, call params, tools, values for template placeholders)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from typing_extensions import TypedDict

from .messages import BaseMessageParam
from .tool import BaseTool

ClientT = TypeVar("ClientT")
ParamsT = TypeVar("ParamsT")


class BaseDynamicConfig(TypedDict, Generic[ClientT, ParamsT], total=False):
    """Per-call configuration a prompt function returns. Every key is optional."""

    messages: Sequence[BaseMessageParam | Any]
    client: ClientT
    call_params: ParamsT
    tools: Sequence[type[BaseTool] | Callable[..., Any]]
    computed_fields: dict[str, Any]
    metadata: dict[str, Any]


DYNAMIC_CONFIG_KEYS = frozenset(BaseDynamicConfig.__annotations__)
