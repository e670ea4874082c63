from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mirascope.core import reset_default_clients
from mirascope.testing import FakeServer

from .base import PROVIDERS, ContractProvider

for _info in pkgutil.iter_modules([str(Path(__file__).parent)]):
    if _info.name.startswith("provider_"):
        importlib.import_module(f"{__package__}.{_info.name}")

_servers: dict[str, FakeServer] = {}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "provider" in metafunc.fixturenames:
        metafunc.parametrize("provider", sorted(PROVIDERS), indirect=True)
    if "is_async" in metafunc.fixturenames:
        metafunc.parametrize("is_async", [False, True], ids=["sync", "async"])
    if "custom" in metafunc.fixturenames:
        metafunc.parametrize("custom", [False, True], ids=["default_client", "custom_client"])


@pytest.fixture(scope="session", autouse=True)
def _stop_servers() -> Iterator[None]:
    yield
    for server in _servers.values():
        server.stop()


@pytest.fixture
def provider(request: pytest.FixtureRequest) -> Iterator[ContractProvider]:
    instance = PROVIDERS[request.param]()
    yield instance
    instance.close_clients()


@pytest.fixture
def server(provider: ContractProvider, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServer]:
    if provider.name not in _servers:
        _servers[provider.name] = provider.start()
    fake = _servers[provider.name]
    fake.reset()
    for key, value in provider.environ(fake).items():
        monkeypatch.setenv(key, value)
    reset_default_clients()
    yield fake
    reset_default_clients()


@pytest.fixture
def module(provider: ContractProvider) -> Any:
    return importlib.import_module(f"mirascope.core.{provider.name}")
