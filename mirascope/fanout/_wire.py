"""What crosses between the driver and the workers, pickled here (cloudpickle, as Ray
does) so that what cannot cross is handled on purpose:

- the function goes with each ``RateLimit`` it reaches replaced by one bound to that
  limit's actor (a ``Limiter`` holds a lock, and a per-process copy would not be shared);
- a response goes without its client (``CallPlan.client``, ``CallSpec.client``: sockets
  and locks) and without its function's limit; everything the response reads stays;
- an exception goes as its class, ``args`` and attributes, rebuilt without calling its
  ``__init__``: the vendors' exceptions take keyword-only arguments that pickle's default
  loses (``openai.APIStatusError(message, *, response, body)``); an attribute that does
  not pickle is left out, and the worker's traceback is added as a note."""

from __future__ import annotations

import dataclasses
import io
import pickle
import traceback
from typing import Any

from ..core._engine.adapter import CallPlan
from ..core._engine.limiter import RateLimit
from ..core._engine.plan import CallSpec
from ..core._engine.policy import CallPolicy
from ._ray import ray

cloudpickle: Any = ray.cloudpickle


# -- the function, driver to worker ----------------------------------------------------------


def dump_function(fn: Any, actor_for: Any) -> bytes:
    """``fn`` pickled, each ``RateLimit`` in it bound to its actor (``actor_for(limit)``)."""

    class Pickler(cloudpickle.CloudPickler):
        def reducer_override(self, obj: Any) -> Any:
            if type(obj) is RateLimit:
                return _bound_limit, (_settings(obj), obj.key, actor_for(obj))
            parent: Any = super()
            return parent.reducer_override(obj)

    buffer = io.BytesIO()
    Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(fn)
    return buffer.getvalue()


def _settings(limit: RateLimit) -> dict[str, Any]:
    return {
        "requests": limit.requests,
        "tokens": limit.tokens,
        "concurrency": limit.concurrency,
        "per": limit.per,
    }


def _bound_limit(settings: dict[str, Any], key: str | None, actor: Any) -> RateLimit:
    from ._limit import bind

    limit = RateLimit(**settings, key=key)
    bind(limit, actor)
    return limit


# -- results, worker to driver ---------------------------------------------------------------


class _ResultPickler(cloudpickle.CloudPickler):
    def reducer_override(self, obj: object) -> Any:
        kind = type(obj)  # once: most objects are none of the kinds below
        if kind is CallPlan:
            return _rebuild_dataclass, (CallPlan, _fields(obj, client=None))
        if kind is CallSpec and isinstance(obj, CallSpec):  # isinstance: narrows obj
            policy = obj.policy
            if policy is not None:  # the timeout stays readable; the limit is the worker's
                policy = CallPolicy(None, policy.timeout)
            return _rebuild_dataclass, (CallSpec, _fields(obj, client=None, policy=policy))
        if kind is RateLimit and isinstance(obj, RateLimit):
            return _unbound_limit, (_settings(obj),)
        if isinstance(obj, BaseException) and not _round_trips(obj):
            return _exception_reduction(obj)
        parent: Any = super()
        return parent.reducer_override(obj)


def _fields(obj: Any, **replaced: Any) -> dict[str, Any]:
    values = {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
    values.update(replaced)
    return values


def _rebuild_dataclass(cls: Any, values: dict[str, Any]) -> Any:
    return cls(**values)


def _unbound_limit(settings: dict[str, Any]) -> RateLimit:
    return RateLimit(**settings)


def dump_result(value: Any) -> bytes:
    """A call's result (or its exception, see ``note_worker``) for the driver."""
    buffer = io.BytesIO()
    _ResultPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def load(data: bytes) -> Any:
    return pickle.loads(data)


def note_worker(error: BaseException) -> None:
    """Add the worker's traceback to ``error`` as a note (Python 3.11+), before it goes."""
    add_note = getattr(error, "add_note", None)
    if add_note is not None:
        trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        add_note(f"raised in a Ray worker:\n{trace.rstrip()}")


def _round_trips(error: BaseException) -> bool:
    """Whether pickle's own way rebuilds ``error`` (its class takes its ``args`` back)."""
    try:
        copy = pickle.loads(cloudpickle.dumps(error))
    except Exception:
        return False
    return type(copy) is type(error) and vars(copy).keys() == vars(error).keys()


def _exception_reduction(error: BaseException) -> Any:
    state: dict[str, Any] = {}
    for name, value in vars(error).items():
        if _pickles(value):
            state[name] = value
    cause = error.__cause__
    if cause is not None and not _pickles(cause):
        cause = None
    args = error.args if _pickles(error.args) else tuple(str(a) for a in error.args)
    return _rebuild_exception, (type(error), args, state, cause)


def _pickles(value: Any) -> bool:
    try:
        dump_result(value)
    except Exception:
        return False
    return True


def _rebuild_exception(
    cls: type[BaseException],
    args: tuple[Any, ...],
    state: dict[str, Any],
    cause: BaseException | None,
) -> BaseException:
    error = cls.__new__(cls, *args)
    error.args = args
    for name, value in state.items():
        object.__setattr__(error, name, value)
    if cause is not None:
        error.__cause__ = cause
    return error
