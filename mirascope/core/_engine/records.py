"""The neutral records adapters decode vendor objects into."""

from __future__ import annotations

from dataclasses import dataclass, field

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


@dataclass(slots=True)
class Delta:
    """What an adapter reads out of one stream chunk."""

    content: str = ""
    tool_calls: tuple[ToolCallDelta, ...] | list[ToolCallDelta] = NO_TOOL_DELTAS
    usage: Usage | None = None
    finish_reason: str | None = None
    model: str | None = None
    id: str | None = None
    lost: bool = False
    """The SDK passed on an event it could not parse, emptied: its content is gone."""
    whole_text: str | None = None
    """The answer's complete text, where the vendor's last event repeats it: a stream
    whose text differs lost events on the way."""
    thinking: str = ""
    """A piece of the model's reasoning."""
    signature: str | None = None
    """The signature that closes a reasoning block (Anthropic, Bedrock, Google)."""
