"""The contract suite's fixtures (every provider, sync and async, its fake server, the leak
check), and a second provider's server for fallbacks."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pytest

from mirascope.testing import FakeServer

from ..contract import conftest as contract
from ..contract.base import PROVIDERS, ContractProvider

# the contract suite's fixtures and parametrizing hook, as they are
pytest_generate_tests = contract.pytest_generate_tests
_no_leaks = contract._no_leaks
_stop_servers = contract._stop_servers
provider = contract.provider
server = contract.server
module = contract.module
_servers = contract._servers


def next_provider(name: str, among: Iterable[str] = PROVIDERS) -> str:
    """The provider after ``name`` in a ring of all ten (or of ``among``): each falls back
    to another."""
    names = sorted(among)
    return names[(names.index(name) + 1) % len(names)]


@pytest.fixture
def other(
    provider: ContractProvider, server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[ContractProvider, FakeServer]]:
    """The next provider of the ring and its fake server, its default client pointed there."""
    yield from _started(next_provider(provider.name), monkeypatch)


@pytest.fixture
def llm_other(
    provider: ContractProvider, server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[ContractProvider, FakeServer]]:
    """As ``other``, in the ring of ``llm``'s providers (``llm.override`` switches only to
    those: not to ``openai.responses``)."""
    from mirascope.llm._registry import PROVIDER_TABLE

    if provider.name not in PROVIDER_TABLE:
        pytest.skip(f"llm.call names no provider {provider.name!r}")
    names = [p for p in PROVIDERS if p in PROVIDER_TABLE]
    yield from _started(next_provider(provider.name, names), monkeypatch)


def _started(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[ContractProvider, FakeServer]]:
    instance = PROVIDERS[name]()
    if instance.name not in _servers:
        _servers[instance.name] = instance.start()
    fake = _servers[instance.name]
    fake.reset()
    for key, value in instance.environ(fake).items():
        monkeypatch.setenv(key, value)
    yield instance, fake
    instance.close_clients()
