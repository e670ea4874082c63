"""Batch jobs: many calls of one decorated function sent as one vendor batch (OpenAI's,
Azure OpenAI's and Groq's Batch API, Anthropic's Message Batches, Mistral's batch jobs,
LiteLLM's), at the vendors' batch prices, read back as the function's own results::

    from mirascope import batch

    results = batch.run(recommend_book, ["fantasy", "horror"])
    for result in results:  # in input order
        print(result.value.content if result.ok else result.error)

``submit`` returns the job at once (keep ``job.id``), ``resume(job_id, fn)`` picks it up
again in another process; ``run_async``/``submit_async`` for ``async def`` functions."""

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
from ._types import (
    Args,
    BatchError,
    BatchFailedError,
    BatchItemError,
    BatchNotEndedError,
    BatchResult,
    BatchStatus,
    BatchTimeoutError,
    BatchUnsupportedError,
)
from ._vendor import drive, drive_async

T = TypeVar("T")


def submit(fn: Callable[..., T], items: Iterable[Any], *, client: Any = None) -> BatchJob[T]:
    """Send one call of ``fn`` per item as a batch job, and return the job without waiting.

    Args:
        fn: a sync function decorated with a provider's ``call`` (or ``llm.call``).
        items: each call's arguments: a value (the one argument), a tuple (the positional
            arguments) or ``Args(...)`` (any arguments).
        client: the SDK client to send through (default: the decorator's, else the
            provider's default client).
    """
    target = target_of(fn, is_async=False, verb="submit", client=client)
    return BatchJob[T].submitted(target, drive(submit_step(target, list(items))))


async def submit_async(
    fn: Callable[..., Coroutine[Any, Any, T]], items: Iterable[Any], *, client: Any = None
) -> AsyncBatchJob[T]:
    """``submit`` for an ``async def`` function (its async client and SDK calls)."""
    target = target_of(fn, is_async=True, verb="submit", client=client)
    submitted = await drive_async(submit_step(target, list(items)))
    return AsyncBatchJob[T].submitted(target, submitted)


def run(
    fn: Callable[..., T],
    items: Iterable[Any],
    *,
    client: Any = None,
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
    job = submit(fn, items, client=client)
    return job.wait(poll_interval=poll_interval, timeout=timeout, progress=progress)


async def run_async(
    fn: Callable[..., Coroutine[Any, Any, T]],
    items: Iterable[Any],
    *,
    client: Any = None,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    timeout: float | None = None,
    progress: ProgressSetting = None,
) -> list[BatchResult[T]]:
    """``run`` for an ``async def`` function."""
    job = await submit_async(fn, items, client=client)
    return await job.wait(poll_interval=poll_interval, timeout=timeout, progress=progress)


@overload
def resume(  # pyright: ignore[reportOverlappingOverload]
    job_id: str,
    fn: Callable[..., Coroutine[Any, Any, T]],
    items: Iterable[Any] | None = None,
    *,
    client: Any = None,
) -> AsyncBatchJob[T]: ...
@overload
def resume(
    job_id: str, fn: Callable[..., T], items: Iterable[Any] | None = None, *, client: Any = None
) -> BatchJob[T]: ...
def resume(
    job_id: str, fn: Callable[..., Any], items: Iterable[Any] | None = None, *, client: Any = None
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


__all__ = [
    "Args",
    "AsyncBatchJob",
    "BatchError",
    "BatchFailedError",
    "BatchItemError",
    "BatchJob",
    "BatchNotEndedError",
    "BatchResult",
    "BatchStatus",
    "BatchTimeoutError",
    "BatchUnsupportedError",
    "resume",
    "run",
    "run_async",
    "submit",
    "submit_async",
]
