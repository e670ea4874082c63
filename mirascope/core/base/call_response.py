"""``BaseCallResponse``: what a call returns, the same for every provider."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic

from typing_extensions import TypeVar

from . import _call_inputs
from ._history import assistant_message, tool_result_messages
from .messages import BaseMessageParam, VendorMessage
from .tool import BaseTool, called_tool, tools_by_name
from .usage import CostMetadata, Usage

if TYPE_CHECKING:
    from .._engine.adapter import CallPlan
    from .._engine.records import Decoded
    from .dynamic_config import BaseDynamicConfig

RawT = TypeVar("RawT")
UsageT = TypeVar("UsageT", default=Any)
ParamsT = TypeVar("ParamsT", default=Mapping[str, Any])


class BaseCallResponse(Generic[RawT, UsageT, ParamsT]):
    """A call's result. ``response`` is the vendor SDK's own object; the other properties
    read it (lazily, on access) into the same shape for every provider.

    Type parameters: the SDK's response type, its usage type, the provider's call params."""

    # ``_usage`` is set on first read of ``usage`` only (never in ``__init__``)
    __slots__ = ("_d", "_end", "_start", "_tools", "_usage", "plan", "request", "response")

    def __init__(
        self,
        response: RawT,
        plan: CallPlan,
        decoded: Decoded,
        request: dict[str, Any] | None = None,
        start: float = 0.0,
        end: float = 0.0,
    ) -> None:
        self.response = response
        """The vendor SDK's response object, untouched."""
        self.plan = plan
        """What was sent: model, messages, tools, call params, client."""
        self.request: dict[str, Any] = request if request is not None else {}
        """What ``build_request`` made for the SDK call (see ``call_kwargs``)."""
        self._d = decoded
        self._tools: list[BaseTool] | None = None
        self._start = start
        self._end = end

    # -- the answer ---------------------------------------------------------------------------

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
    def finish_reasons(self) -> list[str]:
        """The vendor's finish (stop) reasons, as it spells them."""
        return self._d.finish_reasons

    @property
    def model(self) -> str | None:
        """The model that answered, as the vendor reports it (else the one asked for)."""
        return self._d.model or self.plan.model

    @property
    def id(self) -> str | None:
        """The vendor's id of this response."""
        return self._d.id

    # -- usage and cost -----------------------------------------------------------------------

    @property
    def usage(self) -> UsageT | None:
        """The vendor SDK's own usage object (``CompletionUsage`` for OpenAI, ``Usage`` for
        Anthropic, ...); ``common_usage`` has the same counts in one shape for all."""
        try:
            return self._usage  # some SDKs build a new object on every read: one is kept
        except AttributeError:
            pass
        spec = self.plan.spec
        if spec is None:
            usage = self._d.usage
            self._usage = usage.raw if usage is not None else None
        else:
            self._usage = spec.adapter.usage_of(self.response, self._d)
        return self._usage

    @property
    def common_usage(self) -> Usage | None:
        """Token usage in the same shape for every provider (``raw``: the vendor's record)."""
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
    def cached_tokens(self) -> int | None:
        """Input tokens read from the vendor's prompt cache (None when it says nothing)."""
        usage = self._d.usage
        return usage.cached_tokens if usage else None

    @property
    def provider(self) -> str | None:
        """The provider's name (``"openai"``, ...), which prices the call."""
        spec = self.plan.spec
        return spec.adapter.name if spec is not None else None

    @property
    def cost_metadata(self) -> CostMetadata:
        """What ``cost`` is computed from."""
        spec = self.plan.spec
        reported = spec.adapter.reported_cost(self.response) if spec is not None else None
        return _call_inputs.cost_metadata(
            self.provider, self.model, self._d.usage, streaming=False, reported=reported
        )

    @property
    def cost(self) -> float | None:
        """The call's cost in USD, from the price table in ``mirascope.core.costs`` (or the
        vendor's own figure, for LiteLLM); None when the model or its usage is unknown."""
        return _call_inputs.cost(self.cost_metadata)

    # -- what was sent ------------------------------------------------------------------------

    @property
    def metadata(self) -> Mapping[str, object]:
        """The ``metadata`` the prompt function's dynamic config returned (never sent)."""
        return self.plan.metadata

    @property
    def messages(self) -> list[BaseMessageParam | VendorMessage]:
        """The messages this call sent."""
        return self.plan.messages

    @property
    def thinking(self) -> str | None:
        """The model's reasoning before its answer, where the vendor returns it."""
        blocks = self._d.thinking
        return "".join(text for text, _ in blocks) if blocks else None

    @property
    def user_message_param(self) -> BaseMessageParam | VendorMessage | None:
        """The last message sent, if it was the user's; else None."""
        return _call_inputs.user_message_param(self.plan.messages)

    @property
    def tool_types(self) -> list[type[BaseTool]] | None:
        """The tools the model was offered; None if none."""
        return list(self.plan.tools) or None

    @property
    def fn_args(self) -> dict[str, object]:
        """The prompt function's arguments by name (defaults included)."""
        return _call_inputs.fn_args(self.plan)

    @property
    def dynamic_config(self) -> BaseDynamicConfig[Any, ParamsT] | None:
        """The dynamic config the prompt function returned; None if it returned a prompt."""
        return self.plan.dynamic_config  # type: ignore[return-value]

    @property
    def prompt_template(self) -> str | None:
        """The ``@prompt_template`` text, unformatted; None for other prompt styles."""
        return _call_inputs.prompt_template(self.plan)

    @property
    def call_params(self) -> ParamsT:
        """The call params given to the decorator (a dynamic config's are in
        ``call_kwargs``, which holds what was sent)."""
        spec = self.plan.spec
        return spec.call_params if spec is not None else {}  # type: ignore[return-value]

    @property
    def call_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of the SDK call: model, messages, tools, call params."""
        spec = self.plan.spec
        return spec.adapter.call_kwargs(self.request) if spec is not None else self.request

    @property
    def start_time(self) -> float:
        """When the SDK call was made, in milliseconds since the epoch."""
        return self._start * 1000

    @property
    def end_time(self) -> float:
        """When the SDK call returned, in milliseconds since the epoch."""
        return self._end * 1000

    # -- history ------------------------------------------------------------------------------

    @property
    def message_param(self) -> BaseMessageParam:
        """The reply as a message, to append to the history for the next call."""
        return assistant_message(self.content, self.tools or (), self._d.thinking)

    @staticmethod
    def tool_message_params(
        tools_and_outputs: Sequence[tuple[BaseTool, object]],
    ) -> list[BaseMessageParam]:
        """Messages carrying tool outputs back to the model."""
        return tool_result_messages(tools_and_outputs)

    def model_dump(self) -> dict[str, Any]:
        """Everything above as plain data (the SDK's response dumped by its own method)."""
        d = _call_inputs.dump
        tools = self.tools
        return {
            "metadata": self.metadata,
            "response": d(self.response),
            "tool_types": self.tool_types,
            "prompt_template": self.prompt_template,
            "fn_args": self.fn_args,
            "dynamic_config": self.dynamic_config,
            "messages": d(self.messages),
            "call_params": self.call_params,
            "call_kwargs": self.call_kwargs,
            "user_message_param": d(self.user_message_param),
            "start_time": self.start_time,
            "end_time": self.end_time,
            "content": self.content,
            "finish_reasons": self.finish_reasons,
            "model": self.model,
            "id": self.id,
            "usage": d(self.usage),
            "input_tokens": self.input_tokens,
            "cached_tokens": self.cached_tokens,
            "output_tokens": self.output_tokens,
            "cost_metadata": d(self.cost_metadata),
            "cost": self.cost,
            "message_param": d(self.message_param),
            "tools": d(tools) if tools else None,
        }

    def __str__(self) -> str:
        return self.content

    def __repr__(self) -> str:
        return f"{type(self).__name__}(model={self.model!r}, content={self.content!r})"
