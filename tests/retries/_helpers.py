"""What the retries tests share: calls of each provider with the SDK's retries off, faults
provoked on the fake servers, and running a call sync or async."""

from __future__ import annotations

import asyncio
import importlib
import json
import socket
from collections.abc import Callable
from typing import Any

from mirascope.testing import FakeServer, Reply, ToolCall

from ..contract.base import ContractProvider
from ..contract.sdk_errors import sdk_error

SDK_ATTEMPTS = {
    "openai": 3,
    "anthropic": 3,
    "groq": 3,
    "cohere": 3,
    "litellm": 3,  # the OpenAI client LiteLLM makes retries twice
    "azure": 4,  # azure-core's RetryPolicy as azure-ai-inference configures it
    "bedrock": 5,  # botocore's legacy retry mode
    "mistral": 1,  # retries only with a retry_config
    "gemini": 1,  # the gapic method retries 503/504 (until its deadline), not 429
    "vertex": 1,  # vertexai's GenerativeModel retries nothing
    "google": 1,  # google-genai retries only with HttpOptions(retry_options=...)
    "xai": 3,  # the openai SDK's client
    "openai.responses": 3,  # the openai SDK's client
}
"""HTTP requests one call through the SDK's default client makes against a server that
answers every request with 429: the SDK's own retries (docs/retries.md has this table)."""

FAST = {"Retry-After": "0", "retry-after-ms": "1"}
"""Headers that make the SDKs that honour them retry at once."""

EXTRA_ERRORS: dict[tuple[str, str], str] = {
    # not in the fault matrix, which cannot point Google's process-wide endpoint elsewhere
    ("gemini", "connection refused"): "google.api_core.exceptions.ServiceUnavailable",
    ("vertex", "connection refused"): "google.api_core.exceptions.ServiceUnavailable",
}


def expected_error(provider: str, fault: str, is_async: bool) -> str | None:
    """``module.qualname`` of the exception the SDK raises for ``fault``."""
    return sdk_error(provider, fault, is_async) or EXTRA_ERRORS.get((provider, fault))


def qualified(error: BaseException) -> str:
    return f"{type(error).__module__}.{type(error).__qualname__}"


def dead_url() -> str:
    """An address nobody listens on once the probe closes."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def no_retry(
    provider: ContractProvider,
    server: FakeServer,
    is_async: bool,
    *,
    url: str | None = None,
    timeout: float = 10,
) -> dict[str, Any] | None:
    """Decorator options for calls whose SDK retries nothing (a client, or call params);
    ``{}`` for Vertex AI, whose SDK never retries; None when the vendor cannot be pointed at
    ``url`` per call."""
    client = provider.client_at(url or server.url, is_async=is_async, timeout=timeout)
    if client is not None:
        return {"client": client}
    params = provider.no_retry_params(timeout=timeout, url=url)
    if params is not None:
        return {"call_params": params}
    if provider.name == "vertex" and url is None:
        return {}
    return None


def unreachable(provider: ContractProvider, server: FakeServer, is_async: bool) -> dict[str, Any]:
    """Decorator options for calls to an address nobody listens on, without SDK retries
    (Google's SDKs take their endpoint process-wide: the ``server`` fixture restores it)."""
    url = dead_url()
    options = no_retry(provider, server, is_async, url=url, timeout=5)
    if options is not None:
        return options
    endpoint = url.removeprefix("http://")
    if provider.name == "gemini":
        from google.generativeai.client import configure

        configure(api_key="test-key", client_options={"api_endpoint": endpoint})
    else:
        import vertexai
        from google.oauth2.credentials import Credentials

        vertexai.init(
            project="test-project",
            location="us-central1",
            api_endpoint=endpoint,
            api_transport="grpc",
            credentials=Credentials(token="test-token"),
        )
    options = no_retry(provider, server, is_async, timeout=5)
    assert options is not None
    return options


def decorate(
    module: Any, model: str, is_async: bool, options: dict[str, Any] | None = None
) -> Callable[..., Any]:
    """A call of ``module`` whose prompt is "Recommend a fantasy book"."""
    if is_async:

        async def recommend_async() -> str:
            return "Recommend a fantasy book"

        return module.call(model, **(options or {}))(recommend_async)

    def recommend() -> str:
        return "Recommend a fantasy book"

    return module.call(model, **(options or {}))(recommend)


def run(fn: Callable[..., Any], is_async: bool, *args: Any, **kwargs: Any) -> Any:
    """Call ``fn`` (in an event loop of its own when async) and return what it returns."""
    if is_async:

        async def go() -> Any:
            return await fn(*args, **kwargs)

        return asyncio.run(go())
    return fn(*args, **kwargs)


def outcome(fn: Callable[..., Any], is_async: bool, *args: Any, **kwargs: Any) -> Any:
    """What calling ``fn`` raised (None if nothing)."""
    try:
        run(fn, is_async, *args, **kwargs)
    except Exception as error:
        return error
    return None


class Sleeps:
    """tenacity's ``sleep``: records each wait instead of sleeping (sync or async)."""

    def __init__(self, is_async: bool) -> None:
        self.waits: list[float] = []
        self.sleep: Callable[[float], Any] = self._async if is_async else self._sync

    def _sync(self, seconds: float) -> None:
        self.waits.append(seconds)

    async def _async(self, seconds: float) -> None:
        self.waits.append(seconds)


def structured_reply(provider: str, name: str, value: dict[str, Any]) -> Reply:
    """A response model's answer as ``provider`` is asked for it by default: JSON text where
    the vendor has a strict mode, else a call of the forced tool."""
    adapter = importlib.import_module(f"mirascope.core.{provider}._adapter").ADAPTER
    if "strict" in adapter.output_modes:
        return Reply(text=json.dumps(value))
    return Reply(tool_calls=[ToolCall(name, value)])


def error_class(provider: str, fault: str, is_async: bool) -> type[Exception]:
    """The class of the exception the SDK raises for ``fault`` (botocore's are made per
    client: their base, ``ClientError``)."""
    name = expected_error(provider, fault, is_async)
    assert name is not None, (provider, fault)
    if name.startswith("botocore.errorfactory."):
        name = "botocore.exceptions.ClientError"
    if name.startswith("litellm."):  # imported as mirascope does: without the network
        from mirascope.core.litellm._adapter import import_litellm

        import_litellm()
    module, _, attr = name.rpartition(".")
    found = getattr(importlib.import_module(module), attr)
    assert isinstance(found, type) and issubclass(found, Exception)
    return found
