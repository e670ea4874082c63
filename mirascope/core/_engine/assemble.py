"""Helpers for the adapters' ``assemble_response``: a stream's tool-call arguments and
usage, in the forms a vendor's whole response carries them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, cast

from ..base._narrow import is_str_dict
from ..base.usage import Usage


def arguments_dict(arguments: str | dict[str, Any] | None) -> dict[str, Any]:
    """Tool-call arguments as a dict (streams deliver JSON text in pieces)."""
    if isinstance(arguments, dict):
        return arguments
    if not arguments:
        return {}
    value: object = json.loads(arguments)
    return value if is_str_dict(value) else {"value": value}


def arguments_json(arguments: str | dict[str, Any] | None) -> str:
    """Tool-call arguments as JSON text."""
    if isinstance(arguments, str):
        return arguments
    return json.dumps(arguments or {})


def usage_dict(usage: Usage | None) -> dict[str, Any] | None:
    """The SDK's usage record the stream delivered, as plain data (None if none came)."""
    if usage is None:
        return None
    raw: Any = usage.raw
    dump: Any = getattr(raw, "model_dump", None)
    if dump is not None:  # the SDK's pydantic model
        data: dict[str, Any] = dump(exclude_none=True)
        return data
    if isinstance(raw, Mapping):  # botocore's dicts, Azure's mapping models
        return {k: _plain(v) for k, v in cast("Mapping[str, Any]", raw).items()}
    return None


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in cast("Mapping[str, Any]", value).items()}
    return value
