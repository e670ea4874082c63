"""mirascope's pieces for tenacity (``pip install "mirascope[tenacity]"``): ``retry``,
tenacity's decorator with a free first attempt; ``collect_errors``, which re-asks with the
errors of earlier attempts; ``wait_retry_after``, which waits as long as the vendor asked.
All work on ``def`` and ``async def`` alike, and with tenacity's own ``@retry``."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ParamSpec, Protocol, TypeVar, cast, overload

try:
    from tenacity import (
        AsyncRetrying,
        BaseRetrying,
        RetryCallState,
        Retrying,
        wait_exponential_jitter,
    )
    from tenacity.wait import wait_base
except ImportError as _error:  # pragma: no cover - the extra's message
    from ..core.base.errors import MissingExtraError

    raise MissingExtraError(
        f"mirascope.retries.tenacity needs tenacity, which is not installed ({_error}). "
        'Install it with: pip install "mirascope[tenacity]"'
    ) from _error

from ._retryable import retry_after

if TYPE_CHECKING:
    from tenacity import RetryError
    from tenacity.retry import RetryBaseT
    from tenacity.stop import StopBaseT
    from tenacity.wait import WaitBaseT

P = ParamSpec("P")
R = TypeVar("R")

FAST_ATTR = "__mirascope_retry__"
"""Marks a function made by this module's ``retry`` (``fallback`` copies it with its own)."""


class RetryDecorator(Protocol):
    """Keeps the decorated function's signature and return type (sync or async)."""

    def __call__(self, fn: Callable[P, R], /) -> Callable[P, R]: ...


@overload
def retry(fn: Callable[P, R], /) -> Callable[P, R]: ...
@overload
def retry(
    *,
    sleep: Callable[[int | float], None] | Callable[[int | float], Awaitable[None]] = ...,
    stop: StopBaseT = ...,
    wait: WaitBaseT = ...,
    retry: RetryBaseT = ...,
    before: Callable[[RetryCallState], None] = ...,
    after: Callable[[RetryCallState], None] = ...,
    before_sleep: Callable[[RetryCallState], None] | None = ...,
    reraise: bool = ...,
    retry_error_cls: type[RetryError] = ...,
    retry_error_callback: Callable[[RetryCallState], Any] | None = ...,
) -> RetryDecorator: ...
def retry(fn: Callable[..., Any] | None = None, /, **options: Any) -> Any:
    """tenacity's ``@retry`` (the same arguments, the same behaviour: ``RetryError`` when it
    stops, ``reraise=True`` for the last error instead), whose first attempt costs nothing:
    the call runs as it is, and tenacity takes over only if it raises, with that failure
    as its first attempt. tenacity's own ``@retry`` spends ~50 us on every call.

    ``stop_after_delay`` counts from the first failure rather than the first attempt.
    """

    def decorate(fn: Callable[..., Any], /) -> Callable[..., Any]:
        is_async = inspect.iscoroutinefunction(fn)
        return wrap(AsyncRetrying(**options) if is_async else Retrying(**options), fn)

    return decorate if fn is None else decorate(fn)


def wrap(policy: BaseRetrying, fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` retried by ``policy`` once its first attempt has failed."""
    wrapper: Callable[..., Any]
    if isinstance(policy, AsyncRetrying):

        async def call_async(*args: Any, **kwargs: Any) -> Any:
            try:
                return await fn(*args, **kwargs)
            except Exception as error:
                first = error
            return await policy.copy()(_replay_async(fn, first), *args, **kwargs)

        wrapper = call_async
    else:

        def call_sync(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except Exception as error:
                first = error
            return policy.copy()(_replay(fn, first), *args, **kwargs)

        wrapper = call_sync
    functools.update_wrapper(wrapper, fn)
    wrapper.retry = policy  # type: ignore[attr-defined]  # as tenacity's own wrapper
    setattr(wrapper, FAST_ATTR, True)
    return wrapper


def _replay(fn: Callable[..., Any], first: Exception) -> Callable[..., Any]:
    """``fn`` for tenacity, whose first attempt raises the failure already seen."""
    pending: list[Exception] = [first]

    @functools.wraps(fn)  # collect_errors reads the signature through it
    def attempt(*args: Any, **kwargs: Any) -> Any:
        if pending:
            raise pending.pop()
        return fn(*args, **kwargs)

    return attempt


def _replay_async(fn: Callable[..., Any], first: Exception) -> Callable[..., Any]:
    pending: list[Exception] = [first]

    @functools.wraps(fn)
    async def attempt(*args: Any, **kwargs: Any) -> Any:
        if pending:
            raise pending.pop()
        return await fn(*args, **kwargs)

    return attempt


def collect_errors(*error_types: type[BaseException]) -> Callable[[RetryCallState], None]:
    """A tenacity ``after`` callback that hands the errors of failed attempts to the next
    attempt, as its ``errors`` keyword argument (a list, oldest first).

    The prompt function declares the parameter and puts the errors in its prompt, so that
    the model sees what was wrong with its last answer::

        @retry(stop=stop_after_attempt(3), after=collect_errors(ValidationError))
        @openai.call("gpt-4o-mini", response_model=Book)
        def extract(text: str, *, errors: list[ValidationError] | None = None) -> str: ...

    Args:
        *error_types: the exception classes to collect (others are not passed on).
    """
    kinds = cast(tuple[object, ...], error_types)
    if not kinds or not all(isinstance(t, type) and issubclass(t, BaseException) for t in kinds):
        from ..core.base.errors import InvalidCallError

        raise InvalidCallError(
            f"collect_errors() takes the exception classes to collect, such as "
            f"collect_errors(ValidationError); got {error_types!r}"
        )

    def collect(retry_state: RetryCallState) -> None:
        outcome = retry_state.outcome
        if outcome is None or not outcome.failed:
            return
        error = outcome.exception()
        if not isinstance(error, error_types):
            return
        _check_takes_errors(retry_state.fn)
        # tenacity calls the function with this same dict on the next attempt
        previous: list[BaseException] = retry_state.kwargs.get("errors") or []
        retry_state.kwargs["errors"] = [*previous, error]

    return collect


def _check_takes_errors(fn: Callable[..., Any] | None) -> None:
    """Refuse, on the first failure, a function the next attempt could not pass ``errors``."""
    if fn is None:
        return
    try:
        parameters = inspect.signature(fn).parameters
    except (TypeError, ValueError):  # no signature to read: let the call itself say
        return
    if "errors" in parameters or any(p.kind is p.VAR_KEYWORD for p in parameters.values()):
        return
    from ..core.base.errors import InvalidCallError

    name = getattr(fn, "__qualname__", repr(fn))
    raise InvalidCallError(
        f"collect_errors() passes the errors of failed attempts to {name}() as "
        f"'errors', but {name}() has no such parameter: add "
        "'*, errors: list[ValidationError] | None = None' to it and put them in the prompt"
    )


class wait_retry_after(wait_base):  # noqa: N801 - tenacity's naming (wait_exponential, ...)
    """A tenacity ``wait`` that waits as long as the vendor asked (its ``Retry-After`` or
    ``retry-after-ms`` header, or Google's ``RetryInfo``), and otherwise as ``fallback``
    does (by default exponential backoff with jitter: 1 s, 2 s, 4 s, ... up to ``max``).

    Args:
        fallback: the wait when the vendor named none.
        max: the longest wait, also for a vendor's longer ``Retry-After`` (a daily quota
            asks for hours: stop instead of sleeping that long).
    """

    def __init__(self, fallback: wait_base | None = None, *, max: float = 60.0) -> None:  # noqa: A002
        self.fallback = fallback if fallback is not None else wait_exponential_jitter(max=max)
        self.max = max

    def __call__(self, retry_state: RetryCallState) -> float:
        outcome = retry_state.outcome
        if outcome is not None and outcome.failed:
            error = outcome.exception()
            if error is not None:
                asked = retry_after(error)
                if asked is not None:
                    return min(asked, self.max)
        return min(self.fallback(retry_state), self.max)


__all__ = ["collect_errors", "retry", "wait_retry_after"]
