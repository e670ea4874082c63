"""Gemini's public types: call params, dynamic config, response, stream, tool."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from google.generativeai.generative_models import GenerativeModel
from google.generativeai.types import (
    AsyncGenerateContentResponse,
    GenerateContentResponse,
)
from google.generativeai.types.content_types import FunctionCallingConfigType, ToolConfigType
from google.generativeai.types.generation_types import GenerationConfigType
from google.generativeai.types.helper_types import RequestOptionsType
from google.generativeai.types.safety_types import SafetySettingOptions
from typing_extensions import TypedDict

from ..base.call_response import BaseCallResponse
from ..base.dynamic_config import BaseDynamicConfig
from ..base.stream import BaseCallResponseChunk, BaseStream
from ..base.tool import BaseTool
from ..base.usage import Usage

if TYPE_CHECKING:
    # named only in quoted type arguments below (not loaded at run time)
    from google.generativeai import protos  # noqa: F401


class GeminiToolConfig(TypedDict):
    """``tool_config`` as a dict (the SDK's ``ToolConfigDict`` is a plain class)."""

    function_calling_config: FunctionCallingConfigType


class GeminiCallParams(TypedDict, total=False):
    """Keyword arguments of ``GenerativeModel.generate_content``, typed as the SDK types
    them (``generation_config={"temperature": 0.2, "max_output_tokens": 256}``...)."""

    generation_config: GenerationConfigType
    safety_settings: SafetySettingOptions
    tool_config: ToolConfigType | GeminiToolConfig
    request_options: RequestOptionsType


class GeminiDynamicConfig(BaseDynamicConfig[GenerativeModel, GeminiCallParams], total=False):
    """What a Gemini prompt function may return (one ``GenerativeModel`` serves sync and async)."""


class AsyncGeminiDynamicConfig(BaseDynamicConfig[GenerativeModel, GeminiCallParams], total=False):
    """What an async (``async def``) Gemini prompt function may return."""


class GeminiCallResponse(
    BaseCallResponse[
        GenerateContentResponse | AsyncGenerateContentResponse,
        "protos.GenerateContentResponse.UsageMetadata",
        GeminiCallParams,
    ]
):
    """A Gemini call's result; ``response`` is the SDK's ``GenerateContentResponse``."""

    __slots__ = ()


class GeminiCallResponseChunk(BaseCallResponseChunk[GenerateContentResponse]):
    """One streamed chunk; ``chunk`` is the SDK's ``GenerateContentResponse`` for it."""

    __slots__ = ()

    def _unread_usage(self) -> Usage | None:
        from ._adapter import ADAPTER  # loaded with the stream

        return ADAPTER.chunk_usage(self.chunk)


class GeminiStream(
    BaseStream[
        GeminiCallResponseChunk,
        GeminiCallResponse,
        "protos.GenerateContentResponse.UsageMetadata",
        GeminiCallParams,
    ]
):
    """A streamed Gemini call."""

    chunk_type = GeminiCallResponseChunk
    call_response_type = GeminiCallResponse


class GeminiTool(BaseTool):
    """A tool for Gemini calls (any ``BaseTool`` works; this names the provider)."""

    @classmethod
    def tool_schema(cls) -> dict[str, Any]:
        """The tool as gemini receives it: a function declaration."""
        from .._formats.google_content import (
            function_declaration,
        )  # the adapter imports this module

        return dict(function_declaration(cls))  # a copy: the encoding is shared
