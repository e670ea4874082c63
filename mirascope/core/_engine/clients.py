"""Default SDK clients: built once per provider and kind, reused by every call.

Async clients hold connection pools bound to the event loop that made them, so they are
kept per running loop; a loop that is gone takes its clients with it."""

from __future__ import annotations

import asyncio
import atexit
import threading
import weakref
from typing import Any

from .adapter import Adapter

_sync: dict[str, Any] = {}
_async: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, Any]] = (
    weakref.WeakKeyDictionary()
)
_lock = threading.Lock()
_adapters: dict[str, Adapter[Any, Any]] = {}


def default_client(adapter: Adapter[Any, Any], *, is_async: bool) -> Any:
    """The shared default client of ``adapter`` for this kind (and this event loop)."""
    if is_async:
        loop = asyncio.get_running_loop()
        per_loop = _async.get(loop)
        if per_loop is None:
            per_loop = _async.setdefault(loop, {})
        client = per_loop.get(adapter.name)
        if client is None:
            client = per_loop[adapter.name] = adapter.default_client(is_async=True)
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
    """Whether a default client of ``provider`` exists (sync, or async in any loop)."""
    return provider in _sync or any(provider in d for d in list(_async.values()))


def reset_default_clients() -> None:
    """Close and forget every default client (e.g. after changing the environment)."""
    with _lock:
        for name, client in list(_sync.items()):
            _adapters[name].close_client(client)
        _sync.clear()
        _async.clear()


atexit.register(reset_default_clients)
