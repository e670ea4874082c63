"""OpenAI's public types: call params, dynamic config, response, stream, tool."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any, Literal

from openai import AsyncAzureOpenAI, AsyncOpenAI, AzureOpenAI, OpenAI
from openai.types.chat import (
    ChatCompletion,
    ChatCompletionAudioParam,
    ChatCompletionChunk,
    ChatCompletionPredictionContentParam,
    ChatCompletionStreamOptionsParam,
    ChatCompletionToolChoiceOptionParam,
    completion_create_params,
)
from openai.types.shared_params import Metadata, ReasoningEffort
from typing_extensions import TypedDict

from ..base.call_response import BaseCallResponse
from ..base.dynamic_config import BaseDynamicConfig
from ..base.stream import BaseCallResponseChunk, BaseStream
from ..base.tool import BaseTool, ToolConfig

if TYPE_CHECKING:
    # named only in quoted type arguments below (not loaded at run time)
    from openai.types import CompletionUsage  # noqa: F401


class OpenAICallParams(TypedDict, total=False):
    """Request parameters of ``chat.completions.create``, typed as the SDK types them."""

    audio: ChatCompletionAudioParam | None
    frequency_penalty: float | None
    logit_bias: dict[str, int] | None
    logprobs: bool | None
    max_completion_tokens: int | None
    max_tokens: int | None
    metadata: Metadata | None
    modalities: list[Literal["text", "audio"]] | None
    n: int | None
    parallel_tool_calls: bool
    prediction: ChatCompletionPredictionContentParam | None
    presence_penalty: float | None
    prompt_cache_key: str | None
    reasoning_effort: ReasoningEffort | None
    response_format: completion_create_params.ResponseFormat
    safety_identifier: str | None
    seed: int | None
    service_tier: Literal["auto", "default", "flex", "scale", "priority"] | None
    stop: str | list[str] | None
    store: bool | None
    stream_options: ChatCompletionStreamOptionsParam | None
    temperature: float | None
    tool_choice: ChatCompletionToolChoiceOptionParam
    top_logprobs: int | None
    top_p: float | None
    user: str
    verbosity: Literal["low", "medium", "high"] | None
    web_search_options: completion_create_params.WebSearchOptions
    extra_headers: dict[str, str]
    extra_body: dict[str, object]
    timeout: float


class OpenAIDynamicConfig(BaseDynamicConfig[OpenAI | AzureOpenAI, OpenAICallParams], total=False):
    """What a sync (``def``) OpenAI prompt function may return."""


class AsyncOpenAIDynamicConfig(
    BaseDynamicConfig[AsyncOpenAI | AsyncAzureOpenAI, OpenAICallParams], total=False
):
    """What an async (``async def``) OpenAI prompt function may return."""


class OpenAICallResponse(BaseCallResponse[ChatCompletion, "CompletionUsage", OpenAICallParams]):
    """An OpenAI call's result; ``response`` is the SDK's ``ChatCompletion``."""

    __slots__ = ()

    @property
    def audio(self) -> bytes | None:
        """The spoken answer (``modalities=["text", "audio"]``), decoded from base64."""
        choices = self.response.choices
        audio = choices[0].message.audio if choices else None
        return base64.b64decode(audio.data) if audio is not None else None

    @property
    def audio_transcript(self) -> str | None:
        """The transcript of the spoken answer."""
        choices = self.response.choices
        audio = choices[0].message.audio if choices else None
        return audio.transcript if audio is not None else None


class OpenAICallResponseChunk(BaseCallResponseChunk[ChatCompletionChunk]):
    """One streamed chunk; ``chunk`` is the SDK's ``ChatCompletionChunk``."""

    __slots__ = ()

    @property
    def audio(self) -> bytes | None:
        """This chunk's piece of the spoken answer, decoded from base64."""
        from ._adapter import audio_delta

        piece = audio_delta(self.chunk)
        data = piece.get("data") if piece else None
        return base64.b64decode(data) if isinstance(data, str) else None

    @property
    def audio_transcript(self) -> str | None:
        """This chunk's piece of the spoken answer's transcript."""
        from ._adapter import audio_delta

        piece = audio_delta(self.chunk)
        transcript = piece.get("transcript") if piece else None
        return transcript if isinstance(transcript, str) else None


class OpenAIStream(
    BaseStream[OpenAICallResponseChunk, OpenAICallResponse, "CompletionUsage", OpenAICallParams]
):
    """A streamed OpenAI call."""

    chunk_type = OpenAICallResponseChunk
    call_response_type = OpenAICallResponse


class OpenAIToolConfig(ToolConfig, total=False):
    """OpenAI settings of a tool: ``strict=True`` sends its schema in strict form and
    makes the model's arguments follow it exactly (structured outputs for tools)."""

    strict: bool


class OpenAITool(BaseTool):
    """A tool for OpenAI calls (any ``BaseTool`` works; this names the provider)."""

    @classmethod
    def tool_schema(cls) -> dict[str, Any]:
        """The tool as openai receives it: a chat-completions function tool."""
        from .._formats.openai_chat import encode_tool  # the adapter imports this module

        return encode_tool(cls)
