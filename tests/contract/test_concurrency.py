"""Many calls at once, each with its own dynamic config: every call reaches exactly the
client meant for it, and nothing of one call's config (client, tools, call params) shows
up in another's request."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from contextlib import AsyncExitStack
from typing import Any

import pytest

from mirascope.core import BaseTool, Messages
from mirascope.testing import FakeServer, RecordedRequest

from .base import ContractProvider

CALLS = 1000
KEYS = ["key-alpha", "key-beta", "key-gamma"]


class FormatBook(BaseTool):
    """Format a book as 'title by author'."""

    title: str
    author: str


MODEL_CLIENTS = {"gemini", "vertex"}
"""Providers whose client is a model object: credentials are process-wide, not the
client's, so requests cannot tell one client from another."""


def _temperature_params(provider: str, value: float) -> dict[str, Any]:
    # Converse takes sampling parameters inside inferenceConfig, Google in generation_config
    # (google-generativeai, vertexai) or config (google-genai)
    if provider == "bedrock":
        return {"inferenceConfig": {"temperature": value}}
    if provider in MODEL_CLIENTS:
        return {"generation_config": {"temperature": value}}
    if provider == "google":  # google-genai takes every setting in one config
        return {"config": {"temperature": value}}
    return {"temperature": value}


def _temperature_in(body: Any) -> Any:
    """The temperature a request body carries, wherever the vendor puts it."""
    if isinstance(body, Mapping):
        for key, value in body.items():
            if key == "temperature":
                return value
            found = _temperature_in(value)
            if found is not None:
                return found
    return None


def _has_tools(body: Mapping[str, Any]) -> bool:
    return bool(body.get("tools") or body.get("toolConfig"))


def _plan(i: int) -> tuple[int | None, bool, float | None]:
    """Call ``i``'s own config: (custom client index or None for the default client,
    tools offered, temperature or None)."""
    client = None if i % 4 == 0 else i % 4 - 1
    temperature = round(i / CALLS, 3) if i % 5 == 0 else None
    return client, i % 3 == 0, temperature


def _call_index(provider: ContractProvider, request: RecordedRequest) -> int:
    texts = [text for role, text in provider.messages_of(request.json) if role == "user"]
    return int(texts[-1].removeprefix("call "))


def _check_requests(
    provider: ContractProvider, requests: list[RecordedRequest], default_key: str | None
) -> None:
    seen: set[int] = set()
    for request in requests:
        i = _call_index(provider, request)
        seen.add(i)
        client, tools, temperature = _plan(i)
        want_key = default_key if client is None else KEYS[client]
        assert provider.key_of(request) == want_key, (i, provider.key_of(request), want_key)
        assert _has_tools(request.json) is tools, (i, request.json)
        assert _temperature_in(request.json) == temperature, (i, request.json)
    assert seen == set(range(CALLS))


# one burst at a time (xdist's loadgroup): two bursts at once on a 2-CPU machine starve
# the event loop past the SDKs' 5 s connect timeouts
@pytest.mark.xdist_group("burst")
def test_concurrent_calls_each_use_their_own_config(
    provider: ContractProvider, server: FakeServer, module: Any
) -> None:
    try:
        keyed = provider.keyed_client(server, KEYS[0])
    except NotImplementedError as why:
        pytest.skip(f"{provider.name}: {str(why) or 'ContractProvider.keyed_client is missing'}")
    del keyed  # never entered: only probing for the hook

    async def main() -> tuple[list[Any], list[Any], float]:
        async with AsyncExitStack() as stack:
            clients = [
                await stack.enter_async_context(provider.keyed_client(server, key)) for key in KEYS
            ]

            async def prompt(i: int) -> Any:
                await asyncio.sleep(0)  # let the calls interleave while building configs
                config: dict[str, Any] = {"messages": [Messages.User(f"call {i}")]}
                client, tools, temperature = _plan(i)
                if client is not None:
                    config["client"] = clients[client]
                if tools:
                    config["tools"] = [FormatBook]
                if temperature is not None:
                    config["call_params"] = _temperature_params(provider.name, temperature)
                return config

            fn = module.call(provider.model)(prompt)
            started = time.perf_counter()
            responses = await asyncio.gather(*(fn(i) for i in range(CALLS)))
            return responses, clients, time.perf_counter() - started

    responses, clients, elapsed = asyncio.run(main())
    # alone, each provider takes 2-14 s (Mistral's SDK is the slowest); the bound leaves
    # room for a loaded machine while catching a hang or calls made one by one
    assert elapsed < 60, f"{CALLS} calls took {elapsed:.1f} s"
    defaults = {id(r.plan.client) for i, r in enumerate(responses) if _plan(i)[0] is None}
    assert len(defaults) == 1  # one default client for the loop, shared
    for i, response in enumerate(responses):
        assert response.content == f"call {i}"
        client, tools, _ = _plan(i)
        if client is not None:
            assert response.plan.client is clients[client]
        assert bool(response.plan.tools) is tools
    requests = list(server.requests)
    assert len(requests) == CALLS
    default_keys = {
        provider.key_of(r) for r in requests if _plan(_call_index(provider, r))[0] is None
    }
    assert len(default_keys) == 1 and not default_keys & set(KEYS)
    _check_requests(provider, requests, default_keys.pop())


def test_dynamic_config_does_not_stick(
    provider: ContractProvider, server: FakeServer, module: Any
) -> None:
    """One call's client, tools and call params are gone from the next call's request."""
    custom = provider.client(server, is_async=False)
    if custom is None:
        pytest.skip(f"{provider.name} has no client object")
    full = [True]

    def prompt(i: int) -> Any:
        config: dict[str, Any] = {"messages": [Messages.User(f"call {i}")]}
        if full[0]:
            config["client"] = custom
            config["tools"] = [FormatBook]
            config["call_params"] = _temperature_params(provider.name, 0.5)
        return config

    fn = module.call(provider.model)(prompt)
    first = fn(0)
    full[0] = False
    second = fn(1)
    assert first.plan.client is custom and second.plan.client is not custom
    assert first.plan.tools and not second.plan.tools and not second.plan.call_params
    body_first, body_second = server.requests[0].json, server.requests[1].json
    assert _has_tools(body_first) and _temperature_in(body_first) == 0.5
    assert not _has_tools(body_second) and _temperature_in(body_second) is None
    if provider.name not in MODEL_CLIENTS:
        assert provider.key_of(server.requests[0]) != provider.key_of(server.requests[1])
