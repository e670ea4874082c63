"""``llm.call``: a provider-agnostic ``call``. The provider's name picks its ``call`` factory
from the registry; the function that factory makes does the work, and its response or
stream comes back wrapped in ``llm.CallResponse`` / ``llm.Stream``."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeVar, overload

from ._context import ACTIVE, Active
from ._registry import LocalProvider, Provider, call_factory, check_provider
from ._response import CallResponse, Stream

if TYPE_CHECKING:
    from ..core._engine.decorator import CallDecorator
    from ..core._engine.partial import StructuredStream
    from ..core.base.tool import BaseTool

T = TypeVar("T")
R = TypeVar("R")

LLM_ATTR = "__mirascope_llm__"


class CallArgs(NamedTuple):
    """What ``llm.call`` was given (a tuple: ``dataclasses`` costs ~1.5 ms to import)."""

    provider: str
    model: str
    stream: bool
    tools: Sequence[type[BaseTool] | Callable[..., object]] | None
    response_model: Any
    json_mode: bool
    output_parser: Callable[[Any], Any] | None
    client: object
    call_params: Mapping[str, object] | None

    def with_settings(
        self,
        provider: str | None,
        model: str | None,
        client: object,
        call_params: Mapping[str, object] | None,
    ) -> CallArgs:
        """Another provider, model, client or call params (``None``: keep). A new provider
        takes only the client and call params given with it: these were the old one's."""
        if provider is not None and provider != self.provider:
            assert model is not None  # checked by override() and context()
            return self._replace(
                provider=provider, model=model, client=client, call_params=call_params
            )
        return self._replace(
            model=model or self.model,
            client=self.client if client is None else client,
            call_params=self.call_params if call_params is None else call_params,
        )


class LLMFunction:
    """What an ``llm.call`` function keeps: its arguments, the user's function, and the
    provider's function made from them."""

    __slots__ = ("args", "decorated", "fn")

    def __init__(self, args: CallArgs, fn: Callable[..., Any]) -> None:
        self.args = args
        self.fn = fn
        self.decorated = _decorate(args, fn)

    def under(self, active: Active) -> Callable[..., Any]:
        """The provider's function for this one under the open blocks' settings (made
        once per entered block)."""
        built = active.built.get(self)
        if built is None:
            args = self.args
            for s in active.chain:
                args = args.with_settings(s.provider, s.model, s.client, s.call_params)
            built = active.built[self] = _decorate(args, self.fn)
        return built


def neutral(value: object) -> object:
    """A provider's response or stream as the llm one; anything else as it is."""
    from ..core.base.call_response import BaseCallResponse
    from ..core.base.stream import BaseStream

    if isinstance(value, BaseCallResponse):
        return CallResponse(value)  # pyright: ignore[reportUnknownArgumentType]
    if isinstance(value, BaseStream):
        return Stream(value)  # pyright: ignore[reportUnknownArgumentType]
    return value


def _decorate(args: CallArgs, fn: Callable[..., Any]) -> Callable[..., Any]:
    factory = call_factory(args.provider)
    options: dict[str, Any] = {
        "stream": args.stream,
        "tools": args.tools,
        "client": args.client,
        "call_params": args.call_params,
    }
    # structured output: forwarded only when asked for, so a factory without it still works
    if args.response_model is not None:
        options["response_model"] = args.response_model
    if args.json_mode:
        options["json_mode"] = True
    if args.output_parser is not None:
        parser = args.output_parser

        def parse(value: object) -> object:
            return parser(neutral(value))

        options["output_parser"] = parse
    return factory(args.model, **options)(fn)


def make_function(args: CallArgs, fn: Callable[..., Any]) -> Callable[..., Any]:
    """The ``llm.call`` function for ``fn``: calls the provider's function (or, inside an
    ``llm.context`` block, the one made for its settings) and wraps what it returns."""
    import inspect  # loaded by the provider's decoration just done; ~5 ms to import

    state = LLMFunction(args, fn)
    decorated = state.decorated
    # what the provider returns for a response model or an output parser is the user's
    # value: it goes back untouched
    structured = args.response_model is not None or args.output_parser is not None
    wrap: Callable[[Any], Any] | None = (
        None if structured else (Stream if args.stream else CallResponse)
    )
    inner: Callable[..., Any]
    if inspect.iscoroutinefunction(fn):

        async def call_async(*a: object, **k: object) -> object:
            active = ACTIVE.get()
            target = decorated if active is None else state.under(active)
            result = await target(*a, **k)
            return result if wrap is None else wrap(result)

        inner = call_async
    else:

        def call_sync(*a: object, **k: object) -> object:
            active = ACTIVE.get()
            target = decorated if active is None else state.under(active)
            result = target(*a, **k)
            return result if wrap is None else wrap(result)

        inner = call_sync
    functools.update_wrapper(inner, fn)
    setattr(inner, LLM_ATTR, state)
    return inner


@overload
def call(
    provider: Provider | LocalProvider,
    model: str,
    *,
    stream: Literal[False] = False,
    tools: Sequence[type[BaseTool] | Callable[..., object]] | None = None,
    response_model: None = None,
    json_mode: bool = False,
    output_parser: None = None,
    client: object = None,
    call_params: Mapping[str, object] | None = None,
) -> CallDecorator[CallResponse]: ...
@overload
def call(
    provider: Provider | LocalProvider,
    model: str,
    *,
    stream: Literal[True],
    tools: Sequence[type[BaseTool] | Callable[..., object]] | None = None,
    response_model: None = None,
    json_mode: bool = False,
    output_parser: None = None,
    client: object = None,
    call_params: Mapping[str, object] | None = None,
) -> CallDecorator[Stream]: ...
@overload
def call(
    provider: Provider | LocalProvider,
    model: str,
    *,
    stream: Literal[False] = False,
    tools: Sequence[type[BaseTool] | Callable[..., object]] | None = None,
    response_model: type[T],
    json_mode: bool = False,
    output_parser: None = None,
    client: object = None,
    call_params: Mapping[str, object] | None = None,
) -> CallDecorator[T]: ...
@overload
def call(
    provider: Provider | LocalProvider,
    model: str,
    *,
    stream: Literal[False] = False,
    tools: Sequence[type[BaseTool] | Callable[..., object]] | None = None,
    response_model: None = None,
    json_mode: bool = False,
    output_parser: Callable[[CallResponse], R],
    client: object = None,
    call_params: Mapping[str, object] | None = None,
) -> CallDecorator[R]: ...
@overload
def call(
    provider: Provider | LocalProvider,
    model: str,
    *,
    stream: Literal[False] = False,
    tools: Sequence[type[BaseTool] | Callable[..., object]] | None = None,
    response_model: type[T],
    json_mode: bool = False,
    output_parser: Callable[[T], R],
    client: object = None,
    call_params: Mapping[str, object] | None = None,
) -> CallDecorator[R]: ...
@overload
def call(
    provider: Provider | LocalProvider,
    model: str,
    *,
    stream: Literal[True],
    tools: Sequence[type[BaseTool] | Callable[..., object]] | None = None,
    response_model: type[T],
    json_mode: bool = False,
    output_parser: None = None,
    client: object = None,
    call_params: Mapping[str, object] | None = None,
) -> CallDecorator[StructuredStream[T]]: ...
def call(
    provider: Provider | LocalProvider,
    model: str,
    *,
    stream: bool = False,
    tools: Sequence[type[BaseTool] | Callable[..., object]] | None = None,
    response_model: type[Any] | None = None,
    json_mode: bool = False,
    output_parser: Callable[[Any], Any] | None = None,
    client: object = None,
    call_params: Mapping[str, object] | None = None,
) -> CallDecorator[Any]:
    """Decorate a prompt function so that calling it calls ``model`` of ``provider``.

    Everything but ``provider`` is the provider's own ``call``'s argument, passed on to it;
    the function returns an ``llm.CallResponse`` (an ``llm.Stream`` with ``stream=True``)
    whichever provider answers. ``llm.context`` and ``llm.override`` change the provider,
    model, client or call params later.

    Args:
        provider: ``"openai"``, ``"anthropic"``, ... or a local OpenAI-compatible server,
            ``"ollama"`` or ``"vllm"``.
        model: the provider's model name.
        stream: return a stream of ``(chunk, tool)`` pairs instead of a response.
        tools: ``BaseTool`` subclasses or plain functions the model may call.
        response_model: the type to read the answer into (passed on only when given).
        json_mode: ask for JSON (passed on only when set).
        output_parser: a function of the ``llm.CallResponse`` whose result the call returns
            (passed on only when given).
        client: the provider's SDK client (sync for ``def``, async for ``async def``).
        call_params: the provider's own request parameters, checked against its names.
    """
    check_provider(provider)
    args = CallArgs(
        provider,
        model,
        stream,
        tools,
        response_model,
        json_mode,
        output_parser,
        client,
        call_params,
    )

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        return make_function(args, fn)

    return decorate
