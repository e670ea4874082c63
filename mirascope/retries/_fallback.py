"""``fallback``: when a call fails with a given error, call the same prompt through other
providers or models, in order, until one answers.

The function it wraps is made again for each fallback, once, the first time that fallback
is needed: a provider's ``call`` decorates the user's prompt function anew with the
fallback's provider, model, client and call params (the stream, tools and structured-output
arguments are the original's); a function of ``llm.call`` goes through ``llm.override``;
tenacity's ``@retry`` around either is copied around the new function, so each fallback is
retried as the original is."""

from __future__ import annotations

import functools
import importlib
import inspect
import logging
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple, ParamSpec, Protocol, TypeVar, cast

from typing_extensions import NotRequired, Required, TypedDict

from ..core._engine.decorator import SPEC_ATTR
from ..core._engine.plan import CallSpec
from ..core.base.errors import InvalidCallError, MirascopeError

P = ParamSpec("P")
R = TypeVar("R")

LLM_ATTR = "__mirascope_llm__"
"""Where ``llm.call`` keeps what it was given on the function it makes."""

logger = logging.getLogger("mirascope.retries")

Catch = type[Exception] | tuple[type[Exception], ...] | Callable[[Exception], bool]
"""Which errors move on to the next attempt: exception classes, or a predicate such as
``is_retryable`` (for SDKs whose one exception class covers every status: Mistral's
``SDKError``, Azure's ``HttpResponseError``, botocore's ``ClientError``)."""


class Fallback(TypedDict):
    """One fallback: what to call next, and which of its errors lead to the one after."""

    catch: Required[Catch]
    """The errors of this attempt that move on to the next fallback (exception classes, or
    a predicate of the error); any other error of this attempt propagates."""
    provider: Required[str]
    """A provider of ``mirascope.core.PROVIDERS`` (``"anthropic"``, ...), or
    ``"openai.responses"`` (OpenAI's Responses API); an ``llm.call`` function takes those
    of ``llm``."""
    model: Required[str]
    """The provider's model name."""
    call_params: NotRequired[Mapping[str, Any]]
    """The provider's call params; by default none (the original's, for its own provider)."""
    client: NotRequired[Any]
    """The provider's client; by default its default client (the original's, for its own
    provider)."""


class FallbackAttempt(NamedTuple):
    """One failed attempt of a ``fallback`` call."""

    provider: str
    model: str
    error: Exception


class FallbackError(MirascopeError):
    """Every attempt of a ``fallback`` call failed: ``attempts`` lists each, in order, with
    the exception its SDK raised (untouched), the original call first."""

    def __init__(self, attempts: Sequence[FallbackAttempt]) -> None:
        self.attempts = list(attempts)
        lines = [
            f"  {i}. {a.provider} {a.model}: {type(a.error).__module__}."
            f"{type(a.error).__qualname__}: {a.error}"
            for i, a in enumerate(self.attempts, 1)
        ]
        super().__init__(f"all {len(self.attempts)} attempts failed:\n" + "\n".join(lines).rstrip())

    @property
    def errors(self) -> list[Exception]:
        """The error of each attempt, in order."""
        return [a.error for a in self.attempts]


class FallbackDecorator(Protocol):
    """Keeps the decorated function's signature and return type (sync or async)."""

    def __call__(self, fn: Callable[P, R]) -> Callable[P, R]: ...


def fallback(catch: Catch, fallbacks: Sequence[Fallback]) -> FallbackDecorator:
    """Call the function; if it raises ``catch``, call each fallback in turn (another
    provider or model, same prompt) until one answers, else raise ``FallbackError``.

    It decorates a function made by a provider's ``call`` (``@openai.call(...)``), by
    ``llm.call``, or tenacity's ``@retry`` around either (each fallback then retries the
    same way). For a stream, the errors caught are those raised when the stream opens.

    Args:
        catch: the errors of the original call that move on to the first fallback: an
            exception class, a tuple of them, or a predicate (``is_retryable``).
        fallbacks: the attempts to make after it, in order.

    Raises:
        FallbackError: every attempt failed with its ``catch``; lists each error.
    """
    caught = _matcher(catch, "fallback()'s catch")
    plans = [_checked(f, i) for i, f in enumerate(fallbacks)]
    matchers = [_matcher(p["catch"], f"fallback {i + 1}'s catch") for i, p in enumerate(plans)]
    if not plans:
        raise InvalidCallError(
            "fallback() needs at least one fallback: "
            '[{"catch": ..., "provider": "anthropic", "model": "..."}]'
        )

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        first = _origin(fn)
        if not first.is_llm:  # llm.override checks its own provider names
            _check_providers(plans)
        made: list[Callable[..., Any] | None] = [None] * len(plans)

        def variant(i: int) -> Callable[..., Any]:
            found = made[i]
            if found is None:  # made on first need: a fallback's SDK loads only then
                found = made[i] = _rebuild(fn, plans[i])
            return found

        if inspect.iscoroutinefunction(fn):

            async def call_async(*args: Any, **kwargs: Any) -> Any:
                try:
                    return await fn(*args, **kwargs)
                except Exception as error:
                    if not caught(error):
                        raise
                    attempts = [FallbackAttempt(first.provider, first.model, error)]
                    _log(attempts)
                for i, plan in enumerate(plans):
                    try:
                        return await variant(i)(*args, **kwargs)
                    except Exception as error:
                        if not matchers[i](error):
                            raise
                        attempts.append(FallbackAttempt(plan["provider"], plan["model"], error))
                        if i + 1 < len(plans):
                            _log(attempts)
                raise FallbackError(attempts) from attempts[-1].error

            wrapper: Callable[..., Any] = call_async
        else:

            def call_sync(*args: Any, **kwargs: Any) -> Any:
                try:
                    return fn(*args, **kwargs)
                except Exception as error:
                    if not caught(error):
                        raise
                    attempts = [FallbackAttempt(first.provider, first.model, error)]
                    _log(attempts)
                for i, plan in enumerate(plans):
                    try:
                        return variant(i)(*args, **kwargs)
                    except Exception as error:
                        if not matchers[i](error):
                            raise
                        attempts.append(FallbackAttempt(plan["provider"], plan["model"], error))
                        if i + 1 < len(plans):
                            _log(attempts)
                raise FallbackError(attempts) from attempts[-1].error

            wrapper = call_sync
        functools.update_wrapper(wrapper, fn)
        return wrapper

    return decorate


def _matcher(catch: object, what: str) -> Callable[[Exception], bool]:
    """``catch`` as a predicate of an error."""
    if isinstance(catch, type | tuple):
        kinds = cast(tuple[object, ...], catch if isinstance(catch, tuple) else (catch,))
        if kinds and all(isinstance(k, type) and issubclass(k, Exception) for k in kinds):
            classes = cast(tuple[type[Exception], ...], kinds)
            return lambda error: isinstance(error, classes)
    elif callable(catch):
        return cast(Callable[[Exception], bool], catch)
    raise InvalidCallError(
        f"{what} must be an exception class, a tuple of them (such as "
        f"openai.RateLimitError) or a predicate of the error (is_retryable), not {catch!r}"
    )


def _checked(plan: Fallback, index: int) -> Fallback:
    where = f"fallback {index + 1}"
    if not isinstance(plan, Mapping):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise InvalidCallError(
            f'{where} must be a dict such as {{"catch": ..., "provider": ..., "model": ...}}, '
            f"not {plan!r}"
        )
    missing = [k for k in ("catch", "provider", "model") if k not in plan]
    unknown = sorted(plan.keys() - {"catch", "provider", "model", "call_params", "client"})
    if missing or unknown:
        raise InvalidCallError(
            f"{where}: "
            + (f"missing {', '.join(map(repr, missing))}" if missing else "")
            + ("; " if missing and unknown else "")
            + (f"unknown key(s) {', '.join(map(repr, unknown))}" if unknown else "")
            + " (its keys: catch, provider, model, and optionally call_params, client)"
        )
    return plan


def _log(attempts: list[FallbackAttempt]) -> None:
    failed = attempts[-1]
    logger.warning(
        "%s %s failed (%s: %s); trying the next fallback",
        failed.provider,
        failed.model,
        type(failed.error).__name__,
        failed.error,
    )


class _Origin(NamedTuple):
    provider: str
    model: str
    is_llm: bool


def _origin(fn: Callable[..., Any]) -> _Origin:
    """What the function ``fallback`` decorates calls; refuses a function that is no call."""
    retrying = _retrying_of(fn)
    if retrying is not None:
        return _origin(retrying[1])
    state = getattr(fn, LLM_ATTR, None)
    if state is not None:
        return _Origin(str(state.args.provider), str(state.args.model), True)
    spec = _spec_of(fn)
    if spec is not None:
        return _Origin(spec.adapter.name, spec.model, False)
    name = getattr(fn, "__qualname__", repr(fn))
    raise InvalidCallError(
        f"fallback() decorates a call: {name} is not one. Put @fallback(...) directly "
        "above @<provider>.call(...) (or @llm.call(...)), or above tenacity's @retry(...) "
        "placed directly on it"
    )


def _check_providers(plans: Sequence[Fallback]) -> None:
    from ..core import PROVIDERS

    # every module with a ``call`` factory: the providers, and OpenAI's Responses API
    names = (*PROVIDERS, "openai.responses")
    for i, plan in enumerate(plans):
        if plan["provider"] not in names:
            raise InvalidCallError(
                f"fallback {i + 1}: unknown provider {plan['provider']!r}; the providers "
                f"are: {', '.join(names)}"
            )


def _spec_of(fn: Callable[..., Any]) -> CallSpec | None:
    """The call spec of a function a provider's ``call`` made (not of another wrapper that
    copied its attributes)."""
    spec = getattr(fn, SPEC_ATTR, None)
    if isinstance(spec, CallSpec) and getattr(fn, "__wrapped__", None) is spec.fn:
        return spec
    return None


def _retrying_of(fn: Callable[..., Any]) -> tuple[Any, Callable[..., Any]] | None:
    """tenacity's ``Retrying`` of a function ``@retry`` made and the function it wraps,
    else None."""
    tenacity = sys.modules.get("tenacity")
    retrying = getattr(fn, "retry", None)
    wrapped: object = getattr(fn, "__wrapped__", None)
    if tenacity is not None and isinstance(retrying, tenacity.BaseRetrying) and callable(wrapped):
        return retrying, wrapped
    return None


def _rebuild(fn: Callable[..., Any], plan: Fallback) -> Callable[..., Any]:
    """``fn`` made for ``plan``'s provider and model."""
    found = _retrying_of(fn)
    if found is not None:
        # the same policy around the new call
        retrying, wrapped = found
        inner = _rebuild(wrapped, plan)
        if getattr(fn, "__mirascope_retry__", False):  # mirascope.retries.tenacity.retry
            from .tenacity import wrap

            return wrap(retrying.copy(), inner)
        return retrying.copy().wraps(inner)
    client, call_params = plan.get("client"), plan.get("call_params")
    if getattr(fn, LLM_ATTR, None) is not None:
        llm: Any = importlib.import_module("mirascope.llm")
        return llm.override(
            fn,
            provider=plan["provider"],
            model=plan["model"],
            call_params=call_params,
            client=client,
        )
    spec = _spec_of(fn)
    assert spec is not None  # checked by _origin at decoration
    provider = plan["provider"]
    if provider == spec.adapter.name:  # the same provider keeps what was not replaced
        client = spec.client if client is None else client
        call_params = spec.call_params if call_params is None else call_params
    factory: Any = importlib.import_module(f"mirascope.core.{provider}").call
    return factory(
        plan["model"],
        stream=spec.stream,
        tools=list(spec.tools) or None,
        client=client,
        call_params=call_params,
        **(spec.output_options or {}),
    )(spec.fn)
