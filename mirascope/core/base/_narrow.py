"""Narrowing untyped JSON-ish values (a vendor's dicts, what a prompt function returned)
to containers of ``object``, whose items are then narrowed where they are read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeGuard


def is_mapping(value: object) -> TypeGuard[Mapping[object, object]]:
    """Whether ``value`` is a mapping (of anything)."""
    return isinstance(value, Mapping)


def is_str_mapping(value: object) -> TypeGuard[Mapping[str, object]]:
    """Whether ``value`` is a mapping, taken as keyword arguments' or a JSON object's (str
    keys: the keys are not checked, as with ``is_str_dict``)."""
    return isinstance(value, Mapping)


def is_str_dict(value: object) -> TypeGuard[dict[str, object]]:
    """Whether ``value`` is a dict, taken as a JSON object's (str keys: the keys are not
    checked, so use it only where a JSON object or keyword arguments are expected)."""
    return isinstance(value, dict)


def is_items(value: object) -> TypeGuard[Sequence[object]]:
    """Whether ``value`` is a list or a tuple (of anything)."""
    return isinstance(value, list | tuple)


def is_tuple(value: object) -> TypeGuard[tuple[object, ...]]:
    """Whether ``value`` is a tuple (of anything)."""
    return isinstance(value, tuple)
