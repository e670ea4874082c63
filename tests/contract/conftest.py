from __future__ import annotations

import contextlib
import gc
import importlib
import logging
import pkgutil
import sys
import warnings
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


LEAK_CHECKED = frozenset(PROVIDERS)
"""Providers whose tests fail on a leaked client, session or connection: all of them."""


class _Collect(logging.Handler):
    def __init__(self, found: list[str]) -> None:
        super().__init__(logging.ERROR)
        self.found = found

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if _LITELLM_ORPHAN in message:
            return
        self.found.append(f"asyncio logged: {message}")


_LITELLM_ORPHAN = "coro=<LoggingWorker._worker_loop()"
"""litellm's own leak, tolerated by name: its global LoggingWorker is bound to one event
loop, and when a call on another loop (another thread's ``asyncio.run``) uses it,
``_ensure_queue`` replaces the queue and forgets the worker task of the first loop without
cancelling it (litellm/litellm_core_utils/logging_worker.py), so the collector destroys that
task while it is pending ("Task was destroyed but it is pending!"), or the task fails on
the other loop's queue ("Task exception was never retrieved"). Raw ``litellm.acompletion``
from two threads, each running its own loop, logs both (checked against the OpenAI fake,
without mirascope's calls); no client, session or connection of mirascope's is involved."""


@pytest.fixture(autouse=True)
def _no_leaks(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that leaves a client, session or connection unclosed (``leak_check``).
    Autouse, so set up before the ``provider`` and ``server`` fixtures and torn down after
    them: their clean-up counts."""
    callspec = getattr(request.node, "callspec", None)
    name = callspec.params.get("provider") if callspec is not None else None
    if name is not None and name not in LEAK_CHECKED:
        yield
        return
    with leak_check():
        yield


@contextlib.contextmanager
def leak_check() -> Iterator[None]:
    """Fail if what runs inside leaves a client, session or connection unclosed.

    Leaks show up when the garbage collector finalizes what was left open: sockets, httpx
    and aiohttp objects warn with ``ResourceWarning`` (an error here, reported through
    ``sys.unraisablehook`` since it is raised in ``__del__``), and aiohttp also reports
    "Unclosed client session" / "Unclosed connector" through the loop's exception handler,
    which logs on the ``asyncio`` logger."""
    found: list[str] = []
    previous_hook = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        found.append(f"{unraisable.exc_type.__name__}: {unraisable.exc_value}")

    with warnings.catch_warnings():
        # what tests before this one left (other suites, providers not covered) is not
        # this test's doing
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()
    # what lives on (the SDKs' modules, imported as the tests go: a large heap) is set
    # apart, so that the collections below scan only what this test makes (~100x faster)
    gc.freeze()
    handler = _Collect(found)
    asyncio_logger = logging.getLogger("asyncio")
    asyncio_logger.addHandler(handler)
    sys.unraisablehook = hook
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", ResourceWarning)
            yield
            # a finalizer run by one pass (an SDK closing its clients) may leave garbage
            # for the next
            for _ in range(3):
                if not gc.collect():
                    break
    finally:
        sys.unraisablehook = previous_hook
        asyncio_logger.removeHandler(handler)
    if found:
        pytest.fail("left open:\n" + "\n".join(found), pytrace=False)


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
