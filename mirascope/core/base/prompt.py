"""``BasePrompt``: a prompt as a pydantic model, run through any provider's ``call``; and
``@metadata``, which tags a call or prompt (``response.metadata``)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine, Mapping
from typing import Any, TypeVar, cast

from pydantic import BaseModel
from typing_extensions import TypedDict

from .messages import BaseMessageParam
from .prompt_template import TEMPLATE_ATTR, ParsedTemplate, template_of

METADATA_ATTR = "__mirascope_metadata__"
_T = TypeVar("_T")
_R = TypeVar("_R")
_F = TypeVar("_F", bound=Callable[..., Any])


class Metadata(TypedDict, total=False):
    """Metadata of a call or prompt, kept for the caller and never sent."""

    tags: set[str]
    """Tags for versioning or filtering (``{"version:0001", "books"}``)."""


def metadata(value: Metadata | Mapping[str, Any]) -> Callable[[_T], _T]:
    """Attach ``value`` to a prompt function or ``BasePrompt`` class: a call made from it
    carries it as ``response.metadata`` (a dynamic config's ``metadata`` adds to it)."""

    def decorator(target: _T) -> _T:
        setattr(target, METADATA_ATTR, dict(value))
        return target

    return decorator


def metadata_of(target: Any) -> dict[str, Any] | None:
    """What ``@metadata`` attached to ``target``, if anything."""
    return getattr(target, METADATA_ATTR, None)


class BasePrompt(BaseModel):
    """A prompt as a model: its fields fill the template that ``@prompt_template`` sets on
    the class.

    ``message_params()`` gives the messages; ``run(openai.call("gpt-4o-mini"))`` (and
    ``run_async``) calls any provider with them; ``dynamic_config()`` may be overridden to
    return computed fields, tools or call params, as a prompt function's return would."""

    def _template(self) -> ParsedTemplate:
        template = template_of(type(self))
        if template is None:
            raise TypeError(
                f"{type(self).__name__} has no template: decorate the class with "
                '@prompt_template("...")'
            )
        return template

    def _values(self) -> dict[str, Any]:
        values = {name: getattr(self, name) for name in type(self).model_fields}
        config = self.dynamic_config()
        if isinstance(config, Mapping):
            computed = config.get("computed_fields")
            if isinstance(computed, Mapping):
                values.update(cast(Mapping[str, Any], computed))
        return values

    def message_params(self) -> list[BaseMessageParam]:
        """The messages the template makes from this prompt's fields."""
        where = f"the prompt template of {type(self).__name__}"
        return self._template().render(self._values(), where=where)

    def dynamic_config(self) -> Mapping[str, Any] | None:
        """Override to return a dynamic config (``computed_fields``, ``tools``...)."""
        return None

    def __str__(self) -> str:
        """The filled template's text (roles marked as in the template when it has more
        than one message)."""
        messages = self.message_params()
        if len(messages) == 1 and messages[0].role == "user":
            return messages[0].text()
        return "\n".join(f"{m.role.upper()}: {m.text()}" for m in messages)

    def dump(self) -> dict[str, Any]:
        """The prompt's metadata, text, template and inputs."""
        return {
            "metadata": metadata_of(type(self)) or {},
            "prompt": str(self),
            "template": self._template().source,
            "inputs": self.model_dump(),
        }

    def _function(self, *, is_async: bool) -> Callable[..., Any]:
        # a function with the fields as keyword parameters, carrying the class's template
        # and metadata: what a provider's `call` decorates
        config = self.dynamic_config

        if is_async:

            async def run_prompt_async(**_: Any) -> Any:
                return config()

            fn: Callable[..., Any] = run_prompt_async
        else:

            def run_prompt(**_: Any) -> Any:
                return config()

            fn = run_prompt
        fn.__name__ = fn.__qualname__ = type(self).__name__
        fn.__doc__ = type(self).__doc__
        parameters = [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY)
            for name in type(self).model_fields
        ]
        setattr(fn, "__signature__", inspect.Signature(parameters))  # noqa: B010
        setattr(fn, TEMPLATE_ATTR, self._template())
        found = metadata_of(type(self))
        if found is not None:
            setattr(fn, METADATA_ATTR, found)
        return fn

    def _fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in type(self).model_fields}

    def run(
        self,
        call_decorator: Callable[[Callable[..., None]], Callable[..., _R]],
        *additional_decorators: Callable[[_F], _F],
    ) -> _R:
        """Call a model with this prompt: ``prompt.run(openai.call("gpt-4o-mini"))``;
        further decorators wrap the call, innermost first."""
        decorated: Any = call_decorator(self._function(is_async=False))
        for extra in additional_decorators:
            decorated = extra(decorated)
        return decorated(**self._fields())

    async def run_async(
        self,
        call_decorator: Callable[
            [Callable[..., Coroutine[Any, Any, None]]], Callable[..., Coroutine[Any, Any, _R]]
        ],
        *additional_decorators: Callable[[_F], _F],
    ) -> _R:
        """``await prompt.run_async(openai.call("gpt-4o-mini"))``: as ``run``, with an
        async function (so an async client)."""
        decorated: Any = call_decorator(self._function(is_async=True))
        for extra in additional_decorators:
            decorated = extra(decorated)
        return await decorated(**self._fields())
