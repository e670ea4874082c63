"""Google's public types (``google-genai``): call params, dynamic config, response, stream,
tool."""

from __future__ import annotations

from typing import TYPE_CHECKING

from typing_extensions import TypedDict

from ..base.call_response import BaseCallResponse
from ..base.dynamic_config import BaseDynamicConfig
from ..base.stream import BaseCallResponseChunk, BaseStream
from ..base.tool import BaseTool
from ..base.usage import Usage

if TYPE_CHECKING:
    # named in quoted type arguments only: the provider module imports the client classes
    # alone at run time
    from google.genai.client import AsyncClient, Client  # noqa: F401
    from google.genai.types import (  # noqa: F401
        GenerateContentConfigOrDict,
        GenerateContentResponse,
        GenerateContentResponseUsageMetadata,
    )


class GoogleCallParams(TypedDict, total=False):
    """Keyword arguments of ``client.models.generate_content`` besides the model and the
    contents: ``config``, a ``GenerateContentConfig`` or its dict
    (``{"temperature": 0.2, "max_output_tokens": 256, "safety_settings": [...]}``).

    The prompt's system message becomes ``config``'s ``system_instruction`` and the call's
    tools are added to ``config``'s ``tools``; the rest is sent as given."""

    config: GenerateContentConfigOrDict


class GoogleDynamicConfig(BaseDynamicConfig["Client", GoogleCallParams], total=False):
    """What a sync (``def``) Google prompt function may return."""


class AsyncGoogleDynamicConfig(
    BaseDynamicConfig["Client | AsyncClient", GoogleCallParams], total=False
):
    """What an async (``async def``) Google prompt function may return: its client is a
    ``genai.Client`` (whose ``.aio`` is used) or that ``.aio`` itself."""


class GoogleCallResponse(
    BaseCallResponse[
        "GenerateContentResponse", "GenerateContentResponseUsageMetadata", GoogleCallParams
    ]
):
    """A Google call's result; ``response`` is the SDK's ``GenerateContentResponse``."""

    __slots__ = ()


class GoogleCallResponseChunk(BaseCallResponseChunk["GenerateContentResponse"]):
    """One streamed chunk; ``chunk`` is the SDK's ``GenerateContentResponse`` for it."""

    __slots__ = ()

    def _unread_usage(self) -> Usage | None:
        from ._adapter import ADAPTER  # loaded with the stream

        return ADAPTER.chunk_usage(self.chunk)


class GoogleStream(
    BaseStream[
        GoogleCallResponseChunk,
        GoogleCallResponse,
        "GenerateContentResponseUsageMetadata",
        GoogleCallParams,
    ]
):
    """A streamed Google call."""

    chunk_type = GoogleCallResponseChunk
    call_response_type = GoogleCallResponse


class GoogleTool(BaseTool):
    """A tool for Google calls (any ``BaseTool`` works; this names the provider)."""
