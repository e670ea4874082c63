"""Batch jobs: many calls of one decorated function sent as one vendor batch (OpenAI's,
Azure OpenAI's and Groq's Batch API, Anthropic's Message Batches, Mistral's batch jobs,
LiteLLM's), at the vendors' batch prices, read back as the function's own results::

    from mirascope import batch

    results = batch.run(recommend_book, ["fantasy", "horror"])
    for result in results:  # in input order
        print(result.value.content if result.ok else result.error)

``submit`` returns the job at once (keep ``job.id``), ``resume(job_id, fn)`` picks it up
again in another process; ``run_async``/``submit_async`` for ``async def`` functions.

Every name loads on first use (PEP 562): ``from mirascope import batch`` imports neither
pydantic nor any SDK until a name is used."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._api import resume, run, run_async, submit, submit_async
    from ._engine import AsyncBatchJob, BatchJob
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

_NAMES = {
    "resume": "_api",
    "run": "_api",
    "run_async": "_api",
    "submit": "_api",
    "submit_async": "_api",
    "AsyncBatchJob": "_engine",
    "BatchJob": "_engine",
    "Args": "_types",
    "BatchError": "_types",
    "BatchFailedError": "_types",
    "BatchItemError": "_types",
    "BatchNotEndedError": "_types",
    "BatchResult": "_types",
    "BatchStatus": "_types",
    "BatchTimeoutError": "_types",
    "BatchUnsupportedError": "_types",
}


def __getattr__(name: str) -> Any:
    module = _NAMES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


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
