"""Azure AI model inference: ``@azure.call("gpt-4o-mini")``. Needs ``mirascope[azure]``.

The default client reads ``AZURE_INFERENCE_ENDPOINT`` (the endpoint URL) and
``AZURE_INFERENCE_CREDENTIAL`` (the API key); for other credentials pass a client:
``client=ChatCompletionsClient(endpoint=..., credential=...)`` from ``azure.ai.inference``
(``def``) or ``azure.ai.inference.aio`` (``async def``)."""

from typing import TYPE_CHECKING

from .._engine.extras import missing_extra

try:
    import azure.ai.inference as _sdk  # noqa: F401
except ImportError as _error:  # pragma: no cover - exercised in a venv without the extra
    raise missing_extra("azure", _error) from _error

from .._engine.decorator import CallFactory
from ._adapter import ADAPTER
from ._types import (
    AsyncAzureDynamicConfig,
    AzureCallParams,
    AzureCallResponse,
    AzureCallResponseChunk,
    AzureDynamicConfig,
    AzureStream,
    AzureTool,
)

if TYPE_CHECKING:
    # named in a quoted type argument below: the async client's module loads only for
    # async calls
    import azure.ai.inference.aio as _aio  # noqa: F401

call = CallFactory[
    AzureCallResponse,
    AzureStream,
    "_sdk.ChatCompletionsClient | _aio.ChatCompletionsClient",
    AzureCallParams,
](ADAPTER, AzureCallResponse, AzureStream, AzureCallParams)
"""Decorate a prompt function to call a chat model on Azure AI model inference."""

__all__ = [
    "AsyncAzureDynamicConfig",
    "AzureCallParams",
    "AzureCallResponse",
    "AzureCallResponseChunk",
    "AzureDynamicConfig",
    "AzureStream",
    "AzureTool",
    "call",
]
