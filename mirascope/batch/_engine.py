"""The one batch engine, for every vendor and both kinds of function.

Submitting builds each item's request exactly as a call would (the function, ``build_plan``,
``adapter.build_request`` and ``apply_output``), tags it ``item-<index>``, and hands the
lines to the vendor's steps; collecting reads the vendor's results back through the
adapter's own decoding (``decode_response``, then the response class or ``finish_call``),
in input order, one ``BatchResult`` per item. Everything here is a generator step (see
``_vendor``): ``BatchJob`` drives it sync, ``AsyncBatchJob`` async."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable
from typing import Any, Generic, NamedTuple, TypeVar

from typing_extensions import Self

from ..core._engine.adapter import CallPlan
from ..core._engine.clients import default_client
from ..core._engine.decode import decode_response
from ..core._engine.decorator import RESPONSE_ATTR, SPEC_ATTR
from ..core._engine.output import finish_call
from ..core._engine.plan import CallSpec, build_plan, check_client
from ..core.base.errors import InvalidCallError
from ._progress import Progress, ProgressSetting
from ._registry import check_supported, vendor_for
from ._types import (
    BatchFailedError,
    BatchItemError,
    BatchNotEndedError,
    BatchResult,
    BatchStatus,
    BatchTimeoutError,
    call_args,
    custom_id,
    index_of,
)
from ._vendor import BatchVendor, ItemOutcome, Sleep, Step, drive, drive_async

T = TypeVar("T")

LLM_ATTR = "__mirascope_llm__"  # mirascope.llm._call.LLM_ATTR, read without importing llm

DEFAULT_POLL_INTERVAL = 30.0
"""Seconds between polls: vendors finish batches in minutes to hours."""


@dataclasses.dataclass(slots=True)
class Target:
    """What a decorated function tells the engine."""

    spec: CallSpec
    response_cls: Any
    wrap: Callable[[Any], Any] | None = None
    """``llm.call``'s wrapper of a provider response."""

    @property
    def provider(self) -> str:
        return self.spec.adapter.name


def target_of(
    fn: Callable[..., Any], *, is_async: bool | None, verb: str, client: object
) -> Target:
    """The call spec behind ``fn`` (a provider's ``call`` or ``llm.call``), checked for a
    batch of this kind (None: either), with ``client`` (when given) in place of its own."""
    wrap = None
    decorated: Any = fn
    state = getattr(fn, LLM_ATTR, None)
    if state is not None:  # llm.call: the provider's function it made (under llm.context)
        from ..llm._call import neutral
        from ..llm._context import ACTIVE

        active = ACTIVE.get()
        decorated = state.decorated if active is None else state.under(active)
        wrap = neutral
    spec: CallSpec | None = getattr(decorated, SPEC_ATTR, None)
    name = getattr(fn, "__qualname__", repr(fn))
    if spec is None:
        raise InvalidCallError(
            f"batch.{verb}() takes a function decorated with a provider's call "
            f"(@openai.call(...)) or llm.call; {name} is not one"
        )
    if spec.stream:
        raise InvalidCallError(
            f"{spec.where} streams (stream=True), but a batch job answers each item whole: "
            "batch a function decorated without stream"
        )
    if is_async is not None and spec.is_async != is_async:
        hint = f"await batch.{verb}_async(...)" if spec.is_async else f"batch.{verb}(...)"
        kind = "an async function (async def)" if spec.is_async else "a sync function (def)"
        raise InvalidCallError(f"{spec.where} is {kind}: use {hint}")
    check_supported(spec.adapter)
    if client is not None:
        spec = dataclasses.replace(spec, client=client)
        check_client(spec, client)
    return Target(spec, getattr(decorated, RESPONSE_ATTR), wrap)


def _note(error: BaseException, note: str) -> None:
    add_note = getattr(error, "add_note", None)  # Python 3.11+
    if add_note is not None:
        add_note(note)


class Submitted(NamedTuple):
    """A job just created: its id, the vendor's steps, each item's plan."""

    job_id: str
    vendor: BatchVendor
    plans: list[CallPlan]


def submit_step(target: Target, items: Iterable[Any]) -> Step[Submitted]:
    """Build every item's request (running the function), then create the job."""
    spec = target.spec
    adapter = spec.adapter
    plans: list[CallPlan] = []
    requests: list[dict[str, Any]] = []
    clients: list[Any] = []
    for index, item in enumerate(items):
        args, kwargs = call_args(item)
        try:
            plan = build_plan(spec, args, kwargs, (yield spec.fn(*args, **kwargs)))
            request = adapter.build_request(plan, stream=False)
            output = spec.output
            if output is not None and output.mode is not None:
                adapter.apply_output(request, output)
            client = (
                adapter.resolve_client_async(plan, request)
                if plan.is_async
                else adapter.resolve_client(plan, request)
            )
        except Exception as error:
            import reprlib  # only for this note

            _note(error, f"(while building item {index} of the batch: {reprlib.repr(item)})")
            raise
        plans.append(plan)
        requests.append(request)
        if not any(client is c for c in clients):
            clients.append(client)
    if not plans:
        raise InvalidCallError(f"batch of {spec.where}: no items to run (give at least one)")
    if len(clients) > 1:
        raise InvalidCallError(
            f"batch of {spec.where}: a job goes through one client, but the items' dynamic "
            f"configs chose {len(clients)} different ones; return the same client (or none)"
        )
    vendor = vendor_for(spec, clients[0])
    if len(plans) > vendor.max_items:
        raise InvalidCallError(
            f"batch of {spec.where}: {adapter.name} takes at most {vendor.max_items} requests "
            f"in one job, and {len(plans)} were given; split them into several jobs"
        )
    lines = [vendor.line(custom_id(i), r) for i, r in enumerate(requests)]
    status = yield from vendor.submit(lines, plans[0].model)
    return Submitted(status.job_id, vendor, plans)


class _JobCore(Generic[T]):
    """A submitted job and what reading its results needs: the steps both kinds share."""

    __slots__ = ("_items", "_plans", "_target", "_vendor", "id")

    @classmethod
    def submitted(cls, target: Target, submitted: Submitted) -> Self:
        """The job ``submit_step`` created."""
        return cls(target, submitted.job_id, vendor=submitted.vendor, plans=submitted.plans)

    def __init__(
        self,
        target: Target,
        job_id: str,
        *,
        vendor: BatchVendor | None = None,
        plans: list[CallPlan] | None = None,
        items: list[Any] | None = None,
    ) -> None:
        self._target = target
        self.id = job_id
        """The vendor's id of the job: ``batch.resume(id, fn)`` picks it up again."""
        self._vendor = vendor
        self._plans = plans
        self._items = items

    @property
    def provider(self) -> str:
        return self._target.provider

    def __repr__(self) -> str:
        return f"{type(self).__name__}(provider={self.provider!r}, id={self.id!r})"

    def vendor(self) -> BatchVendor:
        """The vendor's steps over the job's client (a resumed job's is made on first use:
        an async default client belongs to the running event loop)."""
        if self._vendor is None:
            spec = self._target.spec
            client = spec.client
            if client is None:
                client = default_client(spec.adapter, is_async=spec.is_async)
            self._vendor = vendor_for(spec, client)
        return self._vendor

    def status_step(self) -> Step[BatchStatus]:
        return (yield from self.vendor().status(self.id))

    def cancel_step(self) -> Step[BatchStatus]:
        return (yield from self.vendor().cancel(self.id))

    def results_step(self) -> Step[list[BatchResult[T]]]:
        status = yield from self.status_step()
        if not status.ended:
            raise BatchNotEndedError(
                f"{self.provider}: the batch job {self.id} has not ended ({status.state}, "
                f"{status.done}/{status.total} done); wait() for it",
                status,
            )
        return (yield from self.collect_step(status))

    def wait_step(
        self, poll_interval: float, timeout: float | None, progress: ProgressSetting
    ) -> Step[list[BatchResult[T]]]:
        started = time.monotonic()
        display = Progress(progress)
        try:
            while True:
                status = yield from self.status_step()
                elapsed = time.monotonic() - started
                display.update(status, elapsed)
                if status.ended:
                    break
                if timeout is not None and elapsed >= timeout:
                    raise BatchTimeoutError(
                        f"{self.provider}: the batch job {self.id} has not ended after "
                        f"{timeout:g} s ({status.state}, {status.done}/{status.total} done); "
                        "it goes on at the vendor: batch.resume(job_id, fn) picks it up",
                        status,
                    )
                pause = poll_interval if timeout is None else min(poll_interval, timeout - elapsed)
                yield Sleep(max(pause, 0.0))
        finally:
            display.close()
        return (yield from self.collect_step(status))

    def collect_step(self, status: BatchStatus) -> Step[list[BatchResult[T]]]:
        """The results of an ended job, in input order."""
        if status.problem is not None:
            raise BatchFailedError(
                f"{self.provider}: the vendor failed the batch job {self.id} ({status.state}): "
                f"{status.problem}",
                status,
            )
        outcomes = yield from self.vendor().results(status)
        total = len(self._plans) if self._plans is not None else status.total
        plans = yield from self.plans_step(total)
        found: dict[int, ItemOutcome] = {}
        for outcome in outcomes:
            index = index_of(outcome.custom_id)
            if index is not None and index < total:
                found[index] = outcome
        return [self.result(i, found.get(i), plans[i], status) for i in range(total)]

    def result(
        self, index: int, outcome: ItemOutcome | None, plan: CallPlan, status: BatchStatus
    ) -> BatchResult[T]:
        cid = custom_id(index)
        if outcome is None:
            error = BatchItemError(
                f"{self.provider}: no result came back for {cid} (the job ended "
                f"{status.state} before it ran)",
                kind="not_run",
                custom_id=cid,
            )
            return BatchResult(index, cid, error=error)
        if outcome.error is not None:
            return BatchResult(index, cid, error=outcome.error)
        try:
            return BatchResult(index, cid, self.value(outcome.raw, plan))
        except Exception as error:  # this item's answer, not the batch: kept on its result
            return BatchResult(index, cid, error=error)

    def value(self, raw: Any, plan: CallPlan) -> T:
        """What calling the function would have returned for this answer."""
        target = self._target
        adapter = target.spec.adapter
        output = target.spec.output
        decoded = decode_response(adapter, raw)
        if output is None:
            value = target.response_cls(raw, plan, decoded)
        else:
            value = finish_call(output, target.response_cls, raw, plan, decoded)
        return target.wrap(value) if target.wrap is not None else value

    def plans_step(self, total: int) -> Step[list[CallPlan]]:
        """Each item's plan: kept from submission, rebuilt from a resumed job's items, or
        (a job resumed without them) the function's own settings, with no messages."""
        if self._plans is not None:
            return self._plans
        spec = self._target.spec
        client = self.vendor().client
        items = self._items
        if items is None:
            return [_bare_plan(spec, client)] * total
        if len(items) != total:
            raise InvalidCallError(
                f"batch job {self.id} has {total} items, but {len(items)} were given to "
                "resume it: give the items it was submitted with, in the same order"
            )
        plans: list[CallPlan] = []
        for item in items:
            args, kwargs = call_args(item)
            plans.append(build_plan(spec, args, kwargs, (yield spec.fn(*args, **kwargs))))
        self._plans = plans
        return plans


def _bare_plan(spec: CallSpec, client: object) -> CallPlan:
    tools = spec.tools
    output = spec.output
    if output is not None and output.tool is not None:
        tools = (*tools, output.tool)
    model = spec.adapter.model_of(client, spec.model)
    plan = CallPlan(model, [], tools, dict(spec.call_params), client, spec.is_async)
    plan.metadata = dict(spec.metadata or {})
    plan.output = output
    return plan


class BatchJob(_JobCore[T]):
    """A batch job of a sync function: poll it, wait for it, cancel it, read its results."""

    __slots__ = ()

    def status(self) -> BatchStatus:
        """One poll of the job."""
        return drive(self.status_step())

    def wait(
        self,
        *,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        timeout: float | None = None,
        progress: ProgressSetting = None,
    ) -> list[BatchResult[T]]:
        """Poll until the job ends, then its results in input order.

        Args:
            poll_interval: seconds between polls.
            timeout: give up after this many seconds (``BatchTimeoutError``; the job goes on).
            progress: a progress line (default: when stdout is a terminal), or a function
                called with each poll's ``BatchStatus``.
        """
        return drive(self.wait_step(poll_interval, timeout, progress))

    def results(self) -> list[BatchResult[T]]:
        """The results of a job that has ended (``BatchNotEndedError`` otherwise)."""
        return drive(self.results_step())

    def cancel(self) -> BatchStatus:
        """Ask the vendor to cancel the job; items done by then keep their results."""
        return drive(self.cancel_step())


class AsyncBatchJob(_JobCore[T]):
    """A batch job of an async function: the same as ``BatchJob``, awaited."""

    __slots__ = ()

    async def status(self) -> BatchStatus:
        """One poll of the job."""
        return await drive_async(self.status_step())

    async def wait(
        self,
        *,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        timeout: float | None = None,
        progress: ProgressSetting = None,
    ) -> list[BatchResult[T]]:
        """Poll until the job ends, then its results in input order (see ``BatchJob.wait``)."""
        return await drive_async(self.wait_step(poll_interval, timeout, progress))

    async def results(self) -> list[BatchResult[T]]:
        """The results of a job that has ended (``BatchNotEndedError`` otherwise)."""
        return await drive_async(self.results_step())

    async def cancel(self) -> BatchStatus:
        """Ask the vendor to cancel the job; items done by then keep their results."""
        return await drive_async(self.cancel_step())
