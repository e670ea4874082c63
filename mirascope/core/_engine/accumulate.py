"""The one stream state machine: text and tool-call deltas in, complete tool calls out.
Every provider's stream runs through it; no adapter keeps stream state of its own."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..base.usage import Usage
from .records import Delta, ToolCallDelta, ToolCallRecord

_NONE: tuple[ToolCallRecord, ...] = ()


class OpenCall:
    __slots__ = ("id", "name", "parts", "raw", "whole")

    def __init__(self) -> None:
        self.id = ""
        self.name = ""
        self.parts: list[str] = []
        self.whole: dict[str, object] | None = None
        self.raw: object = None

    @property
    def text(self) -> str:
        """The arguments' text so far; its pieces joined into one, as they are read per
        chunk (partial models): each read then joins one new piece, not all of them."""
        parts = self.parts
        if len(parts) > 1:
            parts[:] = ["".join(parts)]
        return parts[0] if parts else ""

    def record(self) -> ToolCallRecord:
        args = self.whole if self.whole is not None else self.text
        return ToolCallRecord(self.id, self.name, args, self.raw)


class Accumulator:
    """Collects a stream: text so far, tool calls (complete and open), usage, finish."""

    __slots__ = (
        "_usage",
        "done",
        "finish_reasons",
        "id",
        "model",
        "open",
        "refusal_of",
        "refusals",
        "texts",
        "thinking",
        "unread",
        "usage_of",
    )

    def __init__(
        self,
        refusal_of: Callable[[object], str | None] | None = None,
        usage_of: Callable[[object], Usage | None] | None = None,
    ) -> None:
        self.texts: list[str] = []
        self.refusal_of = refusal_of
        """The adapter's ``chunk_refusal`` (a vendor that streams refusals), else None."""
        self.refusals: list[str] = []
        self.open: dict[int | str, OpenCall] = {}
        self.done: list[ToolCallRecord] = []
        self._usage: Usage | None = None
        self.unread: object = None
        """The last chunk whose usage is not read yet (the stream loop sets it for the text
        chunks of a vendor that repeats the usage in each: ``usage`` reads it when asked)."""
        self.usage_of = usage_of
        """The adapter's ``chunk_usage``, where its text chunks carry the usage, else None."""
        self.finish_reasons: list[str] = []
        self.model: str | None = None
        self.id: str | None = None
        self.thinking: list[tuple[str, str | None]] = []
        """Reasoning blocks so far: (text, signature); the last one is open until signed."""

    @property
    def usage(self) -> Usage | None:
        """The usage so far, the last unread chunk's merged in first."""
        raw = self.unread
        if raw is not None and self.usage_of is not None:
            self.unread = None
            usage = self.usage_of(raw)
            if usage is not None:
                self._usage = merge_usage(self._usage, usage)
        return self._usage

    @usage.setter
    def usage(self, usage: Usage | None) -> None:
        self._usage = usage

    @property
    def content(self) -> str:
        if len(self.texts) > 1:
            self.texts[:] = ["".join(self.texts)]
        return self.texts[0] if self.texts else ""

    def feed(self, delta: Delta) -> Sequence[ToolCallRecord]:
        """Take one chunk's delta; return the tool calls it completed."""
        # run for every chunk: most carry text alone, so the rarer fields are tested
        # before anything is done with them
        if delta.content:
            self.texts.append(delta.content)
        elif self.refusal_of is not None and not delta.tool_calls:
            # a refusal streams in chunks without text (read off the vendor's chunk,
            # which the stream loop set before feeding the delta)
            piece = self.refusal_of(delta.chunk)
            if piece:
                self.refusals.append(piece)
        # not elif: Gemini signs its reasoning on the answer's last text (or call) part
        if delta.thinking or delta.signature is not None:
            self._think(delta.thinking, delta.signature)
        if self.model is None:
            self.model = delta.model
        if self.id is None:
            self.id = delta.id
        if delta.common_usage is not None:
            self.usage = merge_usage(self.usage, delta.common_usage)
        completed = self._pieces(delta.tool_calls) if delta.tool_calls else None
        if delta.finish_reason is not None:
            self.finish_reasons.append(delta.finish_reason)
            if self.open:
                completed = (completed or []) + self._close_all()
        return completed or _NONE

    def _pieces(self, pieces: Sequence[ToolCallDelta]) -> list[ToolCallRecord] | None:
        completed: list[ToolCallRecord] | None = None
        for piece in pieces:
            call = self.open.get(piece.key)
            if call is None:
                if piece.done and piece.id is None and piece.name is None:
                    continue  # the end of a block that was not a tool call (e.g. text)
                # a new call closes the ones before it (vendors stream calls one by one)
                if self.open:
                    completed = (completed or []) + self._close_all()
                call = self.open[piece.key] = OpenCall()
            if piece.id:
                call.id = piece.id
            if piece.name:
                call.name = piece.name
            if piece.raw is not None:
                call.raw = piece.raw
            if isinstance(piece.arguments, str):
                call.parts.append(piece.arguments)
            elif piece.arguments is not None:
                call.whole = piece.arguments
            if piece.done:
                del self.open[piece.key]
                record = call.record()
                self.done.append(record)
                completed = (completed or []) + [record]
        return completed

    def _think(self, text: str, signature: str | None) -> None:
        blocks = self.thinking
        if blocks and blocks[-1][1] is None:  # the open block goes on
            text = blocks[-1][0] + text
            blocks[-1] = (text, signature)
        else:
            blocks.append((text, signature))

    def finish(self) -> Sequence[ToolCallRecord]:
        """The stream ended: close whatever calls are still open."""
        return self._close_all() if self.open else _NONE

    def _close_all(self) -> list[ToolCallRecord]:
        records = [c.record() for c in self.open.values()]
        self.open.clear()
        self.done.extend(records)
        return records


def merge_usage(old: Usage | None, new: Usage) -> Usage:
    # vendors split usage across events (input at the start, output at the end)
    if old is None or (
        # nothing of the old to keep (Gemini repeats the whole usage in every chunk)
        (new.input_tokens is not None or old.input_tokens is None)
        and (new.output_tokens is not None or old.output_tokens is None)
        and (new.cached_tokens is not None or old.cached_tokens is None)
        and (new.raw is not None or old.raw is None)
    ):
        return new
    return Usage(
        new.input_tokens if new.input_tokens is not None else old.input_tokens,
        new.output_tokens if new.output_tokens is not None else old.output_tokens,
        new.cached_tokens if new.cached_tokens is not None else old.cached_tokens,
        new.raw if new.raw is not None else old.raw,
    )
