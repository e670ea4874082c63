"""``BaseStream``: a streamed call. Iterate it (``for`` or ``async for``, matching the
function) for ``(chunk, tool)`` pairs; ``tool`` is set on the chunk that completed it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, cast

from typing_extensions import TypeVar

from .._engine.records import Delta
from . import _call_inputs
from ._history import assistant_message, tool_result_messages
from .call_response import BaseCallResponse
from .messages import BaseMessageParam, VendorMessage
from .tool import BaseTool
from .usage import CostMetadata, Usage

if TYPE_CHECKING:
    from .._engine.adapter import CallPlan
    from .._engine.streaming import StreamRun
    from .dynamic_config import BaseDynamicConfig

ChunkT = TypeVar("ChunkT")


class BaseCallResponseChunk(Delta, Generic[ChunkT]):
    """One streamed chunk: ``chunk`` is the vendor's object, ``content`` its text.

    The engine's record of the chunk (``Delta``) is this object: ``content``, ``thinking``,
    ``model``, ``id`` and ``common_usage`` are read straight off it, with no copy. A
    subclass declares ``__slots__ = ()``: the engine retypes each record into it."""

    __slots__ = ()

    chunk: ChunkT

    @property
    def finish_reasons(self) -> list[str]:
        reason = self.finish_reason
        return [reason] if reason is not None else []

    def _usage_record(self) -> Usage | None:
        """The usage this chunk carried: its record's, or, for a text chunk whose usage
        the stream left unread (the Google family repeats it in every chunk), the SDK
        chunk's, read now."""
        usage = self.common_usage
        return usage if usage is not None else self._unread_usage()

    def _unread_usage(self) -> Usage | None:
        """The usage of the SDK's chunk, for the providers whose text chunks carry it
        unread (``Adapter.usage_in_text_chunks``)."""
        return None

    @property
    def usage(self) -> Any:
        """The usage record this chunk carried, as the SDK gave it; None if none."""
        usage = self._usage_record()
        return usage.raw if usage is not None else None

    @property
    def input_tokens(self) -> int | None:
        usage = self._usage_record()
        return usage.input_tokens if usage is not None else None

    @property
    def output_tokens(self) -> int | None:
        usage = self._usage_record()
        return usage.output_tokens if usage is not None else None

    @property
    def cached_tokens(self) -> int | None:
        usage = self._usage_record()
        return usage.cached_tokens if usage is not None else None

    def __str__(self) -> str:
        return self.content

    def __repr__(self) -> str:
        return f"{type(self).__name__}(content={self.content!r})"


ChunkResponseT = TypeVar("ChunkResponseT", bound=BaseCallResponseChunk[Any])
ResponseT = TypeVar(
    "ResponseT",
    bound=BaseCallResponse[Any, Any, Any],
    default=BaseCallResponse[Any, Any, Any],
)
UsageT = TypeVar("UsageT", default=Any)
ParamsT = TypeVar("ParamsT", default=Mapping[str, Any])


class BaseStream(Generic[ChunkResponseT, ResponseT, UsageT, ParamsT]):
    """A stream of chunks. What has arrived stays readable (``content``, ``tools``,
    ``usage``...) during iteration, after it, and after the stream broke off.

    Type parameters: the provider's chunk and call response types, the SDK's usage type,
    the provider's call params."""

    chunk_type: type[BaseCallResponseChunk[Any]] = BaseCallResponseChunk
    call_response_type: ClassVar[type[BaseCallResponse[Any, Any, Any]]] = BaseCallResponse
    """What ``construct_call_response`` builds."""

    __slots__ = ("_run", "_usage")

    def __init__(self, run: StreamRun[Any]) -> None:
        self._run = run
        self._usage: Any = None

    @property
    def source(self) -> Any:
        """The vendor SDK's stream object."""
        return self._run.source

    @property
    def plan(self) -> CallPlan:
        """What was sent: model, messages, tools, call params, client."""
        return self._run.plan

    def __iter__(self) -> Iterator[tuple[ChunkResponseT, BaseTool | None]]:
        self._run.start("sync")
        return self._run.iterate(cast("type[ChunkResponseT]", self.chunk_type))

    def __aiter__(self) -> AsyncIterator[tuple[ChunkResponseT, BaseTool | None]]:
        self._run.start("async")
        return self._run.aiterate(cast("type[ChunkResponseT]", self.chunk_type))

    # -- what arrived -------------------------------------------------------------------------

    @property
    def content(self) -> str:
        """The text received so far."""
        return self._run.acc.content

    @property
    def tools(self) -> list[BaseTool] | None:
        """The tools completed so far; None if none."""
        return list(self._run.tools) or None

    @property
    def tool(self) -> BaseTool | None:
        tools = self._run.tools
        return tools[0] if tools else None

    @property
    def finish_reasons(self) -> list[str]:
        return self._run.acc.finish_reasons

    @property
    def model(self) -> str | None:
        return self._run.acc.model or self._run.plan.model

    @property
    def id(self) -> str | None:
        return self._run.acc.id

    # -- usage and cost -----------------------------------------------------------------------

    @property
    def usage(self) -> UsageT | None:
        """The vendor SDK's own usage object for what streamed (the one
        ``construct_call_response().usage`` holds); None before any usage arrived."""
        if self._usage is not None:
            return self._usage
        run = self._run
        if run.acc.usage is None:
            return None
        raw = run.assembled()
        usage = run.adapter.usage_of(raw, run.adapter.decode_response(raw))
        if run.end_time:  # the stream is over: this is its usage for good
            self._usage = usage
        return usage

    @property
    def common_usage(self) -> Usage | None:
        """Token usage so far, in the same shape for every provider."""
        return self._run.acc.usage

    @property
    def input_tokens(self) -> int | None:
        usage = self._run.acc.usage
        return usage.input_tokens if usage else None

    @property
    def output_tokens(self) -> int | None:
        usage = self._run.acc.usage
        return usage.output_tokens if usage else None

    @property
    def cached_tokens(self) -> int | None:
        usage = self._run.acc.usage
        return usage.cached_tokens if usage else None

    @property
    def provider(self) -> str:
        """The provider's name (``"openai"``, ...), which prices the call."""
        return self._run.adapter.name

    @property
    def cost_metadata(self) -> CostMetadata:
        """What ``cost`` is computed from."""
        return _call_inputs.cost_metadata(
            self.provider, self.model, self._run.acc.usage, streaming=True
        )

    @property
    def cost(self) -> float | None:
        """The cost in USD of what streamed (see ``BaseCallResponse.cost``)."""
        return _call_inputs.cost(self.cost_metadata)

    # -- what was sent ------------------------------------------------------------------------

    @property
    def metadata(self) -> Mapping[str, object]:
        """The ``metadata`` the prompt function's dynamic config returned (never sent)."""
        return self._run.plan.metadata

    @property
    def messages(self) -> list[BaseMessageParam | VendorMessage]:
        return self._run.plan.messages

    @property
    def thinking(self) -> str | None:
        """The model's reasoning received so far, where the vendor streams it."""
        blocks = self._run.acc.thinking
        return "".join(text for text, _ in blocks) if blocks else None

    @property
    def user_message_param(self) -> BaseMessageParam | VendorMessage | None:
        """The last message sent, if it was the user's; else None."""
        return _call_inputs.user_message_param(self._run.plan.messages)

    @property
    def tool_types(self) -> list[type[BaseTool]] | None:
        """The tools the model was offered; None if none."""
        return list(self._run.plan.tools) or None

    @property
    def fn_args(self) -> dict[str, object]:
        """The prompt function's arguments by name (defaults included)."""
        return _call_inputs.fn_args(self._run.plan)

    @property
    def dynamic_config(self) -> BaseDynamicConfig[Any, ParamsT] | None:
        """The dynamic config the prompt function returned; None if it returned a prompt."""
        return self._run.plan.dynamic_config  # type: ignore[return-value]

    @property
    def prompt_template(self) -> str | None:
        """The ``@prompt_template`` text, unformatted; None for other prompt styles."""
        return _call_inputs.prompt_template(self._run.plan)

    @property
    def call_params(self) -> ParamsT:
        """The call params given to the decorator (see ``call_kwargs`` for what was sent)."""
        spec = self._run.plan.spec
        return spec.call_params if spec is not None else {}  # type: ignore[return-value]

    @property
    def call_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of the SDK call that opened the stream."""
        run = self._run
        return run.adapter.call_kwargs(run.request)

    @property
    def start_time(self) -> float:
        """When iteration began, in milliseconds since the epoch; 0 before."""
        return self._run.start_time * 1000

    @property
    def end_time(self) -> float:
        """When iteration ended (however it ended), in milliseconds since the epoch; 0
        before."""
        return self._run.end_time * 1000

    # -- history and the whole response -------------------------------------------------------

    @property
    def message_param(self) -> BaseMessageParam:
        """What has streamed so far, as an assistant message for the history."""
        return assistant_message(self.content, self._run.tools, self._run.acc.thinking)

    @staticmethod
    def tool_message_params(
        tools_and_outputs: Sequence[tuple[BaseTool, object]],
    ) -> list[BaseMessageParam]:
        return tool_result_messages(tools_and_outputs)

    def construct_call_response(self) -> ResponseT:
        """The provider's call response, built from what streamed: ``response`` is the SDK's
        whole-response object a non-streamed call returns, made from the stream's text,
        tool calls, usage, finish reasons, model and id. Raises ``ValueError`` before the
        stream was iterated."""
        return self._run.call_response(cast("Callable[..., ResponseT]", self.call_response_type))

    def model_dump(self) -> dict[str, Any]:
        """``construct_call_response().model_dump()`` (its times are the stream's)."""
        return self.construct_call_response().model_dump()
