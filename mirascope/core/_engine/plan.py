"""No I/O: from the decorator's arguments and what the user's function returned, build the
``CallPlan`` of one call. Shared by every provider, sync and async."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeAlias, TypeVar

from ..base._narrow import is_items, is_mapping, is_str_dict, is_str_mapping
from ..base.dynamic_config import DYNAMIC_CONFIG_KEYS
from ..base.errors import ClientKindError, EmptyPromptError, InvalidCallError, InvalidTextError
from ..base.messages import BaseMessageParam, VendorMessage
from ..base.prompt import metadata_of
from ..base.prompt_template import (
    ParsedTemplate,
    PromptTemplateError,
    original_of,
    template_of,
)
from ..base.tool import BaseTool, as_tool
from .adapter import AnyAdapter, CallPlan
from .clients import default_client
from .output import OutputFormat, OutputMode, make_output, with_instruction
from .policy import CallPolicy, make_policy

if TYPE_CHECKING:
    from ..base.stream import BaseStream
    from .records import Decoded


class Answer(Protocol):
    """What the engine reads of a call response it made (to check a structured answer)."""

    @property
    def content(self) -> str: ...
    @property
    def finish_reasons(self) -> list[str]: ...


AnswerT_co = TypeVar("AnswerT_co", bound=Answer, covariant=True)


class ResponseClass(Protocol[AnswerT_co]):
    """A provider's response class, as the engine calls it. The raw response is the one
    its adapter returned, whose type the engine holds erased (as ``AnyAdapter``'s)."""

    def __call__(
        self,
        response: Any,
        plan: CallPlan,
        decoded: Decoded,
        request: dict[str, object] | None = None,
        start: float = 0.0,
        end: float = 0.0,
    ) -> AnswerT_co: ...


StreamClass: TypeAlias = "type[BaseStream[Any, Any, Any, Any]]"
"""A provider's stream class, as the engine holds it (the vendor's types stay its own)."""


@dataclass(slots=True, frozen=True)
class CallSpec:
    """What the decorator fixed once: checked at decoration time."""

    adapter: AnyAdapter
    model: str
    stream: bool
    tools: tuple[type[BaseTool], ...]
    call_params: dict[str, object]
    """As the decorator gave them (a copy: never mutated)."""
    client: object
    fn: Callable[..., Any]
    """The user's function: a ``def`` returns the prompt, an ``async def`` a coroutine of
    it, which the async driver awaits (so its return type is left open)."""
    is_async: bool
    template: ParsedTemplate | None
    signature: inspect.Signature | None
    param_names: frozenset[str] | None = None
    output: OutputFormat | None = None
    partial_tools: bool = False
    metadata: Mapping[str, object] | None = None
    """What ``@metadata`` attached to the function."""
    output_options: Mapping[str, object] | None = None
    """The structured-output arguments as the decorator was given them (``response_model``,
    ``json_mode``, ``output_parser``, ``output_mode``), to decorate the same function
    again for another provider (``mirascope.retries.fallback``); None without any."""
    policy: CallPolicy | None = None
    """The limiter and timeout around the send step; None (the usual) costs nothing."""

    @property
    def where(self) -> str:
        return f"{self.fn.__qualname__}()"


def make_spec(
    adapter: AnyAdapter,
    fn: Callable[..., object],
    *,
    model: str,
    stream: bool | Mapping[str, object],
    tools: Sequence[type[BaseTool] | Callable[..., object]] | None,
    call_params: Mapping[str, object] | None,
    client: object,
    param_names: frozenset[str] | None = None,
    response_model: object = None,
    json_mode: bool = False,
    output_parser: Callable[[Any], object] | None = None,
    output_mode: OutputMode | None = None,
    limiter: object = None,
    timeout: object = None,
) -> CallSpec:
    """Check the decorator's arguments against the function and freeze them."""
    template = template_of(fn)
    tagged = metadata_of(fn)  # before unwrapping: @metadata may sit above @prompt_template
    fn = original_of(fn)  # under @prompt_template: run the user's function, not the wrapper
    is_async = inspect.iscoroutinefunction(fn)
    signature = inspect.signature(fn) if template is not None else None
    partial_tools = False
    if isinstance(stream, Mapping):
        unknown = sorted(stream.keys() - {"partial_tools"})
        if unknown:
            raise InvalidCallError(
                f"{fn.__qualname__}(): stream takes True or a StreamConfig "
                f"({{'partial_tools': bool}}), not the key(s) {unknown}"
            )
        partial_tools = bool(stream.get("partial_tools"))
        stream = True
    policy = make_policy(adapter, limiter, timeout, f"{fn.__qualname__}()")
    output = output_options = None
    if response_model is not None or json_mode or output_parser or output_mode:
        output_options = {
            "response_model": response_model,
            "json_mode": json_mode,
            "output_parser": output_parser,
            "output_mode": output_mode,
        }
        output = make_output(
            adapter,
            response_model=response_model,
            json_mode=json_mode,
            output_parser=output_parser,
            output_mode=output_mode,
            stream=stream,
            where=f"{fn.__qualname__}()",
        )
    if template is not None and signature is not None:
        _check_template_fields(fn, template, signature)
    converted = as_tools(tools or (), fn.__qualname__)
    for tool in converted:
        tool.parameters_schema()  # an unsupported field type fails now, not mid-call
    spec = CallSpec(
        adapter,
        model,
        stream,
        converted,
        dict(call_params or {}),
        client,
        fn,
        is_async,
        template,
        signature,
        param_names,
        output,
        partial_tools,
        tagged if tagged is not None else metadata_of(fn),
        output_options,
        policy,
    )
    if client is not None:
        check_client(spec, client)
    if call_params:
        check_call_params(spec, call_params)
    return spec


def _check_template_fields(
    fn: Callable[..., object], template: ParsedTemplate, signature: inspect.Signature
) -> None:
    # a function that cannot return a dynamic config (annotated "-> None", or without an
    # annotation and a body of `...`) cannot supply computed fields, so a placeholder that
    # names no parameter is an error now rather than at the first call; any other function
    # may return computed fields: checked per call
    annotation = signature.return_annotation
    if annotation not in (None, "None") and not (
        annotation is inspect.Signature.empty and _returns_none_only(fn)
    ):
        return
    if any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values()):
        return
    missing = sorted(template.fields - signature.parameters.keys())
    if missing:
        raise PromptTemplateError(
            f"the prompt template of {fn.__qualname__}() uses {{{missing[0]}}} but the "
            f"function has no parameter named {missing[0]!r} (parameters: "
            f"{', '.join(signature.parameters) or 'none'}). Add the parameter, or return "
            "it in a dynamic config's 'computed_fields'."
        )


_SETUP_OPS = frozenset(
    {
        "RESUME",
        "NOP",
        "GEN_START",
        "RETURN_GENERATOR",
        "POP_TOP",
        "CACHE",
        "COPY_FREE_VARS",
        "MAKE_CELL",
    }
)


def _returns_none_only(fn: Callable[..., object]) -> bool:
    """Whether ``fn``'s body does nothing but return None (``...``, a docstring, ``pass``)."""
    code = getattr(fn, "__code__", None)
    if code is None:
        return False
    import dis  # decoration time only, for templates of unannotated functions

    ops = [(i.opname, i.argval) for i in dis.get_instructions(code) if i.opname not in _SETUP_OPS]
    return ops in ([("LOAD_CONST", None), ("RETURN_VALUE", None)], [("RETURN_CONST", None)])


def check_call_params(spec: CallSpec, call_params: Mapping[str, object]) -> None:
    """Refuse call params the vendor's SDK does not take, naming the close ones."""
    names = spec.param_names
    if names is None:
        return
    unknown = sorted(call_params.keys() - names)
    if unknown:
        import difflib  # only for this error

        hints = {u: difflib.get_close_matches(u, names, n=1) for u in unknown}
        said = ", ".join(
            f"{u!r}" + (f" (did you mean {h[0]!r}?)" if h else "") for u, h in hints.items()
        )
        raise InvalidCallError(
            f"{spec.where}: {spec.adapter.name} takes no call param {said}; "
            f"its call params are: {', '.join(sorted(names))}"
        )


def check_client(spec: CallSpec, client: object) -> None:
    """Refuse a client of the wrong kind, naming both sides."""
    adapter = spec.adapter
    if not adapter.custom_client:
        raise InvalidCallError(
            f"{adapter.name} has no client object to pass: drop 'client' from "
            f"{spec.where} (configure {adapter.name} through its environment variables)"
        )
    kind = adapter.client_kind(client)
    if kind == "both" or (kind == "async") == spec.is_async:
        return
    fn_kind = "an async function (async def)" if spec.is_async else "a sync function (def)"
    raise ClientKindError(
        f"{spec.where} is {fn_kind} but was given the {kind} client "
        f"{type(client).__module__}.{type(client).__qualname__}; pass "
        f"{'an async' if spec.is_async else 'a sync'} {adapter.name} client or make the "
        f"function {'def' if spec.is_async else 'async def'}"
    )


def _as_messages(value: object, spec: CallSpec) -> list[BaseMessageParam | VendorMessage]:
    if isinstance(value, str):
        return [BaseMessageParam(role="user", content=value)]
    if isinstance(value, BaseMessageParam):
        return [value]
    if is_items(value):
        return list(value)
    raise InvalidCallError(
        f"{spec.where} returned {type(value).__name__}, which is not a prompt: return a "
        "str, a message (Messages.User(...)), a list of messages, or a dynamic config dict"
    )


def _render(
    spec: CallSpec,
    args: tuple[object, ...],
    kwargs: dict[str, object],
    computed: Mapping[str, object] | None,
) -> list[BaseMessageParam | VendorMessage]:
    assert spec.template is not None and spec.signature is not None
    bound = spec.signature.bind(*args, **kwargs)
    bound.apply_defaults()
    values = bound.arguments if not computed else {**bound.arguments, **computed}
    return spec.template.render(values, where=f"the prompt template of {spec.where}")


def build_plan(
    spec: CallSpec, args: tuple[object, ...], kwargs: dict[str, object], result: object
) -> CallPlan:
    """Turn the function's return value into the plan of this one call."""
    tools = spec.tools
    call_params: Mapping[str, object] = spec.call_params
    client = spec.client
    metadata: Mapping[str, object] | None = None
    config: dict[str, object] | None = None
    if is_str_dict(result):
        config = result
        unknown = config.keys() - DYNAMIC_CONFIG_KEYS
        if unknown:
            raise InvalidCallError(
                f"{spec.where} returned a dynamic config with unknown key(s) "
                f"{sorted(unknown)}; the keys are {sorted(DYNAMIC_CONFIG_KEYS)}"
            )
        given = _read_config(config, spec)
        if "messages" in config:
            messages = _as_messages(config["messages"], spec)
        elif spec.template is not None:
            messages = _render(spec, args, kwargs, given.computed_fields)
        else:
            raise InvalidCallError(
                f"{spec.where} returned a dynamic config without 'messages' and has no "
                "@prompt_template: add 'messages' or decorate it with @prompt_template"
            )
        if given.tools is not None:
            tools = as_tools(given.tools, spec.fn.__qualname__)
        if given.call_params is not None:
            check_call_params(spec, given.call_params)
            call_params = {**call_params, **given.call_params}
        metadata = given.metadata
        if config.get("client") is not None:
            client = config["client"]
            check_client(spec, client)
    elif result is None and spec.template is not None:
        messages = _render(spec, args, kwargs, None)
    elif result is None:
        raise InvalidCallError(
            f"{spec.where} returned None: return the prompt (a str, messages, or a dynamic "
            "config), or decorate it with @prompt_template(...)"
        )
    else:
        messages = _as_messages(result, spec)
    if not messages:
        raise EmptyPromptError(
            f"{spec.where}: the prompt has no message to send (an empty list); return at "
            "least one message"
        )
    check_text(messages, call_params, spec)
    if client is None:
        client = default_client(spec.adapter, is_async=spec.is_async)
    model = spec.adapter.model_of(client, spec.model)
    output = spec.output
    if output is not None:
        if output.instruction is not None or output.prefill:
            messages = with_instruction(messages, output)
        if output.tool is not None:
            tools = (*tools, output.tool)
    if spec.metadata is not None:
        metadata = {**spec.metadata, **metadata} if metadata else dict(spec.metadata)
    # the plan keeps references (nothing copied) to what the response's surface reads
    # lazily: fn_args, prompt_template, the decorator's call params, the dynamic config
    return CallPlan(
        model,
        messages,
        tools,
        call_params,
        client,
        spec.is_async,
        {} if metadata is None else metadata,
        output,
        spec,
        args,
        kwargs,
        config,
    )


def check_text(
    messages: Sequence[BaseMessageParam | VendorMessage],
    call_params: Mapping[str, object],
    spec: CallSpec,
) -> None:
    """Refuse text that cannot travel as UTF-8 (a lone surrogate such as "\\ud800") before
    anything is sent: some SDKs would send it escaped, others fail in their encoder."""
    for i, message in enumerate(messages):
        if isinstance(message, BaseMessageParam):
            content = message.content
            if isinstance(content, str):
                if content.isascii():  # the common case, kept cheap
                    continue
                where = f"message {i + 1} ({message.role})"
                _check_value(content, where, spec)
            elif not content:
                raise EmptyPromptError(
                    f"{spec.where}: message {i + 1} ({message.role}) has no content (an "
                    "empty list of parts): give it text or parts, or leave it out"
                )
            else:
                for j, part in enumerate(content):
                    where = f"message {i + 1} ({message.role}), part {j + 1} ({part.type})"
                    _check_value(part.__dict__, where, spec)
        else:  # a vendor's own message dict
            _check_value(message, f"message {i + 1}", spec)
    if call_params:
        for name, value in call_params.items():
            _check_value(value, f"call param {name!r}", spec)


def _check_value(value: object, where: str, spec: CallSpec) -> None:
    if isinstance(value, str):
        if value.isascii():
            return
        try:
            value.encode()
        except UnicodeEncodeError as error:
            raise InvalidTextError(
                f"{spec.where}: {where} holds {value[error.start : error.end]!r} at "
                f"character {error.start}, a lone surrogate, which is not text and cannot be "
                "sent as UTF-8: remove it or decode the source text with errors='replace'"
            ) from None
    elif is_mapping(value):
        for item in value.values():
            _check_value(item, where, spec)
    elif is_items(value):
        for item in value:
            _check_value(item, where, spec)


class _Config(NamedTuple):
    """The dynamic config's values whose type the engine checks, narrowed."""

    tools: Sequence[object] | None
    call_params: Mapping[str, object] | None
    computed_fields: Mapping[str, object] | None
    metadata: Mapping[str, object] | None


def _read_config(config: Mapping[str, object], spec: CallSpec) -> _Config:
    """The config's tools (a list or tuple), call params, computed fields and metadata
    (mappings), each refused when it is of another type."""
    tools = config.get("tools")
    if tools is not None and not is_items(tools):
        raise _config_type_error(spec, "tools", tools, "list or tuple")
    mappings: list[Mapping[str, object] | None] = []
    for key in ("call_params", "computed_fields", "metadata"):
        value = config.get(key)
        if value is not None and not is_str_mapping(value):
            raise _config_type_error(spec, key, value, "Mapping")
        mappings.append(value)
    return _Config(tools, *mappings)


def _config_type_error(spec: CallSpec, key: str, value: object, kinds: str) -> InvalidCallError:
    return InvalidCallError(
        f"{spec.where} returned a dynamic config whose {key!r} is a "
        f"{type(value).__name__}; it must be a {kinds}"
    )


def as_tools(tools: Sequence[object], where: str) -> tuple[type[BaseTool], ...]:
    """The tool classes of ``tools``, whose names the model must be able to tell apart."""
    converted = tuple(as_tool(t) for t in tools)
    if len(converted) > 1:
        names = [t.tool_name() for t in converted]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise InvalidCallError(
                f"{where}(): more than one tool is named {twice[0]!r}; the model calls tools "
                "by name, so each must have its own (pass each tool once)"
            )
    return converted
