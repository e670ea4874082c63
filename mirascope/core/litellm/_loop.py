"""The event loop litellm's sync calls find in the main thread: mirascope's, not a leaked one.

A sync litellm call runs its service hooks through ``asyncio.get_event_loop()``. In the
main thread with no loop ever set (Python < 3.14), that call makes a loop and sets it as
the thread's; litellm runs the hooks on it and leaves a task pending there. The next
``asyncio.run`` unsets the thread's loop, and the garbage collector then finds litellm's
unclosed ("unclosed event loop" ResourceWarning, its self-pipe sockets, "Task was destroyed
but it is pending!"). Where asyncio would make that loop, mirascope sets one of its own
instead: made once, held here (never collected unclosed), closed with the default
clients (``reset_default_clients()`` and exit). A loop the user set, or unset, is left
alone. Imported with litellm's first call (which loads asyncio anyway)."""

from __future__ import annotations

import asyncio
import sys
import threading
from typing import Any

_loop: asyncio.AbstractEventLoop | None = None
"""The loop mirascope made for litellm's sync calls, until it is closed."""


if sys.version_info >= (3, 14):  # pragma: no cover - get_event_loop() makes no loop there

    def lend_loop() -> None:
        """Nothing to do: asyncio makes no loop for litellm to leak."""

else:

    def lend_loop() -> None:
        """Before a sync litellm call: set mirascope's loop where asyncio would make one."""
        # asyncio has no public way to ask whether a loop is set without making one: the
        # default policy keeps it in a thread-local ``_local._loop``, and ``_set_called``
        # says whether one was ever set (``asyncio.run`` sets it, then unsets the loop;
        # get_event_loop() makes no loop after that). getattr: a policy without them is
        # not the default one, and is left alone. ~0.15 us on the path after the
        # first call (the loop is set).
        local = _thread_state()
        if getattr(local, "_loop", True) is None and getattr(local, "_set_called", True) is False:
            _set_loop()


def _thread_state() -> Any:
    """The default policy's per-thread state (``_loop``, ``_set_called``), or None."""
    # the policy API is deprecated from Python 3.14, where this is never called (_loop
    # stays None there)
    policy = asyncio.get_event_loop_policy()  # pyright: ignore[reportDeprecated]
    return getattr(policy, "_local", None)


def _set_loop() -> None:
    global _loop
    # get_event_loop() makes a loop in the main thread only, and returns a running loop
    # before looking for a set one
    if threading.current_thread() is not threading.main_thread():
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        return
    if _loop is None:
        _loop = asyncio.new_event_loop()  # the policy's kind of loop, as asyncio would make
    asyncio.set_event_loop(_loop)


def close_loop() -> None:
    """Close mirascope's loop: cancel what litellm left pending on it, let that finish, and
    unset it as the thread's loop.

    From the main thread only, and not while a loop runs there (a reset inside an async
    function): the loop is left for the next reset, or exit. litellm keeps working after:
    its next sync call in the main thread finds no loop and runs its hooks with
    ``asyncio.run``, as after any ``asyncio.run``."""
    global _loop
    loop = _loop
    if loop is None or threading.current_thread() is not threading.main_thread():
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        return
    _loop = None
    try:
        pending = asyncio.all_tasks(loop)
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.run_until_complete(loop.shutdown_default_executor())
    finally:
        if getattr(_thread_state(), "_loop", None) is loop:
            asyncio.set_event_loop(None)
        loop.close()
