"""Structured output as one stage of the plan: ``response_model``, ``json_mode`` and
``output_parser`` resolve at decoration into an ``OutputFormat``, which the adapter only
encodes into its request; reading the model out of an answer is written once, here."""

from __future__ import annotations

import enum
import inspect
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, cast, get_args, get_origin

from ..base.errors import InvalidCallError, TruncatedOutputError
from ..base.messages import BaseMessageParam, VendorMessage
from ..base.tool import BaseTool
from .records import Decoded, ToolCallRecord
from .schemas import Schema, UnsupportedSchemaError

if TYPE_CHECKING:
    from pydantic import BaseModel

    from .adapter import AnyAdapter, CallPlan
    from .plan import Answer, ResponseClass

OutputMode = Literal["strict", "json", "tool"]
"""How a response model is asked for: the vendor's native JSON-schema mode (``strict``),
JSON mode plus the schema in the prompt (``json``), or a forced call of a tool whose
parameters are the model (``tool``)."""

# finish reasons that mean the output was cut at the token limit, as each vendor spells them
TRUNCATED = frozenset({"length", "max_tokens", "MAX_TOKENS", "model_length", "max_output_tokens"})

_NAME = re.compile(r"[^a-zA-Z0-9_-]+")


@dataclass(frozen=True, slots=True)
class OutputFormat:
    """What a call's output must be, resolved once at decoration."""

    mode: OutputMode | None
    """None for ``output_parser`` alone."""
    json_mode: bool
    """The answer's text must be JSON (``json_mode=True``, or mode ``json``)."""
    target: type[BaseModel] | None
    """The pydantic model the answer validates against (a wrapper for a primitive)."""
    unwrap: bool
    """``target`` wraps a primitive type: the result is its ``value`` field."""
    name: str
    schema: Schema | None
    """The vendor's form of the schema (``strict`` mode), or pydantic's (instructions)."""
    tool: type[BaseTool] | None
    """The tool the model is made to call (``tool`` mode)."""
    instruction: str | None
    """Text added to the last user message where the vendor has no native mode."""
    prefill: str
    """The start of the answer written for the model (the vendor continues it)."""
    parser: Callable[[Any], object] | None
    """The user's ``output_parser``: its parameter is the response (or model) type it
    declared, which the engine cannot name, so it is called as it was given."""
    built: dict[object, object] = field(
        default_factory=dict[object, object], compare=False, repr=False
    )
    """The SDK objects an adapter made from this output for its requests (a schema in the
    SDK's own model, a forced tool choice), by the adapter's own keys: an output lives as
    long as its decorated function, so each is made once and reused by every call, never
    changed (the SDKs copy them into their requests)."""


def _wrapped(response_model: object) -> tuple[type[BaseModel], bool]:
    """The pydantic model to validate against; primitives and containers get a wrapper
    model with one ``value`` field."""
    from pydantic import BaseModel, create_model

    annotation: Any = response_model  # a type form (list[str], Literal[...]) pydantic reads
    if isinstance(response_model, type) and issubclass(response_model, BaseModel):
        return response_model, False
    if isinstance(response_model, type) and issubclass(response_model, BaseTool):
        return response_model, False
    origin = get_origin(response_model)
    if isinstance(response_model, type) and issubclass(response_model, enum.Enum):
        base = response_model.__name__
    elif origin is not None:
        inner = "_".join(getattr(a, "__name__", str(a)) for a in get_args(response_model))
        base = f"{getattr(origin, '__name__', 'value')}_{inner}"
    else:
        base = str(getattr(annotation, "__name__", "value"))
    name = _NAME.sub("_", base).strip("_")[:60] or "value"
    try:
        return create_model(name, value=(annotation, ...)), True
    except Exception as exc:  # pydantic raises several kinds for a non-type
        raise InvalidCallError(
            f"response_model must be a pydantic model or a type pydantic can validate "
            f"(str, int, list[str], Literal[...], an Enum...), not {response_model!r} ({exc})"
        ) from exc


def _format_tool(name: str, description: str, schema: Schema) -> type[BaseTool]:
    """A tool whose parameters are the response model: encoded like any tool, never built
    (its arguments validate against the response model itself)."""
    namespace: dict[str, object] = {
        "__doc__": description,
        "__module__": __name__,
        "tool_name": classmethod(lambda cls: name),
        "parameters_schema": classmethod(lambda cls: schema),
    }
    return cast(type[BaseTool], type(name, (BaseTool,), namespace))


def config_mode(target: type[BaseModel]) -> OutputMode | None:
    """The mode a response model asks for in its ``model_config``
    (``ResponseModelConfigDict``): ``output_mode``, or v1's ``strict=True``."""
    config: Mapping[str, object] = target.model_config
    mode = config.get("output_mode")
    if mode is not None:
        return cast(OutputMode, mode)
    if config.get("strict") is True:
        return "strict"
    return None


def make_output(
    adapter: AnyAdapter,
    *,
    response_model: object,
    json_mode: bool,
    output_parser: Callable[[Any], object] | None,
    output_mode: OutputMode | None,
    stream: bool,
    where: str,
) -> OutputFormat | None:
    """Resolve the decorator's output arguments (None when there are none)."""
    if output_parser is not None and stream:
        raise InvalidCallError(
            f"{where}: output_parser takes a whole response, and stream=True hands out "
            "chunks: parse stream.content after the loop, or use response_model for "
            "partial objects while the stream runs"
        )
    if response_model is None:
        if output_mode is not None:
            raise InvalidCallError(f"{where}: output_mode needs a response_model")
        if not json_mode and output_parser is None:
            return None
        if output_parser is not None and not callable(output_parser):
            raise InvalidCallError(f"{where}: output_parser must be a function")
        if output_parser is not None and inspect.iscoroutinefunction(output_parser):
            raise InvalidCallError(f"{where}: output_parser must be a plain def, not async")
        if not json_mode:
            return OutputFormat(None, False, None, False, "", None, None, None, "", output_parser)
        native = "json" in adapter.output_modes
        return OutputFormat(
            "json",
            True,
            None,
            False,
            "",
            None,
            None,
            None if native else JSON_ONLY,
            "" if native else adapter.json_prefill,
            output_parser,
        )
    target, unwrap = _wrapped(response_model)
    name = target.__name__
    mode: OutputMode | None = output_mode or (
        "json" if json_mode else None
    )  # the call's choice first
    if mode is None:
        mode = config_mode(target)
    if mode is None:
        mode = "strict" if "strict" in adapter.output_modes else "tool"
    if mode not in ("strict", "json", "tool"):
        raise InvalidCallError(f"{where}: output_mode must be 'strict', 'json' or 'tool'")
    schema = _schema(target, unwrap)
    if mode == "strict":
        vendor = None
        if "strict" in adapter.output_modes:
            try:
                vendor = adapter.vendor_schema(schema)
            except UnsupportedSchemaError:
                vendor = None  # the vendor cannot express it: a forced tool call can
        if vendor is None:
            mode = "tool"
        else:
            return OutputFormat(
                "strict", True, target, unwrap, name, vendor, None, None, "", output_parser
            )
    if mode == "tool":
        description = _description(target, unwrap, name)
        tool = _format_tool(name, description, schema)
        return OutputFormat(
            "tool", False, target, unwrap, name, schema, tool, None, "", output_parser
        )
    import json

    native = "json" in adapter.output_modes
    instruction = (
        f"{'' if native else JSON_ONLY + ' '}Respond with a JSON object that matches this "
        f"JSON schema (the data, not the schema):\n{json.dumps(schema, indent=2)}"
    )
    return OutputFormat(
        "json",
        True,
        target,
        unwrap,
        name,
        schema,
        None,
        instruction,
        "" if native else adapter.json_prefill,
        output_parser,
    )


JSON_ONLY = "Answer with JSON only: no text before or after it, no code fences."


def _schema(target: type[BaseModel], unwrap: bool) -> Schema:
    if issubclass(target, BaseTool):
        return target.parameters_schema()
    try:
        schema = target.model_json_schema()
    except Exception as exc:  # pydantic raises several kinds here
        raise InvalidCallError(
            f"response_model {target.__name__} has a field whose type cannot be described "
            f"as JSON schema ({exc}); use JSON-compatible types"
        ) from exc
    schema.pop("title", None)
    return schema


def _description(target: type[BaseModel], unwrap: bool, name: str) -> str:
    doc = None if unwrap else target.__doc__
    if doc and doc is not getattr(BaseTool, "__doc__", None):
        return inspect.cleandoc(doc)
    return f"Respond with {name}: call this tool with the answer as its arguments."


def with_instruction(
    messages: list[BaseMessageParam | VendorMessage], output: OutputFormat
) -> list[BaseMessageParam | VendorMessage]:
    """The plan's messages with the output's instruction and prefill added."""
    out = list(messages)
    text = output.instruction
    if text is not None:
        last = out[-1] if out else None
        if (
            isinstance(last, BaseMessageParam)
            and last.role == "user"
            and isinstance(last.content, str)
        ):
            out[-1] = BaseMessageParam(role="user", content=f"{last.content}\n\n{text}")
        else:
            out.append(BaseMessageParam(role="user", content=text))
    if output.prefill:
        out.append(BaseMessageParam(role="assistant", content=output.prefill))
    return out


def json_text(text: str) -> str:
    """The JSON in a model's text: as it is, or the outermost object or array when the
    model wrapped it in prose or a code fence."""
    stripped = text.strip()
    if stripped[:1] in ("{", "["):
        return stripped
    starts = [i for i in (stripped.find("{"), stripped.find("[")) if i >= 0]
    if not starts:
        return stripped
    start = min(starts)
    end = stripped.rfind("}" if stripped[start] == "{" else "]")
    return stripped[start : end + 1] if end > start else stripped[start:]


def output_text(
    output: OutputFormat, content: str, tool_calls: Sequence[ToolCallRecord]
) -> str | dict[str, object]:
    """What the model answered for the response model: its text, or the arguments of the
    forced tool call."""
    if output.mode == "tool":
        for record in tool_calls:
            if record.name == output.name:
                args = record.arguments
                return args if args is not None else ""
        return content  # no call of the tool: validation says what is missing
    return json_text(content) if output.mode == "json" else content


def check_complete(
    output: OutputFormat, reasons: Sequence[object], content: str, response: object
) -> None:
    """Refuse an answer cut at the token limit: its JSON would be half a model."""
    cut = [r for r in reasons if str(r) in TRUNCATED or str(r).endswith("MAX_TOKENS")]
    if cut:
        raise TruncatedOutputError(
            f"the answer stopped at the token limit (finish reason {cut[0]!r}) before the "
            f"{output.name} was complete; raise max_tokens or ask for less. The partial "
            "output is in .output and the call response in .response",
            output=content,
            response=response,
        )


def validate(output: OutputFormat, raw: str | dict[str, object], response: object) -> object:
    """The validated response model (or primitive); pydantic's ``ValidationError`` as v1
    raised it, carrying ``.response`` (the call response) and ``.output`` (what was read)."""
    from pydantic import ValidationError

    target = output.target
    assert target is not None
    try:
        if isinstance(raw, str):
            value = target.model_validate_json(raw or "{}")
        else:
            value = target.model_validate(raw)
    except ValidationError as error:
        error.response = response  # type: ignore[attr-defined]
        error.output = raw  # type: ignore[attr-defined]
        raise
    if output.unwrap:
        return getattr(value, "value")  # noqa: B009 (the wrapper model's one field, made at run time)
    setattr(value, "_response", response)  # noqa: B010 (v1's handle back to the call response)
    return value


def finish_call(
    output: OutputFormat,
    response_cls: ResponseClass[Answer],
    raw: object,
    plan: CallPlan,
    decoded: Decoded,
) -> Any:  # what the decorated function is declared to return: its overload's, unnamed here
    """A call's result under its output format: the response, parsed or validated."""
    if output.prefill:
        decoded.content = output.prefill + decoded.content
    response = response_cls(raw, plan, decoded)
    if output.target is None:
        return output.parser(response) if output.parser is not None else response
    check_complete(output, response.finish_reasons, response.content, response)
    value = validate(output, output_text(output, decoded.content, decoded.tool_calls), response)
    return output.parser(value) if output.parser is not None else value
