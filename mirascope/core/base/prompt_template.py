"""``@prompt_template``: a prompt written as a format string over the function's arguments.

A template is compiled once, at decoration, into role segments of pieces: format-string
text, and the placeholders whose spec makes a content part (``{img:image}``,
``{clips:audios}``, ``{:cache_control}``...). Rendering fills them per call."""

from __future__ import annotations

import functools
import inspect
import re
import string
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ParamSpec, Protocol, TypeVar, cast, overload

from ._narrow import is_items
from .errors import MirascopeError
from .messages import BaseMessageParam, CacheControlPart, ContentPart, TextPart

_P = ParamSpec("_P")
_T = TypeVar("_T")
_ROLE_MARK = re.compile(r"(?:^|(?<=\s))(SYSTEM|USER|ASSISTANT|MESSAGES)[ \t]*:")
_FORMATTER = string.Formatter()
TEMPLATE_ATTR = "__mirascope_prompt_template__"
ORIGINAL_ATTR = "__mirascope_original_fn__"
"""On the function ``@prompt_template`` returns: the user's own function, which the call
decorators run (for its dynamic config) instead of the message-building wrapper."""

PART_SPECS = frozenset(
    {
        "text",
        "texts",
        "image",
        "images",
        "audio",
        "audios",
        "document",
        "documents",
        "part",
        "parts",
        "cache_control",
    }
)
"""Format specs that make content parts rather than text."""
_SPEC = re.compile(r"^([a-z_]+)(?:\((.*)\))?$")


class PromptTemplateError(MirascopeError, KeyError):
    """A template placeholder has no value: no argument and no computed field by that name."""

    def __str__(self) -> str:
        return str(self.args[0])


class TemplateFormatError(PromptTemplateError, ValueError):
    """A template that is not a valid format string, or a placeholder whose value cannot
    fill it (``{book.title}`` of a value without ``title``, a bad format spec, ``{x:list}``
    of a value that is not a list)."""


class _ListFormatter(string.Formatter):
    """``{x:list}``: one item a line; ``{x:lists}``: lists of items, a blank line between."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "list":
            if not isinstance(value, list | tuple):
                raise TypeError(f"':list' needs a list, got {type(value).__name__}")
            return "\n".join(str(item) for item in cast(Sequence[Any], value))
        if format_spec == "lists":
            groups = _sequences(value)
            if groups is None:
                raise TypeError(f"':lists' needs a list of lists, got {type(value).__name__}")
            return "\n\n".join("\n".join(str(i) for i in g) for g in groups)
        return super().format_field(value, format_spec)


def _sequences(value: Any) -> list[Sequence[Any]] | None:
    if not isinstance(value, list | tuple):
        return None
    groups: list[Sequence[Any]] = []
    for group in cast(Sequence[Any], value):
        if not isinstance(group, list | tuple):
            return None
        groups.append(cast(Sequence[Any], group))
    return groups


_LIST_FORMATTER = _ListFormatter()


@dataclass(frozen=True, slots=True)
class _Text:
    text: str  # a format string
    fields: tuple[str, ...]  # root names it refers to
    lists: bool  # uses ':list'/':lists' (formatted by _ListFormatter)

    def render(self, values: Mapping[str, Any]) -> str:
        if not self.fields:
            return self.text
        if self.lists:
            return _LIST_FORMATTER.vformat(self.text, (), values)
        return self.text.format_map(values)


@dataclass(frozen=True, slots=True)
class _Part:
    kind: str  # one of PART_SPECS
    field: str  # the placeholder's name ("" for cache_control)
    options: tuple[tuple[str, str], ...]

    @property
    def fields(self) -> tuple[str, ...]:
        return (_root(self.field),) if self.field else ()

    def render(self, values: Mapping[str, Any]) -> list[ContentPart]:
        from . import _media  # loaded by templates that make parts only

        options = dict(self.options)
        kind = self.kind
        if kind == "cache_control":
            return [CacheControlPart(cache_type=options.get("type", "ephemeral"))]
        value = _lookup(values, self.field)
        if kind.endswith("s"):
            if value is None:
                return []
            if not is_items(value):
                raise TypeError(
                    f"'{{{self.field}:{kind}}}' needs a list, got {type(value).__name__}"
                )
            items: list[Any] = list(value)  # duck-checked as parts below, for kind "part"
            kind = kind[:-1]
        else:
            if value is None or (isinstance(value, str | bytes) and not value):
                return []
            items = [value]
        if kind == "text":
            return [TextPart(text=str(v)) for v in items]
        if kind == "image":
            return [_media.image_part(v, options.get("detail")) for v in items]
        if kind == "audio":
            return [_media.audio_part(v) for v in items]
        if kind == "document":
            return [_media.document_part(v) for v in items]
        for v in items:  # "part"
            if not isinstance(getattr(v, "type", None), str) or not hasattr(v, "model_dump"):
                raise TypeError(
                    f"'{{{self.field}:{self.kind}}}' needs content parts (TextPart, "
                    f"ImagePart...), got {type(v).__name__}"
                )
        return items


def _root(field: str) -> str:
    return re.split(r"[.\[]", field, maxsplit=1)[0]


def _lookup(values: Mapping[str, Any], field: str) -> Any:
    # the same attribute/index access a format string allows, for part placeholders
    value, rest = _FORMATTER.get_field(field, (), values)
    del rest
    return value


@dataclass(frozen=True, slots=True)
class _Segment:
    role: str  # "system" | "user" | "assistant" | "messages"
    pieces: tuple[_Text | _Part, ...]
    fields: tuple[str, ...]  # root names the segment refers to
    source: str


@dataclass(frozen=True, slots=True)
class ParsedTemplate:
    """A template split into role segments, each with the names it needs."""

    source: str
    segments: tuple[_Segment, ...]

    @property
    def fields(self) -> frozenset[str]:
        """Every name any segment refers to."""
        return frozenset(f for s in self.segments for f in s.fields)

    def render(
        self, values: Mapping[str, Any], *, where: str = "the prompt template"
    ) -> list[BaseMessageParam | Any]:
        """Fill the placeholders; ``MESSAGES: {name}`` splices a list of messages in."""
        messages: list[BaseMessageParam | Any] = []
        for seg in self.segments:
            missing = [f for f in seg.fields if f not in values]
            if missing:
                raise PromptTemplateError(
                    f"{where} uses {{{missing[0]}}} but no argument or computed field is "
                    f"named {missing[0]!r} (available: {', '.join(sorted(values)) or 'none'}). "
                    "Add a parameter by that name or return it in 'computed_fields'."
                )
            if seg.role == "messages":
                messages.extend(_history(seg, values, where))
                continue
            try:
                message = _message(seg, values)
            except MirascopeError:
                raise
            except (AttributeError, IndexError, KeyError, TypeError, ValueError) as error:
                raise TemplateFormatError(
                    f"{where} could not be filled ({type(error).__name__}: {error}): check "
                    f"each placeholder of {seg.source!r} against the value it names"
                ) from error
            if message is not None:
                messages.append(message)
        return messages


def _history(seg: _Segment, values: Mapping[str, Any], where: str) -> list[Any]:
    if not seg.fields:
        return []
    history = values[seg.fields[0]]
    if not is_items(history):
        raise TemplateFormatError(
            f"{where}: 'MESSAGES: {{{seg.fields[0]}}}' needs a list of messages, got "
            f"{type(history).__name__}"
        )
    return list(history)


def _message(seg: _Segment, values: Mapping[str, Any]) -> BaseMessageParam | None:
    pieces = seg.pieces
    if len(pieces) == 1 and type(pieces[0]) is _Text:  # the common case, kept cheap
        content = pieces[0].render(values)
        return BaseMessageParam(role=seg.role, content=content) if content else None
    parts: list[ContentPart] = []
    for piece in pieces:
        if isinstance(piece, _Text):
            text = piece.render(values).strip()
            if text:
                parts.append(TextPart(text=text))
        else:
            parts.extend(piece.render(values))
    if not parts:
        return None
    if len(parts) == 1 and isinstance(parts[0], TextPart):
        return BaseMessageParam(role=seg.role, content=parts[0].text)
    return BaseMessageParam(role=seg.role, content=parts)


def _escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _compile(role: str, text: str) -> _Segment:
    try:
        parsed = list(_FORMATTER.parse(text))
    except ValueError as error:
        raise TemplateFormatError(
            f"the prompt template {text!r} is not a valid format string ({error}): write a "
            "literal brace as '{{' or '}}'"
        ) from error
    pieces: list[_Text | _Part] = []
    buffer: list[str] = []
    buffer_fields: list[str] = []
    lists = False
    roots: list[str] = []

    def flush() -> None:
        nonlocal lists
        if buffer:
            pieces.append(_Text("".join(buffer), tuple(buffer_fields), lists))
        buffer.clear()
        buffer_fields.clear()
        lists = False

    for literal, field, spec, conversion in parsed:
        buffer.append(_escape(literal))
        if field is None:
            continue
        match = _SPEC.match(spec or "")
        kind = match.group(1) if match else None
        if kind in PART_SPECS and not conversion:
            assert match is not None and kind is not None
            if not field and kind != "cache_control":
                raise TemplateFormatError(
                    f"'{{:{spec}}}' in prompt template {text!r} names no argument: write "
                    f"'{{name:{kind}}}'"
                )
            flush()
            part = _Part(kind, field, _options(match.group(2), text))
            pieces.append(part)
            roots.extend(r for r in part.fields if r not in roots)
            continue
        if not field or field.isdigit():
            raise TemplateFormatError(
                f"positional placeholder '{{{field}}}' in prompt template {text!r}: name the "
                "argument it stands for, as in '{genre}'"
            )
        root = _root(field)
        if root not in roots:
            roots.append(root)
        if root not in buffer_fields:
            buffer_fields.append(root)
        if spec in ("list", "lists"):
            lists = True
        buffer.append(
            "{"
            + field
            + (f"!{conversion}" if conversion else "")
            + (f":{spec}" if spec else "")
            + "}"
        )
    flush()
    if not pieces:
        pieces.append(_Text("", (), False))
    return _Segment(role, tuple(pieces), tuple(roots), text)


def _options(text: str | None, template: str) -> tuple[tuple[str, str], ...]:
    if not text:
        return ()
    out: list[tuple[str, str]] = []
    for option in text.split(","):
        key, sep, value = option.partition("=")
        if not sep:
            raise TemplateFormatError(
                f"option {option.strip()!r} in prompt template {template!r} is not "
                "key=value, as in '{img:image(detail=high)}'"
            )
        out.append((key.strip(), value.strip()))
    return tuple(out)


def parse_template(template: str) -> ParsedTemplate:
    """Split a template at ``SYSTEM:``/``USER:``/``ASSISTANT:``/``MESSAGES:`` marks (at the
    start or after whitespace, as v1 did) and compile each segment into pieces."""
    source = inspect.cleandoc(template)
    marks = list(_ROLE_MARK.finditer(source))
    if not marks:
        return ParsedTemplate(source, (_compile("user", source),))
    segments: list[_Segment] = []
    head = source[: marks[0].start()].strip()
    if head:
        segments.append(_compile("user", head))
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(source)
        text = source[m.end() : end].strip()
        segments.append(_compile(m.group(1).lower(), text))
    return ParsedTemplate(source, tuple(segments))


def _values(
    signature: inspect.Signature, args: tuple[Any, ...], kwargs: dict[str, Any], result: Any
) -> dict[str, Any]:
    bound = signature.bind(*args, **kwargs)
    bound.apply_defaults()
    values = dict(bound.arguments)
    if isinstance(result, Mapping):
        computed: Any = cast(Mapping[str, Any], result).get("computed_fields")
        if isinstance(computed, Mapping):
            values.update(cast(Mapping[str, Any], computed))
    return values


def _wrap(fn: Callable[..., Any], parsed: ParsedTemplate) -> Callable[..., Any]:
    signature = inspect.signature(fn)
    where = f"the prompt template of {fn.__qualname__}()"

    if inspect.iscoroutinefunction(fn):

        async def messages_async(*args: Any, **kwargs: Any) -> list[BaseMessageParam | Any]:
            result = await fn(*args, **kwargs)
            return parsed.render(_values(signature, args, kwargs, result), where=where)

        wrapper: Callable[..., Any] = messages_async
    else:

        def messages(*args: Any, **kwargs: Any) -> list[BaseMessageParam | Any]:
            result = fn(*args, **kwargs)
            return parsed.render(_values(signature, args, kwargs, result), where=where)

        wrapper = messages
    functools.update_wrapper(wrapper, fn)
    setattr(wrapper, TEMPLATE_ATTR, parsed)
    setattr(wrapper, ORIGINAL_ATTR, fn)
    return wrapper


class PromptDecorator(Protocol):
    """What ``prompt_template(...)`` returns: it keeps a function's parameters and makes it
    return its messages; on a ``BasePrompt`` class it sets the class's template."""

    @overload
    def __call__(self, fn: type[_T]) -> type[_T]: ...  # pyright: ignore[reportOverlappingOverload]
    @overload
    def __call__(
        self, fn: Callable[_P, Coroutine[Any, Any, Any]]
    ) -> Callable[_P, Coroutine[Any, Any, list[BaseMessageParam]]]: ...
    @overload
    def __call__(self, fn: Callable[_P, Any]) -> Callable[_P, list[BaseMessageParam]]: ...


def prompt_template(template: str) -> PromptDecorator:
    """Use ``template`` as the prompt of the decorated function (whose body is then ``...``,
    or returns a dynamic config). Placeholders name the function's arguments or its
    ``computed_fields``. Called without a provider's ``call``, the function returns its
    ``list[BaseMessageParam]``; on a ``BasePrompt`` subclass, the template is the class's."""
    parsed = parse_template(template)

    def decorator(fn: Any) -> Any:
        if isinstance(fn, type):
            setattr(fn, TEMPLATE_ATTR, parsed)
            return fn
        return _wrap(fn, parsed)

    return decorator


def template_of(fn: Any) -> ParsedTemplate | None:
    """The parsed template a function (or ``BasePrompt`` class) was decorated with."""
    return getattr(fn, TEMPLATE_ATTR, None)


def original_of(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The user's function under ``@prompt_template``'s wrapper (``fn`` itself if none)."""
    return getattr(fn, ORIGINAL_ATTR, fn)


__all__: Sequence[str] = [
    "PromptDecorator",
    "PromptTemplateError",
    "TemplateFormatError",
    "parse_template",
    "prompt_template",
]
