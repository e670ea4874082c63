"""The neutral records adapters decode vendor objects into."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # base imports this module (its chunk class is a Delta)
    from ..base.usage import Usage


@dataclass(slots=True)
class ToolCallRecord:
    """A complete tool call: arguments as a JSON string or as a dict (vendors differ)."""

    id: str
    name: str
    arguments: str | dict[str, object] | None
    raw: object = None


@dataclass(slots=True)
class Decoded:
    """What an adapter reads out of a vendor's (non-streamed) response."""

    content: str
    tool_calls: list[ToolCallRecord] = field(default_factory=list[ToolCallRecord])
    usage: Usage | None = None
    finish_reasons: list[str] = field(default_factory=list[str])
    model: str | None = None
    id: str | None = None
    thinking: tuple[tuple[str, str | None], ...] = ()
    """The model's reasoning blocks: (text, signature), where the vendor returns them."""


@dataclass(slots=True)
class ToolCallDelta:
    """A piece of a streamed tool call. ``key`` groups the pieces of one call; ``done``
    marks the last piece (otherwise a call closes when another starts or the stream ends)."""

    key: int | str
    id: str | None = None
    name: str | None = None
    arguments: str | dict[str, object] | None = None
    done: bool = False
    raw: object = None


NO_TOOL_DELTAS: tuple[ToolCallDelta, ...] = ()


class Delta:
    """What an adapter reads out of one stream chunk. The stream hands it to the user as
    the chunk itself: the engine makes it an instance of the stream's chunk class (a
    subclass with no fields of its own) and sets ``chunk``, so a chunk costs one object."""

    __slots__ = (
        "chunk",
        "common_usage",
        "content",
        "finish_reason",
        "id",
        "lost",
        "model",
        "signature",
        "thinking",
        "tool_calls",
        "whole_text",
    )

    chunk: Any
    """The vendor's chunk object (set by the engine; typed by the chunk class)."""

    def __init__(
        self,
        content: str = "",
        tool_calls: tuple[ToolCallDelta, ...] | list[ToolCallDelta] = NO_TOOL_DELTAS,
        usage: Usage | None = None,
        finish_reason: str | None = None,
        model: str | None = None,
        id: str | None = None,  # noqa: A002  (the field's name, which adapters pass)
        lost: bool = False,
        whole_text: str | None = None,
        thinking: str = "",
        signature: str | None = None,
    ) -> None:
        self.content = content
        self.tool_calls = tool_calls
        self.common_usage = usage
        """The chunk's token counts (``usage`` in the constructor)."""
        self.finish_reason = finish_reason
        self.model = model
        self.id = id
        self.lost = lost
        """The SDK passed on an event it could not parse, emptied: its content is gone."""
        self.whole_text = whole_text
        """The answer's complete text, where the vendor's last event repeats it: a stream
        whose text differs lost events on the way."""
        self.thinking = thinking
        """A piece of the model's reasoning."""
        self.signature = signature
        """The signature that closes a reasoning block (Anthropic, Bedrock, Google)."""


class PlainDelta(Delta):
    """The class of a plain chunk record (``plain_delta``) for an adapter no provider's
    ``call`` has given its stream's chunk class: the stream loop takes such a record the
    long way, and retypes it."""

    __slots__ = ()


_new = object.__new__
DeltaT = TypeVar("DeltaT", bound=Delta)


def plain_delta(
    cls: type[DeltaT],
    content: str,
    model: str | None,
    id: str | None,  # noqa: A002
    usage: Usage | None = None,
) -> DeltaT:
    """A chunk of text and nothing more but the usage so far: no finish reason, tool calls
    or reasoning, and ``content`` a non-empty string. Most chunks are such (Google's repeat
    the usage in each). Made as ``cls``, the adapter's ``chunk_class`` (the stream's chunk
    class), the stream loop hands it to the user as it is, without the accumulator's
    checks or a retyping. Its usage, when it has one, is the whole usage so far (input and
    output counts and the vendor's record; the cached count may be missing, where the
    stream keeps the last one known).

    Not a call of the class: that runs ``__init__`` through the type's C call and a nested
    interpreter loop, most of what the chunk's object costs on the real path; a function's
    call stays in the running loop."""
    delta = _new(cls)
    delta.content = content
    delta.tool_calls = NO_TOOL_DELTAS
    delta.common_usage = usage
    delta.finish_reason = None
    delta.model = model
    delta.id = id
    delta.lost = False
    delta.whole_text = None
    delta.thinking = ""
    delta.signature = None
    return delta
