"""Bad input to ``llm`` raises errors that say what happened and what to do; the vendor's own
errors pass through untouched."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import openai as openai_sdk
import pytest

from mirascope import llm
from mirascope.core import (
    ClientKindError,
    InvalidCallError,
    MirascopeError,
    UnknownProviderError,
)
from mirascope.llm._registry import PROVIDER_TABLE
from mirascope.testing import FakeServer, Reply

ALL_NAMES = (
    "openai, anthropic, mistral, gemini, groq, cohere, litellm, azure, vertex, bedrock, google, "
    "xai, openai.responses, ollama, vllm"
)


def _prompt(genre: str) -> str:
    return f"Recommend a {genre} book"


@pytest.mark.parametrize(
    "make",
    [
        lambda: llm.call("nope", "m"),  # pyright: ignore[reportArgumentType]
        lambda: llm.context(provider="nope", model="m"),  # pyright: ignore[reportArgumentType]
    ],
    ids=["call", "context"],
)
def test_unknown_provider_lists_the_names(make: Any) -> None:
    with pytest.raises(UnknownProviderError) as caught:
        make()
    assert str(caught.value) == f"unknown provider 'nope'; the providers are: {ALL_NAMES}"
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, InvalidCallError)
    assert isinstance(caught.value, MirascopeError)
    assert ", ".join(PROVIDER_TABLE) == ALL_NAMES


def test_context_needs_a_model_with_a_provider() -> None:
    with pytest.raises(InvalidCallError, match=r"provider='groq'\) needs the model too"):
        llm.context(provider="groq")


def test_call_params_are_checked_against_the_provider() -> None:
    with pytest.raises(InvalidCallError, match=r"openai takes no call param 'temprature'"):
        llm.call("openai", "m", call_params={"temprature": 1})(_prompt)


def test_client_of_the_wrong_kind(openai_server: FakeServer) -> None:
    with openai_sdk.OpenAI(base_url=openai_server.url + "/v1", api_key="k") as client:

        async def prompt(genre: str) -> str:
            return genre

        with pytest.raises(ClientKindError, match="async function"):
            llm.call("openai", "m", client=client)(prompt)


def test_vendor_errors_pass_through(openai_server: FakeServer) -> None:
    openai_server.enqueue(Reply(status=400, error_message="bad model"))
    fn = llm.call("openai", "m")(_prompt)
    with pytest.raises(openai_sdk.BadRequestError, match="bad model"):
        fn("fantasy")


@pytest.mark.parametrize(
    ("name", "sdk", "extra"),
    [
        ("openai", "openai", "openai"),
        ("ollama", "openai", "openai"),
        ("cohere", "cohere", "cohere"),
    ],
)
def test_missing_extra_names_the_install_command(name: str, sdk: str, extra: str) -> None:
    code = (
        f"import sys\nsys.modules[{sdk!r}] = None  # as if the extra were not installed\n"
        "from mirascope import llm\n"
        f"@llm.call({name!r}, 'm')\n"
        "def fn() -> str:\n"
        "    return 'hi'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert f'pip install "mirascope[{extra}]"' in result.stderr
    assert "MissingExtraError" in result.stderr


def test_response_attributes_come_from_the_provider_response(openai_server: FakeServer) -> None:
    response = llm.call("openai", "m")(_prompt)("fantasy")
    with pytest.raises(AttributeError, match=r"OpenAICallResponse.*no attribute 'nope'"):
        response.nope  # pyright: ignore[reportAttributeAccessIssue]
    assert repr(response) == f"CallResponse({response.provider_response!r})"
