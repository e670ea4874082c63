"""Token usage, the same shape for every provider, and what a cost is computed from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True, frozen=True)
class Usage:
    """Tokens a call consumed; ``raw`` is the provider's own usage record.

    ``input_tokens`` counts as the vendor counts: the chat-completions APIs (OpenAI, Azure,
    Groq, LiteLLM, Mistral), Gemini and Vertex AI include the cached tokens in it;
    Anthropic and Bedrock count them apart."""

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


@dataclass(slots=True, frozen=True)
class CostMetadata:
    """What a response's ``cost`` is computed from (v1's ``cost_metadata``)."""

    input_tokens: int | None = None
    output_tokens: int | None = None
    cached_tokens: int | None = None
    streaming_mode: bool | None = None
    """Whether the call was streamed."""
    cost: float | None = None
    """The cost the vendor's SDK itself reported (LiteLLM), in USD; when set, it is the
    response's ``cost``."""
    provider: str | None = None
    """The provider whose prices apply (``"openai"``, ...)."""
    model: str | None = None
    """The model as the response names it (a dated snapshot is priced as its model)."""
