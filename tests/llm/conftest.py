"""The contract suite's providers, fake servers and leak check, for ``llm.call``: each test
taking ``provider`` runs for all ten, sync and async, default and custom client."""

from __future__ import annotations

from ..contract.conftest import (  # noqa: F401 - fixtures and the parametrizing hook
    _no_leaks,
    _stop_servers,
    provider,
    pytest_generate_tests,
    server,
)
