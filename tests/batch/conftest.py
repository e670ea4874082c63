"""The batch suite's vendors: each test taking ``vendor`` runs for every provider with a
batch API (Google's through a Gemini API client; Azure OpenAI through the openai provider
and an ``AzureOpenAI`` client), sync and async, through the default client and a custom
one, over the real SDK and the fake server's batch API. The contract suite's providers
build the clients and point the default ones at the fakes; its leak check applies here
too."""

from __future__ import annotations

import gc
import importlib
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from mirascope.core import reset_default_clients
from mirascope.testing import FakeServer

from ..contract.base import ContractProvider
from ..contract.conftest import leak_check
from ..contract.provider_anthropic import AnthropicContract
from ..contract.provider_google import GoogleContract
from ..contract.provider_groq import GroqContract
from ..contract.provider_litellm import LiteLLMContract
from ..contract.provider_mistral import MistralContract
from ..contract.provider_openai import OpenAIContract


class AzureOpenAIContract(OpenAIContract):
    """Azure OpenAI: the openai provider with an ``AzureOpenAI`` client (its deployments
    have OpenAI's Batch API, under ``/openai`` with an ``api-version``)."""

    def client_at(self, url: str, *, is_async: bool, timeout: float) -> Any:
        import openai

        options: dict[str, Any] = {
            "azure_endpoint": url,
            "api_key": "azure-key",
            "api_version": "2024-10-21",
            "max_retries": 0,
            "timeout": timeout,
        }
        client: Any
        if is_async:
            client = openai.AsyncAzureOpenAI(**options, default_headers={"Connection": "close"})
        else:
            client = openai.AzureOpenAI(**options)
        self._built.append(client)
        return client


@dataclass(frozen=True)
class Vendor:
    """One vendor of the batch suite."""

    id: str
    module: str
    """``mirascope.core.<module>``."""
    contract: type[ContractProvider]
    model: str
    canceled_kind: str
    """The kind of error an item not run before a cancel gets: the vendor's own line
    (``canceled``) or no line at all (``not_run``)."""
    expired_kind: str
    status_codes: bool
    """Whether a failed item's error carries its HTTP status."""
    default_client: bool = True
    custom_client: bool = True
    path: str = "/v1/batches"
    """Where the job was created (the last segment of the create request's path)."""
    counts_while_running: bool = True
    """Whether a running job's status counts the items done (google-genai passes on only
    the state until the answers are in)."""
    cancel_answers_status: bool = True
    """Whether the cancel request answers with the job (google-genai's answers nothing: the
    status then comes from a poll, which sees the job cancelled)."""
    temperature: tuple[str, ...] = ("temperature",)
    """Where a request body holds the temperature."""
    unknown_job: str = "no-such-job"
    """An id of the vendor's form that names no job."""

    def new_contract(self) -> ContractProvider:
        return self.contract()

    @property
    def core(self) -> Any:
        return importlib.import_module(f"mirascope.core.{self.module}")

    def call_params(self, **params: Any) -> dict[str, Any]:
        """Call params in the provider's form (google-genai's go inside ``config``)."""
        return {"config": params} if self.module == "google" else params

    @property
    def response_name(self) -> str:
        prefixes = {
            "google": "Google",
            "openai": "OpenAI",
            "groq": "Groq",
            "anthropic": "Anthropic",
            "mistral": "Mistral",
            "litellm": "LiteLLM",
        }
        return f"{prefixes[self.module]}CallResponse"


VENDORS = [
    Vendor("openai", "openai", OpenAIContract, "gpt-4o-mini", "canceled", "expired", True),
    Vendor(
        "azure_openai",
        "openai",
        AzureOpenAIContract,
        "my-deployment",
        "canceled",
        "expired",
        True,
        default_client=False,
        path="/openai/batches",
    ),
    Vendor(
        "groq",
        "groq",
        GroqContract,
        "llama-3.1-8b-instant",
        "canceled",
        "expired",
        True,
        path="/openai/v1/batches",
    ),
    Vendor(
        "anthropic",
        "anthropic",
        AnthropicContract,
        "claude-3-5-sonnet-20240620",
        "canceled",
        "expired",
        False,
        path="/v1/messages/batches",
    ),
    Vendor(
        "mistral",
        "mistral",
        MistralContract,
        "mistral-small-latest",
        "not_run",
        "not_run",
        True,
        path="/v1/batch/jobs",
    ),
    Vendor(
        "litellm",
        "litellm",
        LiteLLMContract,
        "gpt-4o-mini",
        "canceled",
        "expired",
        True,
        custom_client=False,
    ),
    Vendor(
        "google",
        "google",
        GoogleContract,
        "gemini-2.5-flash",
        "not_run",
        "not_run",
        False,
        path="/v1beta/models/gemini-2.5-flash:batchGenerateContent",
        counts_while_running=False,
        cancel_answers_status=False,
        temperature=("generationConfig", "temperature"),
        unknown_job="batches/no-such-job",
    ),
]
BY_ID = {v.id: v for v in VENDORS}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "vendor" not in metafunc.fixturenames:
        return
    kinds = [False, True] if "is_async" in metafunc.fixturenames else [None]
    clients = [False, True] if "custom" in metafunc.fixturenames else [None]
    params: list[Any] = []
    for v in VENDORS:
        for is_async in kinds:
            for custom in clients:
                if custom is False and not v.default_client:
                    continue
                if custom is True and not v.custom_client:
                    continue
                values: list[Any] = [v.id]
                names = [v.id]
                if is_async is not None:
                    values.append(is_async)
                    names.append("async" if is_async else "sync")
                if custom is not None:
                    values.append(custom)
                    names.append("custom_client" if custom else "default_client")
                params.append(pytest.param(*values, id="-".join(names)))
    argnames = ["vendor"]
    if kinds != [None]:
        argnames.append("is_async")
    if clients != [None]:
        argnames.append("custom")
    metafunc.parametrize(argnames, params, indirect=["vendor"])


LEAKING = frozenset({"litellm"})
"""Vendors not leak-checked: LiteLLM's batch functions build a new ``OpenAI`` /
``AsyncOpenAI`` client (with its own HTTP client) at every call and never close it, and
take no client of ours for OpenAI; the same calls made without mirascope leave the same
sockets open (litellm 1.110)."""


@pytest.fixture(autouse=True)
def _no_leaks(request: pytest.FixtureRequest) -> Iterator[None]:
    """The contract suite's leak check, around every test but those of ``LEAKING``."""
    callspec = getattr(request.node, "callspec", None)
    params: dict[str, Any] = callspec.params if callspec is not None else {}
    if params.get("vendor") in LEAKING:
        yield
        # what it left (in litellm's client cache too) is not the next test's doing
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            from mirascope.core.litellm._adapter import import_litellm

            import_litellm().in_memory_llm_clients_cache.flush_cache()
            gc.collect()
        return
    with leak_check():
        yield


_servers: dict[str, FakeServer] = {}


@pytest.fixture(scope="session", autouse=True)
def _stop_servers() -> Iterator[None]:
    yield
    for server in _servers.values():
        server.stop()


@pytest.fixture
def vendor(request: pytest.FixtureRequest) -> Vendor:
    return BY_ID[request.param]


@pytest.fixture
def contract(vendor: Vendor) -> Iterator[ContractProvider]:
    instance = vendor.new_contract()
    yield instance
    instance.close_clients()


@pytest.fixture
def server(
    vendor: Vendor, contract: ContractProvider, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FakeServer]:
    key = contract.name
    if key not in _servers:
        _servers[key] = contract.start()
    fake = _servers[key]
    fake.reset()
    for name, value in contract.environ(fake).items():
        monkeypatch.setenv(name, value)
    reset_default_clients()
    yield fake
    reset_default_clients()


@pytest.fixture
def decorate(vendor: Vendor, contract: ContractProvider, server: FakeServer) -> Callable[..., Any]:
    """``decorate(fn, is_async=..., custom=..., **options)``: ``fn`` decorated with the
    vendor's ``call`` (through a custom client when ``custom``)."""

    def apply(fn: Callable[..., Any], *, is_async: bool, custom: bool, **options: Any) -> Any:
        if custom:
            options["client"] = contract.client(server, is_async=is_async)
        return vendor.core.call(vendor.model, **options)(fn)

    return apply


@pytest.fixture
def openai_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServer]:
    """OpenAI's fake, which OpenAI's default client reaches (for tests of the engine
    itself, the same for every vendor)."""
    contract = OpenAIContract()
    if contract.name not in _servers:
        _servers[contract.name] = contract.start()
    fake = _servers[contract.name]
    fake.reset()
    for name, value in contract.environ(fake).items():
        monkeypatch.setenv(name, value)
    reset_default_clients()
    yield fake
    reset_default_clients()
