"""``@prompt_template``: a prompt written as a format string over the function's arguments."""

from __future__ import annotations

import inspect
import re
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from .errors import MirascopeError
from .messages import BaseMessageParam

_F = TypeVar("_F", bound=Callable[..., Any])
_ROLE_MARK = re.compile(r"^[ \t]*(SYSTEM|USER|ASSISTANT|MESSAGES)[ \t]*:", re.MULTILINE)
_FORMATTER = string.Formatter()
TEMPLATE_ATTR = "__mirascope_prompt_template__"


class PromptTemplateError(MirascopeError, KeyError):
    """A template placeholder has no value: no argument and no computed field by that name."""

    def __str__(self) -> str:
        return str(self.args[0])


class TemplateFormatError(PromptTemplateError, ValueError):
    """A template that is not a valid format string, or a placeholder whose value cannot
    fill it (``{book.title}`` of a value without ``title``, a bad format spec)."""


@dataclass(frozen=True, slots=True)
class _Segment:
    role: str  # "system" | "user" | "assistant" | "messages"
    text: str
    fields: tuple[str, ...]  # root names the text refers to


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
                history: Sequence[Any] = values[seg.fields[0]] if seg.fields else []
                messages.extend(history)
                continue
            try:
                content = seg.text.format_map(values) if seg.fields else seg.text
            except (AttributeError, IndexError, KeyError, TypeError, ValueError) as error:
                raise TemplateFormatError(
                    f"{where} could not be filled ({type(error).__name__}: {error}): check "
                    f"each placeholder of {seg.text!r} against the value it names"
                ) from error
            if content:
                messages.append(BaseMessageParam(role=seg.role, content=content))
        return messages


def _field_roots(text: str) -> tuple[str, ...]:
    roots: list[str] = []
    try:
        parsed = list(_FORMATTER.parse(text))
    except ValueError as error:
        raise TemplateFormatError(
            f"the prompt template {text!r} is not a valid format string ({error}): write a "
            "literal brace as '{{' or '}}'"
        ) from error
    for _, field, _, _ in parsed:
        if field is None:
            continue
        if not field or field.isdigit():
            raise TemplateFormatError(
                f"positional placeholder '{{{field}}}' in prompt template {text!r}: name the "
                "argument it stands for, as in '{genre}'"
            )
        root = re.split(r"[.\[]", field, maxsplit=1)[0]
        if root not in roots:
            roots.append(root)
    return tuple(roots)


def parse_template(template: str) -> ParsedTemplate:
    """Split a template at ``SYSTEM:``/``USER:``/``ASSISTANT:``/``MESSAGES:`` marks."""
    source = inspect.cleandoc(template)
    marks = list(_ROLE_MARK.finditer(source))
    if not marks:
        return ParsedTemplate(source, (_Segment("user", source, _field_roots(source)),))
    segments: list[_Segment] = []
    head = source[: marks[0].start()].strip()
    if head:
        segments.append(_Segment("user", head, _field_roots(head)))
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(source)
        text = source[m.end() : end].strip()
        segments.append(_Segment(m.group(1).lower(), text, _field_roots(text)))
    return ParsedTemplate(source, tuple(segments))


def prompt_template(template: str) -> Callable[[_F], _F]:
    """Use ``template`` as the prompt of the decorated function (whose body is then ``...``,
    or returns a dynamic config). Placeholders name the function's arguments or its
    ``computed_fields``."""
    parsed = parse_template(template)

    def decorator(fn: _F) -> _F:
        setattr(fn, TEMPLATE_ATTR, parsed)
        return fn

    return decorator


def template_of(fn: Callable[..., Any]) -> ParsedTemplate | None:
    """The parsed template a function was decorated with, if any."""
    return getattr(fn, TEMPLATE_ATTR, None)


__all__: Sequence[str] = [
    "PromptTemplateError",
    "TemplateFormatError",
    "parse_template",
    "prompt_template",
]
