"""``BaseStream``: a streamed call. Iterate it (``for`` or ``async for``, matching the
function) for ``(chunk, tool)`` pairs; ``tool`` is set on the chunk that completed it."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .._engine.accumulate import Accumulator, make_tool, tool_lookup
from ._history import assistant_message, tool_result_messages
from .errors import EmptyResponseError, IncompleteStreamError
from .messages import BaseMessageParam
from .tool import BaseTool
from .usage import Usage

if TYPE_CHECKING:
    from .._engine.adapter import Adapter, CallPlan
    from .._engine.records import Delta

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

    def __init__(self, source: Any, plan: CallPlan, adapter: Adapter[Any, Any]) -> None:
        self.source = source
        """The vendor SDK's stream object."""
        self.plan = plan
        self._adapter = adapter
        self._acc = Accumulator()
        self._offered = tool_lookup(plan.tools)
        self._tools: list[BaseTool] = []
        self._consumed = False

    def _check_fresh(self, how: str) -> None:
        if self._consumed:
            raise RuntimeError("this stream was already iterated; a stream runs once")
        if how == "sync" and self.plan.is_async:
            raise TypeError("this stream is async (from an async def): use `async for`")
        if how == "async" and not self.plan.is_async:
            raise TypeError("this stream is sync (from a def): use `for`, not `async for`")
        self._consumed = True

    def _tool(self, record: Any) -> BaseTool:
        tool = make_tool(record, self._offered)
        self._tools.append(tool)
        return tool

    def __iter__(self) -> Iterator[tuple[ChunkResponseT, BaseTool | None]]:
        self._check_fresh("sync")
        decode, feed, wrap = self._adapter.decode_chunk, self._acc.feed, self.chunk_type
        chunk: Any = None
        try:
            for raw in self.source:
                delta = decode(raw)
                if delta.lost or delta.whole_text is not None:
                    self._check_nothing_lost(delta)
                chunk = wrap(raw, delta)
                completed = feed(delta)
                if completed:
                    for record in completed:
                        yield chunk, self._tool(record)
                else:
                    yield chunk, None
            self._check_complete(chunk)
            for record in self._acc.finish():
                yield chunk, self._tool(record)
        finally:
            # however it ends (complete, broken, refused or left early), the SDK's stream
            # is released: some (azure's) keep their response open past the end mark
            close = getattr(self.source, "close", None)
            if callable(close):
                close()

    async def _aiter(self) -> AsyncIterator[tuple[ChunkResponseT, BaseTool | None]]:
        decode, feed, wrap = self._adapter.decode_chunk, self._acc.feed, self.chunk_type
        chunk: Any = None
        try:
            async for raw in self.source:
                delta = decode(raw)
                if delta.lost or delta.whole_text is not None:
                    self._check_nothing_lost(delta)
                chunk = wrap(raw, delta)
                completed = feed(delta)
                if completed:
                    for record in completed:
                        yield chunk, self._tool(record)
                else:
                    yield chunk, None
            self._check_complete(chunk)
            for record in self._acc.finish():
                yield chunk, self._tool(record)
        finally:
            # as in __iter__; async SDK streams name it aclose (azure) or close (openai)
            close = getattr(self.source, "aclose", None) or getattr(self.source, "close", None)
            if callable(close):
                result = close()
                if inspect.isawaitable(result):
                    await result

    def _check_nothing_lost(self, delta: Delta) -> None:
        # some SDKs skip (or empty) a stream event they cannot parse and carry on: the
        # answer would come out with a piece missing and nothing said
        content = self._acc.content
        if delta.lost:
            problem = "the SDK could not parse an event of the stream and passed it on empty"
        elif delta.whole_text != content + delta.content:
            problem = (
                "events of the stream were lost on the way (the SDK skips events it cannot "
                f"parse): the vendor's last event has {len(delta.whole_text or '')} "
                f"characters of text, {len(content) + len(delta.content)} arrived"
            )
        else:
            return
        raise IncompleteStreamError(
            f"{problem}; the {len(content)} characters received before are in .content",
            content=content,
        )

    def _check_complete(self, last: BaseCallResponseChunk[Any] | None) -> None:
        # every vendor ends a whole stream with a finish (stop) reason; an SDK that lets a
        # cut or garbled stream end quietly would otherwise pass off a part as the answer
        acc = self._acc
        if not acc.finish_reasons:
            raise IncompleteStreamError(
                "the stream ended before the vendor marked it complete (no finish reason "
                f"arrived); the {len(acc.content)} characters received so far are in "
                ".content and complete tool calls in .tools",
                content=acc.content,
            )
        if not acc.texts and not acc.done and not acc.open:
            # as a call's response with nothing to read raises, so does such a stream
            raise EmptyResponseError(
                "the stream finished (finish reason: "
                f"{', '.join(map(str, acc.finish_reasons))}) without any text or tool call; "
                "its last chunk (the vendor's object) is in .raw",
                raw=last.chunk if last is not None else None,
            )

    def __aiter__(self) -> AsyncIterator[tuple[ChunkResponseT, BaseTool | None]]:
        self._check_fresh("async")
        return self._aiter()

    @property
    def content(self) -> str:
        """The text received so far."""
        return self._acc.content

    @property
    def tools(self) -> list[BaseTool] | None:
        """The tools completed so far; None if none."""
        return list(self._tools) or None

    @property
    def tool(self) -> BaseTool | None:
        return self._tools[0] if self._tools else None

    @property
    def usage(self) -> Usage | None:
        return self._acc.usage

    @property
    def input_tokens(self) -> int | None:
        return self._acc.usage.input_tokens if self._acc.usage else None

    @property
    def output_tokens(self) -> int | None:
        return self._acc.usage.output_tokens if self._acc.usage else None

    @property
    def finish_reasons(self) -> list[str]:
        return self._acc.finish_reasons

    @property
    def model(self) -> str | None:
        return self._acc.model or self.plan.model

    @property
    def id(self) -> str | None:
        return self._acc.id

    @property
    def messages(self) -> list[BaseMessageParam | Any]:
        return self.plan.messages

    @property
    def message_param(self) -> BaseMessageParam:
        """What has streamed so far, as an assistant message for the history."""
        return assistant_message(self.content, self._tools)

    @staticmethod
    def tool_message_params(
        tools_and_outputs: Sequence[tuple[BaseTool, Any]],
    ) -> list[BaseMessageParam]:
        return tool_result_messages(tools_and_outputs)
