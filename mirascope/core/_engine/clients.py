"""Default SDK clients: built once per provider and kind, reused by every call.

Async clients hold connection pools bound to the event loop that made them, so they are
kept per running loop, and closed while that loop shuts down (``asyncio.run`` finalizes
async generators before closing the loop: each client rides on one)."""

from __future__ import annotations

import atexit
import contextlib
import threading
import weakref
from collections.abc import AsyncGenerator
from typing import TYPE_CHECKING

from .adapter import AnyAdapter

if TYPE_CHECKING:
    # imported where an async call needs it: boto3 and azure's sync client never load
    # asyncio, which costs 15 ms or more to import
    import asyncio

_sync: dict[str, object] = {}
_async: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, object]] = (
    weakref.WeakKeyDictionary()
)
_lock = threading.Lock()
_adapters: dict[str, AnyAdapter] = {}
_async_made: set[str] = set()  # providers with an async default client, in any loop, even gone
_closers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, list[AsyncGenerator[None]]] = (
    weakref.WeakKeyDictionary()
)


async def _close_at_loop_end(
    loop: asyncio.AbstractEventLoop, adapter: AnyAdapter, client: object
) -> AsyncGenerator[None]:
    try:
        yield
    finally:
        # forget the loop first: this generator (through its finalizer hook) refers to the
        # loop, so while it is stored the loop's weak key could never die
        per_loop = _async.get(loop)
        if per_loop is not None and per_loop.get(adapter.name) is client:
            del per_loop[adapter.name]
            if not per_loop:
                _async.pop(loop, None)
        # the loop is shutting down its generators: they hold themselves alive until then
        _closers.pop(loop, None)
        await adapter.close_client_async(client)


def _close_with_loop(loop: asyncio.AbstractEventLoop, adapter: AnyAdapter, client: object) -> None:
    closer = _close_at_loop_end(loop, adapter, client)
    step = closer.__anext__()  # the loop's firstiter hook now tracks this generator
    with contextlib.suppress(StopIteration):
        step.send(None)  # run to the yield: nothing in it awaits
    _closers.setdefault(loop, []).append(closer)


def default_client(adapter: AnyAdapter, *, is_async: bool) -> object:
    """The shared default client of ``adapter`` for this kind (and this event loop)."""
    if is_async:
        import asyncio  # loaded already: this runs in its event loop

        loop = asyncio.get_running_loop()
        per_loop = _async.get(loop)
        if per_loop is None:
            per_loop = _async.setdefault(loop, {})
        client = per_loop.get(adapter.name)
        if client is None:
            client = per_loop[adapter.name] = adapter.default_client(is_async=True)
            _async_made.add(adapter.name)
            _close_with_loop(loop, adapter, client)
        return client
    client = _sync.get(adapter.name)
    if client is None:
        with _lock:
            client = _sync.get(adapter.name)
            if client is None:
                client = _sync[adapter.name] = adapter.default_client(is_async=False)
                _adapters[adapter.name] = adapter
    return client


def default_clients_created(provider: str) -> bool:
    """Whether a default client of ``provider`` was made since the last reset (sync, or
    async in any loop, including loops that are gone)."""
    return provider in _sync or provider in _async_made


def reset_default_clients() -> None:
    """Close and forget every default client (e.g. after changing the environment)."""
    with _lock:
        for name, client in list(_sync.items()):
            _adapters[name].close_client(client)
        _sync.clear()
        _async.clear()
        _closers.clear()
        _async_made.clear()


atexit.register(reset_default_clients)
