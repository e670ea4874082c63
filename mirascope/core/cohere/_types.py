"""Cohere's public types: call params, dynamic config, response, stream, tool."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from typing_extensions import TypedDict

from ..base.call_response import BaseCallResponse
from ..base.dynamic_config import BaseDynamicConfig
from ..base.stream import BaseCallResponseChunk, BaseStream
from ..base.tool import BaseTool

if TYPE_CHECKING:
    # some are named only in quoted type arguments below: v2's types load only with a
    # v2 client
    from cohere import (  # noqa: F401
        ApiMetaBilledUnits,
        AsyncClient,
        ChatConnector,
        ChatDocument,
        ChatRequestCitationQuality,
        ChatRequestPromptTruncation,
        ChatRequestSafetyMode,
        CitationOptions,
        Client,
        NonStreamedChatResponse,
        ResponseFormat,
        ResponseFormatV2,
        StreamedChatResponse,
        Thinking,
        UsageBilledUnits,
        V2ChatRequestDocumentsItem,
        V2ChatRequestSafetyMode,
        V2ChatRequestToolChoice,
        V2ChatResponse,
        V2ChatStreamResponse,
    )
    from cohere.core import RequestOptions


class CohereCallParams(TypedDict, total=False):
    """Request parameters of ``chat`` / ``chat_stream``, typed as the SDK types them.

    A ``Client``/``AsyncClient`` speaks the v1 chat API, a ``ClientV2``/``AsyncClientV2``
    the v2 one; the parameters marked v1 or v2 exist in that API only, and the ones whose
    types differ take either API's type."""

    frequency_penalty: float | None
    k: int | None
    max_tokens: int | None
    p: float | None
    presence_penalty: float | None
    seed: int | None
    stop_sequences: Sequence[str] | None
    temperature: float | None
    documents: Sequence[ChatDocument] | Sequence[V2ChatRequestDocumentsItem] | None
    response_format: ResponseFormat | ResponseFormatV2 | None
    safety_mode: ChatRequestSafetyMode | V2ChatRequestSafetyMode | None
    # v1 only
    citation_quality: ChatRequestCitationQuality | None
    connectors: Sequence[ChatConnector] | None
    conversation_id: str | None
    force_single_step: bool | None
    max_input_tokens: int | None
    preamble: str | None
    prompt_truncation: ChatRequestPromptTruncation | None
    raw_prompting: bool | None
    search_queries_only: bool | None
    # v2 only
    citation_options: CitationOptions | None
    logprobs: bool | None
    priority: int | None
    strict_tools: bool | None
    thinking: Thinking | None
    tool_choice: V2ChatRequestToolChoice | None
    # the SDK's per-request options (timeout, retries, extra headers and body)
    request_options: RequestOptions | None


class CohereDynamicConfig(BaseDynamicConfig["Client", CohereCallParams], total=False):
    """What a sync (``def``) Cohere prompt function may return (a ``ClientV2`` is a
    ``Client``)."""


class AsyncCohereDynamicConfig(BaseDynamicConfig["AsyncClient", CohereCallParams], total=False):
    """What an async (``async def``) Cohere prompt function may return."""


class CohereCallResponse(
    BaseCallResponse[
        "NonStreamedChatResponse | V2ChatResponse",
        "ApiMetaBilledUnits | UsageBilledUnits",
        CohereCallParams,
    ]
):
    """A Cohere call's result; ``response`` is the SDK's ``NonStreamedChatResponse`` (v1
    client) or ``V2ChatResponse`` (v2 client)."""

    __slots__ = ()


class CohereCallResponseChunk(BaseCallResponseChunk["StreamedChatResponse | V2ChatStreamResponse"]):
    """One streamed event; ``chunk`` is the SDK's ``StreamedChatResponse`` (v1) or
    ``V2ChatStreamResponse`` (v2) event."""

    __slots__ = ()


class CohereStream(
    BaseStream[
        CohereCallResponseChunk,
        CohereCallResponse,
        "ApiMetaBilledUnits | UsageBilledUnits",
        CohereCallParams,
    ]
):
    """A streamed Cohere call."""

    chunk_type = CohereCallResponseChunk
    call_response_type = CohereCallResponse


class CohereTool(BaseTool):
    """A tool for Cohere calls (any ``BaseTool`` works; this names the provider)."""

    @classmethod
    def tool_schema(cls) -> dict[str, Any]:
        """The tool as cohere receives it: a v2 function tool (v2's chat takes OpenAI's shape)."""
        from .._formats.openai_chat import encode_tool  # the adapter imports this module

        return encode_tool(cls)
