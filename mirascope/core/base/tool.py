"""``BaseTool``: a tool the model may call, defined as a pydantic model (or a function)."""

from __future__ import annotations

import inspect
import json
import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError, create_model
from typing_extensions import Self, TypedDict

from .errors import InvalidCallError, ToolArgumentsError, UnknownToolError


class ToolConfig(TypedDict, total=False):
    """Vendor settings of a tool; each provider's ``<Provider>ToolConfig`` adds its keys."""


_FN_ATTR = "__mirascope_fn__"
_ID, _RAW, _DELTA = "_tool_call_id", "_tool_call", "_delta"


class _CallId:
    """``tool.id``: the id the model gave the call. A non-data descriptor that hides from
    the class, so that a tool with a field named ``id`` keeps its field (the instance's
    value wins) and pydantic sees no parent attribute to warn about."""

    def __get__(self, instance: BaseTool | None, owner: type[BaseTool]) -> str:
        if instance is None:
            raise AttributeError("id")
        return instance.tool_call_id


class BaseTool(BaseModel):
    """A tool: its fields are the arguments the model fills, its docstring the description
    the model reads, and ``call()`` (sync or async) what running it does."""

    model_config = ConfigDict(arbitrary_types_allowed=True, defer_build=True)

    tool_config: ClassVar[ToolConfig] = {}
    """Vendor settings of this tool (``OpenAIToolConfig(strict=True)``,
    ``AnthropicToolConfig(cache_control=...)``); vendors that have no such setting ignore
    it."""

    # The call's id and the provider's record live in ``__pydantic_private__``, set by
    # ``from_arguments``, not in declared private attributes: pydantic initializes those
    # in Python on every instance, which costs more than validating the arguments.
    _schema_cache: ClassVar[dict[type[BaseTool], dict[str, Any]]] = {}

    __custom_name__: ClassVar[str] = ""
    """Set to give the tool another name than its class's (v1's hook)."""

    if TYPE_CHECKING:  # at run time a descriptor (see _CallId): a field named id wins

        @property
        def id(self) -> str:
            """The id the provider gave this call ("" for a tool built by hand)."""
            ...

    @classmethod
    def tool_name(cls) -> str:
        """The name the model calls this tool by: ``__custom_name__``, else the class's."""
        return cls.__custom_name__ or cls.__name__

    @classmethod
    def _name(cls) -> str:
        """v1's name for ``tool_name()``."""
        return cls.tool_name()

    @classmethod
    def _description(cls) -> str:
        """v1's name for ``tool_description()``."""
        return cls.tool_description()

    @classmethod
    def tool_schema(cls) -> Any:
        """The tool as a provider sends it. On ``BaseTool``: the neutral form
        ``{"name", "description", "parameters"}``; each provider's tool class
        (``OpenAITool``, ``AnthropicTool``...) returns its vendor's own encoding."""
        return {
            "name": cls.tool_name(),
            "description": cls.tool_description(),
            "parameters": cls.parameters_schema(),
        }

    @classmethod
    def tool_description(cls) -> str:
        """The class docstring; a neutral description when there is none."""
        doc = cls.__doc__
        if doc and doc is not BaseTool.__doc__:
            return inspect.cleandoc(doc)
        return f"Call {cls.tool_name()} with the arguments its parameters describe."

    @classmethod
    def parameters_schema(cls) -> dict[str, Any]:
        """JSON schema of the arguments (computed once per class)."""
        cached = BaseTool._schema_cache.get(cls)
        if cached is not None:
            return cached
        try:
            schema = cls.model_json_schema()
        except Exception as exc:  # pydantic raises several kinds here
            raise InvalidCallError(
                f"tool {cls.__name__} has a field whose type cannot be described to the "
                f"model as JSON schema ({exc}); use JSON-compatible types (str, int, float, "
                "bool, lists, dicts, enums, nested models)"
            ) from exc
        schema.pop("title", None)
        schema.pop("description", None)
        schema.setdefault("properties", {})
        BaseTool._schema_cache[cls] = schema
        return schema

    @property
    def tool_call_id(self) -> str:
        """The id the provider gave this call ("" when it gives none)."""
        private = self.__pydantic_private__
        return private.get(_ID, "") if private else ""

    @property
    def delta(self) -> str | None:
        """For a partial tool (``stream={"partial_tools": True}``): the piece of arguments
        the latest chunk added. None on a complete tool."""
        private = self.__pydantic_private__
        return private.get(_DELTA) if private else None

    @classmethod
    def partial(cls, arguments: dict[str, Any], *, delta: str | None, raw: Any) -> Self:
        """A tool from the arguments received so far, unvalidated (fields not yet received
        are unset): what a stream with partial tools hands out while a call arrives."""
        tool = cls.model_construct(**arguments)
        object.__setattr__(tool, "__pydantic_private__", {_ID: "", _RAW: raw, _DELTA: delta})
        return tool

    @property
    def tool_call(self) -> Any:
        """The provider's own record of this tool call (None for a tool built by hand)."""
        private = self.__pydantic_private__
        return private.get(_RAW) if private else None

    @property
    def args(self) -> dict[str, Any]:
        """The arguments, as a plain dict."""
        return self.model_dump(mode="json")

    def call(self) -> Any:
        """Run the tool. Subclasses define it (as ``def`` or ``async def``)."""
        fn = getattr(type(self), _FN_ATTR, None)
        if fn is None:
            raise NotImplementedError(f"{type(self).__name__} defines no call() method")
        return fn(**{name: getattr(self, name) for name in type(self).model_fields})

    @classmethod
    def from_arguments(
        cls, arguments: str | dict[str, Any] | None, *, tool_call_id: str, raw: Any
    ) -> Self:
        """Build the tool from the model's arguments (a JSON string or a dict)."""
        try:
            if isinstance(arguments, str):
                # pydantic parses and validates in one pass (no dict in between)
                tool = (
                    cls.model_validate_json(arguments)
                    if arguments.strip()
                    else cls.model_validate({})
                )
            else:
                tool = cls.model_validate(arguments or {})
        except ValidationError as exc:
            text = arguments if isinstance(arguments, str) else json.dumps(arguments, default=str)
            invalid_json = any(e["type"] == "json_invalid" for e in exc.errors())
            problem = "are not valid JSON" if invalid_json else "fail validation"
            raise ToolArgumentsError(
                f"the model called tool {cls.tool_name()!r} with arguments that {problem}: "
                f"{exc}. Raw arguments: {text!r}",
                tool_name=cls.tool_name(),
                raw=text,
                errors=exc.errors(),
            ) from exc
        private = tool.__pydantic_private__
        if private is None:
            object.__setattr__(tool, "__pydantic_private__", {_ID: tool_call_id, _RAW: raw})
        else:  # a subclass with private attributes of its own
            private[_ID] = tool_call_id
            private[_RAW] = raw
        return tool


# set after the class is built: pydantic would take a class attribute for a field
setattr(BaseTool, "id", _CallId())  # noqa: B010


def tool_from_function(
    fn: Callable[..., Any], *, name: str | None = None, description: str | None = None
) -> type[BaseTool]:
    """A ``BaseTool`` whose fields are ``fn``'s parameters and whose ``call()`` runs ``fn``
    (named and described by ``fn`` unless ``name``/``description`` say otherwise)."""
    tool_name = name
    fields: dict[str, Any] = {}
    for name, param in inspect.signature(fn).parameters.items():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            raise InvalidCallError(f"tool function {fn.__name__} cannot take *args or **kwargs")
        annotation = param.annotation if param.annotation is not param.empty else Any
        default = param.default if param.default is not param.empty else ...
        fields[name] = (annotation, default)
    doc = description if description is not None else fn.__doc__
    model = create_model(tool_name or fn.__name__, __base__=BaseTool, __doc__=doc, **fields)
    setattr(model, _FN_ATTR, staticmethod(fn))
    return model


_function_tools: weakref.WeakKeyDictionary[Callable[..., Any], type[BaseTool]] = (
    weakref.WeakKeyDictionary()
)


def as_tool(tool: object) -> type[BaseTool]:
    """Accept a ``BaseTool`` subclass or a plain function (converted once, then reused)."""
    if isinstance(tool, type):
        if issubclass(tool, BaseTool):
            return tool
    elif callable(tool):
        made = _function_tools.get(tool)
        if made is None:
            made = _function_tools[tool] = tool_from_function(tool)
        return made
    raise InvalidCallError(f"a tool must be a BaseTool subclass or a function, not {tool!r}")


def tools_by_name(tools: Sequence[type[BaseTool]]) -> dict[str, type[BaseTool]]:
    """Offered tools by the name the model calls them."""
    return {t.tool_name(): t for t in tools}


def called_tool(
    name: str,
    arguments: str | dict[str, Any] | None,
    call_id: str,
    raw: Any,
    offered: Mapping[str, type[BaseTool]],
) -> BaseTool:
    """An instance of the offered tool the model called by ``name``, validated."""
    tool_cls = offered.get(name)
    if tool_cls is None:
        text = (
            arguments
            if isinstance(arguments, str) or arguments is None
            else json.dumps(arguments, default=str)
        )
        raise UnknownToolError(
            f"the model called tool {name!r}, which was not offered "
            f"(offered: {', '.join(offered) or 'none'}). Raw arguments: {text!r}",
            tool_name=name,
            raw=text,
        )
    return tool_cls.from_arguments(arguments, tool_call_id=call_id, raw=raw)
