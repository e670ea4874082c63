"""The error a provider raises when its SDK (its pip extra) is not installed."""

from __future__ import annotations

from ..base.errors import MissingExtraError


def missing_extra(provider: str, error: ImportError) -> MissingExtraError:
    """An ImportError that names the exact install command."""
    return MissingExtraError(
        f"mirascope's {provider} provider needs its SDK, which is not installed "
        f'({error}). Install it with: pip install "mirascope[{provider}]"'
    )
