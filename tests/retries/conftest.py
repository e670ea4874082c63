"""The contract suite's fixtures (every provider, sync and async, its fake server, the leak
check), and a second provider's server for fallbacks."""

from __future__ import annotations

from collections.abc import Iterator

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


def next_provider(name: str) -> str:
    """The provider after ``name`` in a ring of all ten: each falls back to another."""
    names = sorted(PROVIDERS)
    return names[(names.index(name) + 1) % len(names)]


@pytest.fixture
def other(
    provider: ContractProvider, server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[ContractProvider, FakeServer]]:
    """The next provider of the ring and its fake server, its default client pointed there."""
    instance = PROVIDERS[next_provider(provider.name)]()
    if instance.name not in _servers:
        _servers[instance.name] = instance.start()
    fake = _servers[instance.name]
    fake.reset()
    for key, value in instance.environ(fake).items():
        monkeypatch.setenv(key, value)
    yield instance, fake
    instance.close_clients()
