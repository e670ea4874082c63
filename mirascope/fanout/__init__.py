"""Fan-out beyond one process: a decorated function's calls as Ray tasks on a pool of
worker processes (on this machine or a Ray cluster), with the function's ``RateLimit``
shared by all of them through one Ray actor::

    import ray
    from mirascope.fanout import map_calls

    ray.init()  # or ray.init(address="ray://head:10001")
    responses = map_calls(recommend_book, ["fantasy", "horror"], workers=2)

Needs the ``ray`` extra (``pip install "mirascope[ray]"``). Every name loads on first use
(PEP 562): ``import mirascope.fanout`` imports neither Ray nor any SDK until a name is
used."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..batch._types import Args
    from ._map import close_workers, map_calls, map_calls_async

_NAMES = {
    "map_calls": "._map",
    "map_calls_async": "._map",
    "close_workers": "._map",
    "Args": "..batch._types",
}


def __getattr__(name: str) -> Any:
    module = _NAMES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = ["Args", "close_workers", "map_calls", "map_calls_async"]
