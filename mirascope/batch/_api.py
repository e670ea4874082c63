"""The public functions of ``mirascope.batch``: submit, run and resume batch jobs."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable
from typing import Any, TypeVar, overload

from ._engine import (
    DEFAULT_POLL_INTERVAL,
    AsyncBatchJob,
    BatchJob,
    submit_step,
    target_of,
)
from ._progress import ProgressSetting
from ._types import BatchResult
from ._vendor import drive, drive_async

T = TypeVar("T")


def submit(fn: Callable[..., T], items: Iterable[Any], *, client: object = None) -> BatchJob[T]:
    """Send one call of ``fn`` per item as a batch job, and return the job without waiting.

    Args:
        fn: a sync function decorated with a provider's ``call`` (or ``llm.call``).
        items: each call's arguments: a value (the one argument), a tuple (the positional
            arguments) or ``Args(...)`` (any arguments).
        client: the SDK client to send through (default: the decorator's, else the
            provider's default client).
    """
    return _submit(fn, items, client, "submit")


def _submit(fn: Callable[..., T], items: Iterable[Any], client: object, verb: str) -> BatchJob[T]:
    target = target_of(fn, is_async=False, verb=verb, client=client)
    return BatchJob[T].submitted(target, drive(submit_step(target, list(items))))


async def submit_async(
    fn: Callable[..., Coroutine[Any, Any, T]], items: Iterable[Any], *, client: object = None
) -> AsyncBatchJob[T]:
    """``submit`` for an ``async def`` function (its async client and SDK calls)."""
    return await _submit_async(fn, items, client, "submit")


async def _submit_async(
    fn: Callable[..., Coroutine[Any, Any, T]], items: Iterable[Any], client: object, verb: str
) -> AsyncBatchJob[T]:
    target = target_of(fn, is_async=True, verb=verb, client=client)
    submitted = await drive_async(submit_step(target, list(items)))
    return AsyncBatchJob[T].submitted(target, submitted)


def run(
    fn: Callable[..., T],
    items: Iterable[Any],
    *,
    client: object = None,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    timeout: float | None = None,
    progress: ProgressSetting = None,
) -> list[BatchResult[T]]:
    """Submit a batch job of ``fn`` over ``items`` and wait for it: one ``BatchResult``
    per item, in input order, each holding what calling ``fn`` would have returned (its
    response, or its response model) or the error that took its place.

    The job's id is in the progress line; to survive the process, ``submit`` and keep
    ``job.id`` instead. See ``submit`` for the arguments and ``BatchJob.wait`` for the rest.
    """
    job = _submit(fn, items, client, "run")
    return job.wait(poll_interval=poll_interval, timeout=timeout, progress=progress)


async def run_async(
    fn: Callable[..., Coroutine[Any, Any, T]],
    items: Iterable[Any],
    *,
    client: object = None,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    timeout: float | None = None,
    progress: ProgressSetting = None,
) -> list[BatchResult[T]]:
    """``run`` for an ``async def`` function."""
    job = await _submit_async(fn, items, client, "run")
    return await job.wait(poll_interval=poll_interval, timeout=timeout, progress=progress)


@overload
def resume(  # pyright: ignore[reportOverlappingOverload]
    job_id: str,
    fn: Callable[..., Coroutine[Any, Any, T]],
    items: Iterable[Any] | None = None,
    *,
    client: object = None,
) -> AsyncBatchJob[T]: ...
@overload
def resume(
    job_id: str, fn: Callable[..., T], items: Iterable[Any] | None = None, *, client: object = None
) -> BatchJob[T]: ...
def resume(
    job_id: str,
    fn: Callable[..., Any],
    items: Iterable[Any] | None = None,
    *,
    client: object = None,
) -> BatchJob[Any] | AsyncBatchJob[Any]:
    """The job ``job_id`` (submitted earlier, maybe by another process) of ``fn``: an
    ``AsyncBatchJob`` for an ``async def`` function. Nothing is sent until it is used.

    Results come back in input order (read from each request's id). Give the ``items`` it
    was submitted with to have each response carry its messages and dynamic config;
    without them, responses carry the function's settings only.
    """
    target = target_of(fn, is_async=None, verb="resume", client=client)
    kept = list(items) if items is not None else None
    if target.spec.is_async:
        return AsyncBatchJob[Any](target, job_id, items=kept)
    return BatchJob[Any](target, job_id, items=kept)
