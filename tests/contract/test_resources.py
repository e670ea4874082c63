"""Default clients release their connections: sync ones through ``reset_default_clients()``
and at interpreter exit, async ones when their event loop ends. (Every contract and fault
test also fails on anything left open: see ``_no_leaks`` in conftest.py.)"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from mirascope.core import reset_default_clients
from mirascope.testing import FakeServer

from .base import ContractProvider

ROOT = Path(__file__).resolve().parents[2]


def _closed(provider: ContractProvider, client: Any) -> bool:
    try:
        return provider.client_closed(client)
    except NotImplementedError as why:
        pytest.skip(f"{provider.name}: {str(why) or 'ContractProvider.client_closed is missing'}")


def _require_closed_hook(provider: ContractProvider) -> None:
    """Skip before any call when the provider cannot tell a closed client."""
    try:
        provider.client_closed(None)  # a probe: unimplemented hooks raise at once
    except NotImplementedError as why:
        pytest.skip(f"{provider.name}: {str(why) or 'ContractProvider.client_closed is missing'}")
    except Exception:  # implemented: None is no client
        pass


def _prompt() -> str:
    return "Recommend a fantasy book"


async def _prompt_async() -> str:
    return "Recommend a fantasy book"


def test_reset_closes_default_clients(
    provider: ContractProvider, server: FakeServer, module: Any
) -> None:
    _require_closed_hook(provider)
    response = module.call(provider.model)(_prompt)()
    client = response.plan.client
    assert not _closed(provider, client)
    reset_default_clients()
    assert _closed(provider, client)


def test_async_default_closes_with_its_loop(
    provider: ContractProvider, server: FakeServer, module: Any
) -> None:
    _require_closed_hook(provider)
    fn = module.call(provider.model)(_prompt_async)

    async def main() -> Any:
        response = await fn()
        client = response.plan.client
        if type(client).__name__ == "_LoopClient":  # bedrock opens aiobotocore's lazily
            client = await client.get()
        assert not _closed(provider, client)
        assert (await fn()).plan.client is response.plan.client  # one per loop, reused
        return client

    client = asyncio.run(main())
    assert _closed(provider, client)


_AT_EXIT = """
import atexit, importlib, os, sys

held = []

def report():
    # registered before mirascope's own exit hook, so it runs after it (LIFO)
    print("closed" if provider.client_closed(held[0]) else "open", flush=True)

atexit.register(report)
from tests.contract.base import PROVIDERS
importlib.import_module("tests.contract.provider_{name}")
provider = PROVIDERS["{name}"]()
server = provider.start()
os.environ.update(provider.environ(server))
module = importlib.import_module("mirascope.core.{name}")

def prompt() -> str:
    return "Recommend a fantasy book"

response = module.call(provider.model)(prompt)()
assert response.content == "Recommend a fantasy book", response.content
held.append(response.plan.client)
print("open" if not provider.client_closed(held[0]) else "closed early", flush=True)
"""


def test_default_clients_close_at_exit(provider: ContractProvider) -> None:
    _require_closed_hook(provider)
    program = textwrap.dedent(_AT_EXIT).replace("{name}", provider.name)
    result = subprocess.run(
        [sys.executable, "-X", "dev", "-W", "error::ResourceWarning", "-c", program],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["open", "closed"], result.stdout + result.stderr
    problems = [
        line
        for line in result.stderr.splitlines()
        if "ResourceWarning" in line or "Unclosed" in line or "Exception ignored" in line
    ]
    assert not problems, result.stderr
