"""Token usage, the same shape for every provider, and what a cost is computed from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from types import MemberDescriptorType
from typing import Any


@dataclass(slots=True, frozen=True, init=False)
class Usage:
    """Tokens a call consumed; ``raw`` is the provider's own usage record.

    ``input_tokens`` counts as the vendor counts: the chat-completions APIs (OpenAI, Azure,
    Groq, LiteLLM, Mistral), Gemini and Vertex AI include the cached tokens in it;
    Anthropic and Bedrock count them apart."""

    input_tokens: int | None = None
    output_tokens: int | None = None
    cached_tokens: int | None = None
    raw: Any = field(default=None, repr=False, compare=False)

    def __init__(
        self,
        input_tokens: int | None = None,
        output_tokens: int | None = None,
        cached_tokens: int | None = None,
        raw: Any = None,
    ) -> None:
        # a frozen dataclass's own __init__ sets each field through object.__setattr__;
        # the slots' own setters cost a third of that, and streams make a Usage per chunk
        # on some vendors (Gemini repeats the usage so far in each)
        _set_input(self, input_tokens)
        _set_output(self, output_tokens)
        _set_cached(self, cached_tokens)
        _set_raw(self, raw)

    @property
    def total_tokens(self) -> int | None:
        """Input plus output tokens, when both are known."""
        if self.input_tokens is None or self.output_tokens is None:
            return None
        return self.input_tokens + self.output_tokens


def _slot_setter(name: str) -> Callable[[Usage, object], None]:
    slot: object = vars(Usage)[name]
    if not isinstance(slot, MemberDescriptorType):  # fails at import if Usage loses slots
        raise TypeError(f"Usage.{name} is not a slot")
    return slot.__set__


if tuple(f.name for f in fields(Usage)) != (
    "input_tokens",
    "output_tokens",
    "cached_tokens",
    "raw",
):
    raise TypeError("Usage's fields changed: its __init__ must set each of them")
_set_input = _slot_setter("input_tokens")
_set_output = _slot_setter("output_tokens")
_set_cached = _slot_setter("cached_tokens")
_set_raw = _slot_setter("raw")


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
