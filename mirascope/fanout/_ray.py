"""The one import of Ray, guarded: a missing extra names the command that installs it."""

from __future__ import annotations

from typing import Any

from ..core.base.errors import MissingExtraError

try:
    import ray as _ray
except ImportError as error:  # pragma: no cover - exercised in a subprocess by the tests
    raise MissingExtraError(
        f"mirascope.fanout runs calls as Ray tasks and needs Ray, which is not installed "
        f'({error}). Install it with: pip install "mirascope[ray]"'
    ) from error

ray: Any = _ray
"""Ray, untyped: its decorators' overloads say little that pyright can check here."""
