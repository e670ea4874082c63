"""``calculate_cost``: one pure function of (provider, model, token counts) over the
price table."""

from __future__ import annotations

from typing import Any

from ._lookup import ModelPrice, model_price


def calculate_cost(
    provider: str,
    model: str,
    input_tokens: int | float | None,
    output_tokens: int | float | None,
    cached_tokens: int | float | None = None,
) -> float | None:
    """The cost in USD of a call that used these tokens; None when the model has no price
    in the table (never an estimate) or a count is missing.

    ``input_tokens`` and ``cached_tokens`` are counted as the provider reports them (a
    response's ``input_tokens`` and ``cached_tokens``): for OpenAI-style APIs, Gemini and
    LiteLLM the input count includes the cached tokens, for Anthropic and Bedrock it does
    not. For ``"litellm"``, LiteLLM's own cost map is asked first."""
    if input_tokens is None or output_tokens is None:
        return None
    cached = cached_tokens or 0
    if provider == "litellm":
        found = _litellm_cost(model, input_tokens, output_tokens, cached)
        if found is not None:
            return found
    price = model_price(provider, model)
    if price is None:
        return None
    return priced(price, input_tokens, output_tokens, cached)


def priced(
    price: ModelPrice, input_tokens: int | float, output_tokens: int | float, cached: int | float
) -> float | None:
    """The cost of these counts at ``price``."""
    if price.input_includes_cached:
        uncached, prompt = max(input_tokens - cached, 0), input_tokens
    else:
        uncached, prompt = input_tokens, input_tokens + cached
    tier = price.base
    above = price.long_context_above
    if price.long_context is not None and above is not None and prompt > above:
        tier = price.long_context
    if cached and tier.cached_input is None:
        return None  # the table does not say what a cache read costs for this model
    cached_cost = cached * tier.cached_input if tier.cached_input is not None else 0.0
    return (uncached * tier.input + cached_cost + output_tokens * tier.output) / 1_000_000


def _litellm_cost(
    model: str, input_tokens: int | float, output_tokens: int | float, cached: int | float
) -> float | None:
    """LiteLLM's own price for the model, from its cost map; None if it has none."""
    try:
        from ..litellm._adapter import import_litellm

        litellm: Any = import_litellm()
    except ImportError:  # the extra is not installed: the table alone decides
        return None
    quiet = litellm.suppress_debug_info
    # litellm prints a provider list to stdout for a model it cannot place
    litellm.suppress_debug_info = True
    try:
        prompt_cost, completion_cost = litellm.cost_per_token(
            model=model,
            prompt_tokens=int(input_tokens),
            completion_tokens=int(output_tokens),
            cache_read_input_tokens=int(cached),
        )
    except Exception:  # litellm has no price for it (its errors vary by case)
        return None
    finally:
        litellm.suppress_debug_info = quiet
    return float(prompt_cost) + float(completion_cost)
