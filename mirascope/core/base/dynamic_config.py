"""What a prompt function may return instead of a prompt: its messages plus per-call
settings (client, call params, tools, values for template placeholders)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Generic, TypeVar

from typing_extensions import TypedDict

from .messages import BaseMessageParam, VendorMessage
from .tool import BaseTool

ClientT = TypeVar("ClientT")
ParamsT = TypeVar("ParamsT")


class BaseDynamicConfig(TypedDict, Generic[ClientT, ParamsT], total=False):
    """Per-call configuration a prompt function returns. Every key is optional."""

    messages: Sequence[BaseMessageParam | VendorMessage]
    client: ClientT
    call_params: ParamsT
    tools: Sequence[type[BaseTool] | Callable[..., object]]
    computed_fields: Mapping[str, object]
    metadata: Mapping[str, object]


DYNAMIC_CONFIG_KEYS = frozenset(BaseDynamicConfig.__annotations__)
