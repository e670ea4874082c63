"""The stream I/O loop, sync and async: read the SDK's stream, decode each chunk, check
nothing was lost, accumulate, and hand out ``(chunk, tool)`` pairs. ``BaseStream`` only
reads what this collects."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator
from time import time
from typing import Any, Generic, TypeVar, cast

from ..base._narrow import is_str_dict
from ..base.errors import IncompleteStreamError, MirascopeError
from ..base.tool import BaseTool, called_tool, tools_by_name
from ..base.usage import Usage
from .accumulate import Accumulator, merge_usage
from .adapter import Adapter, CallPlan, Request
from .decode import (
    SHAPE_ERRORS,
    check_tool_call,
    decode_response,
    nothing_to_read,
    refused,
    unexpected,
)
from .records import NO_TOOL_DELTAS, Decoded, Delta, ToolCallRecord

ChunkT = TypeVar("ChunkT")
_new = object.__new__
WrapT = TypeVar("WrapT", bound=Delta)
ResponseT = TypeVar("ResponseT")


class StreamRun(Generic[ChunkT]):
    """One stream's state: its SDK source, what accumulated, and the tools completed."""

    __slots__ = (
        "__weakref__",
        "acc",
        "adapter",
        "consumed",
        "decode",
        "decode_text",
        "end_time",
        "offered",
        "on_end",
        "output_call",
        "partial_tools",
        "plan",
        "request",
        "source",
        "start_time",
        "tools",
    )

    def __init__(
        self,
        source: Iterable[ChunkT] | AsyncIterable[ChunkT],
        plan: CallPlan,
        adapter: Adapter[Any, Any, Any, ChunkT],
        request: Request | None = None,
    ) -> None:
        self.source = source
        self.plan = plan
        self.adapter = adapter
        self.request: Request = request if request is not None else {}
        """What ``build_request`` made: the SDK call's arguments."""
        self.start_time = 0.0
        """When iteration began (``time.time()``); 0 until then."""
        self.end_time = 0.0
        """When iteration ended, however it ended; 0 until then."""
        self.decode: Callable[[ChunkT], Delta | str] = adapter.decode_chunk
        # the adapter's text reader, where it has one (the default would only add a call)
        text = adapter.decode_text_chunk if adapter.reads_text_alone else None
        if text is not None and not adapter.text_chunks_name_stream:
            # text chunks that name no model or id: read as text from the first
            self.decode, text = text, None
        self.decode_text = text
        # the accumulator hands it the delta's chunk, which is this stream's ChunkT
        refusal_of = cast("Callable[[object], str | None]", adapter.chunk_refusal)
        usage_of = None
        if adapter.reads_text_alone and adapter.usage_in_text_chunks:
            usage_of = cast("Callable[[object], Usage | None]", adapter.chunk_usage)
        self.acc = Accumulator(refusal_of if adapter.streams_refusals else None, usage_of)
        self.offered = tools_by_name(plan.tools)
        self.tools: list[BaseTool] = []
        self.consumed = False
        self.partial_tools = False
        """Hand out partial tools while their arguments arrive."""
        self.output_call: ToolCallRecord | None = None
        """The forced call of a response model's tool (``tool`` mode), kept unbuilt."""
        self.on_end: Callable[[Usage | None], None] | None = None
        """Called when the loop ends, however it ends (a limiter frees the stream's place),
        with the usage received if the stream came whole, else None."""
        output = plan.output
        if output is not None and output.prefill:
            self.acc.texts.append(output.prefill)

    def start(self, how: str) -> None:
        """Refuse a second iteration, or ``for`` over an async stream (and the reverse)."""
        if self.consumed:
            raise RuntimeError("this stream was already iterated; a stream runs once")
        if how == "sync" and self.plan.is_async:
            raise TypeError("this stream is async (from an async def): use `async for`")
        if how == "async" and not self.plan.is_async:
            raise TypeError("this stream is sync (from a def): use `for`, not `async for`")
        self.consumed = True
        self.start_time = time()

    def streamed(self) -> Decoded:
        """What arrived so far, as the record a whole response would have decoded to."""
        acc = self.acc
        return Decoded(
            acc.content,
            list(acc.done),
            acc.usage,
            list(acc.finish_reasons),
            acc.model,
            acc.id,
            tuple(acc.thinking),
        )

    def assembled(self) -> object:
        """The SDK's whole-response object for what arrived so far."""
        return self.adapter.assemble_response(self.streamed(), self.plan)

    def call_response(self, response_type: Callable[..., ResponseT]) -> ResponseT:
        """The call response a whole (non-streamed) call would have returned, built from
        what the stream delivered."""
        if not self.consumed:
            raise ValueError(
                "this stream has not been iterated yet: iterate it (for / async for) "
                "before constructing its call response"
            )
        raw = self.assembled()
        decoded = decode_response(self.adapter, raw)
        return response_type(raw, self.plan, decoded, self.request, self.start_time, self.end_time)

    def _tool(self, record: ToolCallRecord) -> BaseTool | None:
        check_tool_call(self.adapter, record, record.raw, self.acc.content)
        output = self.plan.output
        if output is not None and output.tool is not None and record.name == output.name:
            self.output_call = record  # the response model's arguments, validated as it
            return None
        tool = called_tool(record.name, record.arguments, record.id, record.raw, self.offered)
        self.tools.append(tool)
        return tool

    def _partials(self, delta: Delta) -> list[BaseTool | None]:
        """Partial tools for the calls this chunk added arguments to (None for a chunk
        whose pieces show nothing yet)."""
        from pydantic_core import from_json

        tools: list[BaseTool | None] = []
        for piece in delta.tool_calls:
            call = self.acc.open.get(piece.key)
            tool_cls = self.offered.get(call.name) if call is not None else None
            if call is None or tool_cls is None or not isinstance(piece.arguments, str):
                continue  # not a call of an offered tool, or arguments that come whole
            if not piece.arguments:
                continue
            try:
                args = from_json("".join(call.parts) or "{}", allow_partial="trailing-strings")
            except ValueError:
                continue  # not readable yet: a later piece completes it
            if is_str_dict(args):
                tools.append(tool_cls.partial(args, delta=piece.arguments, raw=call.raw))
        return tools or [None]

    def _unreadable(self, raw: ChunkT, error: Exception) -> None:
        """Raise for a chunk the adapter could not read (a MirascopeError of its own, such
        as bad tool arguments, goes on as it is)."""
        if not isinstance(error, MirascopeError):
            content = self.acc.content
            raise unexpected(self.adapter, "stream chunk", raw, error, content) from error

    def _check_delta(self, delta: Delta, raw: ChunkT) -> None:
        if delta.lost or delta.whole_text is not None:
            self._check_nothing_lost(delta)
        if type(delta.content) is not str:
            problem = TypeError(f"its text is a {type(delta.content).__name__}, not a string")
            content = self.acc.content
            raise unexpected(self.adapter, "stream chunk", raw, problem, content) from problem

    # The two loops are the same step for step; the step stays inline (a call per chunk
    # would be most of the loop's own cost).

    def iterate(self, wrap: type[WrapT]) -> Iterator[tuple[WrapT, BaseTool | None]]:
        """The sync loop; ``wrap`` is the provider's chunk class."""
        # the adapter's Delta becomes a WrapT by the __class__ assignment in the loop (a
        # plain chunk is made as one)
        # Any: the loop tells a text from a record by its class, with no cast (a call) per
        # chunk
        decode = cast("Callable[[ChunkT], Any]", self.decode)
        reader = cast("Callable[[ChunkT], Any] | None", self.decode_text)
        acc, partial = self.acc, self.partial_tools
        feed, texts = acc.feed, acc.texts
        # what feed would record of a plain chunk besides its text and usage: the stream's
        # model and id, until known (Gemini's chunks name no id: its model settles it)
        has_model = has_id = settled = False
        first = True
        nameless = False  # the first chunk named no id: the stream names none
        model = id_ = None  # the stream's, once settled: a text chunk's (decode_text)
        # the text chunks' usage, left unread: the last one's is read when asked for
        unread = acc.usage_of is not None
        source = cast(Iterable[ChunkT], self.source)
        chunk: WrapT | None = None
        whole = False
        try:
            for raw in source:
                try:
                    decoded = decode(raw)
                except SHAPE_ERRORS as error:
                    self._unreadable(raw, error)
                    raise
                if decoded.__class__ is str:  # a piece of text alone: its chunk made here
                    chunk = _new(wrap)
                    chunk.content = decoded
                    chunk.chunk = raw
                    chunk.tool_calls = NO_TOOL_DELTAS
                    chunk.common_usage = None
                    chunk.finish_reason = None
                    chunk.model = model
                    chunk.id = id_
                    chunk.lost = False
                    chunk.whole_text = None
                    chunk.thinking = ""
                    chunk.signature = None
                    texts.append(decoded)
                    if unread:
                        acc.unread = raw
                    yield chunk, None
                    continue
                delta: WrapT = decoded
                chunk = delta
                # a plain chunk (made as the stream's chunk class) takes the short way
                # once the stream's model and id are known, or as far as it names them
                # (feed would record nothing else of it)
                plain = chunk.__class__ is wrap and (
                    settled or ((has_model or chunk.model is None) and (has_id or chunk.id is None))
                )
                chunk.chunk = raw
                if plain:  # most chunks: what feed would do with them
                    texts.append(chunk.content)
                    usage = chunk.common_usage
                    if usage is not None:
                        # merge_usage inline: a plain usage has all but its cached count
                        old = acc.usage
                        if old is None or usage.cached_tokens or not old.cached_tokens:
                            acc.usage = usage
                        else:
                            acc.usage = merge_usage(old, usage)
                    yield chunk, None
                    continue
                # the record is the user's chunk: one object per chunk, not two
                chunk.__class__ = wrap
                if chunk.lost or chunk.whole_text is not None or type(chunk.content) is not str:
                    self._check_delta(chunk, raw)
                completed = feed(chunk)
                has_model, has_id = acc.model is not None, acc.id is not None
                if first:
                    first, nameless = False, not has_id
                settled = has_model and (has_id or nameless)
                if settled and reader is not None:
                    decode, reader = reader, None
                    model, id_ = acc.model, acc.id
                if completed:
                    for record in completed:
                        yield chunk, self._tool(record)
                elif partial and chunk.tool_calls:
                    for tool in self._partials(chunk):
                        yield chunk, tool
                else:
                    yield chunk, None
            self._check_complete(chunk)
            whole = True
            for record in self.acc.finish():  # a finish reason came: so did a chunk
                yield cast(WrapT, chunk), self._tool(record)
        finally:
            self.end_time = time()
            # however it ends (complete, broken, refused or left early), the SDK's stream
            # is released: some (azure's) keep their response open past the end mark
            close = getattr(self.source, "close", None)
            try:
                if callable(close):
                    close()
            finally:
                if self.on_end is not None:
                    # a stream left or broken off early has no final usage to go by
                    self.on_end(self.acc.usage if whole else None)

    async def aiterate(self, wrap: type[WrapT]) -> AsyncIterator[tuple[WrapT, BaseTool | None]]:
        """The async loop, step for step the sync one."""
        # Any: the loop tells a text from a record by its class, with no cast (a call) per
        # chunk
        decode = cast("Callable[[ChunkT], Any]", self.decode)
        reader = cast("Callable[[ChunkT], Any] | None", self.decode_text)
        acc, partial = self.acc, self.partial_tools
        feed, texts = acc.feed, acc.texts
        # what feed would record of a plain chunk besides its text and usage: the stream's
        # model and id, until known (Gemini's chunks name no id: its model settles it)
        has_model = has_id = settled = False
        first = True
        nameless = False  # the first chunk named no id: the stream names none
        model = id_ = None  # the stream's, once settled: a text chunk's (decode_text)
        # the text chunks' usage, left unread: the last one's is read when asked for
        unread = acc.usage_of is not None
        source = cast(AsyncIterable[ChunkT], self.source)
        chunk: WrapT | None = None
        whole = False
        try:
            async for raw in source:
                try:
                    decoded = decode(raw)
                except SHAPE_ERRORS as error:
                    self._unreadable(raw, error)
                    raise
                if decoded.__class__ is str:  # a piece of text alone: its chunk made here
                    chunk = _new(wrap)
                    chunk.content = decoded
                    chunk.chunk = raw
                    chunk.tool_calls = NO_TOOL_DELTAS
                    chunk.common_usage = None
                    chunk.finish_reason = None
                    chunk.model = model
                    chunk.id = id_
                    chunk.lost = False
                    chunk.whole_text = None
                    chunk.thinking = ""
                    chunk.signature = None
                    texts.append(decoded)
                    if unread:
                        acc.unread = raw
                    yield chunk, None
                    continue
                delta: WrapT = decoded
                chunk = delta
                # a plain chunk (made as the stream's chunk class) takes the short way
                # once the stream's model and id are known, or as far as it names them
                # (feed would record nothing else of it)
                plain = chunk.__class__ is wrap and (
                    settled or ((has_model or chunk.model is None) and (has_id or chunk.id is None))
                )
                chunk.chunk = raw
                if plain:  # most chunks: what feed would do with them
                    texts.append(chunk.content)
                    usage = chunk.common_usage
                    if usage is not None:
                        # merge_usage inline: a plain usage has all but its cached count
                        old = acc.usage
                        if old is None or usage.cached_tokens or not old.cached_tokens:
                            acc.usage = usage
                        else:
                            acc.usage = merge_usage(old, usage)
                    yield chunk, None
                    continue
                # the record is the user's chunk: one object per chunk, not two
                chunk.__class__ = wrap
                if chunk.lost or chunk.whole_text is not None or type(chunk.content) is not str:
                    self._check_delta(chunk, raw)
                completed = feed(chunk)
                has_model, has_id = acc.model is not None, acc.id is not None
                if first:
                    first, nameless = False, not has_id
                settled = has_model and (has_id or nameless)
                if settled and reader is not None:
                    decode, reader = reader, None
                    model, id_ = acc.model, acc.id
                if completed:
                    for record in completed:
                        yield chunk, self._tool(record)
                elif partial and chunk.tool_calls:
                    for tool in self._partials(chunk):
                        yield chunk, tool
                else:
                    yield chunk, None
            self._check_complete(chunk)
            whole = True
            for record in self.acc.finish():  # a finish reason came: so did a chunk
                yield cast(WrapT, chunk), self._tool(record)
        finally:
            self.end_time = time()
            # async SDK streams name it aclose (azure) or close (openai)
            close = getattr(self.source, "aclose", None) or getattr(self.source, "close", None)
            try:
                if callable(close):
                    result = close()
                    if inspect.isawaitable(result):
                        await result
            finally:
                if self.on_end is not None:
                    # a stream left or broken off early has no final usage to go by
                    self.on_end(self.acc.usage if whole else None)

    def _check_nothing_lost(self, delta: Delta) -> None:
        # some SDKs skip (or empty) a stream event they cannot parse and carry on: the
        # answer would come out with a piece missing and nothing said
        content = self.acc.content
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

    def _check_complete(self, last: object) -> None:
        # every vendor ends a whole stream with a finish (stop) reason; an SDK that lets a
        # cut or garbled stream end quietly would otherwise pass off a part as the answer
        acc = self.acc
        if not acc.finish_reasons:
            raise IncompleteStreamError(
                "the stream ended before the vendor marked it complete (no finish reason "
                f"arrived); the {len(acc.content)} characters received so far are in "
                ".content and complete tool calls in .tools",
                content=acc.content,
            )
        if not acc.texts and not acc.done and not acc.open:
            # as a call's response with nothing to read raises, so does such a stream
            raw = getattr(last, "chunk", None)
            if acc.refusals:
                raise refused(self.adapter, "".join(acc.refusals), raw)
            raise nothing_to_read(self.adapter, acc.id, acc.finish_reasons, raw, "stream")
