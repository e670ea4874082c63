"""``BaseToolKit``: tools made from a model's methods, described with its fields."""

from __future__ import annotations

import inspect
import string
from collections.abc import Callable
from typing import Any, ClassVar, Concatenate, ParamSpec, TypeVar

from pydantic import BaseModel, ConfigDict

from .tool import BaseTool, tool_from_function

_MARK = "__mirascope_toolkit_tool__"
_P = ParamSpec("_P")
_K = TypeVar("_K", bound="BaseToolKit")
_S = TypeVar("_S")


def toolkit_tool(method: Callable[Concatenate[_K, _P], _S]) -> Callable[Concatenate[_K, _P], _S]:
    """Mark a ``BaseToolKit`` method as a tool. Its docstring is the tool's description and
    may name the toolkit's fields as ``{self.field}``."""
    setattr(method, _MARK, True)
    return method


class BaseToolKit(BaseModel):
    """A model whose ``@toolkit_tool`` methods become tools bound to an instance:
    ``BookTools(reading_level="beginner").create_tools()``. ``__namespace__``, when set,
    prefixes each tool's name (``"books_format_book"``)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    __namespace__: ClassVar[str | None] = None
    _toolkit_methods: ClassVar[tuple[Callable[..., Any], ...]] = ()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        methods: list[Callable[..., Any]] = []
        for name, attr in cls.__dict__.items():
            if not getattr(attr, _MARK, False):
                continue
            doc = attr.__doc__
            if not doc:
                raise TypeError(
                    f"{cls.__name__}.{name} is a @toolkit_tool without a docstring: the "
                    "docstring is the description the model reads"
                )
            for _, field, _, _ in string.Formatter().parse(inspect.cleandoc(doc)):
                if field and field.startswith("self."):
                    attribute = field[5:].split(".")[0]
                    if attribute not in cls.model_fields and not hasattr(cls, attribute):
                        raise TypeError(
                            f"the docstring of {cls.__name__}.{name} uses {{{field}}} but "
                            f"{cls.__name__} has no field or attribute {attribute!r}"
                        )
            methods.append(attr)
        if not methods:
            raise TypeError(
                f"{cls.__name__} has no @toolkit_tool method: mark at least one method "
                "with @toolkit_tool"
            )
        cls._toolkit_methods = tuple(methods)

    def create_tools(self) -> list[type[BaseTool]]:
        """One tool class per ``@toolkit_tool`` method, bound to this toolkit: its fields
        are the method's parameters, its description the docstring filled with ``self``."""
        tools: list[type[BaseTool]] = []
        prefix = f"{self.__namespace__}_" if self.__namespace__ else ""
        for method in self._toolkit_methods:
            bound = method.__get__(self, type(self))
            tools.append(
                tool_from_function(
                    bound,
                    name=prefix + method.__name__,
                    description=_describe(inspect.cleandoc(method.__doc__ or ""), self),
                )
            )
        return tools


def _describe(doc: str, toolkit: BaseToolKit) -> str:
    # fill {self.x}; leave any other placeholder as it was written
    out: list[str] = []
    for literal, field, spec, conversion in string.Formatter().parse(doc):
        out.append(literal)
        if field is None:
            continue
        if field.startswith("self."):
            value: Any = toolkit
            for attribute in field[5:].split("."):
                value = getattr(value, attribute)
            out.append(format(value, spec or ""))
        else:
            conv = f"!{conversion}" if conversion else ""
            out.append("{" + field + conv + (f":{spec}" if spec else "") + "}")
    return "".join(out)
