"""Anthropic's public types: call params, dynamic config, response, stream, tool."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from anthropic import Anthropic, AsyncAnthropic, Timeout
from anthropic.lib.bedrock import AnthropicBedrock, AsyncAnthropicBedrock
from anthropic.lib.vertex import AnthropicVertex, AsyncAnthropicVertex
from anthropic.types import (
    CacheControlEphemeralParam,
    DiagnosticsParam,
    Message,
    MessageCreateParamsContainerParam,
    MetadataParam,
    OutputConfigParam,
    RawMessageStreamEvent,
    ThinkingConfigParam,
    ToolChoiceParam,
)
from typing_extensions import TypedDict

from ..base.call_response import BaseCallResponse
from ..base.dynamic_config import BaseDynamicConfig
from ..base.stream import BaseCallResponseChunk, BaseStream
from ..base.tool import BaseTool, ToolConfig

if TYPE_CHECKING:
    # named only in quoted type arguments below (not loaded at run time)
    from anthropic.types import Usage  # noqa: F401


class AnthropicCallParams(TypedDict, total=False):
    """Request parameters of ``messages.create``, typed as the SDK types them.

    ``max_tokens`` defaults to 1024. ``temperature``, ``top_p`` and ``top_k`` are no longer
    arguments of ``messages.create`` in anthropic 2.x: they are sent in ``extra_body``."""

    max_tokens: int
    cache_control: CacheControlEphemeralParam | None
    container: MessageCreateParamsContainerParam | None
    diagnostics: DiagnosticsParam | None
    inference_geo: str | None
    metadata: MetadataParam
    output_config: OutputConfigParam
    service_tier: Literal["auto", "standard_only"]
    speed: Literal["standard", "fast"] | None
    stop_sequences: list[str]
    thinking: ThinkingConfigParam
    tool_choice: ToolChoiceParam
    user_profile_id: str
    workspace_id: str
    temperature: float
    top_p: float
    top_k: int
    extra_headers: dict[str, str]
    extra_query: dict[str, object]
    extra_body: dict[str, object]
    timeout: float | Timeout | None


AnthropicClient: TypeAlias = Anthropic | AnthropicVertex | AnthropicBedrock
"""The sync clients whose ``messages.create`` a ``def`` prompt function may use."""
AsyncAnthropicClient: TypeAlias = AsyncAnthropic | AsyncAnthropicVertex | AsyncAnthropicBedrock
"""The async clients an ``async def`` prompt function may use."""


class AnthropicDynamicConfig(BaseDynamicConfig[AnthropicClient, AnthropicCallParams], total=False):
    """What a sync (``def``) Anthropic prompt function may return."""


class AsyncAnthropicDynamicConfig(
    BaseDynamicConfig[AsyncAnthropicClient, AnthropicCallParams], total=False
):
    """What an async (``async def``) Anthropic prompt function may return."""


class AnthropicCallResponse(BaseCallResponse[Message, "Usage", AnthropicCallParams]):
    """An Anthropic call's result; ``response`` is the SDK's ``Message``."""

    __slots__ = ()


class AnthropicCallResponseChunk(BaseCallResponseChunk[RawMessageStreamEvent]):
    """One streamed event; ``chunk`` is the SDK's ``RawMessageStreamEvent``."""

    __slots__ = ()


class AnthropicStream(
    BaseStream[AnthropicCallResponseChunk, AnthropicCallResponse, "Usage", AnthropicCallParams]
):
    """A streamed Anthropic call."""

    chunk_type = AnthropicCallResponseChunk
    call_response_type = AnthropicCallResponse


class AnthropicToolConfig(ToolConfig, total=False):
    """Anthropic settings of a tool: ``cache_control`` marks the end of a cached prompt
    prefix at this tool (prompt caching: the tools up to it are cached)."""

    cache_control: CacheControlEphemeralParam


class AnthropicTool(BaseTool):
    """A tool for Anthropic calls (any ``BaseTool`` works; this names the provider)."""

    @classmethod
    def tool_schema(cls) -> dict[str, Any]:
        """The tool as anthropic receives it: an Anthropic custom tool."""
        from ._adapter import encode_tool  # the adapter imports this module

        return encode_tool(cls)
