"""xAI's public types: call params, dynamic config, response, stream, tool (its API speaks
OpenAI's chat completions, through the ``openai`` SDK)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..base.call_response import BaseCallResponse
from ..base.dynamic_config import BaseDynamicConfig
from ..base.stream import BaseCallResponseChunk, BaseStream
from ..base.tool import BaseTool
from ..openai._types import OpenAICallParams

if TYPE_CHECKING:
    from openai import AsyncOpenAI, OpenAI  # noqa: F401
    from openai.types import CompletionUsage  # noqa: F401
    from openai.types.chat import ChatCompletion, ChatCompletionChunk  # noqa: F401


class XAICallParams(OpenAICallParams, total=False):
    """Request parameters of ``chat.completions.create`` (xAI's API takes OpenAI's), typed
    as the ``openai`` SDK types them."""


class XAIDynamicConfig(BaseDynamicConfig["OpenAI", XAICallParams], total=False):
    """What a sync (``def``) xAI prompt function may return."""


class AsyncXAIDynamicConfig(BaseDynamicConfig["AsyncOpenAI", XAICallParams], total=False):
    """What an async (``async def``) xAI prompt function may return."""


class XAICallResponse(BaseCallResponse["ChatCompletion", "CompletionUsage", XAICallParams]):
    """An xAI call's result; ``response`` is the ``openai`` SDK's ``ChatCompletion``."""

    __slots__ = ()


class XAICallResponseChunk(BaseCallResponseChunk["ChatCompletionChunk"]):
    """One streamed chunk; ``chunk`` is the ``openai`` SDK's ``ChatCompletionChunk``."""

    __slots__ = ()


class XAIStream(
    BaseStream[XAICallResponseChunk, XAICallResponse, "CompletionUsage", XAICallParams]
):
    """A streamed xAI call."""

    chunk_type = XAICallResponseChunk
    call_response_type = XAICallResponse


class XAITool(BaseTool):
    """A tool for xAI calls (any ``BaseTool`` works; this names the provider)."""
