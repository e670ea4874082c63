"""Token usage, the same shape for every provider."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True, frozen=True)
class Usage:
    """Tokens a call consumed; ``raw`` is the provider's own usage record."""

    input_tokens: int | None = None
    output_tokens: int | None = None
    cached_tokens: int | None = None
    raw: Any = field(default=None, repr=False, compare=False)

    @property
    def total_tokens(self) -> int | None:
        """Input plus output tokens, when both are known."""
        if self.input_tokens is None or self.output_tokens is None:
            return None
        return self.input_tokens + self.output_tokens
