"""The contract suite's providers, fake servers and leak check, for ``llm.call``: each test
taking ``provider`` runs for all ten, sync and async, default and custom client (the
contract's ``openai.responses`` included). Tests of ``llm``'s own
behaviour (context, override, local servers) use ``openai_server``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mirascope.core import reset_default_clients
from mirascope.llm._registry import PROVIDER_TABLE
from mirascope.testing import FakeOpenAI, FakeServer

from ..contract.base import PROVIDERS
from ..contract.conftest import (  # noqa: F401 - fixtures
    _no_leaks,
    _stop_servers,
    provider,
    server,
)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "provider" in metafunc.fixturenames:
        names = sorted(p for p in PROVIDERS if p in PROVIDER_TABLE)
        metafunc.parametrize("provider", names, indirect=True)
    if "is_async" in metafunc.fixturenames:
        metafunc.parametrize("is_async", [False, True], ids=["sync", "async"])
    if "custom" in metafunc.fixturenames:
        metafunc.parametrize("custom", [False, True], ids=["default_client", "custom_client"])


_openai: list[FakeServer] = []


@pytest.fixture
def openai_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServer]:
    """OpenAI's fake, which OpenAI's default client and the local providers' (``ollama``,
    ``vllm``) reach."""
    from mirascope.llm import _local

    if not _openai:
        _openai.append(FakeOpenAI().start())
    fake = _openai[0]
    fake.reset()
    monkeypatch.setenv("OPENAI_BASE_URL", fake.url + "/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    for name in _local.LOCAL_SERVERS:
        local = _local.LocalServer(fake.url + "/v1", name)
        monkeypatch.setitem(_local.LOCAL_SERVERS, name, local)
    reset_default_clients()
    yield fake
    reset_default_clients()


@pytest.fixture(scope="session", autouse=True)
def _stop_openai() -> Iterator[None]:
    yield
    for fake in _openai:
        fake.stop()
