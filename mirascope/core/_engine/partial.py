"""Streamed structured output: partial response models while the JSON arrives, the
validated model at the end."""

from __future__ import annotations

import typing
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeGuard, TypeVar, cast

from .output import OutputFormat, check_complete, json_text, output_text, validate

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ..base.stream import BaseStream
    from .accumulate import OpenCall
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

    def _reader(self) -> Callable[[], T | None]:
        """A function run after each chunk: the partial model of what arrived so far, or
        None when nothing new arrived or it does not validate yet. What it needs is looked
        up here, once per stream: it runs per chunk."""
        run, output = self._run, self._output
        acc, name, unwrap = run.acc, output.name, output.unwrap
        validator = self._partial.__pydantic_validator__
        # the text straight to the model's validator: one Rust call parses the half-received
        # JSON (an open string shows as far as it came) and validates it as JSON, as the
        # final model is
        validate_json, validate_python = validator.validate_json, validator.validate_python
        seen: str | dict[str, object] = ""
        texts = acc.texts

        def read_text() -> T | None:
            nonlocal seen
            # acc.content, inline (it runs per chunk): the pieces so far joined into one
            if len(texts) > 1:
                text = "".join(texts)
                texts[:] = (text,)
            elif texts:
                text = texts[0]
            else:
                return None  # no text yet
            if text == seen:
                return None  # this chunk added no text (usage, a finish reason...)
            seen = text
            text = text.strip()
            if text[:1] not in "{[":
                text = json_text(text)  # prose or a code fence around the JSON
            try:
                value = validate_json(text, allow_partial="trailing-strings")
            except ValueError:  # pydantic's ValidationError is one
                return None  # not yet readable: a later chunk completes it
            # a partial model stands for T (the model's subclass, or its wrapper's value);
            # pydantic's result is untyped, so no cast is needed (none runs per chunk)
            return value.value if unwrap else value

        open_calls = acc.open
        call: OpenCall | None = None  # the response model's call, once it opened

        def read_tool() -> T | None:
            nonlocal seen, call
            done = run.output_call
            if done is not None:
                text: str | dict[str, object] = done.arguments or ""
            else:
                if call is None:
                    call = next((c for c in open_calls.values() if c.name == name), None)
                    if call is None:
                        return None  # not begun yet (text before the call, or nothing)
                text = call.whole if call.whole is not None else call.text
            if text == seen:
                return None  # this chunk added nothing to the arguments
            seen = text
            try:
                if isinstance(text, str):
                    text = text.strip()
                    if text[:1] not in "{[":
                        text = json_text(text)
                    value = validate_json(text, allow_partial="trailing-strings")
                else:
                    value = validate_python(text)
            except ValueError:
                return None
            return value.value if unwrap else value

        return read_tool if output.mode == "tool" else read_text

    def _finish(self) -> T:
        run = self._run
        output, acc = self._output, run.acc
        check_complete(output, acc.finish_reasons, acc.content, self.stream)
        calls = [run.output_call] if run.output_call is not None else []
        value = cast(T, validate(output, output_text(output, acc.content, calls), self.stream))
        self.output = value
        return value

    def __iter__(self) -> Iterator[T]:
        read = self._reader()
        for _chunk, _tool in self.stream:
            value = read()
            if value is not None:
                yield value
        yield self._finish()

    async def _aiterate(self) -> AsyncIterator[T]:
        read = self._reader()
        async for _chunk, _tool in self.stream:
            value = read()
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
