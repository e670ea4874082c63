"""The Responses API's public types: call params, dynamic config, response, stream, tool."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

from openai import AsyncAzureOpenAI, AsyncOpenAI, AzureOpenAI, OpenAI
from openai.types.responses import (
    Response,
    ResponseIncludable,
    ResponsePromptParam,
    ResponseStreamEvent,
    ResponseTextConfigParam,
    ToolParam,
    response_create_params,
)
from openai.types.shared_params import Metadata, Reasoning
from typing_extensions import TypedDict

from ...base.call_response import BaseCallResponse
from ...base.dynamic_config import BaseDynamicConfig
from ...base.stream import BaseCallResponseChunk, BaseStream
from ...base.tool import BaseTool

if TYPE_CHECKING:
    # named only in quoted type arguments below (not loaded at run time)
    from openai.types.responses import ResponseUsage  # noqa: F401


class OpenAIResponsesCallParams(TypedDict, total=False):
    """Request parameters of ``responses.create``, typed as the SDK types them.

    ``tools`` takes the API's built-in tools (``{"type": "web_search"}``, file search...),
    sent beside the function tools of the call; ``text`` its text settings (``verbosity``),
    into which a response model's ``format`` is merged."""

    conversation: response_create_params.Conversation | None
    include: list[ResponseIncludable] | None
    instructions: str | None
    max_output_tokens: int | None
    max_tool_calls: int | None
    metadata: Metadata | None
    parallel_tool_calls: bool | None
    previous_response_id: str | None
    prompt: ResponsePromptParam | None
    prompt_cache_key: str | None
    prompt_cache_retention: Literal["in_memory", "24h"] | None
    reasoning: Reasoning | None
    safety_identifier: str | None
    service_tier: Literal["auto", "default", "flex", "scale", "priority"] | None
    store: bool | None
    stream_options: response_create_params.StreamOptions | None
    temperature: float | None
    text: ResponseTextConfigParam
    tool_choice: response_create_params.ToolChoice
    tools: Iterable[ToolParam]
    top_logprobs: int | None
    top_p: float | None
    truncation: Literal["auto", "disabled"] | None
    user: str
    extra_headers: dict[str, str]
    extra_body: dict[str, object]
    timeout: float


class OpenAIResponsesDynamicConfig(
    BaseDynamicConfig[OpenAI | AzureOpenAI, OpenAIResponsesCallParams], total=False
):
    """What a sync (``def``) Responses prompt function may return."""


class AsyncOpenAIResponsesDynamicConfig(
    BaseDynamicConfig[AsyncOpenAI | AsyncAzureOpenAI, OpenAIResponsesCallParams], total=False
):
    """What an async (``async def``) Responses prompt function may return."""


class OpenAIResponsesCallResponse(
    BaseCallResponse[Response, "ResponseUsage", OpenAIResponsesCallParams]
):
    """A Responses call's result; ``response`` is the SDK's ``Response``."""

    __slots__ = ()


class OpenAIResponsesCallResponseChunk(BaseCallResponseChunk[ResponseStreamEvent]):
    """One stream event; ``chunk`` is the SDK's event (``ResponseTextDeltaEvent``...)."""

    __slots__ = ()


class OpenAIResponsesStream(
    BaseStream[
        OpenAIResponsesCallResponseChunk,
        OpenAIResponsesCallResponse,
        "ResponseUsage",
        OpenAIResponsesCallParams,
    ]
):
    """A streamed Responses call."""

    chunk_type = OpenAIResponsesCallResponseChunk
    call_response_type = OpenAIResponsesCallResponse


class OpenAIResponsesTool(BaseTool):
    """A tool for Responses calls (any ``BaseTool`` works; this names the API)."""

    @classmethod
    def tool_schema(cls) -> dict[str, Any]:
        """The tool as the Responses API receives it: a function tool."""
        from ._adapter import encode_tool  # the adapter imports this module's siblings

        return encode_tool(cls)
