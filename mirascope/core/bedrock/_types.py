"""Bedrock's public types: call params, dynamic config, response, stream, tool.

boto3 ships no type hints, so the request shapes below follow botocore's own service
model of ``bedrock-runtime`` (the names and nesting of the Converse API, as boto3 takes
them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from botocore.client import BaseClient
from typing_extensions import TypedDict

from ..base.call_response import BaseCallResponse
from ..base.dynamic_config import BaseDynamicConfig
from ..base.stream import BaseCallResponseChunk, BaseStream
from ..base.tool import BaseTool

if TYPE_CHECKING:
    # named in a quoted type argument below: aiobotocore loads only for async calls
    from aiobotocore.client import (  # noqa: F401
        AioBaseClient,
    )


class InferenceConfiguration(TypedDict, total=False):
    """``inferenceConfig``: the inference parameters every Bedrock model takes."""

    maxTokens: int
    temperature: float
    topP: float
    stopSequences: Sequence[str]


class ToolChoice(TypedDict, total=False):
    """One of ``{"auto": {}}``, ``{"any": {}}``, ``{"tool": {"name": "..."}}``."""

    auto: Mapping[str, Any]
    any: Mapping[str, Any]
    tool: Mapping[str, str]


class ToolConfiguration(TypedDict, total=False):
    """``toolConfig``; the tools given to ``call`` are added to ``tools``."""

    tools: Sequence[Mapping[str, Any]]
    toolChoice: ToolChoice


class GuardrailConfiguration(TypedDict, total=False):
    """``guardrailConfig`` (``streamProcessingMode`` applies to streams only)."""

    guardrailIdentifier: str
    guardrailVersion: str
    trace: Literal["enabled", "disabled", "enabled_full"]
    streamProcessingMode: Literal["sync", "async"]


class PerformanceConfiguration(TypedDict, total=False):
    latency: Literal["standard", "optimized"]


class ServiceTier(TypedDict):
    type: Literal["priority", "default", "flex", "reserved"]


class BedrockCallParams(TypedDict, total=False):
    """Request parameters of ``converse`` / ``converse_stream`` besides the model and the
    messages, spelled as boto3 takes them."""

    inferenceConfig: InferenceConfiguration
    additionalModelRequestFields: Mapping[str, Any]
    additionalModelResponseFieldPaths: Sequence[str]
    toolConfig: ToolConfiguration
    guardrailConfig: GuardrailConfiguration
    promptVariables: Mapping[str, Mapping[str, str]]
    requestMetadata: Mapping[str, str]
    performanceConfig: PerformanceConfiguration
    serviceTier: ServiceTier
    outputConfig: Mapping[str, Any]


class BedrockDynamicConfig(BaseDynamicConfig[BaseClient, BedrockCallParams], total=False):
    """What a sync (``def``) Bedrock prompt function may return; ``client`` is a botocore /
    boto3 ``bedrock-runtime`` client."""


class AsyncBedrockDynamicConfig(BaseDynamicConfig["AioBaseClient", BedrockCallParams], total=False):
    """What an async (``async def``) Bedrock prompt function may return; ``client`` is an open
    aiobotocore ``bedrock-runtime`` client."""


class BedrockCallResponse(BaseCallResponse[dict[str, Any], dict[str, Any], BedrockCallParams]):
    """A Bedrock call's result; ``response`` is the dict boto3's ``converse`` returned."""

    __slots__ = ()


class BedrockCallResponseChunk(BaseCallResponseChunk[dict[str, Any]]):
    """One streamed event; ``chunk`` is the event dict (``{"contentBlockDelta": ...}``)."""

    __slots__ = ()


class BedrockStream(
    BaseStream[BedrockCallResponseChunk, BedrockCallResponse, dict[str, Any], BedrockCallParams]
):
    """A streamed Bedrock call (``converse_stream``)."""

    chunk_type = BedrockCallResponseChunk
    call_response_type = BedrockCallResponse


class BedrockTool(BaseTool):
    """A tool for Bedrock calls (any ``BaseTool`` works; this names the provider)."""

    @classmethod
    def tool_schema(cls) -> dict[str, Any]:
        """The tool as bedrock receives it: a Converse ``toolSpec``."""
        from ._adapter import encode_tool  # the adapter imports this module

        return dict(encode_tool(cls))  # a copy: the adapter's encoding is shared
