"""``BaseStream``: a streamed call. Iterate it (``for`` or ``async for``, matching the
function) for ``(chunk, tool)`` pairs; ``tool`` is set on the chunk that completed it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from ._history import assistant_message, tool_result_messages
from .messages import BaseMessageParam
from .tool import BaseTool
from .usage import Usage

if TYPE_CHECKING:
    from .._engine.adapter import CallPlan
    from .._engine.records import Delta
    from .._engine.streaming import StreamRun

ChunkT = TypeVar("ChunkT")


class BaseCallResponseChunk(Generic[ChunkT]):
    """One streamed chunk: ``chunk`` is the vendor's object, ``content`` its text."""

    __slots__ = ("_delta", "chunk")

    def __init__(self, chunk: ChunkT, delta: Delta) -> None:
        self.chunk = chunk
        self._delta = delta

    @property
    def content(self) -> str:
        return self._delta.content

    @property
    def thinking(self) -> str:
        """This chunk's piece of the model's reasoning ("" for none)."""
        return self._delta.thinking

    @property
    def finish_reasons(self) -> list[str]:
        reason = self._delta.finish_reason
        return [reason] if reason is not None else []

    @property
    def usage(self) -> Usage | None:
        return self._delta.usage

    @property
    def model(self) -> str | None:
        return self._delta.model

    @property
    def id(self) -> str | None:
        return self._delta.id

    def __str__(self) -> str:
        return self._delta.content

    def __repr__(self) -> str:
        return f"{type(self).__name__}(content={self._delta.content!r})"


ChunkResponseT = TypeVar("ChunkResponseT", bound=BaseCallResponseChunk[Any])


class BaseStream(Generic[ChunkResponseT]):
    """A stream of chunks. What has arrived stays readable (``content``, ``tools``,
    ``usage``...) during iteration, after it, and after the stream broke off."""

    chunk_type: type[BaseCallResponseChunk[Any]] = BaseCallResponseChunk

    __slots__ = ("_run",)

    def __init__(self, run: StreamRun[Any]) -> None:
        self._run = run

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
        wrap = cast("Callable[[Any, Delta], ChunkResponseT]", self.chunk_type)
        return self._run.iterate(wrap)

    def __aiter__(self) -> AsyncIterator[tuple[ChunkResponseT, BaseTool | None]]:
        self._run.start("async")
        wrap = cast("Callable[[Any, Delta], ChunkResponseT]", self.chunk_type)
        return self._run.aiterate(wrap)

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
    def usage(self) -> Usage | None:
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
    def finish_reasons(self) -> list[str]:
        return self._run.acc.finish_reasons

    @property
    def model(self) -> str | None:
        return self._run.acc.model or self._run.plan.model

    @property
    def id(self) -> str | None:
        return self._run.acc.id

    @property
    def metadata(self) -> dict[str, Any]:
        """The ``metadata`` the prompt function's dynamic config returned (never sent)."""
        return self._run.plan.metadata

    @property
    def messages(self) -> list[BaseMessageParam | Any]:
        return self._run.plan.messages

    @property
    def thinking(self) -> str | None:
        """The model's reasoning received so far, where the vendor streams it."""
        blocks = self._run.acc.thinking
        return "".join(text for text, _ in blocks) if blocks else None

    @property
    def message_param(self) -> BaseMessageParam:
        """What has streamed so far, as an assistant message for the history."""
        return assistant_message(self.content, self._run.tools, self._run.acc.thinking)

    @staticmethod
    def tool_message_params(
        tools_and_outputs: Sequence[tuple[BaseTool, Any]],
    ) -> list[BaseMessageParam]:
        return tool_result_messages(tools_and_outputs)
