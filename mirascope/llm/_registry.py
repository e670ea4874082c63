"""The table behind ``llm.call``: a provider's name -> the module whose ``call`` serves it.

Adding a provider is one row here (and its name in ``Provider``). Nothing is imported until
a provider is first used, so its SDK loads only then."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

if TYPE_CHECKING:
    from ..core._engine.decorator import CallFactory

Provider = Literal[
    "openai",
    "anthropic",
    "mistral",
    "gemini",
    "groq",
    "cohere",
    "litellm",
    "azure",
    "vertex",
    "bedrock",
    "google",
    "xai",
    "openai.responses",
]
"""The hosted providers, each with its module in ``mirascope.core`` (``openai.responses``:
OpenAI's Responses API, ``mirascope.core.openai.responses``)."""

LocalProvider = Literal["ollama", "vllm"]
"""OpenAI-compatible servers on this machine, reached through the ``openai`` SDK."""


class ProviderRow(NamedTuple):
    """Where one provider's ``call`` factory lives."""

    module: str
    """The module to import: it raises ``MissingExtraError`` if its SDK is absent."""
    factory: str = "call"
    """The ``CallFactory`` attribute of that module."""


PROVIDER_TABLE: dict[str, ProviderRow] = {
    "openai": ProviderRow("mirascope.core.openai"),
    "anthropic": ProviderRow("mirascope.core.anthropic"),
    "mistral": ProviderRow("mirascope.core.mistral"),
    "gemini": ProviderRow("mirascope.core.gemini"),
    "groq": ProviderRow("mirascope.core.groq"),
    "cohere": ProviderRow("mirascope.core.cohere"),
    "litellm": ProviderRow("mirascope.core.litellm"),
    "azure": ProviderRow("mirascope.core.azure"),
    "vertex": ProviderRow("mirascope.core.vertex"),
    "bedrock": ProviderRow("mirascope.core.bedrock"),
    "google": ProviderRow("mirascope.core.google"),
    "xai": ProviderRow("mirascope.core.xai"),
    "openai.responses": ProviderRow("mirascope.core.openai.responses"),
    "ollama": ProviderRow("mirascope.llm._local", "ollama_call"),
    "vllm": ProviderRow("mirascope.llm._local", "vllm_call"),
}

_factories: dict[str, CallFactory[Any, Any, Any, Any]] = {}


def check_provider(provider: str) -> None:
    """Refuse a name the table does not hold, listing those it does."""
    if provider not in PROVIDER_TABLE:
        from ..core.base.errors import UnknownProviderError

        raise UnknownProviderError(
            f"unknown provider {provider!r}; the providers are: {', '.join(PROVIDER_TABLE)}"
        )


def call_factory(provider: str) -> CallFactory[Any, Any, Any, Any]:
    """The ``call`` factory of ``provider``, its module imported on first use."""
    factory = _factories.get(provider)
    if factory is None:
        check_provider(provider)
        row = PROVIDER_TABLE[provider]
        factory = _factories[provider] = getattr(importlib.import_module(row.module), row.factory)
    return factory
