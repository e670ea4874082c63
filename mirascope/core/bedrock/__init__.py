"""Amazon Bedrock's Converse API: ``@bedrock.call("anthropic.claude-3-haiku-20240307-v1:0")``.
Needs ``mirascope[bedrock]`` (boto3 for sync calls, aiobotocore for async ones).

The default clients read the usual AWS configuration (``AWS_DEFAULT_REGION``, credentials,
``AWS_ENDPOINT_URL_BEDROCK_RUNTIME``...): one boto3 client for sync calls, and for async
calls one aiobotocore client per event loop, closed when the loop shuts down.

Importing this module imports botocore and nothing else: ``call``, the types and
``ClientClosedError`` load on first use (PEP 562), with pydantic, which boto3 does not load
itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

try:
    import botocore.client as _botocore_client  # noqa: F401
except ImportError as _error:  # pragma: no cover - exercised in a venv without the extra
    from .._engine.extras import missing_extra

    raise missing_extra("bedrock", _error) from _error

from .._lazy import load_on_first_use

if TYPE_CHECKING:
    # named in a quoted type argument below: aiobotocore loads only for async calls
    from aiobotocore.client import AioBaseClient  # noqa: F401

    from .._engine.decorator import CallFactory
    from ._adapter import ADAPTER, ClientClosedError
    from ._types import (
        AsyncBedrockDynamicConfig,
        BedrockCallParams,
        BedrockCallResponse,
        BedrockCallResponseChunk,
        BedrockDynamicConfig,
        BedrockStream,
        BedrockTool,
    )

    call = CallFactory[
        BedrockCallResponse,
        BedrockStream,
        "_botocore_client.BaseClient | AioBaseClient",
        BedrockCallParams,
    ](ADAPTER, BedrockCallResponse, BedrockStream, BedrockCallParams)
    """Decorate a prompt function to call a Bedrock model through the Converse API."""

__all__ = [
    "AsyncBedrockDynamicConfig",
    "BedrockCallParams",
    "BedrockCallResponse",
    "BedrockCallResponseChunk",
    "BedrockDynamicConfig",
    "BedrockStream",
    "BedrockTool",
    "ClientClosedError",
    "call",
]

_load, __dir__ = load_on_first_use(__name__, "Bedrock", __all__)


def __getattr__(name: str) -> object:
    if name == "ClientClosedError":  # the adapter's error, not one of the types
        from . import _adapter

        globals()[name] = _adapter.ClientClosedError
        return _adapter.ClientClosedError
    return _load(name)
