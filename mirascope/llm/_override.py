"""``llm.override``: the same prompt function, calling another provider, model, client or
call params. The original function is left as it was."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import ParamSpec, TypeVar

from ._call import LLM_ATTR, LLMFunction, make_function
from ._registry import LocalProvider, Provider, check_provider

P = ParamSpec("P")
R = TypeVar("R")


def override(
    fn: Callable[P, R],
    *,
    provider: Provider | LocalProvider | None = None,
    model: str | None = None,
    call_params: Mapping[str, object] | None = None,
    client: object = None,
) -> Callable[P, R]:
    """A new function calling ``fn``'s prompt with other settings (``None``: keep ``fn``'s).

    Args:
        fn: a function made by ``llm.call``.
        provider: another provider; then ``model`` is required too, and ``fn``'s client
            and call params (the other provider's) are not carried over.
        model: another model.
        call_params: call params that replace ``fn``'s.
        client: another client of the provider.
    """
    state = getattr(fn, LLM_ATTR, None)
    if not isinstance(state, LLMFunction):
        from ..core.base.errors import InvalidCallError

        name = getattr(fn, "__qualname__", type(fn).__name__)
        raise InvalidCallError(
            f"llm.override() takes a function made by @llm.call; {name} is not one "
            "(decorate the prompt function with @llm.call(provider=..., model=...))"
        )
    if provider is not None:
        check_provider(provider)
        if provider != state.args.provider and model is None:
            from ..core.base.errors import InvalidCallError

            raise InvalidCallError(
                f"llm.override({state.fn.__qualname__}, provider={provider!r}) needs the "
                "model too: model names differ between providers"
            )
    args = state.args.with_settings(provider, model, client, call_params)
    return make_function(args, state.fn)
