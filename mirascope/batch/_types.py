"""The vocabulary of batch jobs: an item's arguments, a job's status, an item's result, and
the errors a batch raises or holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar, cast

from ..core.base._narrow import is_tuple
from ..core.base.errors import InvalidCallError, MirascopeError

T = TypeVar("T")


class Args:
    """The arguments of one call in a batch, when a bare value (the one positional
    argument) or a tuple (the positional arguments) cannot say them:
    ``Args("fantasy", audience="kids")``."""

    __slots__ = ("args", "kwargs")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = args
        self.kwargs = kwargs

    def __repr__(self) -> str:
        shown = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return f"Args({', '.join(shown)})"


def call_args(item: object) -> tuple[tuple[object, ...], dict[str, Any]]:
    """The (args, kwargs) one item of a batch stands for."""
    if isinstance(item, Args):
        return item.args, item.kwargs
    if is_tuple(item):
        return item, {}
    return (item,), {}


@dataclass(slots=True)
class BatchStatus:
    """Where a batch job is, as the vendor reported it at one poll."""

    job_id: str
    provider: str
    state: str
    """The vendor's own word for it (``in_progress``, ``ended``, ``RUNNING``...)."""
    total: int
    """Items in the job."""
    succeeded: int
    """Items answered."""
    failed: int
    """Items that failed, were cancelled or expired."""
    ended: bool
    """Whether the job is over (completed, cancelled, expired or failed): its results can
    be read."""
    problem: str | None = None
    """Why the vendor failed the whole job (its validation errors), if it did."""
    raw: Any = field(default=None, repr=False)
    """The vendor SDK's job object."""

    @property
    def done(self) -> int:
        """Items finished either way."""
        return self.succeeded + self.failed


ItemErrorKind = Literal["errored", "canceled", "expired", "not_run", "unreadable"]


class BatchError(MirascopeError):
    """Base of the errors of batch jobs."""


class BatchUnsupportedError(BatchError, InvalidCallError):
    """The provider (or this client of it) has no batch API mirascope can drive; the
    message says what to use instead."""


class BatchFailedError(BatchError, RuntimeError):
    """The vendor failed the whole job (say, its input did not validate): no item ran."""

    def __init__(self, message: str, status: BatchStatus) -> None:
        super().__init__(message)
        self.status = status
        """The job's last status (``status.raw`` is the vendor's object)."""


class BatchNotEndedError(BatchError, RuntimeError):
    """The job's results were asked for before it ended."""

    def __init__(self, message: str, status: BatchStatus) -> None:
        super().__init__(message)
        self.status = status


class BatchTimeoutError(BatchError, TimeoutError):
    """``wait(timeout=...)`` ran out; the job goes on at the vendor: resume it by its id."""

    def __init__(self, message: str, status: BatchStatus) -> None:
        super().__init__(message)
        self.status = status


class BatchItemError(BatchError):
    """Why one item of a batch has no value: the vendor's error for its request, or the
    job ended (cancelled, expired) before it ran."""

    def __init__(
        self,
        message: str,
        *,
        kind: ItemErrorKind,
        custom_id: str,
        status_code: int | None = None,
        code: str | None = None,
        raw: Any = None,
    ) -> None:
        super().__init__(message)
        self.kind: ItemErrorKind = kind
        """``errored`` (the vendor refused or failed the request), ``canceled``,
        ``expired``, ``not_run`` (no result came back for it), ``unreadable`` (the result
        line is not the vendor's shape)."""
        self.custom_id = custom_id
        self.status_code = status_code
        """The HTTP status the request got, where the vendor reports one."""
        self.code = code
        """The vendor's error code or type (``invalid_request_error``, ``batch_expired``)."""
        self.raw = raw
        """The vendor's result line or object for this item."""


@dataclass(slots=True)
class BatchResult(Generic[T]):
    """One item's result, in input order: a value (what calling the function would have
    returned) or the error that took its place."""

    index: int
    """The item's position in the input."""
    custom_id: str
    """The id its request carried in the job (``item-<index>``)."""
    value: T | None = None
    error: Exception | None = None
    """A ``BatchItemError``, or what reading the answer raised (``EmptyResponseError``,
    pydantic's ``ValidationError`` for a response model...)."""

    @property
    def ok(self) -> bool:
        return self.error is None

    def unwrap(self) -> T:
        """The value, or raise the item's error."""
        if self.error is not None:
            raise self.error
        return cast(T, self.value)  # set whenever error is None


def custom_id(index: int) -> str:
    """The id of item ``index`` in its job: its position can be read back from it."""
    return f"item-{index}"


def index_of(custom_id: str) -> int | None:
    """The item position a custom id names, or None when it is not one of ours."""
    prefix, _, number = custom_id.partition("-")
    if prefix != "item" or not number.isdigit():
        return None
    return int(number)
