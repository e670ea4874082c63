"""Reading a vendor's answer, guarded once for every provider: an answer of an unexpected
shape, or one with nothing to read, raises a mirascope error carrying the vendor's object
instead of a bare ``AttributeError`` from deep inside an adapter."""

from __future__ import annotations

from ..base.errors import (
    EmptyResponseError,
    MirascopeError,
    RefusalError,
    UnexpectedResponseError,
)
from .adapter import AnyAdapter
from .records import Decoded, ToolCallRecord

# what reading an object of the wrong shape raises (a missing attribute or key, None where
# a list was expected, a str where a number was)
SHAPE_ERRORS = (AttributeError, TypeError, KeyError, IndexError, ValueError)


def unexpected(
    adapter: AnyAdapter, what: str, raw: object, error: Exception, content: str = ""
) -> UnexpectedResponseError:
    """The error for a ``what`` (response, stream chunk) the adapter could not read."""
    kept = f"; the {len(content)} characters received before are in .content" if content else ""
    return UnexpectedResponseError(
        f"{adapter.name}: the {what} is not shaped as {adapter.name}'s API documents "
        f"({type(error).__name__}: {error}); the vendor's object is in .raw{kept}",
        raw=raw,
        content=content,
    )


def decode_response(adapter: AnyAdapter, raw: object) -> Decoded:
    """The adapter's reading of a whole response, which must hold text or a tool call."""
    try:
        decoded = adapter.decode_response(raw)
    except MirascopeError:
        raise
    except SHAPE_ERRORS as error:
        raise unexpected(adapter, "response", raw, error) from error
    if not decoded.content and not decoded.tool_calls:
        refusal = adapter.refusal(raw)
        if refusal is not None:
            raise refused(adapter, refusal, raw)
        raise nothing_to_read(adapter, decoded.id, decoded.finish_reasons, raw, "response")
    if type(decoded.content) is not str:
        problem = TypeError(f"its text is a {type(decoded.content).__name__}, not a string")
        raise unexpected(adapter, "response", raw, problem) from problem
    for record in decoded.tool_calls:
        check_tool_call(adapter, record, raw)
    return decoded


def check_tool_call(
    adapter: AnyAdapter, record: ToolCallRecord, raw: object, content: str = ""
) -> None:
    """Refuse a tool call that names no tool (a model's unknown name is another error)."""
    if not record.name or type(record.name) is not str:
        problem = ValueError(f"a tool call has no tool name (name: {record.name!r})")
        raise unexpected(adapter, "tool call", raw, problem, content) from problem


def refused(adapter: AnyAdapter, refusal: str, raw: object) -> RefusalError:
    """The error for an answer that is the model's refusal."""
    return RefusalError(
        f"{adapter.name}: the model refused to answer: {refusal!r}; the vendor's object is in .raw",
        refusal=refusal,
        raw=raw,
    )


def nothing_to_read(
    adapter: AnyAdapter, answer_id: object, reasons: list[str], raw: object, what: str
) -> EmptyResponseError:
    """The one error for an answer without any text or tool call."""
    return EmptyResponseError(
        f"{adapter.name}: the {what} {answer_id!r} has no text and no tool call (finish "
        f"reason: {', '.join(map(str, reasons)) or 'none'}); the vendor's object is in .raw",
        raw=raw,
    )
