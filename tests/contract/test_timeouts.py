"""``timeout=`` on the decorator, through every SDK against the fakes, sync and async: it
becomes the SDK's own per-request timeout, whose own exception reaches the caller; a stream
that stalls past it keeps what arrived; a timeout the call params give in the SDK's own
terms is left as it is."""

from __future__ import annotations

import asyncio
import math
import time
from typing import Any

import pytest

from mirascope.core import IncompleteStreamError, InvalidCallError, MirascopeError, RateLimit
from mirascope.testing import FakeServer, Reply

from .base import ContractProvider
from .sdk_errors import sdk_error

TIMEOUT = 0.3
SLOW = 1.2
"""Seconds the fake waits: well past ``TIMEOUT``, well short of the clients' own."""


def _unhurried(provider: ContractProvider, server: FakeServer, is_async: bool) -> dict[str, Any]:
    """Decorator options for calls without retries whose own timeout is long (30 s): a
    client, or call params (with no timeout in them); none where the vendor offers neither
    (Vertex AI: its default model retries nothing)."""
    client = provider.client_at(server.url, is_async=is_async, timeout=30)
    if client is not None:
        return {"client": client}
    params = provider.no_retry_params(timeout=30)
    if params is None:
        return {}
    params = dict(params)
    params.pop("timeout", None)  # litellm's
    options = params.get("request_options")
    if isinstance(options, dict):  # gemini's
        params["request_options"] = {k: v for k, v in options.items() if k != "timeout"}
    return {"call_params": params}


def _decorate(module: Any, provider: ContractProvider, is_async: bool, **options: Any) -> Any:
    if is_async:

        async def recommend_async() -> str:
            return "Recommend a fantasy book"

        return module.call(provider.model, **options)(recommend_async)

    def recommend() -> str:
        return "Recommend a fantasy book"

    return module.call(provider.model, **options)(recommend)


def _call(fn: Any, is_async: bool) -> Any:
    return asyncio.run(fn()) if is_async else fn()


def _seen(error: BaseException) -> str:
    return f"{type(error).__module__}.{type(error).__qualname__}"


def test_a_slow_answer_raises_the_sdks_timeout(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    def decorated() -> Any:  # a client per event loop (an async one serves one loop)
        reach = _unhurried(provider, server, is_async)
        return _decorate(module, provider, is_async, timeout=TIMEOUT, **reach)

    assert _call(decorated(), is_async).content == "Recommend a fantasy book"  # in time
    server.reset()
    server.enqueue(Reply(delay=SLOW), Reply(delay=SLOW))
    fn = decorated()
    started = time.monotonic()
    with pytest.raises(Exception) as caught:
        _call(fn, is_async)
    elapsed = time.monotonic() - started
    error = caught.value
    assert not isinstance(error, MirascopeError), repr(error)  # the SDK's own, untouched
    assert _seen(error) == sdk_error(provider.name, "timeout", is_async), repr(error)
    assert elapsed < SLOW, elapsed  # the call's timeout, not the client's 30 s
    assert len(server.requests) == 1


STREAM = "one two three four five six seven eight"


def test_a_stalled_stream_times_out_and_keeps_what_arrived(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    # the default client: an SDK retries a request, never a stream that has begun
    fn = _decorate(module, provider, is_async, stream=True, timeout=TIMEOUT)
    received: list[str] = []
    holder: list[Any] = []

    async def consume_async() -> None:
        stream = await fn()
        holder.append(stream)
        async for chunk, _ in stream:
            received.append(chunk.content)

    def consume() -> None:
        stream = fn()
        holder.append(stream)
        for chunk, _ in stream:
            received.append(chunk.content)

    # a whole stream first: what an SDK loads on its first stream (litellm: a second or
    # more) would otherwise let the stall pass while the answer waits in the socket
    if is_async:
        asyncio.run(consume_async())
    else:
        consume()
    assert "".join(received) == "Recommend a fantasy book"
    received.clear()
    holder.clear()
    # the Responses API opens a stream with four events before its first text
    before_text = 4 if provider.name == "openai.responses" else 0
    server.enqueue(Reply(text=STREAM, pause_after=4 + before_text, pause=SLOW))
    started = time.monotonic()
    with pytest.raises(Exception) as caught:
        if is_async:
            asyncio.run(consume_async())
        else:
            consume()
    elapsed = time.monotonic() - started
    error = caught.value
    text = "".join(received)
    assert text.startswith("one") and "eight" not in text, text
    assert holder[0].content == text  # what arrived stays readable
    assert elapsed < SLOW, elapsed
    expected = sdk_error(provider.name, "stream timeout", is_async)
    if expected is None:  # the SDK ends the stream quietly: mirascope says it is incomplete
        assert isinstance(error, IncompleteStreamError), repr(error)
        assert error.content == text
    else:
        assert _seen(error) == expected, repr(error)


OWN_TIMEOUT: dict[str, dict[str, Any]] = {
    "openai": {"timeout": 30.0},
    "anthropic": {"timeout": 30.0},
    "groq": {"timeout": 30.0},
    "litellm": {"timeout": 30.0},
    "mistral": {"timeout_ms": 30_000},
    "cohere": {"request_options": {"timeout_in_seconds": 30}},
    "gemini": {"request_options": {"timeout": 30.0}},
    "google": {"config": {"http_options": {"timeout": 30_000}}},
    "xai": {"timeout": 30.0},
    "openai.responses": {"timeout": 30.0},
}
"""The SDK's own per-call timeout, as call params (Azure AI, Vertex AI and Bedrock take none
in their call params)."""


def test_the_call_params_own_timeout_stays(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    own = OWN_TIMEOUT.get(provider.name)
    if own is None:
        pytest.skip(f"{provider.name}'s call params take no timeout of the SDK's own")
    reach = _unhurried(provider, server, is_async)
    params = {**reach.pop("call_params", {}), **own}
    fn = _decorate(module, provider, is_async, timeout=0.2, call_params=params, **reach)
    server.enqueue(Reply(delay=0.5))
    assert _call(fn, is_async).content == "Recommend a fantasy book"


def test_a_limited_call_that_times_out_frees_its_place(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    limit = RateLimit(concurrency=1)
    reach = _unhurried(provider, server, is_async)
    fn = _decorate(module, provider, is_async, timeout=TIMEOUT, limiter=limit, **reach)
    server.enqueue(Reply(delay=SLOW))
    with pytest.raises(Exception) as caught:
        _call(fn, is_async)
    assert _seen(caught.value) == sdk_error(provider.name, "timeout", is_async)
    assert limit.in_flight == 0


@pytest.mark.parametrize("timeout", [0, -1.0, math.inf, math.nan, "5", True])
def test_a_bad_timeout_is_refused_at_decoration(timeout: Any) -> None:
    from mirascope.core import openai

    def recommend() -> str:
        return "Recommend a book"

    with pytest.raises(InvalidCallError, match=r"recommend\(\): timeout "):
        openai.call("gpt-4o-mini", timeout=timeout)(recommend)


def test_a_limiter_must_be_a_rate_limit() -> None:
    from mirascope.core import openai

    def recommend() -> str:
        return "Recommend a book"

    with pytest.raises(InvalidCallError, match="limiter must be a RateLimit"):
        openai.call("gpt-4o-mini", limiter={"requests": 5})(recommend)  # type: ignore[call-overload]
