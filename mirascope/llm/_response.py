"""``CallResponse`` and ``Stream``: what an ``llm.call`` function returns, one class for every
provider. Each wraps the provider's own response or stream (``provider_response``,
``provider_stream``) and reads through it; ``response`` is still the vendor SDK's object."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..core._engine.adapter import CallPlan
    from ..core.base.call_response import BaseCallResponse
    from ..core.base.messages import BaseMessageParam, VendorMessage
    from ..core.base.stream import BaseCallResponseChunk, BaseStream
    from ..core.base.tool import BaseTool
    from ..core.base.usage import Usage


def _tool_message_params(
    tools_and_outputs: Sequence[tuple[BaseTool, object]],
) -> list[BaseMessageParam]:
    # imported when used: by then a call has loaded pydantic and the engine
    from ..core.base._history import tool_result_messages

    return tool_result_messages(tools_and_outputs)


class CallResponse:
    """A call's result, whichever provider answered. ``provider_response`` is that
    provider's response (``OpenAICallResponse``...), ``response`` the vendor SDK's object;
    the other properties read the same values as the provider's response does."""

    __slots__ = ("_r",)

    def __init__(self, response: BaseCallResponse[Any]) -> None:
        self._r = response

    @property
    def provider_response(self) -> BaseCallResponse[Any]:
        """The provider's own response object (``OpenAICallResponse``, ...)."""
        return self._r

    @property
    def response(self) -> Any:
        """The vendor SDK's response object, untouched."""
        return self._r.response

    @property
    def plan(self) -> CallPlan:
        """What was sent: model, messages, tools, call params, client."""
        return self._r.plan

    @property
    def content(self) -> str:
        """The text of the reply ("" when the model only called tools)."""
        return self._r.content

    @property
    def tools(self) -> list[BaseTool] | None:
        """Instances of the tools the model called, in order; None if it called none."""
        return self._r.tools

    @property
    def tool(self) -> BaseTool | None:
        """The first tool the model called, if any."""
        return self._r.tool

    @property
    def usage(self) -> Usage | None:
        """Token usage in one shape for every provider (``usage.raw`` is the vendor's record, as
        the provider's own response hands out as ``usage``)."""
        return self._r.common_usage

    @property
    def input_tokens(self) -> int | None:
        return self._r.input_tokens

    @property
    def output_tokens(self) -> int | None:
        return self._r.output_tokens

    @property
    def finish_reasons(self) -> list[str]:
        """The vendor's finish (stop) reasons, as it spells them."""
        return self._r.finish_reasons

    @property
    def model(self) -> str | None:
        """The model that answered, as the vendor reports it."""
        return self._r.model

    @property
    def id(self) -> str | None:
        """The vendor's id of this response."""
        return self._r.id

    @property
    def metadata(self) -> Mapping[str, object]:
        """The ``metadata`` the prompt function's dynamic config returned (never sent)."""
        return self._r.metadata

    @property
    def messages(self) -> list[BaseMessageParam | VendorMessage]:
        """The messages this call sent."""
        return self._r.messages

    @property
    def message_param(self) -> BaseMessageParam:
        """The reply as a message, to append to the history for the next call (of any
        provider: the message is provider-neutral)."""
        return self._r.message_param

    @staticmethod
    def tool_message_params(
        tools_and_outputs: Sequence[tuple[BaseTool, object]],
    ) -> list[BaseMessageParam]:
        """Messages carrying tool outputs back to the model."""
        return _tool_message_params(tools_and_outputs)

    if not TYPE_CHECKING:  # anything else the provider's response has (read at run time)

        def __getattr__(self, name: str) -> Any:
            if name == "_r":  # not set yet (copy, pickle): no provider response to ask
                raise AttributeError(name)
            return getattr(self._r, name)

    def __str__(self) -> str:
        return self._r.content

    def __repr__(self) -> str:
        return f"CallResponse({self._r!r})"


class Stream:
    """A streamed call, whichever provider answers. Iterate it (``for`` or ``async for``,
    matching the function) for ``(chunk, tool)`` pairs; ``chunk`` is the provider's chunk
    (a ``CallResponseChunk``), ``chunk.chunk`` the vendor's. ``provider_stream`` is the
    provider's own stream."""

    __slots__ = ("_s",)

    def __init__(self, stream: BaseStream[Any]) -> None:
        self._s = stream

    @property
    def provider_stream(self) -> BaseStream[Any]:
        """The provider's own stream object (``OpenAIStream``, ...)."""
        return self._s

    @property
    def source(self) -> Any:
        """The vendor SDK's stream object."""
        return self._s.source

    @property
    def plan(self) -> CallPlan:
        """What was sent: model, messages, tools, call params, client."""
        return self._s.plan

    def __iter__(self) -> Iterator[tuple[BaseCallResponseChunk[Any], BaseTool | None]]:
        return iter(self._s)

    def __aiter__(self) -> AsyncIterator[tuple[BaseCallResponseChunk[Any], BaseTool | None]]:
        return aiter(self._s)

    @property
    def content(self) -> str:
        """The text received so far."""
        return self._s.content

    @property
    def tools(self) -> list[BaseTool] | None:
        """The tools completed so far; None if none."""
        return self._s.tools

    @property
    def tool(self) -> BaseTool | None:
        return self._s.tool

    @property
    def usage(self) -> Usage | None:
        return self._s.common_usage

    @property
    def input_tokens(self) -> int | None:
        return self._s.input_tokens

    @property
    def output_tokens(self) -> int | None:
        return self._s.output_tokens

    @property
    def finish_reasons(self) -> list[str]:
        return self._s.finish_reasons

    @property
    def model(self) -> str | None:
        return self._s.model

    @property
    def id(self) -> str | None:
        return self._s.id

    @property
    def metadata(self) -> Mapping[str, object]:
        """The ``metadata`` the prompt function's dynamic config returned (never sent)."""
        return self._s.metadata

    @property
    def messages(self) -> list[BaseMessageParam | VendorMessage]:
        return self._s.messages

    @property
    def message_param(self) -> BaseMessageParam:
        """What has streamed so far, as an assistant message for the history."""
        return self._s.message_param

    @staticmethod
    def tool_message_params(
        tools_and_outputs: Sequence[tuple[BaseTool, object]],
    ) -> list[BaseMessageParam]:
        """Messages carrying tool outputs back to the model."""
        return _tool_message_params(tools_and_outputs)

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            if name == "_s":
                raise AttributeError(name)
            return getattr(self._s, name)

    def __repr__(self) -> str:
        return f"Stream({self._s!r})"
