"""Default clients release their connections: sync ones through ``reset_default_clients()``
and at interpreter exit, async ones when their event loop ends. (Every contract and fault
test also fails on anything left open: see ``_no_leaks`` in conftest.py.)"""

from __future__ import annotations

import asyncio
import gc
import subprocess
import sys
import textwrap
import warnings
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
importlib.import_module("tests.contract.provider_{file}")
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
    program = program.replace("{file}", provider.name.replace(".", "_"))  # openai.responses
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


def test_litellm_cached_clients_close_with_their_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    """litellm keeps the async clients it makes in its own cache past their loop's end (it
    closes them when evicted, or at exit): their connections close with the loop all the
    same, or each would be left to the garbage collector when evicted."""
    from mirascope.core import litellm as provider_module
    from mirascope.core.litellm._adapter import import_litellm
    from mirascope.testing import FakeOpenAI

    litellm = import_litellm()
    cache: Any = litellm.in_memory_llm_clients_cache
    before = set(cache.cache_dict)
    with FakeOpenAI() as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.url + "/v1")
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        reset_default_clients()
        answer = provider_module.call("gpt-4o-mini")(_prompt_async)
        stream = provider_module.call("gpt-4o-mini", stream=True)(_prompt_async)

        async def main() -> None:
            assert (await answer()).content == "Recommend a fantasy book"
            async for _ in await stream():
                pass

        for _ in range(3):  # a client (and a socket) per loop
            asyncio.run(main())
        made = set(cache.cache_dict) - before
        assert made, "litellm cached no client: this test no longer sees what it checks"
        found: list[str] = []
        previous_hook = sys.unraisablehook
        sys.unraisablehook = lambda u: found.append(f"{u.exc_type.__name__}: {u.exc_value}")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", ResourceWarning)
                for key in made:  # evicted, as time (the TTL) or a full cache would
                    cache.delete_cache(key)
                for _ in range(3):  # a finalizer may leave garbage for the next pass
                    gc.collect()
        finally:
            sys.unraisablehook = previous_hook
        reset_default_clients()
    assert not found, "left open:\n" + "\n".join(found)


def test_litellm_cached_sync_clients_close_at_reset(monkeypatch: pytest.MonkeyPatch) -> None:
    """litellm's cached sync clients outlive reset_default_clients() (and exit): their
    connections close all the same, and the clients stay usable."""
    import httpx

    from mirascope.core import litellm as provider_module
    from mirascope.core.litellm._adapter import import_litellm
    from mirascope.testing import FakeOpenAI

    cache: Any = import_litellm().in_memory_llm_clients_cache

    def open_connections() -> int:
        pools = {
            id(t): t
            for c in list(cache.cache_dict.values())
            for t in (getattr(getattr(c, "_client", None), "_transport", None),)
            if isinstance(t, httpx.HTTPTransport)
        }
        return sum(len(t._pool.connections) for t in pools.values())

    with FakeOpenAI() as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.url + "/v1")
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        reset_default_clients()
        answer = provider_module.call("gpt-4o-mini")(_prompt)
        assert answer().content == "Recommend a fantasy book"
        assert open_connections() > 0, "no pooled connection: this test no longer sees it"
        reset_default_clients()
        assert open_connections() == 0
        assert answer().content == "Recommend a fantasy book"  # still usable
        reset_default_clients()
