"""LiteLLM's public types: call params, dynamic config, response, stream, tool.

litellm is imported for type checking only (see the package docstring)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from typing_extensions import Never, TypedDict

from ..base.call_response import BaseCallResponse
from ..base.dynamic_config import BaseDynamicConfig
from ..base.stream import BaseCallResponseChunk, BaseStream
from ..base.tool import BaseTool

if TYPE_CHECKING:
    # litellm ships no type markers (py.typed): its types are read, not checked
    import httpx
    from litellm.types.llms.anthropic import (  # pyright: ignore[reportMissingTypeStubs]
        AnthropicThinkingParam,
    )
    from litellm.types.llms.openai import (  # pyright: ignore[reportMissingTypeStubs]
        OpenAIWebSearchOptions,
    )
    from litellm.types.utils import (  # pyright: ignore[reportMissingTypeStubs]
        ModelResponse,
        ModelResponseStream,
        Usage,  # noqa: F401
    )
    from openai.types.chat import (  # the types litellm's signature re-exports
        ChatCompletionAudioParam,
        ChatCompletionModality,
        ChatCompletionPredictionContentParam,
    )
    from pydantic import BaseModel
else:  # litellm is not imported until the first call
    ModelResponse = ModelResponseStream = Any

NoClient = Never
"""LiteLLM has no client object: ``client`` takes nothing but ``None``."""


class LiteLLMCallParams(TypedDict, total=False):
    """Keyword arguments of ``litellm.completion``, typed as litellm types them."""

    timeout: float | str | httpx.Timeout | None
    temperature: float | None
    top_p: float | None
    n: int | None
    stream_options: dict[str, object] | None
    stop: str | list[str] | None
    max_completion_tokens: int | None
    max_tokens: int | None
    modalities: list[ChatCompletionModality] | None
    prediction: ChatCompletionPredictionContentParam | None
    audio: ChatCompletionAudioParam | None
    presence_penalty: float | None
    frequency_penalty: float | None
    logit_bias: dict[str, float] | None
    user: str | None
    reasoning_effort: (
        Literal["none", "minimal", "low", "medium", "high", "xhigh", "max", "default"] | None
    )
    verbosity: Literal["low", "medium", "high"] | None
    response_format: dict[str, object] | type[BaseModel] | None
    seed: int | None
    tool_choice: str | dict[str, object] | None
    logprobs: bool | None
    top_logprobs: int | None
    parallel_tool_calls: bool | None
    web_search_options: OpenAIWebSearchOptions | None
    extra_headers: dict[str, str] | None
    safety_identifier: str | None
    service_tier: str | None
    store: bool | None
    prompt_cache_key: str | None
    base_url: str | None
    api_base: str | None
    api_version: str | None
    api_key: str | None
    thinking: AnthropicThinkingParam | None
    num_retries: int | None
    metadata: dict[str, object] | None


class LiteLLMDynamicConfig(BaseDynamicConfig[NoClient, LiteLLMCallParams], total=False):
    """What a sync (``def``) LiteLLM prompt function may return (no ``client``)."""


class AsyncLiteLLMDynamicConfig(BaseDynamicConfig[NoClient, LiteLLMCallParams], total=False):
    """What an async (``async def``) LiteLLM prompt function may return (no ``client``)."""


class LiteLLMCallResponse(BaseCallResponse[ModelResponse, "Usage", LiteLLMCallParams]):
    """A LiteLLM call's result; ``response`` is litellm's ``ModelResponse``."""

    __slots__ = ()


class LiteLLMCallResponseChunk(BaseCallResponseChunk[ModelResponseStream]):
    """One streamed chunk; ``chunk`` is litellm's ``ModelResponseStream``."""

    __slots__ = ()


class LiteLLMStream(
    BaseStream[LiteLLMCallResponseChunk, LiteLLMCallResponse, "Usage", LiteLLMCallParams]
):
    """A streamed LiteLLM call."""

    chunk_type = LiteLLMCallResponseChunk
    call_response_type = LiteLLMCallResponse


class LiteLLMTool(BaseTool):
    """A tool for LiteLLM calls (any ``BaseTool`` works; this names the provider)."""

    @classmethod
    def tool_schema(cls) -> dict[str, Any]:
        """The tool as litellm receives it: a chat-completions function tool."""
        from .._formats.openai_chat import encode_tool  # the adapter imports this module

        return encode_tool(cls)
