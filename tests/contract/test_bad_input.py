"""Bad input from the user's side, for every provider: each mistake raises at the earliest
moment (decoration where the function shows it) with a message that says what is wrong and
what to do. (A sync function with an async client, and the reverse, is in test_contract.)"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mirascope.core import BaseTool, MissingCredentialsError, PromptTemplateError, prompt_template
from mirascope.testing import FakeServer

from .base import ContractProvider

ROOT = Path(__file__).resolve().parents[2]

SDK_MODULE = {
    "openai": "openai",
    "anthropic": "anthropic",
    "bedrock": "botocore",
    "cohere": "cohere",
    "mistral": "mistralai",
    "groq": "groq",
    "litellm": "litellm",
    "gemini": "google.generativeai",
    "vertex": "vertexai",
    "azure": "azure.ai.inference",
}
"""The SDK module each provider's extra installs (hidden to play a missing extra)."""

CREDENTIALS = {
    "openai": ("OPENAI_API_KEY",),
    "anthropic": ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_PROFILE"),
    "bedrock": (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_BEARER_TOKEN_BEDROCK",
    ),
    "cohere": ("CO_API_KEY", "COHERE_API_KEY"),
    "mistral": ("MISTRAL_API_KEY",),
    "groq": ("GROQ_API_KEY",),
    "azure": ("AZURE_INFERENCE_CREDENTIAL",),
}
"""Variables that give each provider's default client its credentials; the first is the
one the error must name."""

LEGITIMATELY_UNCHECKED = {
    "litellm": "litellm.completion takes **kwargs and hands each backend its own parameters",
}
"""Providers whose ``call`` does not check call-param names, and why."""


def _decorate(module: Any, provider: ContractProvider, is_async: bool, **options: Any) -> Any:
    def decorate(fn: Callable[..., Any]) -> Any:
        return module.call(provider.model, **options)(fn)

    if is_async:

        async def recommend_async(genre: str) -> str:
            return f"Recommend a {genre} book"

        return decorate(recommend_async)

    def recommend(genre: str) -> str:
        return f"Recommend a {genre} book"

    return decorate(recommend)


def _call(fn: Any, *args: Any) -> Any:
    result = fn(*args)
    return asyncio.run(result) if asyncio.iscoroutine(result) else result


def test_unknown_call_param(provider: ContractProvider, module: Any, is_async: bool) -> None:
    if module.call._param_names is None:
        assert provider.name in LEGITIMATELY_UNCHECKED, (
            f"{provider.name}.call is built without its call-params TypedDict"
        )
        pytest.skip(LEGITIMATELY_UNCHECKED[provider.name])
    with pytest.raises(TypeError) as info:  # at decoration
        _decorate(module, provider, is_async, call_params={"not_a_param": 1})
    message = str(info.value)
    assert "'not_a_param'" in message and provider.name in message
    assert "call params are:" in message  # what it takes instead


def test_unknown_call_param_in_dynamic_config(
    provider: ContractProvider, module: Any, is_async: bool
) -> None:
    if module.call._param_names is None:
        pytest.skip(LEGITIMATELY_UNCHECKED.get(provider.name, "no call-param check"))

    def config(genre: str) -> Any:
        return {"messages": f"Recommend a {genre} book", "call_params": {"not_a_param": 1}}

    async def config_async(genre: str) -> Any:
        return config(genre)

    fn = module.call(provider.model)(config_async if is_async else config)
    with pytest.raises(TypeError, match="'not_a_param'"):  # at the call, before any request
        _call(fn, "fantasy")


def test_template_placeholder_without_argument(
    provider: ContractProvider, module: Any, is_async: bool
) -> None:
    with pytest.raises(PromptTemplateError) as info:  # at decoration
        if is_async:

            @module.call(provider.model)
            @prompt_template("Recommend a {genre} book")
            async def recommend_async(): ...

        else:

            @module.call(provider.model)
            @prompt_template("Recommend a {genre} book")
            def recommend(): ...

    message = str(info.value)
    assert "{genre}" in message and "Add the parameter" in message


def test_function_returning_no_prompt(
    provider: ContractProvider, module: Any, is_async: bool
) -> None:
    def answer() -> Any:
        return 42

    async def answer_async() -> Any:
        return 42

    fn = module.call(provider.model)(answer_async if is_async else answer)
    with pytest.raises(TypeError) as info:  # at the call, before any request
        _call(fn)
    message = str(info.value)
    assert "returned int, which is not a prompt" in message and "return a str" in message


class Scheduler:
    """Not a type JSON schema can describe."""


class BookWithCallback(BaseTool):
    """A tool with a field no model can fill."""

    title: str
    scheduler: Scheduler


def test_tool_with_unsupported_field_type(
    provider: ContractProvider, module: Any, is_async: bool
) -> None:
    with pytest.raises(TypeError) as info:  # at decoration
        _decorate(module, provider, is_async, tools=[BookWithCallback])
    message = str(info.value)
    assert "BookWithCallback" in message and "JSON-compatible types" in message


def test_client_where_the_vendor_has_none(
    provider: ContractProvider, module: Any, is_async: bool
) -> None:
    if module.call._adapter.custom_client:
        pytest.skip(f"{provider.name} takes a client")
    with pytest.raises(TypeError) as info:  # at decoration
        _decorate(module, provider, is_async, client=object())
    assert "drop 'client'" in str(info.value)


def test_missing_extra(provider: ContractProvider) -> None:
    sdk = SDK_MODULE[provider.name]
    program = (
        f"import sys; sys.modules[{sdk!r}] = None  # as if the extra were not installed\n"
        f"from mirascope.core import {provider.name}\n"
    )
    result = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", program],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("mirascope.core.base.errors.MissingExtraError"), last
    assert last.endswith(f'pip install "mirascope[{provider.name}]"'), last


def test_missing_api_key(
    provider: ContractProvider,
    server: FakeServer,
    module: Any,
    is_async: bool,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    if provider.name not in CREDENTIALS:
        pytest.skip(f"no credential variables known for {provider.name}")
    variables = CREDENTIALS[provider.name]
    for name in variables:
        monkeypatch.delenv(name, raising=False)
    # no profile on disk either (~/.config/anthropic and the like)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("ANTHROPIC_CONFIG_DIR", raising=False)
    fn = _decorate(module, provider, is_async)
    with pytest.raises(Exception) as info:  # the SDK's own type, or ours
        _call(fn, "fantasy")
    assert variables[0] in str(info.value), repr(info.value)
    assert not server.requests  # it fails before sending anything
    if type(info.value).__module__.startswith("mirascope"):
        assert isinstance(info.value, MissingCredentialsError)
