"""Streamed structured output: partial response models while the JSON arrives, the
validated model at the end."""

from __future__ import annotations

import typing
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeGuard, TypeVar, cast

from .output import OutputFormat, check_complete, json_text, output_text, validate

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ..base.stream import BaseStream
    from .streaming import StreamRun

T = TypeVar("T")

_partials: dict[type[BaseModel], type[BaseModel]] = {}


def partial_model(model: type[BaseModel]) -> type[BaseModel]:
    """A subclass of ``model`` whose fields (and nested models' fields) may be missing:
    what a half-received JSON object validates into. Made once per model."""
    made = _partials.get(model)
    if made is not None:
        return made
    from pydantic import create_model

    fields: dict[str, Any] = {}  # annotations made at run time, as create_model takes them
    for name, info in model.model_fields.items():
        annotation = _partial_annotation(info.annotation)
        fields[name] = (typing.Optional[annotation], None)  # noqa: UP045 (a run-time form)
    made = create_model(f"Partial{model.__name__}", __base__=model, **fields)
    _partials[model] = made
    return made


def _partial_annotation(annotation: object) -> object:
    """``annotation`` (a run-time type form, as pydantic reads it) with partial models."""
    if _is_model(annotation):
        return partial_model(annotation)
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (list, typing.List) and args:  # noqa: UP006
        item = _partial_annotation(args[0])
        return list[item]
    return annotation


def _is_model(annotation: object) -> TypeGuard[type[BaseModel]]:
    from pydantic import BaseModel

    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


class StructuredStream(Generic[T]):
    """A stream of a response model: iterate it (``for`` or ``async for``, matching the
    function) for partial models as the JSON arrives; the last item is the complete,
    validated model. ``stream`` is the provider's stream (content, usage, ...)."""

    __slots__ = ("_output", "_partial", "output", "stream")

    def __init__(self, output: OutputFormat, stream: BaseStream[Any]) -> None:
        self._output = output
        self.stream = stream
        """The provider's stream: ``content``, ``usage``, ``finish_reasons``..."""
        self.output: T | None = None
        """The complete model, once the stream has ended."""
        target = output.target
        assert target is not None
        self._partial = partial_model(target)

    @property
    def _run(self) -> StreamRun[object]:
        return self.stream._run  # pyright: ignore[reportPrivateUsage]

    def _text(self) -> str | dict[str, object]:
        """What has arrived of the JSON so far."""
        run = self._run
        if self._output.mode != "tool":
            return run.acc.content
        if run.output_call is not None:
            return run.output_call.arguments or ""
        for call in run.acc.open.values():
            if call.name == self._output.name:
                return call.whole if call.whole is not None else "".join(call.parts)
        return ""

    def _read(self, seen: list[str | dict[str, object]]) -> T | None:
        """The partial model of what arrived, if it changed and validates."""
        text = self._text()
        if text == seen[0]:
            return None
        seen[0] = text
        from pydantic import ValidationError
        from pydantic_core import from_json

        try:
            data = (
                from_json(json_text(text), allow_partial="trailing-strings")
                if isinstance(text, str)
                else text
            )
            if not isinstance(data, dict):
                return None
            value = self._partial.model_validate(data)
        except (ValueError, ValidationError):
            return None  # not yet readable: a later chunk completes it
        # a partial model stands for T (the model's subclass, or its wrapper's value):
        # what pydantic validated is not a T to pyright, and no check could say it is
        return cast(T, getattr(value, "value") if self._output.unwrap else value)  # noqa: B009

    def _finish(self) -> T:
        run = self._run
        output, acc = self._output, run.acc
        check_complete(output, acc.finish_reasons, acc.content, self.stream)
        calls = [run.output_call] if run.output_call is not None else []
        value = cast(T, validate(output, output_text(output, acc.content, calls), self.stream))
        self.output = value
        return value

    def __iter__(self) -> Iterator[T]:
        seen: list[str | dict[str, object]] = [""]
        for _chunk, _tool in self.stream:
            value = self._read(seen)
            if value is not None:
                yield value
        yield self._finish()

    async def _aiterate(self) -> AsyncIterator[T]:
        seen: list[str | dict[str, object]] = [""]
        async for _chunk, _tool in self.stream:
            value = self._read(seen)
            if value is not None:
                yield value
        yield self._finish()

    def __aiter__(self) -> AsyncIterator[T]:
        return self._aiterate()


def structured_stream(
    output: OutputFormat, stream: BaseStream[Any]
) -> BaseStream[Any] | StructuredStream[object]:
    """The stream a call returns under its output format."""
    if output.target is None:
        return stream  # JSON mode alone: the text streams as it is
    return StructuredStream[object](output, stream)
