"""``BaseCallResponse``: what a call returns, the same for every provider."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ._history import assistant_message, tool_result_messages
from .messages import BaseMessageParam
from .tool import BaseTool, called_tool, tools_by_name
from .usage import Usage

if TYPE_CHECKING:
    from .._engine.adapter import CallPlan
    from .._engine.records import Decoded

RawT = TypeVar("RawT")


class BaseCallResponse(Generic[RawT]):
    """A call's result. ``response`` is the vendor SDK's own object; the other properties
    read it (lazily, once) into the same shape for every provider."""

    __slots__ = ("_d", "_tools", "plan", "response")

    def __init__(self, response: RawT, plan: CallPlan, decoded: Decoded) -> None:
        self.response = response
        """The vendor SDK's response object, untouched."""
        self.plan = plan
        """What was sent: model, messages, tools, call params, client."""
        self._d = decoded
        self._tools: list[BaseTool] | None = None

    @property
    def content(self) -> str:
        """The text of the reply ("" when the model only called tools)."""
        return self._d.content

    @property
    def tools(self) -> list[BaseTool] | None:
        """Instances of the tools the model called, in order; None if it called none."""
        records = self._d.tool_calls
        if not records:
            return None
        if self._tools is None:
            offered = tools_by_name(self.plan.tools)
            self._tools = [called_tool(r.name, r.arguments, r.id, r.raw, offered) for r in records]
        return self._tools

    @property
    def tool(self) -> BaseTool | None:
        """The first tool the model called, if any."""
        tools = self.tools
        return tools[0] if tools else None

    @property
    def usage(self) -> Usage | None:
        """Token usage (``usage.raw`` is the vendor's record)."""
        return self._d.usage

    @property
    def input_tokens(self) -> int | None:
        usage = self._d.usage
        return usage.input_tokens if usage else None

    @property
    def output_tokens(self) -> int | None:
        usage = self._d.usage
        return usage.output_tokens if usage else None

    @property
    def finish_reasons(self) -> list[str]:
        """The vendor's finish (stop) reasons, as it spells them."""
        return self._d.finish_reasons

    @property
    def model(self) -> str | None:
        """The model that answered, as the vendor reports it."""
        return self._d.model or self.plan.model

    @property
    def id(self) -> str | None:
        """The vendor's id of this response."""
        return self._d.id

    @property
    def metadata(self) -> dict[str, Any]:
        """The ``metadata`` the prompt function's dynamic config returned (never sent)."""
        return self.plan.metadata

    @property
    def messages(self) -> list[BaseMessageParam | Any]:
        """The messages this call sent."""
        return self.plan.messages

    @property
    def thinking(self) -> str | None:
        """The model's reasoning before its answer, where the vendor returns it."""
        blocks = self._d.thinking
        return "".join(text for text, _ in blocks) if blocks else None

    @property
    def message_param(self) -> BaseMessageParam:
        """The reply as a message, to append to the history for the next call."""
        return assistant_message(self.content, self.tools or (), self._d.thinking)

    @staticmethod
    def tool_message_params(
        tools_and_outputs: Sequence[tuple[BaseTool, Any]],
    ) -> list[BaseMessageParam]:
        """Messages carrying tool outputs back to the model."""
        return tool_result_messages(tools_and_outputs)

    def __str__(self) -> str:
        return self.content

    def __repr__(self) -> str:
        return f"{type(self).__name__}(model={self.model!r}, content={self.content!r})"
