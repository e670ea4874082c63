"""What went into a call, read back lazily for a response or a stream: the prompt
function's arguments, its template, the last user message, and plain-data dumps."""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from ._narrow import is_mapping
from .messages import BaseMessageParam, VendorMessage
from .usage import CostMetadata, Usage

if TYPE_CHECKING:
    from .._engine.adapter import CallPlan


def fn_args(plan: CallPlan) -> dict[str, object]:
    """The prompt function's arguments by name, defaults applied (v1's ``fn_args``)."""
    spec = plan.spec
    if spec is None:
        return {}
    signature = spec.signature or inspect.signature(spec.fn)
    bound = signature.bind_partial(*plan.args, **(plan.kwargs or {}))
    bound.apply_defaults()
    return dict(bound.arguments)


def prompt_template(plan: CallPlan) -> str | None:
    """The ``@prompt_template`` text, unformatted; None for other prompt styles."""
    spec = plan.spec
    template = spec.template if spec is not None else None
    return template.source if template is not None else None


def user_message_param(
    messages: Sequence[BaseMessageParam | VendorMessage],
) -> BaseMessageParam | VendorMessage | None:
    """The last message sent, when it is a user message (neutral or the vendor's dict)."""
    if not messages:
        return None
    last = messages[-1]
    if isinstance(last, BaseMessageParam):
        return last if last.role == "user" else None
    if is_mapping(last) and last.get("role") == "user":
        return last
    return None


def cost(meta: CostMetadata) -> float | None:
    """The cost in USD: what the vendor reported, else the price table's."""
    if meta.cost is not None:
        return meta.cost
    if meta.provider is None or not meta.model:
        return None
    from ..costs import calculate_cost  # the price table loads on first use

    return calculate_cost(
        meta.provider, meta.model, meta.input_tokens, meta.output_tokens, meta.cached_tokens
    )


def cost_metadata(
    provider: str | None,
    model: str | None,
    usage: Usage | None,
    *,
    streaming: bool,
    reported: float | None = None,
) -> CostMetadata:
    if usage is None:
        return CostMetadata(None, None, None, streaming, reported, provider, model)
    return CostMetadata(
        usage.input_tokens,
        usage.output_tokens,
        usage.cached_tokens,
        streaming,
        reported,
        provider,
        model,
    )


def dump(value: Any) -> Any:
    """A value as plain data: pydantic models, the SDKs' own objects (``model_dump``,
    ``to_dict``, ``as_dict``), protobuf messages, mappings and sequences; anything else as
    it is."""
    if value is None or isinstance(value, str | int | float | bool | bytes):
        return value
    if isinstance(value, Mapping):
        return {k: dump(v) for k, v in cast("Mapping[Any, Any]", value).items()}
    if isinstance(value, list | tuple):
        return [dump(item) for item in cast("Sequence[Any]", value)]
    if isinstance(value, type):
        return value
    if dataclasses.is_dataclass(value):
        return {f.name: dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
    cls: Any = value.__class__
    if hasattr(cls, "pb") and hasattr(cls, "to_dict"):  # proto-plus: class-level to_dict
        return cls.to_dict(value)
    for name in ("model_dump", "to_dict", "as_dict"):
        method = getattr(value, name, None)
        if callable(method):
            return method()
    descriptor = getattr(value, "DESCRIPTOR", None)
    if descriptor is not None and hasattr(value, "ListFields"):  # a protobuf message
        from google.protobuf import json_format

        return json_format.MessageToDict(value)
    return value
