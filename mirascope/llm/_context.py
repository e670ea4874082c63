"""``llm.context``: other settings (provider, model, client, call params) for the ``llm.call``
functions called inside a ``with`` block.

The active settings live in a ``ContextVar``: each thread starts without them and each
asyncio task sees those of the code that created it, so a block changes only the calls
made in its own thread or task. Only functions made by ``llm.call`` read it; a provider's
own ``call`` never does."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextvars import ContextVar
from types import TracebackType
from typing import Any, Literal

from ._registry import LocalProvider, Provider, check_provider


class LLMContext:
    """Settings that replace those of ``llm.call`` functions while a ``with`` block runs.
    A field left ``None`` keeps the function's own (or an enclosing block's) value."""

    __slots__ = ("_built", "call_params", "client", "model", "provider")

    def __init__(
        self,
        provider: str | None,
        model: str | None,
        client: object,
        call_params: Mapping[str, object] | None,
    ) -> None:
        self.provider = provider
        self.model = model
        self.client = client
        self.call_params = call_params
        # the functions built for this block when no other encloses it, by llm function:
        # entering the same object again reuses them
        self._built: dict[object, Callable[..., Any]] = {}

    def __enter__(self) -> LLMContext:
        outer = ACTIVE.get()
        ACTIVE.set(Active(self, outer, self._built if outer is None else {}))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> Literal[False]:
        active = ACTIVE.get()
        # no token to reset: the entry itself remembers what was active before it, so one
        # LLMContext object may be entered in several threads or tasks at once
        ACTIVE.set(active.outer if active is not None else None)
        return False

    def __repr__(self) -> str:
        return (
            f"LLMContext(provider={self.provider!r}, model={self.model!r}, "
            f"client={'None' if self.client is None else type(self.client).__name__}, "
            f"call_params={self.call_params!r})"
        )


class Active:
    """One entered block: the settings of every open block, outermost first (each applies
    over the ones before it, as ``override`` would), the functions built for them, and the
    entry to restore when it exits."""

    __slots__ = ("built", "chain", "outer")

    def __init__(
        self,
        settings: LLMContext,
        outer: Active | None,
        built: dict[object, Callable[..., Any]],
    ) -> None:
        self.outer = outer
        self.chain: tuple[LLMContext, ...] = (
            (settings,) if outer is None else (*outer.chain, settings)
        )
        self.built = built


ACTIVE: ContextVar[Active | None] = ContextVar("mirascope_llm_context", default=None)


def context(
    *,
    provider: Provider | LocalProvider | None = None,
    model: str | None = None,
    client: object = None,
    call_params: Mapping[str, object] | None = None,
) -> LLMContext:
    """Change the provider, model, client or call params of the ``llm.call`` functions
    called inside a ``with`` block (in this thread or asyncio task only).

    Args:
        provider: another provider; then ``model`` is required too, and the function's
            own client and call params (the other provider's) are not used.
        model: another model.
        client: another client of the provider (sync for ``def``, async for ``async def``).
        call_params: call params that replace the function's own.
    """
    if provider is not None:
        check_provider(provider)
        if model is None:
            from ..core.base.errors import InvalidCallError

            raise InvalidCallError(
                f"llm.context(provider={provider!r}) needs the model too: model names "
                "differ between providers"
            )
    return LLMContext(provider, model, client, call_params)
