"""Errors mirascope raises itself. Vendor SDK errors are never wrapped: they reach the
caller as the SDK raised them."""

from __future__ import annotations

from typing import Any


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


class ToolArgumentsError(MirascopeError, ValueError):
    """The model called a tool with arguments that are not valid JSON or fail validation.

    ``raw`` holds the arguments exactly as received, ``tool_name`` the tool the model named.
    """

    def __init__(self, message: str, *, tool_name: str, raw: str | None) -> None:
        super().__init__(message)
        self.tool_name = tool_name
        self.raw = raw


class UnknownToolError(ToolArgumentsError):
    """The model called a tool that was not offered."""


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
