"""Finding a model's price in ``prices.json``: the table is data, the name rules are here.

A name is looked up as given first, then under the provider's rules:

- openai, azure: a dated snapshot falls back to its model (``gpt-4o-2024-08-06`` ->
  ``gpt-4o``), unless the snapshot has an entry of its own (``gpt-4o-2024-05-13``);
  Azure's names are lowercased (``GPT-4o`` -> ``gpt-4o``) and priced as OpenAI's, as
  are the Responses API's calls (``openai.responses``).
- anthropic: a date (``claude-sonnet-4-5-20250929``) or ``-latest`` suffix falls back to
  the model; entries list their aliases (``claude-sonnet-4-0``).
- gemini, vertex: a ``models/`` or ``publishers/google/models/`` prefix, a version
  (``-001``) or ``-latest`` suffix is dropped; Vertex AI is priced as the Gemini API.
- bedrock: the version suffix (``-v1:0``) is dropped; ``anthropic.*`` models (in-Region,
  or through a ``global.`` inference profile) are priced as Anthropic's, Amazon's own
  (``amazon.nova-pro``) from Bedrock's table. A geographic cross-Region profile (``us.``,
  ``eu.``, ``apac.``...) gets no price: AWS prices those by source Region, above the list
  price for recent Claude models.
- mistral, groq, cohere: the exact model id (or an alias the entry lists); Mistral's
  ``-latest`` names move from model to model, so only dated ids are priced.
- litellm: ``calculate_cost`` asks LiteLLM's own cost map first; this table serves only
  ``vendor/model`` names of the vendors above (``groq/llama-3.3-70b-versatile``).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_DATE_OPENAI = re.compile(r"-\d{4}-\d{2}-\d{2}$")
_DATE_ANTHROPIC = re.compile(r"-\d{8}$")
_GOOGLE_VERSION = re.compile(r"-\d{3}$")
_BEDROCK_VERSION = re.compile(r"-v\d+(:\d+)?$")
_BEDROCK_GEOGRAPHIES = frozenset({"us", "eu", "apac", "us-gov", "jp", "au", "ca"})
_LITELLM_PREFIXES = {
    "openai": "openai",
    "anthropic": "anthropic",
    "gemini": "gemini",
    "vertex_ai": "vertex",
    "mistral": "mistral",
    "groq": "groq",
    "cohere": "cohere",
    "bedrock": "bedrock",
}
"""LiteLLM's ``provider/model`` prefixes whose model names are the vendor's own."""


@dataclass(frozen=True, slots=True)
class Tier:
    """Prices in USD per million tokens."""

    input: float
    output: float
    cached_input: float | None = None


@dataclass(frozen=True, slots=True)
class ModelPrice:
    """One model's prices, with where and when they were read."""

    provider: str
    """The table the price comes from (``"anthropic"`` for a Claude model on Bedrock)."""
    model: str
    """The table's name for the model."""
    base: Tier
    long_context: Tier | None
    long_context_above: int | None
    """Prompt tokens (cached included) above which ``long_context`` prices the request."""
    input_includes_cached: bool
    """Whether the provider's input count includes cached tokens (OpenAI's does)."""
    date: str
    source: str


@functools.cache
def _table() -> dict[str, Any]:
    return json.loads((Path(__file__).parent / "prices.json").read_text(encoding="utf-8"))


def _tier(entry: dict[str, Any]) -> Tier:
    return Tier(entry["input"], entry["output"], entry.get("cached_input"))


@functools.cache
def _models(provider: str) -> dict[str, tuple[str, dict[str, Any]]]:
    """A provider's names (aliases included) -> (table name, entry)."""
    section: dict[str, Any] = _table()["providers"].get(provider, {})
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for name, entry in section.get("models", {}).items():
        found[name] = (name, entry)
        for alias in entry.get("aliases", ()):
            found[alias] = (name, entry)
    return found


def _price(provider: str, name: str) -> ModelPrice | None:
    section: dict[str, Any] | None = _table()["providers"].get(provider)
    if section is None:
        return None
    hit = _models(provider).get(name)
    if hit is None:
        return None
    table_name, entry = hit
    long = entry.get("long_context")
    return ModelPrice(
        provider,
        table_name,
        _tier(entry),
        _tier(long) if long else None,
        long["above"] if long else None,
        bool(section.get("input_includes_cached")),
        entry["date"],
        entry["source"],
    )


def _first(provider: str, *names: str) -> ModelPrice | None:
    for name in names:
        found = _price(provider, name)
        if found is not None:
            return found
    return None


def _openai(model: str) -> ModelPrice | None:
    return _first("openai", model, _DATE_OPENAI.sub("", model))


def _anthropic(model: str) -> ModelPrice | None:
    base = model.removesuffix("-latest")
    return _first("anthropic", model, base, _DATE_ANTHROPIC.sub("", base))


def _gemini(model: str) -> ModelPrice | None:
    name = model.removeprefix("publishers/google/models/").removeprefix("models/")
    base = _GOOGLE_VERSION.sub("", name.removesuffix("-latest"))
    return _first("gemini", name, base)


def _bedrock(model: str) -> ModelPrice | None:
    name = _BEDROCK_VERSION.sub("", model)
    own = _price("bedrock", name)
    if own is not None:
        return own
    first, _, rest = name.partition(".")
    if first in _BEDROCK_GEOGRAPHIES:
        return None  # priced by source Region; see the module's docstring
    if first == "global":
        first, _, rest = rest.partition(".")
    if first == "anthropic":
        return _anthropic(rest)
    return None


def model_price(provider: str, model: str) -> ModelPrice | None:
    """The price of ``model`` as ``provider`` serves it; None when the table has none."""
    if provider in ("openai", "openai.responses", "azure"):
        return _openai(model.lower() if provider == "azure" else model)
    if provider == "anthropic":
        return _anthropic(model)
    if provider in ("gemini", "vertex", "google"):
        return _gemini(model)
    if provider == "bedrock":
        return _bedrock(model)
    if provider == "litellm":
        prefix, _, name = model.partition("/")
        vendor = _LITELLM_PREFIXES.get(prefix)
        found = model_price(vendor, name) if vendor and name else None
        # LiteLLM reports usage as OpenAI does, cached tokens inside the input count
        return dataclasses.replace(found, input_includes_cached=True) if found else None
    return _price(provider, model)
