"""``map_calls``: one decorated function's calls as Ray tasks on a pool of worker actors.

Calls wait on the network, not the CPU, so a Ray task per call (one CPU slot each) would
run as many calls at once as the cluster has cores. Each worker is an actor instead (its
own process, anywhere on the cluster) running up to ``concurrency`` calls at once: threads
for a ``def`` function, coroutines on one event loop for an ``async def`` one. Items go to
the workers in turn, each as one actor task; the results come back in input order.

Workers outlive a call: a new one takes seconds (a process that imports the SDKs), a warm
one loads the next function (pickled once, ``ray.put``) on its first item."""

from __future__ import annotations

import asyncio
import inspect
import threading
from collections.abc import Callable, Coroutine, Iterable, Mapping
from typing import Any, Literal, TypeVar, overload

from ..batch._types import call_args
from ..core._engine.decorator import SPEC_ATTR
from ..core._engine.limiter import RateLimit
from ..core._engine.plan import CallSpec
from ..core.base.errors import InvalidCallError
from ._limit import actor_for, bind
from ._ray import ray
from ._wire import dump_function, dump_result, load, note_worker

T = TypeVar("T")

LLM_ATTR = "__mirascope_llm__"  # mirascope.llm._call.LLM_ATTR, read without importing llm

DEFAULT_CONCURRENCY = 16
"""Calls in flight per worker unless told: enough to keep a worker busy while calls wait."""


class _Failed:
    """An item's exception, pickled by the worker (see ``_wire``)."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data


_LOADED_KEPT = 8
"""Functions a worker keeps loaded (the last ones it ran)."""


class _Loaded:
    """The functions a worker has loaded, by the id of their payload's object."""

    def __init__(self) -> None:
        self._fns: dict[str, Callable[..., Any]] = {}

    def get(self, key: str) -> Callable[..., Any] | None:
        return self._fns.get(key)

    def add(self, key: str, payload: bytes, actor: Any) -> Callable[..., Any]:
        fn = load(payload)
        limit = limit_of(fn)
        if limit is not None and actor is not None:
            # a function pickled by reference (a module the worker imports) brings the
            # module's own RateLimit: bind it too
            bind(limit, actor)
        if len(self._fns) >= _LOADED_KEPT:
            del self._fns[next(iter(self._fns))]
        self._fns[key] = fn
        return fn


def _failed(error: Exception) -> _Failed:
    note_worker(error)
    return _Failed(dump_result(error))


class SyncWorker:
    """Runs ``def`` functions' calls, ``max_concurrency`` threads at once."""

    def __init__(self) -> None:
        self._loaded = _Loaded()
        self._lock = threading.Lock()

    def ready(self) -> bool:
        return True

    def run(self, job: list[Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        ref, actor = job  # in a list: Ray resolves only the arguments' top-level refs
        key = ref.hex()
        with self._lock:
            fn = self._loaded.get(key) or self._loaded.add(key, ray.get(ref), actor)
        try:
            return dump_result(fn(*args, **kwargs))
        except Exception as error:
            return _failed(error)


class AsyncWorker:
    """Runs ``async def`` functions' calls on the actor's event loop."""

    def __init__(self) -> None:
        self._loaded = _Loaded()

    async def ready(self) -> bool:
        return True

    async def run(self, job: list[Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        ref, actor = job
        key = ref.hex()
        fn = self._loaded.get(key)
        if fn is None:
            payload = await ref
            fn = self._loaded.get(key) or self._loaded.add(key, payload, actor)
        try:
            return dump_result(await fn(*args, **kwargs))
        except Exception as error:
            return _failed(error)


_remote: dict[bool, Any] = {}
_pools: dict[tuple[Any, ...], list[Any]] = {}
"""Worker actors kept warm between calls of ``map_calls`` (a worker's first start imports
the SDKs: seconds), by Ray job, kind, concurrency and options."""
_pools_lock = threading.Lock()


def _worker_class(is_async: bool) -> Any:
    cls = _remote.get(is_async)
    if cls is None:
        cls = _remote[is_async] = ray.remote(AsyncWorker if is_async else SyncWorker)
    return cls


def _pool(is_async: bool, workers: int, options: dict[str, Any]) -> list[Any]:
    job: str = ray.get_runtime_context().get_job_id()
    key = (job, is_async, repr(sorted(options.items())))
    with _pools_lock:
        pool = _pools.setdefault(key, [])
        cls = _worker_class(is_async).options(**options)
        while len(pool) < workers:
            pool.append(cls.remote())
        return pool[:workers]


def close_workers() -> None:
    """End the worker processes ``map_calls`` keeps between calls (Ray ends them too, with
    the job or at ``ray.shutdown()``)."""
    with _pools_lock:
        pools = list(_pools.values())
        _pools.clear()
    if ray.is_initialized():
        for pool in pools:
            for worker in pool:
                ray.kill(worker)


def spec_of(fn: Any) -> CallSpec | None:
    """The call spec behind a provider's or ``llm.call``'s function; None for any other."""
    state = getattr(fn, LLM_ATTR, None)
    decorated = fn if state is None else state.decorated
    return getattr(decorated, SPEC_ATTR, None)


def limit_of(fn: Any) -> RateLimit | None:
    spec = spec_of(fn)
    policy = None if spec is None else spec.policy
    return None if policy is None else policy.limit


@overload
def map_calls(
    fn: Callable[..., Coroutine[Any, Any, T]],
    items: Iterable[Any],
    *,
    workers: int | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    return_exceptions: Literal[False] = False,
    worker_options: Mapping[str, Any] | None = None,
) -> list[T]: ...
@overload
def map_calls(
    fn: Callable[..., Coroutine[Any, Any, T]],
    items: Iterable[Any],
    *,
    workers: int | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    return_exceptions: Literal[True],
    worker_options: Mapping[str, Any] | None = None,
) -> list[T | Exception]: ...
@overload
def map_calls(
    fn: Callable[..., T],
    items: Iterable[Any],
    *,
    workers: int | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    return_exceptions: Literal[False] = False,
    worker_options: Mapping[str, Any] | None = None,
) -> list[T]: ...
@overload
def map_calls(
    fn: Callable[..., T],
    items: Iterable[Any],
    *,
    workers: int | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    return_exceptions: Literal[True],
    worker_options: Mapping[str, Any] | None = None,
) -> list[T | Exception]: ...
def map_calls(
    fn: Callable[..., Any],
    items: Iterable[Any],
    *,
    workers: int | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    return_exceptions: bool = False,
    worker_options: Mapping[str, Any] | None = None,
) -> list[Any]:
    """Call ``fn`` once per item on Ray workers and return what each call returned, in
    input order (an ``async def`` function's calls are awaited there).

    An item is the call's one argument, a tuple of its positional arguments, or
    ``Args(...)`` (from ``mirascope.batch``). ``workers`` processes (default: the
    cluster's CPUs) each run up to ``concurrency`` calls at once. The function's own
    ``limiter=RateLimit(...)`` is shared by every worker: its state lives in one actor.

    A call that raises leaves the others running; then the first failure (in input order)
    is raised as the exception the call raised, its class and attributes kept. With
    ``return_exceptions=True`` each failure takes its item's place in the list instead.

    ``worker_options`` go to Ray's ``.options()`` of each worker actor (``runtime_env``,
    ``num_cpus``, ``resources``...). The workers stay up for the next call (until
    ``close_workers()`` or the end of the Ray job). Ray must be running (``ray.init()``),
    or is started locally as any first Ray task does. In async code, ``await
    map_calls_async(...)`` waits the same way without blocking the event loop."""
    refs = _submit("map_calls", fn, items, workers, concurrency, worker_options)
    return _collect("map_calls", ray.get(refs) if refs else [], return_exceptions)


@overload
async def map_calls_async(
    fn: Callable[..., Coroutine[Any, Any, T]],
    items: Iterable[Any],
    *,
    workers: int | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    return_exceptions: Literal[False] = False,
    worker_options: Mapping[str, Any] | None = None,
) -> list[T]: ...
@overload
async def map_calls_async(
    fn: Callable[..., Coroutine[Any, Any, T]],
    items: Iterable[Any],
    *,
    workers: int | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    return_exceptions: Literal[True],
    worker_options: Mapping[str, Any] | None = None,
) -> list[T | Exception]: ...
@overload
async def map_calls_async(
    fn: Callable[..., T],
    items: Iterable[Any],
    *,
    workers: int | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    return_exceptions: Literal[False] = False,
    worker_options: Mapping[str, Any] | None = None,
) -> list[T]: ...
@overload
async def map_calls_async(
    fn: Callable[..., T],
    items: Iterable[Any],
    *,
    workers: int | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    return_exceptions: Literal[True],
    worker_options: Mapping[str, Any] | None = None,
) -> list[T | Exception]: ...
async def map_calls_async(
    fn: Callable[..., Any],
    items: Iterable[Any],
    *,
    workers: int | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    return_exceptions: bool = False,
    worker_options: Mapping[str, Any] | None = None,
) -> list[Any]:
    """``map_calls`` for async code: the same fan-out, awaited (the event loop runs on
    while the workers call). ``fn`` may be a ``def`` or an ``async def`` function; either
    runs on the workers as it would under ``map_calls``."""
    refs = _submit("map_calls_async", fn, items, workers, concurrency, worker_options)
    outcomes = await asyncio.gather(*refs) if refs else []
    return _collect("map_calls_async", outcomes, return_exceptions)


def _submit(
    name: str,
    fn: Callable[..., Any],
    items: Iterable[Any],
    workers: int | None,
    concurrency: int,
    worker_options: Mapping[str, Any] | None,
) -> list[Any]:
    """Checks the call, sends one actor task per item, and returns their refs in order."""
    where = f"{name}({getattr(fn, '__qualname__', repr(fn))})"
    spec = spec_of(fn)
    if spec is not None and spec.stream:
        raise InvalidCallError(
            f"{where}: the function streams (stream=True), and a stream cannot leave its "
            "worker: fan out a function without stream, or one that consumes its stream "
            "and returns what it needs"
        )
    is_async = spec.is_async if spec is not None else inspect.iscoroutinefunction(fn)
    for option, value in (("workers", workers), ("concurrency", concurrency)):
        if value is not None and not _whole(value):
            raise ValueError(f"{where}: {option} takes a whole number of at least 1, not {value!r}")
    calls = [call_args(item) for item in items]
    if not calls:
        return []
    if not ray.is_initialized():
        ray.init()
    if workers is None:
        workers = max(1, int(ray.cluster_resources().get("CPU", 1)))
    workers = min(workers, len(calls))
    limit = limit_of(fn)
    actor = None if limit is None else actor_for(limit)
    try:
        payload = dump_function(fn, actor_for)
    except Exception as error:
        raise InvalidCallError(
            f"{where}: the function cannot be sent to Ray workers ({type(error).__name__}: "
            f"{error}). A function decorated with client=... carries an SDK client, which "
            "does not pickle: use the default client (configured by the environment, which "
            "Ray passes to its workers through runtime_env), return the client from a "
            "dynamic config (built in the worker), or define the function in a module the "
            "workers can import"
        ) from error
    options: dict[str, Any] = {"num_cpus": 0, "scheduling_strategy": "SPREAD"}
    options.update(worker_options or {})
    options["max_concurrency"] = concurrency
    pool = _pool(is_async, workers, options)
    job = [ray.put(payload), actor]
    return [
        pool[index % workers].run.remote(job, args, kwargs)
        for index, (args, kwargs) in enumerate(calls)
    ]


def _collect(name: str, outcomes: list[Any], return_exceptions: bool) -> list[Any]:
    """The workers' answers, in input order: results, or the first failure raised (or
    every failure in its item's place, with ``return_exceptions``)."""
    results: list[Any] = []
    failure: Exception | None = None
    for index, outcome in enumerate(outcomes):
        if isinstance(outcome, _Failed):
            error: Exception = load(outcome.data)
            if return_exceptions:
                results.append(error)
                continue
            if failure is None:
                failure = error
                _note(error, f"item {index} of {len(outcomes)} failed ({name})")
            results.append(None)
            continue
        results.append(load(outcome))
    if failure is not None:
        raise failure
    return results


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _note(error: BaseException, note: str) -> None:
    add_note = getattr(error, "add_note", None)  # Python 3.11+
    if add_note is not None:
        add_note(note)
