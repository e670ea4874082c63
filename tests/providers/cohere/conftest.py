from __future__ import annotations

from collections.abc import Iterator

import pytest

from mirascope.core import reset_default_clients
from mirascope.testing import FakeCohere


@pytest.fixture(scope="session")
def _fake() -> Iterator[FakeCohere]:
    server = FakeCohere()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def server(_fake: FakeCohere, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeCohere]:
    """The fake, reset; mirascope's default clients point at it (and use v1)."""
    _fake.reset()
    monkeypatch.setenv("CO_API_URL", _fake.url)
    monkeypatch.setenv("CO_API_KEY", "co-test")
    reset_default_clients()
    yield _fake
    reset_default_clients()
