"""Helpers for the adapters' ``assemble_response``: a stream's tool-call arguments and
usage, in the forms a vendor's whole response carries them."""

from __future__ import annotations

import json

from ..base._narrow import is_str_dict, is_str_mapping
from ..base.usage import Usage


def arguments_dict(arguments: str | dict[str, object] | None) -> dict[str, object]:
    """Tool-call arguments as a dict (streams deliver JSON text in pieces)."""
    if isinstance(arguments, dict):
        return arguments
    if not arguments:
        return {}
    value: object = json.loads(arguments)
    return value if is_str_dict(value) else {"value": value}


def arguments_json(arguments: str | dict[str, object] | None) -> str:
    """Tool-call arguments as JSON text."""
    if isinstance(arguments, str):
        return arguments
    return json.dumps(arguments or {})


def usage_dict(usage: Usage | None) -> dict[str, object] | None:
    """The SDK's usage record the stream delivered, as plain data (None if none came)."""
    if usage is None:
        return None
    raw = usage.raw
    dump: object = getattr(raw, "model_dump", None)
    if callable(dump):  # the SDK's pydantic model
        data: object = dump(exclude_none=True)
        return data if is_str_dict(data) else None
    if is_str_mapping(raw):  # botocore's dicts, Azure's mapping models
        return {k: _plain(v) for k, v in raw.items()}
    return None


def _plain(value: object) -> object:
    if is_str_mapping(value):
        return {k: _plain(v) for k, v in value.items()}
    return value
