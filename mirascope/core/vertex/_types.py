"""Vertex AI's public types: call params, dynamic config, response, stream, tool."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from typing_extensions import TypedDict
from vertexai.generative_models import GenerationResponse, GenerativeModel, ToolConfig
from vertexai.generative_models._generative_models import (
    GenerationConfigType,
    SafetySettingsType,
)
from vertexai.preview.generative_models import GenerativeModel as PreviewGenerativeModel

from ..base.call_response import BaseCallResponse
from ..base.dynamic_config import BaseDynamicConfig
from ..base.stream import BaseCallResponseChunk, BaseStream
from ..base.tool import BaseTool
from ..base.usage import Usage

if TYPE_CHECKING:
    # named only in quoted type arguments below (not loaded at run time)
    from google.cloud.aiplatform_v1beta1.types.prediction_service import (  # noqa: F401
        GenerateContentResponse,
    )


class VertexCallParams(TypedDict, total=False):
    """Keyword arguments of ``GenerativeModel.generate_content``, typed as the SDK types
    them (``generation_config={"temperature": 0.2, "max_output_tokens": 256}``...)."""

    generation_config: GenerationConfigType
    safety_settings: SafetySettingsType
    tool_config: ToolConfig
    labels: dict[str, str]


VertexClient = GenerativeModel | PreviewGenerativeModel
"""A client: a ``GenerativeModel``, from ``vertexai.generative_models`` or its preview."""


class VertexDynamicConfig(BaseDynamicConfig[VertexClient, VertexCallParams], total=False):
    """What a Vertex AI prompt function may return (one ``GenerativeModel`` serves sync and
    async)."""


class AsyncVertexDynamicConfig(BaseDynamicConfig[VertexClient, VertexCallParams], total=False):
    """What an async (``async def``) Vertex AI prompt function may return."""


class VertexCallResponse(
    BaseCallResponse[GenerationResponse, "GenerateContentResponse.UsageMetadata", VertexCallParams]
):
    """A Vertex AI call's result; ``response`` is the SDK's ``GenerationResponse``."""

    __slots__ = ()


class VertexCallResponseChunk(BaseCallResponseChunk[GenerationResponse]):
    """One streamed chunk; ``chunk`` is the SDK's ``GenerationResponse`` for it."""

    __slots__ = ()

    def _unread_usage(self) -> Usage | None:
        from ._adapter import ADAPTER  # loaded with the stream

        return ADAPTER.chunk_usage(self.chunk)


class VertexStream(
    BaseStream[
        VertexCallResponseChunk,
        VertexCallResponse,
        "GenerateContentResponse.UsageMetadata",
        VertexCallParams,
    ]
):
    """A streamed Vertex AI call."""

    chunk_type = VertexCallResponseChunk
    call_response_type = VertexCallResponse


class VertexTool(BaseTool):
    """A tool for Vertex AI calls (any ``BaseTool`` works; this names the provider)."""

    @classmethod
    def tool_schema(cls) -> dict[str, Any]:
        """The tool as vertex receives it: a function declaration."""
        from .._formats.google_content import (
            function_declaration,
        )  # the adapter imports this module

        return dict(function_declaration(cls))  # a copy: the encoding is shared
