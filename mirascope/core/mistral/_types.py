"""Mistral's public types: call params, dynamic config, response, stream, tool.

The SDK's client lives in ``mistralai`` (1.x, which the guide imports) or in
``mistralai.client`` (2.x, where ``mistralai`` became a namespace package); both work."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from typing_extensions import TypedDict

from ..base.call_response import BaseCallResponse
from ..base.dynamic_config import BaseDynamicConfig
from ..base.stream import BaseCallResponseChunk, BaseStream
from ..base.tool import BaseTool

if TYPE_CHECKING:
    from mistralai import Mistral
    from mistralai.models import (
        ChatCompletionRequestToolChoiceTypedDict,
        ChatCompletionResponse,
        CompletionEvent,
        DeltaMessage,
        MistralPromptMode,
        PredictionTypedDict,
        ResponseFormatTypedDict,
        StopTypedDict,
        UsageInfo,  # noqa: F401
    )
    from mistralai.utils import RetryConfig
else:
    try:
        from mistralai import Mistral
        from mistralai.models import ChatCompletionResponse, CompletionEvent, DeltaMessage
    except ImportError as _error:  # mistralai >= 2: the client moved to mistralai.client
        try:
            from mistralai.client import Mistral
            from mistralai.client.models import (
                ChatCompletionResponse,
                CompletionEvent,
                DeltaMessage,
            )
        except ImportError:
            raise _error from None  # neither layout: report the first failure

_unset: object = DeltaMessage.model_fields["tool_calls"].default
UNSET_TYPE: type[object] = type(_unset)
"""The class of the SDK's mark of a field a chunk did not send (``Unset``), either layout."""


class MistralCallParams(TypedDict, total=False):
    """Request parameters of ``chat.complete`` / ``chat.stream``, typed as the SDK types them."""

    frequency_penalty: float
    max_tokens: int | None
    metadata: dict[str, Any] | None
    n: int | None
    parallel_tool_calls: bool
    prediction: PredictionTypedDict
    presence_penalty: float
    prompt_mode: MistralPromptMode | None
    random_seed: int | None
    response_format: ResponseFormatTypedDict
    safe_prompt: bool
    stop: StopTypedDict
    temperature: float | None
    tool_choice: ChatCompletionRequestToolChoiceTypedDict
    top_p: float
    retries: RetryConfig
    server_url: str
    timeout_ms: int
    http_headers: Mapping[str, str]


class MistralDynamicConfig(BaseDynamicConfig[Mistral, MistralCallParams], total=False):
    """What a Mistral prompt function may return (one ``Mistral`` client serves both
    ``def`` and ``async def``)."""


class AsyncMistralDynamicConfig(BaseDynamicConfig[Mistral, MistralCallParams], total=False):
    """What an async (``async def``) Mistral prompt function may return."""


class MistralCallResponse(BaseCallResponse[ChatCompletionResponse, "UsageInfo", MistralCallParams]):
    """A Mistral call's result; ``response`` is the SDK's ``ChatCompletionResponse``."""

    __slots__ = ()


class MistralCallResponseChunk(BaseCallResponseChunk[CompletionEvent]):
    """One streamed chunk; ``chunk`` is the SDK's ``CompletionEvent`` (its ``data`` holds
    the ``CompletionChunk``)."""

    __slots__ = ()


class MistralStream(
    BaseStream[MistralCallResponseChunk, MistralCallResponse, "UsageInfo", MistralCallParams]
):
    """A streamed Mistral call."""

    chunk_type = MistralCallResponseChunk
    call_response_type = MistralCallResponse


class MistralTool(BaseTool):
    """A tool for Mistral calls (any ``BaseTool`` works; this names the provider)."""

    @classmethod
    def tool_schema(cls) -> dict[str, Any]:
        """The tool as mistral receives it: a chat-completions function tool."""
        from .._formats.openai_chat import encode_tool  # the adapter imports this module

        return encode_tool(cls)
