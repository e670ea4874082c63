"""Amazon Bedrock's Converse API: ``@bedrock.call("anthropic.claude-3-haiku-20240307-v1:0")``.
Needs ``mirascope[bedrock]`` (boto3 for sync calls, aiobotocore for async ones).

The default clients read the usual AWS configuration (``AWS_DEFAULT_REGION``, credentials,
``AWS_ENDPOINT_URL_BEDROCK_RUNTIME``...): one boto3 client for sync calls, and for async
calls one aiobotocore client per event loop, closed when the loop shuts down."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._engine.extras import missing_extra

try:
    import botocore.client as _botocore_client  # noqa: F401
except ImportError as _error:  # pragma: no cover - exercised in a venv without the extra
    raise missing_extra("bedrock", _error) from _error

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

if TYPE_CHECKING:
    # named in a quoted type argument below: aiobotocore loads only for async calls
    from aiobotocore.client import (  # noqa: F401
        AioBaseClient,
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
