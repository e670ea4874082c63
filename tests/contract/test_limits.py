"""``limiter=RateLimit(...)`` through every SDK against the fakes, sync and async.

What the server saw is the proof: while a fake holds a request (``received_at`` to
``answered_at``) its client is still waiting, so the most requests held at once can never
pass the concurrency limit; requests arrive no faster than the limit lets them start
(counted in windows shorter than ``per``: a request travels a while from its start to the
server); every call arrives once. The limiter's own instants are checked to the microsecond
in ``tests/engine/test_limiter.py``."""

from __future__ import annotations

import asyncio
import importlib
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from mirascope.core import InvalidCallError, Messages, RateLimit, reset_default_clients
from mirascope.testing import FakeServer, RecordedRequest, Reply

from . import conftest
from .base import PROVIDERS, ContractProvider

LAG = 0.5
"""The part of a window left for a request's way from its start to the server (a loaded
machine's event loop or GIL may hold it back tens of milliseconds): arrivals are counted
in windows of ``per * (1 - LAG)``."""


def _max_held(requests: list[RecordedRequest]) -> int:
    """The most requests the server(s) held at once."""
    events = sorted(
        [(r.received_at, 1) for r in requests] + [(r.answered_at, -1) for r in requests]
    )
    most = now = 0
    for _, step in events:  # an answer (-1) sorts before an arrival at the same instant
        now += step
        most = max(most, now)
    return most


def _most_arrivals(requests: list[RecordedRequest], window: float) -> int:
    """The most requests that arrived within any ``window`` seconds."""
    times = sorted(r.received_at for r in requests)
    most, first = 0, 0
    for last, t in enumerate(times):
        while times[first] <= t - window:
            first += 1
        most = max(most, last - first + 1)
    return most


def _reader(name: str, request: RecordedRequest) -> str:
    """The contract that reads a request the fake of ``name`` received: OpenAI's fakes serve
    chat completions and the Responses API alike (whichever OPENAI_BASE_URL names last)."""
    if name in ("openai", "openai.responses"):
        path = request.path.split("?", 1)[0]
        return "openai.responses" if path.endswith("/responses") else "openai"
    return name


def _call_index(provider: ContractProvider, request: RecordedRequest) -> int:
    texts = [text for role, text in provider.messages_of(request.json) if role == "user"]
    return int(texts[-1].removeprefix("call "))


def _calls_received(provider: ContractProvider, server: FakeServer) -> set[int]:
    # (some SDKs send a stream's request only when it is first iterated)
    return {_call_index(provider, r) for r in server.requests}


def _max_tokens_params(provider: str, value: int) -> dict[str, Any]:
    # Converse takes it in inferenceConfig, Google in generation_config
    if provider == "bedrock":
        return {"inferenceConfig": {"maxTokens": value}}
    if provider in ("gemini", "vertex"):
        return {"generation_config": {"max_output_tokens": value}}
    if provider == "google":
        return {"config": {"max_output_tokens": value}}
    if provider == "openai.responses":
        return {"max_output_tokens": value}
    return {"max_tokens": value}


def _function(module: Any, model: str, is_async: bool, **options: Any) -> Any:
    """A prompt function, "call <i>" (``async def`` or ``def``), decorated with ``options``."""
    if is_async:

        async def call_async(i: int) -> Any:
            return [Messages.User(f"call {i}")]

        return module.call(model, **options)(call_async)

    def call_sync(i: int) -> Any:
        return [Messages.User(f"call {i}")]

    return module.call(model, **options)(call_sync)


def _run(fn: Any, i: int, is_async: bool) -> Any:
    return asyncio.run(fn(i)) if is_async else fn(i)


def _burst(fn: Any, calls: range, is_async: bool, threads: int = 12) -> list[Any]:
    """``fn`` for each of ``calls`` at once: in one event loop, or from a pool of threads."""
    if not is_async:
        with ThreadPoolExecutor(threads) as pool:
            return list(pool.map(fn, calls))

    async def main() -> list[Any]:
        return list(await asyncio.gather(*(fn(i) for i in calls)))

    return asyncio.run(main())


# -- every provider: the limits hold, nothing is lost -----------------------------------------


@pytest.mark.xdist_group("burst")
def test_a_burst_stays_within_the_limits(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    calls, requests, concurrency, per = 60, 20, 4, 0.4
    limit = RateLimit(requests=requests, concurrency=concurrency, per=per)
    # a first call loads what the SDK loads lazily (litellm: seconds), which would hold
    # back the burst's first requests on their way to the server
    _run(_function(module, provider.model, is_async), -1, is_async)
    server.reset()
    server.enqueue(*[Reply(delay=0.02) for _ in range(calls)])  # held a moment each
    fn = _function(module, provider.model, is_async, limiter=limit)
    started = time.monotonic()
    responses = _burst(fn, range(calls), is_async)
    elapsed = time.monotonic() - started
    assert [r.content for r in responses] == [f"call {i}" for i in range(calls)]
    received = list(server.requests)
    assert sorted(_call_index(provider, r) for r in received) == list(range(calls))
    assert 2 <= _max_held(received) <= concurrency
    assert _most_arrivals(received, per * (1 - LAG)) <= requests
    assert elapsed >= (calls / requests - 1) * per  # three windows' worth of starts
    assert limit.in_flight == 0


def test_tokens_are_corrected_with_the_usage(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    limit = RateLimit(tokens=100_000, per=60)
    params = _max_tokens_params(provider.name, 500)
    fn = _function(module, provider.model, is_async, limiter=limit, call_params=params)
    response = _run(fn, 1, is_async)
    usage = response.common_usage
    assert usage is not None and usage.total_tokens == 12 + 2  # the fake's count
    assert limit.tokens_in_window == 14  # not the estimate: ceil(len("call 1") / 4) + 500


@pytest.mark.parametrize("consume", ["whole", "left early"])
def test_a_stream_holds_its_place_until_its_loop_ends(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool, consume: str
) -> None:
    limit = RateLimit(concurrency=1, tokens=100_000)
    params = _max_tokens_params(provider.name, 500)
    options = {"limiter": limit, "stream": True, "call_params": params}
    stream_fn = _function(module, provider.model, is_async, **options)
    call_fn = _function(module, provider.model, is_async, limiter=limit)
    server.enqueue(Reply(text="one two three four five six"))
    ended: list[float] = []

    async def main() -> tuple[Any, Any]:
        stream = await stream_fn(0)
        waiting = asyncio.create_task(call_fn(1))
        await asyncio.sleep(0.3)
        assert _calls_received(provider, server) <= {0}  # the call waits for the place
        async for _ in stream:
            if consume == "left early":
                break  # the loop closes the generator left behind, which frees the place
        ended.append(time.monotonic())
        return stream, await asyncio.wait_for(waiting, 10)

    if is_async:
        stream, response = asyncio.run(main())
    else:
        stream = stream_fn(0)
        result: list[Any] = []
        thread = threading.Thread(target=lambda: result.append(call_fn(1)))
        thread.start()
        time.sleep(0.3)
        assert _calls_received(provider, server) <= {0}  # the call waits for the place
        for _ in stream:
            if consume == "left early":
                break
        ended.append(time.monotonic())
        thread.join(10)
        response = result[0]
    assert response.content == "call 1"
    assert _calls_received(provider, server) == {0, 1}
    assert server.requests[-1].received_at >= ended[0]
    assert limit.in_flight == 0
    used = stream.common_usage.total_tokens if stream.common_usage is not None else None
    if consume == "whole" and provider.streams_usage:
        assert used is not None and limit.tokens_in_window == used + 14
    else:  # no (whole) usage came: the stream's estimate stays
        assert limit.tokens_in_window >= 500 + 14


@pytest.mark.parametrize("stream", [False, True], ids=["call", "stream"])
def test_a_response_model_under_a_limit(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool, stream: bool
) -> None:
    from .test_structured import BOOK, EXPECTED, Book, _answer

    limit = RateLimit(concurrency=1, tokens=100_000)
    server.enqueue(_answer(provider.name, "Book", BOOK))
    options = {"limiter": limit, "response_model": Book, "stream": stream, "timeout": 30}
    fn = _function(module, provider.model, is_async, **options)

    async def consume_async() -> Any:
        partials = await fn(0)
        return [p async for p in partials][-1]

    if stream:
        book = asyncio.run(consume_async()) if is_async else list(fn(0))[-1]
    else:
        book = _run(fn, 0, is_async)
    assert book == EXPECTED
    assert limit.in_flight == 0
    assert 0 < limit.tokens_in_window < 1_000


def test_a_stream_never_iterated_frees_its_place_when_dropped(
    provider: ContractProvider, server: FakeServer, module: Any
) -> None:
    import gc

    limit = RateLimit(concurrency=1)
    stream = _function(module, provider.model, False, limiter=limit, stream=True)(0)
    assert limit.in_flight == 1
    source = stream.source
    del stream
    gc.collect()
    assert limit.in_flight == 0
    close = getattr(source, "close", None)  # the SDK's response, left to us now
    if callable(close):
        close()


def test_a_call_too_large_for_the_limit_is_refused_before_sending(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    limit = RateLimit(tokens=50)
    params = _max_tokens_params(provider.name, 100)
    fn = _function(module, provider.model, is_async, limiter=limit, call_params=params)
    with pytest.raises(InvalidCallError, match=r"estimated at 102 tokens .*RateLimit\(tokens=50"):
        _run(fn, 1, is_async)
    assert server.requests == []
    assert limit.in_flight == 0 and limit.requests_in_window == 0


def test_a_failed_call_frees_its_place(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    limit = RateLimit(concurrency=1, tokens=10_000)
    reach: dict[str, Any] = {}
    client = provider.client_at(server.url, is_async=is_async, timeout=10)
    if client is not None:
        reach["client"] = client
    else:
        reach["call_params"] = provider.no_retry_params(timeout=10) or {}
    server.enqueue(*[Reply(status=400, error_message="no")] * 4)
    fn = _function(module, provider.model, is_async, limiter=limit, **reach)
    with pytest.raises(Exception) as caught:
        _run(fn, 1, is_async)
    assert not type(caught.value).__module__.startswith("mirascope")  # the SDK's own
    assert limit.in_flight == 0
    assert limit.tokens_in_window > 0  # a request the vendor received still counts


# -- 1,000 calls: ten providers, threads and event loops, one key ------------------------------


@pytest.fixture
def all_servers(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, FakeServer]]:
    servers: dict[str, FakeServer] = {}
    for name, cls in sorted(PROVIDERS.items()):
        instance = cls()
        if name not in conftest._servers:
            conftest._servers[name] = instance.start()
        server = conftest._servers[name]
        server.reset()
        for key, value in instance.environ(server).items():
            monkeypatch.setenv(key, value)
        servers[name] = server
    reset_default_clients()
    yield servers
    reset_default_clients()
    for server in servers.values():
        server.reset()  # the replies left


@pytest.mark.xdist_group("burst")
def test_thousand_calls_of_ten_providers_share_one_key(
    all_servers: dict[str, FakeServer],
) -> None:
    calls, requests, concurrency, per = 1000, 100, 8, 0.5
    key = f"shared-{uuid.uuid4()}"
    providers = {name: PROVIDERS[name]() for name in all_servers}
    # every function gets a RateLimit object of its own, all of the one key
    functions = {
        name: tuple(
            _function(
                importlib.import_module(f"mirascope.core.{name}"),
                p.model,
                is_async,
                limiter=RateLimit(requests=requests, concurrency=concurrency, per=per, key=key),
            )
            for is_async in (False, True)
        )
        for name, p in providers.items()
    }
    names = sorted(functions)
    for name, p in providers.items():  # load what each SDK loads lazily (see above)
        _function(importlib.import_module(f"mirascope.core.{name}"), p.model, False)(-1)
    for server in all_servers.values():
        server.reset()
        # more than enough: litellm's calls go to OpenAI's fake too
        server.enqueue(*[Reply(delay=0.02) for _ in range(2 * calls // len(names))])

    def call(i: int, is_async: bool) -> Any:
        return functions[names[i % len(names)]][is_async](i)

    # half the calls from 6 threads, one at a time each; half from 2 threads each running
    # an event loop with its share of the calls all at once
    sync_calls = [i for i in range(calls) if i % 2 == 0]
    async_calls = [i for i in range(calls) if i % 2 == 1]
    results: dict[int, Any] = {}

    def sync_part() -> None:
        with ThreadPoolExecutor(6) as pool:
            answers = pool.map(lambda i: call(i, False), sync_calls)
            for i, response in zip(sync_calls, answers, strict=True):
                results[i] = response

    def loop_part(share: list[int]) -> None:
        async def main() -> list[Any]:
            return list(await asyncio.gather(*(call(i, True) for i in share)))

        for i, response in zip(share, asyncio.run(main()), strict=True):
            results[i] = response

    threads = [threading.Thread(target=sync_part)]
    threads += [threading.Thread(target=loop_part, args=(async_calls[k::2],)) for k in (0, 1)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    elapsed = time.monotonic() - started
    assert not any(t.is_alive() for t in threads)

    assert sorted(results) == list(range(calls))
    assert all(results[i].content == f"call {i}" for i in range(calls))
    received: list[RecordedRequest] = []
    indexes: list[int] = []
    for name, server in all_servers.items():  # (litellm's calls reach OpenAI's fake)
        received += server.requests
        indexes += [_call_index(providers[_reader(name, r)], r) for r in server.requests]
    assert sorted(indexes) == list(range(calls))  # nothing lost, nothing twice
    assert _max_held(received) == concurrency  # reached, never passed
    assert _most_arrivals(received, per * (1 - LAG)) <= requests
    # the limit sets the pace (10 windows of 100 starts); the calls keep up with it within
    # what a loaded 2-CPU machine allows (about 5 s idle, 11 s under a load of 12)
    assert elapsed >= (calls / requests - 1) * per
    assert elapsed < (calls / requests) * per * 3, elapsed
    assert RateLimit(requests=requests, concurrency=concurrency, per=per, key=key).in_flight == 0
