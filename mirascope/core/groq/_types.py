"""Groq's public types: call params, dynamic config, response, stream, tool."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from typing_extensions import TypedDict

from ..base.call_response import BaseCallResponse
from ..base.dynamic_config import BaseDynamicConfig
from ..base.stream import BaseCallResponseChunk, BaseStream
from ..base.tool import BaseTool

if TYPE_CHECKING:
    # some are named only in quoted type arguments below: ``import groq`` does not load
    # groq.types.chat
    from groq import AsyncGroq, Groq  # noqa: F401
    from groq.types import CompletionUsage  # noqa: F401
    from groq.types.chat import (  # noqa: F401
        ChatCompletion,
        ChatCompletionChunk,
        ChatCompletionToolChoiceOptionParam,
        completion_create_params,
    )


class GroqCallParams(TypedDict, total=False):
    """Request parameters of Groq's ``chat.completions.create``, typed as its SDK types them."""

    citation_options: Literal["enabled", "disabled"] | None
    compound_custom: completion_create_params.CompoundCustom | None
    disable_tool_validation: bool | None
    documents: list[completion_create_params.Document] | None
    exclude_domains: list[str] | None
    frequency_penalty: float | None
    function_call: completion_create_params.FunctionCall | None
    functions: list[completion_create_params.Function] | None
    include_domains: list[str] | None
    include_reasoning: bool | None
    logit_bias: dict[str, int] | None
    logprobs: bool | None
    max_completion_tokens: int | None
    max_tokens: int | None
    metadata: dict[str, str] | None
    n: int | None
    parallel_tool_calls: bool | None
    presence_penalty: float | None
    reasoning_effort: Literal["none", "default", "low", "medium", "high"] | None
    reasoning_format: Literal["hidden", "raw", "parsed"] | None
    response_format: completion_create_params.ResponseFormat | None
    search_settings: completion_create_params.SearchSettings | None
    seed: int | None
    service_tier: Literal["auto", "on_demand", "flex", "performance"] | None
    stop: str | list[str] | None
    store: bool | None
    temperature: float | None
    tool_choice: ChatCompletionToolChoiceOptionParam | None
    top_logprobs: int | None
    top_p: float | None
    user: str | None
    extra_headers: dict[str, str]
    extra_query: dict[str, object]
    extra_body: dict[str, object]
    timeout: float


class GroqDynamicConfig(BaseDynamicConfig["Groq", GroqCallParams], total=False):
    """What a sync (``def``) Groq prompt function may return."""


class AsyncGroqDynamicConfig(BaseDynamicConfig["AsyncGroq", GroqCallParams], total=False):
    """What an async (``async def``) Groq prompt function may return."""


class GroqCallResponse(BaseCallResponse["ChatCompletion", "CompletionUsage", GroqCallParams]):
    """A Groq call's result; ``response`` is the SDK's ``ChatCompletion``."""

    __slots__ = ()


class GroqCallResponseChunk(BaseCallResponseChunk["ChatCompletionChunk"]):
    """One streamed chunk; ``chunk`` is the SDK's ``ChatCompletionChunk``."""

    __slots__ = ()


class GroqStream(
    BaseStream[GroqCallResponseChunk, GroqCallResponse, "CompletionUsage", GroqCallParams]
):
    """A streamed Groq call."""

    chunk_type = GroqCallResponseChunk
    call_response_type = GroqCallResponse


class GroqTool(BaseTool):
    """A tool for Groq calls (any ``BaseTool`` works; this names the provider)."""

    @classmethod
    def tool_schema(cls) -> dict[str, Any]:
        """The tool as groq receives it: a chat-completions function tool."""
        from .._formats.openai_chat import encode_tool  # the adapter imports this module

        return encode_tool(cls)
