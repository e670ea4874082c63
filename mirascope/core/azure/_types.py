"""Azure AI Inference's public types: call params, dynamic config, response, stream, tool."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from typing_extensions import TypedDict

from ..base.call_response import BaseCallResponse
from ..base.dynamic_config import BaseDynamicConfig
from ..base.stream import BaseCallResponseChunk, BaseStream
from ..base.tool import BaseTool

if TYPE_CHECKING:
    # some are named only in quoted type arguments below: the async client's module
    # loads only for async calls
    from azure.ai.inference import ChatCompletionsClient  # noqa: F401
    from azure.ai.inference.aio import (  # noqa: F401
        ChatCompletionsClient as AsyncChatCompletionsClient,
    )
    from azure.ai.inference.models import (  # noqa: F401
        ChatCompletions,
        ChatCompletionsNamedToolChoice,
        ChatCompletionsToolChoicePreset,
        CompletionsUsage,
        JsonSchemaFormat,
        StreamingChatCompletionsUpdate,
    )


class AzureCallParams(TypedDict, total=False):
    """Request parameters of ``ChatCompletionsClient.complete``, typed as the SDK types them.

    ``model_extras`` go to the root of the request body as they are (the SDK then sends
    ``extra-parameters: pass-through``)."""

    frequency_penalty: float
    presence_penalty: float
    temperature: float
    top_p: float
    max_tokens: int
    response_format: Literal["text", "json_object"] | JsonSchemaFormat
    stop: list[str]
    tool_choice: str | ChatCompletionsToolChoicePreset | ChatCompletionsNamedToolChoice
    seed: int
    model_extras: dict[str, Any]


class AzureDynamicConfig(BaseDynamicConfig["ChatCompletionsClient", AzureCallParams], total=False):
    """What a sync (``def``) Azure prompt function may return."""


class AsyncAzureDynamicConfig(
    BaseDynamicConfig["AsyncChatCompletionsClient", AzureCallParams], total=False
):
    """What an async (``async def``) Azure prompt function may return."""


class AzureCallResponse(BaseCallResponse["ChatCompletions", "CompletionsUsage", AzureCallParams]):
    """An Azure AI Inference call's result; ``response`` is the SDK's ``ChatCompletions``."""

    __slots__ = ()


class AzureCallResponseChunk(BaseCallResponseChunk["StreamingChatCompletionsUpdate"]):
    """One streamed chunk; ``chunk`` is the SDK's ``StreamingChatCompletionsUpdate``."""

    __slots__ = ()


class AzureStream(
    BaseStream[AzureCallResponseChunk, AzureCallResponse, "CompletionsUsage", AzureCallParams]
):
    """A streamed Azure AI Inference call."""

    chunk_type = AzureCallResponseChunk
    call_response_type = AzureCallResponse


class AzureTool(BaseTool):
    """A tool for Azure calls (any ``BaseTool`` works; this names the provider)."""

    @classmethod
    def tool_schema(cls) -> dict[str, Any]:
        """The tool as azure receives it: a chat-completions function tool."""
        from .._formats.openai_chat import encode_tool  # the adapter imports this module

        return encode_tool(cls)
