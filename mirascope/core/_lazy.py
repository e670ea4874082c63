"""First use of a provider package whose import must load only its SDK (PEP 562)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence
from typing import Any


def load_on_first_use(
    module: str, prefix: str, names: Sequence[str]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """A provider package's ``__getattr__`` and ``__dir__`` (PEP 562) where importing it
    must load only the SDK: ``call`` (the ``CallFactory`` of its ``_adapter.ADAPTER``, with
    ``_types``' ``{prefix}CallResponse``, ``{prefix}Stream`` and ``{prefix}CallParams``) and
    every other name of ``names`` (from ``_types``) load on first use, with pydantic. The
    package writes ``call`` out under ``TYPE_CHECKING`` for the type checker (and docs)."""

    def get(name: str) -> object:
        if name == "call":
            from ._engine.decorator import CallFactory

            types = importlib.import_module(f"{module}._types")
            value: object = CallFactory[Any, Any, Any, Any](
                importlib.import_module(f"{module}._adapter").ADAPTER,
                getattr(types, f"{prefix}CallResponse"),
                getattr(types, f"{prefix}Stream"),
                getattr(types, f"{prefix}CallParams"),
            )
        elif name in names:
            value = getattr(importlib.import_module(f"{module}._types"), name)
        else:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        vars(sys.modules[module])[name] = value
        return value

    def listed() -> list[str]:
        return sorted(set(vars(sys.modules[module])) | set(names))

    return get, listed
