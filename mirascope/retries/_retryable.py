"""Which vendor errors a retry can help with, and how long the vendor asks to wait.

Pure functions of the exception the SDK raised: no SDK is imported (an exception of an SDK
that was never loaded cannot exist, so its classes are looked up in ``sys.modules``), and
nothing here runs unless a call has failed."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Mapping
from email.utils import parsedate_to_datetime
from typing import Any, TypeGuard, cast

# (module, class names): what each transport and SDK raises for a timeout or a lost
# connection, where the exception carries no HTTP status
_TRANSPORT_ERRORS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("httpx", ("TimeoutException", "NetworkError", "RemoteProtocolError")),
    ("openai", ("APIConnectionError",)),  # APITimeoutError derives from it
    ("anthropic", ("APIConnectionError",)),
    ("groq", ("APIConnectionError",)),
    ("azure.core.exceptions", ("ServiceRequestError", "ServiceResponseError")),
    ("botocore.exceptions", ("ConnectionError", "HTTPClientError")),
    ("urllib3.exceptions", ("ProtocolError", "TimeoutError", "NewConnectionError")),
    ("aiohttp", ("ClientConnectionError", "ClientPayloadError")),
    ("requests", ("ConnectionError", "Timeout")),
)

# botocore's error codes for throttling, which some services send with a 400
_AWS_THROTTLING = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "ServiceUnavailableException",
        "ModelNotReadyException",
    }
)


def is_retryable(error: BaseException) -> bool:
    """Whether trying the same request again may succeed, by the vendor's word.

    True for a rate limit (HTTP 429), a server error (5xx), a timeout (408, or the
    transport's) and a lost or refused connection, as each of the ten SDKs raises them
    (``openai.RateLimitError``, ``google.api_core.exceptions.ServiceUnavailable``,
    botocore's ``ThrottlingException``, ``httpx.ConnectError``, ...); a Stainless SDK's
    ``x-should-retry`` answer header (OpenAI, Anthropic, Groq) overrides the status. False
    for everything else: bad requests, authentication, validation errors, mirascope's own
    errors, and Google's ``RetryError`` (its SDK has already retried until its deadline).

    Use it as tenacity's condition: ``retry=retry_if_exception(is_retryable)``.
    """
    should = _header(headers_of(error), "x-should-retry")
    if should == "true":
        return True
    if should == "false":
        return False
    status = status_of(error)
    if status is not None:
        return status in (408, 429) or 500 <= status <= 599 or _aws_throttled(error)
    if isinstance(error, ConnectionError | TimeoutError):
        return True
    return any(isinstance(error, kind) for kind in _transport_classes())


def retry_after(error: BaseException) -> float | None:
    """Seconds the vendor asked to wait before trying again, or None if it did not say.

    Read from the answer's ``retry-after-ms`` or ``Retry-After`` header (seconds or an
    HTTP date) wherever the SDK keeps it, or from Google's ``RetryInfo`` error detail."""
    headers = headers_of(error)
    value = _header(headers, "retry-after-ms")
    if value is not None:
        try:
            return max(float(value) / 1000, 0.0)
        except ValueError:
            pass
    value = _header(headers, "retry-after")
    if value is not None:
        try:
            return max(float(value), 0.0)
        except ValueError:
            try:
                return max(parsedate_to_datetime(value).timestamp() - time.time(), 0.0)
            except (TypeError, ValueError, IndexError):
                pass
    return _google_retry_delay(error)


def status_of(error: BaseException) -> int | None:
    """The HTTP status of the answer behind ``error``, wherever its SDK keeps it."""
    status = getattr(error, "status_code", None)  # httpx-based SDKs, LiteLLM, azure-core
    if isinstance(status, int):
        return status
    module = type(error).__module__
    if module.startswith(("google.api_core", "google.genai")):
        # google-api-core: the HTTP equivalent, over REST and gRPC alike; google-genai's
        # APIError: the answer's HTTP status
        code = getattr(error, "code", None)
        return code if isinstance(code, int) else None
    metadata = _botocore_metadata(error)
    if metadata is not None:
        status = metadata.get("HTTPStatusCode")
        return status if isinstance(status, int) else None
    raw = getattr(error, "raw_response", None)  # Mistral's SDKError
    status = getattr(raw, "status_code", None)
    return status if isinstance(status, int) else None


def headers_of(error: BaseException) -> Iterable[tuple[Any, Any]]:
    """The answer's headers (name, value) behind ``error``; empty when it has none."""
    metadata = _botocore_metadata(error)
    if metadata is not None:
        headers: Any = metadata.get("HTTPHeaders")
    else:
        headers = getattr(error, "headers", None)  # Cohere's ApiError
        if headers is None:
            response: Any = getattr(error, "response", None)  # httpx, azure-core, requests
            if response is None:
                response = getattr(error, "raw_response", None)  # Mistral
            if callable(getattr(response, "initial_metadata", None)):  # a gRPC call
                return _grpc_metadata(response)
            headers = getattr(response, "headers", None)
    if headers is None:
        return ()
    items = getattr(headers, "items", None)
    return list(cast(Iterable[tuple[Any, Any]], items() if callable(items) else headers))


def _header(headers: Iterable[tuple[Any, Any]], name: str) -> str | None:
    for key, value in headers:
        if isinstance(key, str) and key.lower() == name:
            return str(value).strip().lower() if name == "x-should-retry" else str(value)
    return None


def _grpc_metadata(call: Any) -> list[tuple[Any, Any]]:
    found: list[tuple[Any, Any]] = []
    for getter in ("initial_metadata", "trailing_metadata"):
        try:
            found += list(getattr(call, getter)() or ())
        except Exception:  # a call that never got an answer has no metadata to give
            continue
    return found


def _is_str_mapping(value: object) -> TypeGuard[Mapping[str, object]]:
    # here rather than from core.base._narrow: importing core.base loads pydantic
    return isinstance(value, Mapping)


def _botocore_metadata(error: BaseException) -> Mapping[str, object] | None:
    response: object = getattr(error, "response", None)
    if _is_str_mapping(response):  # botocore's ClientError keeps the parsed answer
        metadata = response.get("ResponseMetadata")
        if _is_str_mapping(metadata):
            return metadata
    return None


def _aws_throttled(error: BaseException) -> bool:
    response: Any = getattr(error, "response", None)
    if not isinstance(response, Mapping):
        return False
    details: Any = cast(Mapping[str, Any], response).get("Error")
    return (
        isinstance(details, Mapping)
        and cast(Mapping[str, Any], details).get("Code") in _AWS_THROTTLING
    )


def _transport_classes() -> list[type]:
    found: list[type] = []
    for module_name, names in _TRANSPORT_ERRORS:
        module = sys.modules.get(module_name)
        if module is None:
            continue
        for name in names:
            kind = getattr(module, name, None)
            if isinstance(kind, type):
                found.append(kind)
    return found


def _google_retry_delay(error: BaseException) -> float | None:
    """``google.rpc.RetryInfo`` among a Google error's details: a message over gRPC, a
    dict (``{"retryDelay": "23s"}``) over REST."""
    found: Any = getattr(error, "details", None)
    if not isinstance(found, list):
        return None
    for detail in cast(list[Any], found):
        if isinstance(detail, Mapping):
            delay: Any = cast(Mapping[str, Any], detail).get("retryDelay")
            if isinstance(delay, str) and delay.endswith("s"):
                try:
                    return max(float(delay[:-1]), 0.0)
                except ValueError:
                    continue
        else:
            delay = getattr(detail, "retry_delay", None)
            seconds = getattr(delay, "seconds", None)
            if isinstance(seconds, int):
                nanos = getattr(delay, "nanos", 0)
                return max(seconds + (nanos if isinstance(nanos, int) else 0) / 1e9, 0.0)
    return None
