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
    "openai.responses": "openai",
    "anthropic": "anthropic",
    "bedrock": "botocore",
    "cohere": "cohere",
    "mistral": "mistralai",
    "groq": "groq",
    "litellm": "litellm",
    "gemini": "google.generativeai",
    "vertex": "vertexai",
    "azure": "azure.ai.inference",
    "google": "google.genai",
    "xai": "openai",
}
"""The SDK module each provider's extra installs (hidden to play a missing extra)."""

GOOGLE_ADC = (
    "GOOGLE_APPLICATION_CREDENTIALS",
    "CLOUDSDK_CONFIG",  # where gcloud's ADC file is (else under HOME)
    "GCE_METADATA_HOST",
    "GCE_METADATA_ROOT",
    "GCE_METADATA_IP",
    "K_SERVICE",
    "CLOUD_RUN_JOB",
    "FUNCTION_TARGET",
    "GAE_APPLICATION",
    "APPENGINE_RUNTIME",
)
"""What tells Google's Application Default Credentials (or a Google Cloud runtime) apart."""

CREDENTIALS = {
    "openai": ("OPENAI_API_KEY", "OPENAI_ADMIN_KEY"),
    "openai.responses": ("OPENAI_API_KEY", "OPENAI_ADMIN_KEY"),
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
    "litellm": ("OPENAI_API_KEY", "OPENAI_ADMIN_KEY"),  # it sends gpt-4o-mini to OpenAI
    "gemini": ("GOOGLE_API_KEY", "GEMINI_API_KEY", *GOOGLE_ADC),
    "vertex": GOOGLE_ADC,
    "google": (
        "GOOGLE_API_KEY",
        "GEMINI_API_KEY",
        "GOOGLE_GENAI_USE_VERTEXAI",  # the Gemini API then, where a key is the one way in
        "GOOGLE_GENAI_USE_ENTERPRISE",
        "GOOGLE_CLOUD_PROJECT",
        "GOOGLE_CLOUD_LOCATION",
        "GOOGLE_VERTEX_BASE_URL",
        *GOOGLE_ADC,
    ),
    "xai": ("XAI_API_KEY",),
}
"""Variables that give each provider's default client its credentials; the first is the
one the error must name."""


def _forget_configured_credentials(provider: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Drop credentials an SDK keeps process-wide (the ``server`` fixture configured them)."""
    if provider in ("gemini", "vertex", "google"):
        from google.auth.compute_engine import _metadata

        # not a Google Cloud machine, whatever this one is
        monkeypatch.setattr(_metadata, "detect_gce_residency_linux", lambda: False)
    if provider == "gemini":
        import importlib

        client = importlib.import_module("google.generativeai.client")  # a module, not a name
        manager: Any = client._client_manager  # as if genai.configure() had never run
        monkeypatch.setattr(manager, "client_config", {})
        monkeypatch.setattr(manager, "clients", {})
    elif provider == "vertex":
        from google.cloud.aiplatform import initializer

        config: Any = initializer.global_config  # vertexai.init() with no credentials
        monkeypatch.setattr(config, "_credentials", None)
        monkeypatch.setattr(config, "_api_key", None)


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
    extra = provider.name.split(".")[0]  # openai.responses is part of openai's extra
    program = (
        f"import sys; sys.modules[{sdk!r}] = None  # as if the extra were not installed\n"
        f"import mirascope.core.{provider.name}\n"
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
    assert last.endswith(f'pip install "mirascope[{extra}]"'), last


def test_missing_api_key(
    provider: ContractProvider,
    server: FakeServer,
    module: Any,
    is_async: bool,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    variables = CREDENTIALS[provider.name]
    for name in variables:
        monkeypatch.delenv(name, raising=False)
    _forget_configured_credentials(provider.name, monkeypatch)
    # no profile on disk either (~/.config/anthropic and the like)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("ANTHROPIC_CONFIG_DIR", raising=False)
    fn = _decorate(module, provider, is_async)
    with pytest.raises(Exception) as info:
        _call(fn, "fantasy")
    assert type(info.value) is MissingCredentialsError, repr(info.value)  # for every provider
    message = str(info.value)
    assert variables[0] in message, message
    assert "pass" in message or "call " in message, message  # and the way around it
    assert not server.requests  # it fails before sending anything
