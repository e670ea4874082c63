"""``merge_decorators``: several decorators as one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

_D = TypeVar("_D", bound=Callable[..., Any])


def merge_decorators(decorator: _D, *additional_decorators: Callable[..., Any]) -> Callable[[], _D]:
    """A decorator factory applying ``decorator`` and then the others beneath it, as if
    stacked in that order (``decorator`` outermost): ``merged = merge_decorators(
    openai.call("gpt-4o-mini"), retry)`` then ``@merged()``. The decorators run once, at
    decoration (v1 re-applied them on every call); the result types as ``decorator``'s."""

    def factory() -> _D:
        def apply(fn: Any) -> Any:
            for inner in reversed(additional_decorators):
                fn = inner(fn)
            return decorator(fn)

        return apply  # type: ignore[return-value]

    return factory
