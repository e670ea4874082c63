"""``mirascope.retries``: calls that survive failures. ``fallback`` moves to other providers
or models when a call fails; ``is_retryable`` tells which vendor errors a retry can help
with; ``mirascope.retries.tenacity`` (``pip install "mirascope[tenacity]"``) has
``collect_errors`` (re-ask with the errors of earlier attempts) and ``wait_retry_after``
(wait as long as the vendor asked).

Nothing here is on a call's path unless you use it: a call without these decorators runs
no code of this package. Every name loads on first use (PEP 562)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import tenacity
    from ._fallback import Fallback, FallbackAttempt, FallbackError, fallback
    from ._retryable import is_retryable, retry_after

_NAMES = {
    "Fallback": "._fallback",
    "FallbackAttempt": "._fallback",
    "FallbackError": "._fallback",
    "fallback": "._fallback",
    "is_retryable": "._retryable",
    "retry_after": "._retryable",
}


def __getattr__(name: str) -> Any:
    if name in _NAMES:
        value = getattr(importlib.import_module(_NAMES[name], __name__), name)
    elif name == "tenacity":
        value = importlib.import_module(".tenacity", __name__)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "Fallback",
    "FallbackAttempt",
    "FallbackError",
    "fallback",
    "is_retryable",
    "retry_after",
    "tenacity",
]
