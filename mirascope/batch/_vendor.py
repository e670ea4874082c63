"""What a vendor supplies to the batch engine, and how its steps run sync or async.

A vendor's steps are generators written once: each ``yield`` hands over what an SDK call
returned, a value for a sync client and an awaitable for an async one, and gets back the
value (``drive`` passes it straight back, ``drive_async`` awaits it). ``Sleep`` and
``Gather`` are the two waits that differ otherwise. So no step is written twice."""

from __future__ import annotations

import asyncio
import inspect
import json
import time
from abc import ABC, abstractmethod
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from ..core._engine.adapter import AnyAdapter
from ..core._engine.decode import unexpected
from ..core._engine.plan import CallSpec
from ._types import BatchItemError, BatchStatus

T = TypeVar("T")

Step = Generator[Any, Any, T]
"""A vendor step: yields SDK results (or ``Sleep``/``Gather``), returns its value."""


@dataclass(frozen=True, slots=True)
class Sleep:
    """Wait this many seconds (``time.sleep`` or ``asyncio.sleep``)."""

    seconds: float


@dataclass(frozen=True, slots=True)
class Gather:
    """Every item of an SDK result that is iterated (sync) or async-iterated (async)."""

    source: Any


def drive(step: Step[T]) -> T:
    """Run a step with a sync client."""
    try:
        asked = step.send(None)
        while True:
            try:
                if isinstance(asked, Sleep):
                    time.sleep(asked.seconds)
                    sent = None
                elif isinstance(asked, Gather):
                    sent = list(asked.source)
                else:
                    sent = asked  # the sync SDK call already ran
            except BaseException as error:  # the step's own clean-up runs (and may handle it)
                asked = step.throw(error)
            else:
                asked = step.send(sent)
    except StopIteration as stop:
        return stop.value


async def drive_async(step: Step[T]) -> T:
    """Run a step with an async client."""
    try:
        asked = step.send(None)
        while True:
            try:
                sent = await _resolve(asked)
            except BaseException as error:  # cancellation too: the step's clean-up runs
                asked = step.throw(error)
            else:
                asked = step.send(sent)
    except StopIteration as stop:
        return stop.value


async def _resolve(asked: Any) -> Any:
    if isinstance(asked, Sleep):
        await asyncio.sleep(asked.seconds)
        return None
    if isinstance(asked, Gather):
        source = asked.source
        if inspect.isawaitable(source):
            source = await source
        return [item async for item in source]
    if inspect.isawaitable(asked):
        return await asked
    return asked


@dataclass(slots=True)
class ItemOutcome:
    """One result of a job, as its vendor reported it: the SDK's response object for the
    item's request, or the error that took its place."""

    custom_id: str
    raw: Any = None
    error: BatchItemError | None = None


SDK_OPTIONS = frozenset({"extra_headers", "extra_query", "timeout"})
"""Keyword arguments of the SDKs' create calls that shape the HTTP request, not its body:
a batch line has no use for them."""


class BatchVendor(ABC):
    """One vendor's batch API over one client: its request lines and the submit, poll,
    cancel and read steps, each a generator run by ``drive``/``drive_async``."""

    max_items: ClassVar[int]
    """The most requests the vendor takes in one job."""
    sdk_options: ClassVar[frozenset[str]] = SDK_OPTIONS

    def __init__(self, spec: CallSpec, client: Any) -> None:
        self.spec = spec
        """The batched function's call spec."""
        self.adapter: AnyAdapter = spec.adapter
        self.client = client
        self.is_async = spec.is_async

    @property
    def provider(self) -> str:
        return self.adapter.name

    def body(self, request: Mapping[str, Any]) -> dict[str, Any]:
        """A request's JSON body: the SDK call's keyword arguments without its HTTP options,
        ``extra_body`` merged in, SDK models dumped as JSON values."""
        from pydantic_core import to_jsonable_python

        body = {k: v for k, v in request.items() if k not in self.sdk_options}
        body.pop("stream", None)
        extra = body.pop("extra_body", None)
        if extra:
            body.update(extra)
        value: dict[str, Any] = to_jsonable_python(body)
        return value

    @abstractmethod
    def line(self, custom_id: str, request: Mapping[str, Any]) -> Any:
        """One item's request as the vendor's batch takes it (a JSONL line's object)."""

    @abstractmethod
    def submit(self, lines: list[Any], model: str) -> Step[BatchStatus]:
        """Create the job (uploading its input where the vendor reads a file)."""

    @abstractmethod
    def status(self, job_id: str) -> Step[BatchStatus]:
        """One poll of the job."""

    @abstractmethod
    def cancel(self, job_id: str) -> Step[BatchStatus]:
        """Ask the vendor to cancel the job."""

    @abstractmethod
    def results(self, status: BatchStatus) -> Step[list[ItemOutcome]]:
        """Every result of an ended job, in the vendor's order."""

    def unreadable(self, custom_id: str, what: Any, error: Exception) -> ItemOutcome:
        """The outcome of a result line this vendor's shapes do not fit."""
        problem = unexpected(self.adapter, "batch result", what, error)
        item_error = BatchItemError(str(problem), kind="unreadable", custom_id=custom_id, raw=what)
        item_error.__cause__ = error
        return ItemOutcome(custom_id, error=item_error)


def jsonl(lines: list[Any]) -> bytes:
    """Lines as a JSONL file's bytes."""
    return b"".join(json.dumps(line, separators=(",", ":")).encode() + b"\n" for line in lines)


def read_jsonl(data: bytes | str) -> list[Any]:
    """The JSON value of each non-blank line."""
    text = data.decode() if isinstance(data, bytes) else data
    return [json.loads(line) for line in text.splitlines() if line.strip()]
