"""``CallFactory``: the ``call`` decorator of every provider, with its typing written once."""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, Literal, ParamSpec, Protocol, TypeVar, overload

from ..base.stream_config import StreamConfig
from ..base.tool import BaseTool
from .adapter import AnyAdapter
from .drivers import run_async, run_sync
from .limiter import RateLimit
from .output import OutputMode
from .partial import StructuredStream
from .plan import Answer, ResponseClass, make_spec

if TYPE_CHECKING:
    from ..base.stream import BaseStream

P = ParamSpec("P")
R_co = TypeVar("R_co", covariant=True)
ResponseT = TypeVar("ResponseT", bound="Answer")
StreamT = TypeVar("StreamT", bound="BaseStream[Any, Any, Any, Any]")
ClientT = TypeVar("ClientT")
ParamsT = TypeVar("ParamsT", bound=Mapping[str, object])
ModelT = TypeVar("ModelT")
OutT = TypeVar("OutT")

SPEC_ATTR = "__mirascope_call__"
RESPONSE_ATTR = "__mirascope_response__"
"""The provider's response class, on a decorated function (for batch jobs, which build
responses from results read later)."""


class CallDecorator(Protocol[R_co]):
    """Turns a prompt function into a call: ``async def`` stays awaitable."""

    # the result keeps the coroutine type pyright gives every ``async def`` (unknown yield
    # and send types), so what users see revealed is that of a plain async function
    @overload
    def __call__(  # pyright: ignore[reportOverlappingOverload]
        self, fn: Callable[P, Coroutine[object, object, object]]
    ) -> Callable[P, Coroutine[Any, Any, R_co]]: ...
    @overload
    def __call__(self, fn: Callable[P, object]) -> Callable[P, R_co]: ...


class CallFactory(Generic[ResponseT, StreamT, ClientT, ParamsT]):
    """``provider.call(model, ...)``: bound to one adapter and its response types."""

    def __init__(
        self,
        adapter: AnyAdapter,
        response_type: ResponseClass[ResponseT],
        stream_type: type[StreamT],
        params_type: type[ParamsT] | None = None,
    ) -> None:
        self._adapter = adapter
        self._response_type = response_type
        self._stream_type = stream_type
        adapter.chunk_class = stream_type.chunk_type  # plain chunks made as the user's
        # a TypedDict's keys: the call params the vendor's SDK accepts
        self._param_names: frozenset[str] | None = None
        if params_type is not None:
            # TypedDict's own attributes, which the bound (Mapping) does not declare
            required: frozenset[str] = getattr(params_type, "__required_keys__", frozenset())
            optional: frozenset[str] = getattr(params_type, "__optional_keys__", frozenset())
            self._param_names = required | optional

    @overload
    def __call__(
        self,
        model: str,
        *,
        stream: Literal[False] = False,
        tools: Sequence[type[BaseTool] | Callable[..., object]] | None = None,
        response_model: None = None,
        output_parser: None = None,
        json_mode: bool = False,
        client: ClientT | None = None,
        call_params: ParamsT | None = None,
        limiter: RateLimit | None = None,
        timeout: float | None = None,
    ) -> CallDecorator[ResponseT]: ...
    @overload
    def __call__(
        self,
        model: str,
        *,
        stream: Literal[True] | StreamConfig,
        tools: Sequence[type[BaseTool] | Callable[..., object]] | None = None,
        response_model: None = None,
        output_parser: None = None,
        json_mode: bool = False,
        client: ClientT | None = None,
        call_params: ParamsT | None = None,
        limiter: RateLimit | None = None,
        timeout: float | None = None,
    ) -> CallDecorator[StreamT]: ...
    @overload
    def __call__(
        self,
        model: str,
        *,
        stream: Literal[False] = False,
        tools: Sequence[type[BaseTool] | Callable[..., object]] | None = None,
        response_model: type[ModelT],
        output_parser: None = None,
        json_mode: bool = False,
        output_mode: OutputMode | None = None,
        client: ClientT | None = None,
        call_params: ParamsT | None = None,
        limiter: RateLimit | None = None,
        timeout: float | None = None,
    ) -> CallDecorator[ModelT]: ...
    @overload
    def __call__(
        self,
        model: str,
        *,
        stream: Literal[True] | StreamConfig,
        tools: Sequence[type[BaseTool] | Callable[..., object]] | None = None,
        response_model: type[ModelT],
        output_parser: None = None,
        json_mode: bool = False,
        output_mode: OutputMode | None = None,
        client: ClientT | None = None,
        call_params: ParamsT | None = None,
        limiter: RateLimit | None = None,
        timeout: float | None = None,
    ) -> CallDecorator[StructuredStream[ModelT]]: ...
    @overload
    def __call__(
        self,
        model: str,
        *,
        stream: Literal[False] = False,
        tools: Sequence[type[BaseTool] | Callable[..., object]] | None = None,
        response_model: None = None,
        output_parser: Callable[[ResponseT], OutT],
        json_mode: bool = False,
        client: ClientT | None = None,
        call_params: ParamsT | None = None,
        limiter: RateLimit | None = None,
        timeout: float | None = None,
    ) -> CallDecorator[OutT]: ...
    @overload
    def __call__(
        self,
        model: str,
        *,
        stream: Literal[False] = False,
        tools: Sequence[type[BaseTool] | Callable[..., object]] | None = None,
        response_model: type[ModelT],
        output_parser: Callable[[ModelT], OutT],
        json_mode: bool = False,
        output_mode: OutputMode | None = None,
        client: ClientT | None = None,
        call_params: ParamsT | None = None,
        limiter: RateLimit | None = None,
        timeout: float | None = None,
    ) -> CallDecorator[OutT]: ...
    def __call__(
        self,
        model: str,
        *,
        stream: bool | StreamConfig = False,
        tools: Sequence[type[BaseTool] | Callable[..., object]] | None = None,
        response_model: object = None,
        output_parser: Callable[[Any], object] | None = None,
        json_mode: bool = False,
        output_mode: OutputMode | None = None,
        client: ClientT | None = None,
        call_params: ParamsT | None = None,
        limiter: RateLimit | None = None,
        timeout: float | None = None,
    ) -> CallDecorator[object]:
        """Decorate a prompt function so that calling it calls the model.

        Args:
            model: the vendor's model name.
            stream: return a stream of ``(chunk, tool)`` pairs instead of a response;
                ``{"partial_tools": True}`` also hands out partial tools as they arrive.
            tools: ``BaseTool`` subclasses or plain functions the model may call.
            client: the vendor SDK client to use (sync for ``def``, async for
                ``async def``); by default one client per provider is made and reused.
            call_params: the vendor's own request parameters (temperature, ...).
            response_model: a pydantic model (or a type such as ``list[str]``) the answer
                is validated into and returned as; with ``stream=True``, a stream of
                partial models ending with the complete one.
            output_parser: a function of the response (or of the response model) whose
                result the call returns.
            json_mode: ask for a JSON answer (the vendor's JSON mode, or an instruction).
            output_mode: how a response model is asked for: ``"strict"`` (the vendor's
                JSON-schema mode), ``"json"`` or ``"tool"`` (a forced tool call); by
                default the model config's, else strict where the vendor has it.
            limiter: a ``RateLimit`` the call waits for (calls in flight, requests and
                tokens per window), shared with every call given it or its key.
            timeout: seconds the SDK waits for the vendor, as the SDK's own per-request
                timeout (which raises the SDK's own timeout exception).
        """
        adapter, response_type, stream_type = (
            self._adapter,
            self._response_type,
            self._stream_type,
        )
        param_names = self._param_names

        # the wrapper is made at run time, so it cannot be typed as ``Callable[P, R]``: its
        # unknown return is what lets it stand for each overload's ParamSpec result
        def decorate(fn: Callable[..., object]) -> Callable[..., Any]:
            spec = make_spec(
                adapter,
                fn,
                model=model,
                stream=stream,
                tools=tools,
                call_params=call_params,
                client=client,
                param_names=param_names,
                response_model=response_model,
                json_mode=json_mode,
                output_parser=output_parser,
                output_mode=output_mode,
                limiter=limiter,
                timeout=timeout,
            )
            if spec.is_async:

                async def call_async(*args: object, **kwargs: object) -> object:
                    return await run_async(spec, response_type, stream_type, args, kwargs)

                inner: Callable[..., object] = call_async
            else:

                def call_sync(*args: object, **kwargs: object) -> object:
                    return run_sync(spec, response_type, stream_type, args, kwargs)

                inner = call_sync
            functools.update_wrapper(inner, fn)
            setattr(inner, SPEC_ATTR, spec)
            setattr(inner, RESPONSE_ATTR, response_type)
            return inner

        return decorate
