"""The exact exception each SDK raises for each vendor-side fault of the fault matrix
(``test_faults.py``), as its module and qualified name: a regression in how a fault reaches
the user (mirascope wrapping it, or replacing it with something else) fails the matrix.

Taken from a run of the matrix on the locked SDK versions (``MIRASCOPE_FAULT_MATRIX``);
``nox -s tests_latest`` shows when a new SDK release raises something else. A pair is
(sync, async) where they differ."""

from __future__ import annotations

SDK_ERRORS: dict[tuple[str, str], str | tuple[str, str]] = {
    ("anthropic", "HTTP 400"): "anthropic.BadRequestError",
    ("anthropic", "HTTP 401"): "anthropic.AuthenticationError",
    ("anthropic", "HTTP 429"): "anthropic.RateLimitError",
    ("anthropic", "HTTP 500"): "anthropic.InternalServerError",
    ("anthropic", "HTTP 503"): "anthropic.ServiceUnavailableError",
    ("anthropic", "connection refused"): "anthropic.APIConnectionError",
    ("anthropic", "garbled event mid-stream"): "json.decoder.JSONDecodeError",
    ("anthropic", "malformed JSON body"): "json.decoder.JSONDecodeError",
    ("anthropic", "malformed stream event"): "json.decoder.JSONDecodeError",
    ("anthropic", "stream cut after a tool call"): "anthropic.APIConnectionError",
    ("anthropic", "stream cut mid-way"): "anthropic.APIConnectionError",
    ("anthropic", "timeout"): "anthropic.APITimeoutError",
    ("azure", "HTTP 400"): "azure.core.exceptions.HttpResponseError",
    ("azure", "HTTP 401"): "azure.core.exceptions.ClientAuthenticationError",
    ("azure", "HTTP 429"): "azure.core.exceptions.HttpResponseError",
    ("azure", "HTTP 500"): "azure.core.exceptions.HttpResponseError",
    ("azure", "HTTP 503"): "azure.core.exceptions.HttpResponseError",
    ("azure", "connection refused"): "azure.core.exceptions.ServiceRequestError",
    ("azure", "garbled event mid-stream"): "json.decoder.JSONDecodeError",
    ("azure", "malformed JSON body"): "azure.core.exceptions.DecodeError",
    ("azure", "malformed stream event"): "json.decoder.JSONDecodeError",
    ("azure", "stream cut mid-way"): (
        "azure.core.exceptions.HttpResponseError",
        "azure.core.exceptions.IncompleteReadError",
    ),
    ("azure", "timeout"): "azure.core.exceptions.ServiceResponseTimeoutError",
    ("bedrock", "HTTP 400"): "botocore.errorfactory.ValidationException",
    ("bedrock", "HTTP 401"): "botocore.exceptions.ClientError",
    ("bedrock", "HTTP 429"): "botocore.errorfactory.ThrottlingException",
    ("bedrock", "HTTP 500"): "botocore.errorfactory.InternalServerException",
    ("bedrock", "HTTP 503"): "botocore.errorfactory.ServiceUnavailableException",
    ("bedrock", "connection refused"): "botocore.exceptions.EndpointConnectionError",
    ("bedrock", "stream cut after a tool call"): (
        "urllib3.exceptions.ProtocolError",
        "aiohttp.client_exceptions.ClientPayloadError",
    ),
    ("bedrock", "stream cut mid-way"): (
        "urllib3.exceptions.ProtocolError",
        "aiohttp.client_exceptions.ClientPayloadError",
    ),
    ("bedrock", "timeout"): "botocore.exceptions.ReadTimeoutError",
    ("cohere", "HTTP 400"): "cohere.errors.bad_request_error.BadRequestError",
    ("cohere", "HTTP 401"): "cohere.errors.unauthorized_error.UnauthorizedError",
    ("cohere", "HTTP 429"): "cohere.errors.too_many_requests_error.TooManyRequestsError",
    ("cohere", "HTTP 500"): "cohere.errors.internal_server_error.InternalServerError",
    ("cohere", "HTTP 503"): "cohere.errors.service_unavailable_error.ServiceUnavailableError",
    ("cohere", "connection refused"): "httpx.ConnectError",
    ("cohere", "malformed JSON body"): "cohere.core.api_error.ApiError",
    ("cohere", "stream cut after a tool call"): "httpx.RemoteProtocolError",
    ("cohere", "stream cut mid-way"): "httpx.RemoteProtocolError",
    ("cohere", "timeout"): "httpx.ReadTimeout",
    ("gemini", "HTTP 400"): "google.api_core.exceptions.InvalidArgument",
    ("gemini", "HTTP 401"): "google.api_core.exceptions.Unauthenticated",
    ("gemini", "HTTP 429"): "google.api_core.exceptions.ResourceExhausted",
    ("gemini", "HTTP 500"): "google.api_core.exceptions.InternalServerError",
    ("gemini", "HTTP 503"): "google.api_core.exceptions.ServiceUnavailable",
    ("gemini", "malformed JSON body"): (
        "google.api_core.exceptions.InternalServerError",
        "builtins.AttributeError",
    ),
    ("gemini", "malformed stream event"): (
        "google.api_core.exceptions.InternalServerError",
        "builtins.TypeError",
    ),
    ("gemini", "stream cut mid-way"): "google.api_core.exceptions.ServiceUnavailable",
    ("gemini", "timeout"): "google.api_core.exceptions.DeadlineExceeded",
    ("google", "HTTP 400"): "google.genai.errors.ClientError",
    ("google", "HTTP 401"): "google.genai.errors.ClientError",
    ("google", "HTTP 429"): "google.genai.errors.ClientError",
    ("google", "HTTP 500"): "google.genai.errors.ServerError",
    ("google", "HTTP 503"): "google.genai.errors.ServerError",
    # transport faults: httpx's, sync and async alike (the async cells go through httpx, as
    # google-genai's async client does without aiohttp or with a transport of one's own;
    # with aiohttp installed its default async client raises aiohttp's: see
    # tests/providers/google)
    ("google", "connection refused"): "httpx.ConnectError",
    ("google", "garbled event mid-stream"): "google.genai.errors.UnknownApiResponseError",
    ("google", "malformed JSON body"): "json.decoder.JSONDecodeError",
    ("google", "malformed stream event"): "google.genai.errors.UnknownApiResponseError",
    ("google", "stream cut mid-way"): "httpx.RemoteProtocolError",
    ("google", "timeout"): "httpx.ReadTimeout",
    ("groq", "HTTP 400"): "groq.BadRequestError",
    ("groq", "HTTP 401"): "groq.AuthenticationError",
    ("groq", "HTTP 429"): "groq.RateLimitError",
    ("groq", "HTTP 500"): "groq.InternalServerError",
    ("groq", "HTTP 503"): "groq.InternalServerError",
    ("groq", "connection refused"): "groq.APIConnectionError",
    ("groq", "garbled event mid-stream"): "json.decoder.JSONDecodeError",
    ("groq", "malformed JSON body"): "json.decoder.JSONDecodeError",
    ("groq", "malformed stream event"): "json.decoder.JSONDecodeError",
    ("groq", "stream cut after a tool call"): "httpx.RemoteProtocolError",
    ("groq", "stream cut mid-way"): "httpx.RemoteProtocolError",
    ("groq", "timeout"): "groq.APITimeoutError",
    ("litellm", "HTTP 400"): "litellm.exceptions.BadRequestError",
    ("litellm", "HTTP 401"): "litellm.exceptions.AuthenticationError",
    ("litellm", "HTTP 429"): "litellm.exceptions.RateLimitError",
    ("litellm", "HTTP 500"): "litellm.exceptions.InternalServerError",
    ("litellm", "HTTP 503"): "litellm.exceptions.ServiceUnavailableError",
    ("litellm", "connection refused"): "litellm.exceptions.InternalServerError",
    ("litellm", "empty stream"): "litellm.exceptions.MidStreamFallbackError",
    ("litellm", "garbled event mid-stream"): "litellm.exceptions.MidStreamFallbackError",
    ("litellm", "malformed JSON body"): "litellm.exceptions.InternalServerError",
    ("litellm", "malformed stream event"): "litellm.exceptions.MidStreamFallbackError",
    ("litellm", "stream cut after a tool call"): "litellm.exceptions.MidStreamFallbackError",
    ("litellm", "stream cut mid-way"): "litellm.exceptions.MidStreamFallbackError",
    ("litellm", "timeout"): "litellm.exceptions.Timeout",
    ("mistral", "HTTP 400"): "mistralai.models.sdkerror.SDKError",
    ("mistral", "HTTP 401"): "mistralai.models.sdkerror.SDKError",
    ("mistral", "HTTP 429"): "mistralai.models.sdkerror.SDKError",
    ("mistral", "HTTP 500"): "mistralai.models.sdkerror.SDKError",
    ("mistral", "HTTP 503"): "mistralai.models.sdkerror.SDKError",
    ("mistral", "connection refused"): "httpx.ConnectError",
    ("mistral", "garbled event mid-stream"): "pydantic_core._pydantic_core.ValidationError",
    (
        "mistral",
        "malformed JSON body",
    ): "mistralai.models.responsevalidationerror.ResponseValidationError",
    ("mistral", "malformed stream event"): "pydantic_core._pydantic_core.ValidationError",
    ("mistral", "stream cut mid-way"): "httpx.RemoteProtocolError",
    ("mistral", "timeout"): "httpx.ReadTimeout",
    ("openai", "HTTP 400"): "openai.BadRequestError",
    ("openai", "HTTP 401"): "openai.AuthenticationError",
    ("openai", "HTTP 429"): "openai.RateLimitError",
    ("openai", "HTTP 500"): "openai.InternalServerError",
    ("openai", "HTTP 503"): "openai.InternalServerError",
    ("openai", "connection refused"): "openai.APIConnectionError",
    ("openai", "garbled event mid-stream"): "json.decoder.JSONDecodeError",
    ("openai", "malformed JSON body"): "json.decoder.JSONDecodeError",
    ("openai", "malformed stream event"): "json.decoder.JSONDecodeError",
    ("openai", "stream cut after a tool call"): "openai.APIConnectionError",
    ("openai", "stream cut mid-way"): "openai.APIConnectionError",
    ("openai", "timeout"): "openai.APITimeoutError",
    ("vertex", "HTTP 400"): "google.api_core.exceptions.InvalidArgument",
    ("vertex", "HTTP 401"): "google.api_core.exceptions.Unauthenticated",
    ("vertex", "HTTP 429"): "google.api_core.exceptions.ResourceExhausted",
    ("vertex", "HTTP 500"): "google.api_core.exceptions.InternalServerError",
    ("vertex", "HTTP 503"): "google.api_core.exceptions.ServiceUnavailable",
    ("vertex", "malformed JSON body"): (
        "google.api_core.exceptions.InternalServerError",
        "builtins.AttributeError",
    ),
    ("vertex", "malformed stream event"): (
        "google.api_core.exceptions.InternalServerError",
        "builtins.AttributeError",
    ),
    ("vertex", "stream cut mid-way"): "google.api_core.exceptions.ServiceUnavailable",
    ("xai", "HTTP 400"): "openai.BadRequestError",
    ("xai", "HTTP 401"): "openai.AuthenticationError",
    ("xai", "HTTP 429"): "openai.RateLimitError",
    ("xai", "HTTP 500"): "openai.InternalServerError",
    ("xai", "HTTP 503"): "openai.InternalServerError",
    ("xai", "connection refused"): "openai.APIConnectionError",
    ("xai", "garbled event mid-stream"): "json.decoder.JSONDecodeError",
    ("xai", "malformed JSON body"): "json.decoder.JSONDecodeError",
    ("xai", "malformed stream event"): "json.decoder.JSONDecodeError",
    ("xai", "stream cut after a tool call"): "openai.APIConnectionError",
    ("xai", "stream cut mid-way"): "openai.APIConnectionError",
    ("xai", "timeout"): "openai.APITimeoutError",
    ("vertex", "timeout"): "google.api_core.exceptions.DeadlineExceeded",
    # a stream that stalls past the call's timeout (test_timeouts.py): some SDKs wrap the
    # transport's timeout, others let it through
    ("anthropic", "stream timeout"): "anthropic.APITimeoutError",
    ("azure", "stream timeout"): "azure.core.exceptions.ServiceResponseTimeoutError",
    ("bedrock", "stream timeout"): (
        "urllib3.exceptions.ReadTimeoutError",
        "aiohttp.client_exceptions.SocketTimeoutError",
    ),
    ("cohere", "stream timeout"): "httpx.ReadTimeout",
    ("gemini", "stream timeout"): "google.api_core.exceptions.DeadlineExceeded",
    ("groq", "stream timeout"): "httpx.ReadTimeout",
    ("litellm", "stream timeout"): "litellm.exceptions.Timeout",
    ("mistral", "stream timeout"): "httpx.ReadTimeout",
    ("openai", "stream timeout"): "openai.APITimeoutError",
    ("xai", "stream timeout"): "openai.APITimeoutError",
    # google-genai: httpx's timeout in sync streams; its async streams read through
    # asyncio, whose deadline raises the builtin TimeoutError
    ("google", "stream timeout"): ("httpx.ReadTimeout", "builtins.TimeoutError"),
    ("vertex", "stream timeout"): "google.api_core.exceptions.DeadlineExceeded",
}

# the Responses API goes through the same SDK, client and transport: the same errors
SDK_ERRORS.update(
    {("openai.responses", f): seen for (p, f), seen in list(SDK_ERRORS.items()) if p == "openai"}
)


def sdk_error(provider: str, fault: str, is_async: bool) -> str | None:
    """``module.qualname`` of what the SDK raises in this cell; None if not recorded."""
    seen = SDK_ERRORS.get((provider, fault))
    if isinstance(seen, tuple):
        return seen[is_async]
    return seen
