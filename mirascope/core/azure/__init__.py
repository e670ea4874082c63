"""Azure AI model inference: ``@azure.call("gpt-4o-mini")``. Needs ``mirascope[azure]``.

The default client reads ``AZURE_INFERENCE_ENDPOINT`` (the endpoint URL) and
``AZURE_INFERENCE_CREDENTIAL`` (the API key); for other credentials pass a client:
``client=ChatCompletionsClient(endpoint=..., credential=...)`` from ``azure.ai.inference``
(``def``) or ``azure.ai.inference.aio`` (``async def``).

Importing this module imports the SDK and nothing else: ``call`` and the types load on
first use (PEP 562), with pydantic, which this SDK does not load itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

try:
    import azure.ai.inference as _sdk  # noqa: F401
except ImportError as _error:  # pragma: no cover - exercised in a venv without the extra
    from .._engine.extras import missing_extra

    raise missing_extra("azure", _error) from _error

from .._lazy import load_on_first_use

if TYPE_CHECKING:
    # the async client's module loads only for async calls
    import azure.ai.inference.aio as _aio  # noqa: F401

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

__getattr__, __dir__ = load_on_first_use(__name__, "Azure", __all__)
