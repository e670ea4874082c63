"""Errors mirascope raises itself. Vendor SDK errors are never wrapped: they reach the
caller as the SDK raised them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from typing_extensions import Self


class MirascopeError(Exception):
    """Base class of the errors mirascope raises itself."""


class InvalidCallError(MirascopeError, TypeError):
    """A call was set up or used wrongly: a tool that is not one, an unknown call param, a
    prompt function that returned something that is not a prompt."""


class ClientKindError(InvalidCallError):
    """A sync function was given an async client, or the reverse."""


class UnknownProviderError(InvalidCallError, ValueError):
    """``llm.call`` (or ``override``, ``context``) was given a provider name it does not
    know; the message lists the names it does."""


class ToolArgumentsError(MirascopeError, ValidationError):
    """The model called a tool with arguments that are not valid JSON or fail validation.

    ``raw`` holds the arguments exactly as received, ``tool_name`` the tool the model named.
    It is also a pydantic ``ValidationError`` (v1 code's ``except ValidationError`` catches
    it), whose ``errors()`` are pydantic's own; ``str()`` is mirascope's message, which
    quotes the raw arguments.
    """

    tool_name: str
    raw: str | None
    message: str

    # pydantic builds a ValidationError's line errors only through ``from_exception_data``,
    # which calls ``cls(title, line_errors, input_type, hide_input)``: positional arguments
    # after the message mark that inner call, keyword ones ours.
    def __new__(
        cls,
        message: str,
        *pydantic_args: Any,
        tool_name: str = "",
        raw: str | None = None,
        errors: Sequence[Any] = (),
    ) -> Self:
        if pydantic_args:
            return super().__new__(cls, message, *pydantic_args)
        return cls.from_exception_data(tool_name or "tool", list(errors))

    def __init__(
        self,
        message: str,
        *pydantic_args: Any,
        tool_name: str = "",
        raw: str | None = None,
        errors: Sequence[Any] = (),
    ) -> None:
        if pydantic_args:  # the inner call: attributes come with the outer one
            return
        self.message = message
        self.tool_name = tool_name
        self.raw = raw

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"

    def __reduce__(self) -> Any:  # pickle through our constructor, not pydantic's
        return (
            _rebuild,
            (type(self), self.message, self.tool_name, self.raw, self.errors()),
        )


def _rebuild(
    cls: type[ToolArgumentsError], message: str, tool_name: str, raw: str | None, errors: Any
) -> ToolArgumentsError:
    return cls(message, tool_name=tool_name, raw=raw, errors=errors)


class UnknownToolError(ToolArgumentsError):
    """The model called a tool that was not offered (its ``errors()`` are empty)."""


class UnsupportedPartError(InvalidCallError, ValueError):
    """A message holds a content part the provider cannot send (a document to a vendor
    without document input, audio to one without audio input...). ``provider`` and
    ``part`` name them."""

    def __init__(self, message: str, *, provider: str, part: str) -> None:
        super().__init__(message)
        self.provider = provider
        self.part = part


def unsupported_part(provider: str, part: Any, why: str = "") -> UnsupportedPartError:
    """The one error an adapter raises for a part its vendor cannot take."""
    name = type(part).__name__
    detail = f" ({why})" if why else ""
    return UnsupportedPartError(
        f"{provider} cannot send a {name}{detail}: remove it from the prompt, or call a "
        "provider whose API takes it (see the table in the prompts guide)",
        provider=provider,
        part=name,
    )


class MediaError(MirascopeError, ValueError):
    """An image, audio or document given to a template could not be read (a missing file,
    a URL that failed, bytes of an unknown format)."""


class UnexpectedResponseError(MirascopeError, ValueError):
    """The vendor's answer (a response or a stream chunk) is not shaped as its API
    documents. ``raw`` is the SDK's object; ``content`` the text a stream received before."""

    def __init__(self, message: str, *, raw: Any, content: str = "") -> None:
        super().__init__(message)
        self.raw = raw
        self.content = content


class EmptyResponseError(UnexpectedResponseError):
    """The vendor answered without any text or tool call to read. ``raw`` is its answer."""

    def __init__(self, message: str, *, raw: Any) -> None:
        super().__init__(message, raw=raw)


class EmptyPromptError(InvalidCallError, ValueError):
    """The prompt function produced no message to send."""


class InvalidTextError(InvalidCallError, ValueError):
    """A prompt holds text that cannot be sent as UTF-8 (a lone surrogate)."""


class IncompleteStreamError(MirascopeError, RuntimeError):
    """A stream ended without the vendor's end mark. ``content`` is the text received."""

    def __init__(self, message: str, *, content: str) -> None:
        super().__init__(message)
        self.content = content


class MissingCredentialsError(MirascopeError, RuntimeError):
    """A default client found no credentials; the message names the variable to set."""


class MissingExtraError(MirascopeError, ImportError):
    """A provider was used without its SDK installed."""


class TruncatedOutputError(MirascopeError, ValueError):
    """A structured output stopped at the token limit before it was complete. ``output``
    is what arrived; ``response`` the call response."""

    def __init__(self, message: str, *, output: str, response: Any) -> None:
        super().__init__(message)
        self.output = output
        self.response = response


class RefusalError(MirascopeError, ValueError):
    """The model refused to answer (OpenAI's ``refusal``). ``refusal`` is its explanation;
    ``raw`` the vendor's object."""

    def __init__(self, message: str, *, refusal: str, raw: Any) -> None:
        super().__init__(message)
        self.refusal = refusal
        self.raw = raw
