"""``calculate_cost``: the price table (its data and dates), the name rules, the arithmetic."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mirascope.core import PROVIDERS
from mirascope.core.costs import calculate_cost, model_price

TABLE: dict[str, Any] = json.loads(
    (Path(__file__).parents[2] / "mirascope/core/costs/prices.json").read_text()
)


def _usd(input_part: float, output_part: float, cached_part: float = 0.0) -> float:
    """Per-million arithmetic spelled out, so the tests say what they expect."""
    return (input_part + output_part + cached_part) / 1_000_000


# -- the data -------------------------------------------------------------------------------


def test_every_provider_has_a_table() -> None:
    providers: dict[str, Any] = TABLE["providers"]
    assert set(providers) == set(PROVIDERS) - {"litellm"}  # LiteLLM brings its own
    for name, section in providers.items():
        target = section.get("prices_of")
        if target is not None:
            assert target in providers and not providers[target].get("prices_of"), name
        else:
            assert section["models"], f"{name} has no prices"
            assert isinstance(section["input_includes_cached"], bool), name


def test_every_price_is_dated_and_sourced() -> None:
    for provider, section in TABLE["providers"].items():
        names: set[str] = set()
        for model, entry in section["models"].items():
            where = f"{provider}/{model}"
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", entry["date"]), where
            assert entry["source"].startswith("https://"), where
            for key in ("input", "output"):
                assert isinstance(entry[key], int | float) and entry[key] > 0, where
            cached = entry.get("cached_input")
            assert cached is None or 0 < cached < entry["input"], where
            long = entry.get("long_context")
            if long is not None:
                assert long["above"] > 0 and long["input"] > entry["input"], where
            for name in (model, *entry.get("aliases", ())):
                assert name not in names, f"{where}: {name} twice"
                names.add(name)


# -- the arithmetic -------------------------------------------------------------------------


def test_openai_counts_cached_tokens_inside_the_input() -> None:
    # gpt-4o-mini: $0.15 in, $0.075 cached, $0.60 out; 1000 prompt tokens of which 400 cached
    expected = _usd(600 * 0.15, 100 * 0.6, 400 * 0.075)
    assert calculate_cost("openai", "gpt-4o-mini", 1000, 100, 400) == pytest.approx(expected)


def test_anthropic_counts_cached_tokens_apart() -> None:
    # claude-sonnet-4-5: $3 in, $0.30 cache read, $15 out; 1000 uncached + 400 read
    expected = _usd(1000 * 3.0, 100 * 15.0, 400 * 0.3)
    assert calculate_cost("anthropic", "claude-sonnet-4-5", 1000, 100, 400) == pytest.approx(
        expected
    )


@pytest.mark.parametrize(
    ("provider", "model", "input_price", "output_price"),
    [
        ("openai", "gpt-5", 1.25, 10.0),
        ("anthropic", "claude-opus-4-1", 15.0, 75.0),
        ("mistral", "mistral-large-2512", 0.5, 1.5),
        ("gemini", "gemini-2.5-flash", 0.3, 2.5),
        ("groq", "openai/gpt-oss-120b", 0.15, 0.6),
        ("cohere", "command-a-03-2025", 2.5, 10.0),
        ("azure", "gpt-4.1-mini", 0.4, 1.6),
        ("vertex", "gemini-2.5-pro", 1.25, 10.0),
        ("bedrock", "amazon.nova-pro-v1:0", 0.8, 3.2),
    ],
)
def test_one_model_of_each_provider(
    provider: str, model: str, input_price: float, output_price: float
) -> None:
    expected = _usd(12 * input_price, 4 * output_price)
    assert calculate_cost(provider, model, 12, 4) == pytest.approx(expected, rel=1e-12)
    assert calculate_cost(provider, model, 12, 4, 0) == pytest.approx(expected, rel=1e-12)


def test_long_prompts_are_priced_at_the_long_context_tier() -> None:
    # gemini-2.5-pro: $1.25 / $10 up to 200k prompt tokens, $2.50 / $15 above, for the request
    assert calculate_cost("gemini", "gemini-2.5-pro", 200_000, 10) == pytest.approx(
        _usd(200_000 * 1.25, 10 * 10.0)
    )
    assert calculate_cost("gemini", "gemini-2.5-pro", 200_001, 10) == pytest.approx(
        _usd(200_001 * 2.5, 10 * 15.0)
    )
    # Anthropic's count the cache reads in the prompt size: 60k + 50k read > 100k
    assert calculate_cost("anthropic", "claude-haiku-5-5", 60_000, 10, 50_000) == pytest.approx(
        _usd(60_000 * 0.5, 10 * 2.5, 50_000 * 0.05)
    )


def test_cached_tokens_without_a_cache_price_cost_none() -> None:
    # the table does not say what a cache read of this model costs: no guess
    assert calculate_cost("groq", "llama-3.3-70b-versatile", 1000, 10, 500) is None
    assert calculate_cost("groq", "llama-3.3-70b-versatile", 1000, 10, 0) == pytest.approx(
        _usd(1000 * 0.59, 10 * 0.79)
    )


def test_missing_counts_and_unknown_models_cost_none() -> None:
    assert calculate_cost("openai", "gpt-4o-mini", None, 4) is None
    assert calculate_cost("openai", "gpt-4o-mini", 12, None) is None
    assert calculate_cost("openai", "gpt-99", 12, 4) is None
    assert calculate_cost("no-such-provider", "gpt-4o-mini", 12, 4) is None
    assert calculate_cost("openai", "claude-sonnet-4-5", 12, 4) is None  # wrong provider


# -- the names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("provider", "name", "table_name"),
    [
        ("openai", "gpt-4o-2024-08-06", "gpt-4o"),
        ("openai", "gpt-4o-mini-2024-07-18", "gpt-4o-mini"),
        ("openai", "gpt-4o-2024-05-13", "gpt-4o-2024-05-13"),  # a snapshot of its own price
        ("azure", "GPT-4o-mini", "gpt-4o-mini"),
        ("anthropic", "claude-sonnet-4-5-20250929", "claude-sonnet-4-5"),
        ("anthropic", "claude-3-5-haiku-latest", "claude-3-5-haiku"),
        ("anthropic", "claude-sonnet-4-0", "claude-sonnet-4"),
        ("anthropic", "claude-sonnet-4-20250514", "claude-sonnet-4"),
        ("gemini", "models/gemini-2.5-flash", "gemini-2.5-flash"),
        ("gemini", "gemini-2.5-flash-001", "gemini-2.5-flash"),
        ("vertex", "publishers/google/models/gemini-2.5-pro", "gemini-2.5-pro"),
        ("bedrock", "anthropic.claude-3-haiku-20240307-v1:0", "claude-3-haiku"),
        ("bedrock", "global.anthropic.claude-haiku-4-5-20251001-v1:0", "claude-haiku-4-5"),
        ("bedrock", "amazon.nova-lite-v1:0", "amazon.nova-lite"),
        ("cohere", "command-r", "command-r-08-2024"),
        ("litellm", "groq/llama-3.3-70b-versatile", "llama-3.3-70b-versatile"),
        ("litellm", "vertex_ai/gemini-2.5-flash", "gemini-2.5-flash"),
    ],
)
def test_names_resolve_to_their_model(provider: str, name: str, table_name: str) -> None:
    price = model_price(provider, name)
    assert price is not None and price.model == table_name


def test_a_snapshot_keeps_its_own_price() -> None:
    assert calculate_cost("openai", "gpt-4o-2024-05-13", 1_000_000, 0) == pytest.approx(5.0)
    assert calculate_cost("openai", "gpt-4o-2024-08-06", 1_000_000, 0) == pytest.approx(2.5)


@pytest.mark.parametrize(
    ("provider", "name"),
    [
        ("bedrock", "us.anthropic.claude-haiku-4-5-20251001-v1:0"),  # priced per source Region
        ("bedrock", "eu.amazon.nova-pro-v1:0"),
        ("bedrock", "meta.llama3-70b-instruct-v1:0"),  # no price in the table
        ("mistral", "mistral-large-latest"),  # an alias that moves between models
        ("litellm", "azure/my-deployment"),  # a deployment name says nothing of its model
        ("groq", "llama-3.3-70b"),  # near is not equal
    ],
)
def test_unclear_names_get_no_price(provider: str, name: str) -> None:
    assert model_price(provider, name) is None
    assert calculate_cost(provider, name, 12, 4) is None


def test_prices_carry_their_date_and_source() -> None:
    price = model_price("azure", "gpt-4o-mini")
    assert price is not None
    assert (price.provider, price.base.input, price.base.output) == ("openai", 0.15, 0.6)
    assert price.source == "https://developers.openai.com/api/docs/pricing"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", price.date)


# -- LiteLLM --------------------------------------------------------------------------------


def test_litellm_uses_its_own_cost_map() -> None:
    from mirascope.core.litellm._adapter import import_litellm  # offline: its bundled map

    litellm = import_litellm()
    expected = sum(
        litellm.cost_per_token(model="gpt-4o-mini", prompt_tokens=12, completion_tokens=4)
    )
    assert calculate_cost("litellm", "gpt-4o-mini", 12, 4) == pytest.approx(expected)
    assert expected == pytest.approx(_usd(12 * 0.15, 4 * 0.6))


def test_litellm_falls_back_to_the_table_and_says_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # llama-3.3-70b-versatile is not in LiteLLM's map: priced as Groq's, the cached tokens
    # inside the input as LiteLLM reports them
    assert calculate_cost("litellm", "groq/llama-3.3-70b-versatile", 12, 4) == pytest.approx(
        _usd(12 * 0.59, 4 * 0.79)
    )
    assert calculate_cost("litellm", "unknown-model-x", 12, 4) is None
    assert capsys.readouterr().out == ""  # litellm's provider list is not printed


def test_pricing_loads_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "from mirascope.core.costs import calculate_cost\n"
        "calculate_cost('openai', 'gpt-4o-mini', 12, 4)\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in "
        "('pydantic', 'openai', 'litellm', 'anthropic')]\n"
        "print(heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
