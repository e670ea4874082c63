"""``RateLimit`` on its own: the limits hold to the microsecond, across threads and event
loops at once, calls are neither lost nor doubled, and throughput reaches the limit.

The times checked are the limiter's own (a ticket's window end less ``per``: the instant
it admitted the call), so the checks are exact; ``tests/contract/test_limits.py`` checks the
same through every SDK against the fakes, from the server's side."""

from __future__ import annotations

import asyncio
import json
import random
import threading
import time
import uuid
from typing import Any

import pytest

from mirascope.core import BaseMessageParam, BaseTool, ImagePart, RateLimit, TextPart
from mirascope.core._engine.adapter import CallPlan
from mirascope.core._engine.limiter import Limiter, Ticket
from mirascope.core._engine.policy import IMAGE_TOKENS, estimate_tokens


def _limiter(limit: RateLimit) -> Limiter:
    return limit._limiter


class Record:
    """What the test saw of one call: the limiter's admission instant, when the call
    released its place, the tokens finally counted."""

    def __init__(self, call: int, admitted: float, tokens: int) -> None:
        self.call = call
        self.admitted = admitted
        self.released = 0.0
        self.tokens = tokens


def _max_overlap(spans: list[tuple[float, float]]) -> int:
    events = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans])
    most = now = 0
    for _, step in events:  # at equal times a release (-1) sorts before an admission
        now += step
        most = max(most, now)
    return most


def _most_in_window(times: list[float], per: float) -> int:
    """The most instants in any half-open window (t - per, t]."""
    times = sorted(times)
    most, first = 0, 0
    for last, t in enumerate(times):
        while times[first] <= t - per:
            first += 1
        most = max(most, last - first + 1)
    return most


def _most_tokens_in_window(records: list[Record], per: float) -> int:
    records = sorted(records, key=lambda r: r.admitted)
    most = 0
    for r in records:
        inside = [o.tokens for o in records if r.admitted - per < o.admitted <= r.admitted]
        most = max(most, sum(inside))
    return most


# -- 1,000 calls from threads and event loops at once ---------------------------------------------


CALLS = 1000
REQUESTS, TOKENS, CONCURRENCY, PER = 100, 5_000, 8, 0.25


def test_thousand_calls_across_threads_and_event_loops() -> None:
    limit = RateLimit(requests=REQUESTS, tokens=TOKENS, concurrency=CONCURRENCY, per=PER)
    limiter = _limiter(limit)
    records: list[Record] = []
    lock = threading.Lock()
    rng = random.Random(7)
    weights = [rng.randint(1, 60) for _ in range(CALLS)]
    holds = [rng.uniform(0, 0.003) for _ in range(CALLS)]

    def admitted(call: int, ticket: Ticket) -> Record:
        record = Record(call, ticket.expires - PER, 0)
        with lock:
            records.append(record)
        return record

    def finish(record: Record, ticket: Ticket, call: int) -> None:
        used = weights[call] // 2  # answers use less than estimated: a refund
        record.tokens = used
        record.released = time.monotonic()
        limiter.release(ticket, used)

    def sync_worker(calls: list[int]) -> None:
        for call in calls:
            ticket = limiter.try_acquire(weights[call]) or limiter.acquire(weights[call])
            record = admitted(call, ticket)
            time.sleep(holds[call])
            finish(record, ticket, call)

    async def one_async(call: int) -> None:
        ticket = limiter.try_acquire(weights[call]) or await limiter.acquire_async(weights[call])
        record = admitted(call, ticket)
        await asyncio.sleep(holds[call])
        finish(record, ticket, call)

    def loop_worker(calls: list[int]) -> None:
        async def main() -> None:
            await asyncio.gather(*(one_async(call) for call in calls))

        asyncio.run(main())

    every = list(range(CALLS))
    # 4 threads calling one at a time, 4 threads each running an event loop of 125 tasks
    chunks = [every[i::8] for i in range(8)]
    threads = [threading.Thread(target=sync_worker, args=(c,)) for c in chunks[:4]]
    threads += [threading.Thread(target=loop_worker, args=(c,)) for c in chunks[4:]]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    elapsed = time.monotonic() - started
    assert not any(t.is_alive() for t in threads)

    # nothing lost, nothing twice
    assert sorted(r.call for r in records) == every
    # never over a limit
    spans = [(r.admitted, r.released) for r in records]
    assert _max_overlap(spans) <= CONCURRENCY
    assert _most_in_window([r.admitted for r in records], PER) == REQUESTS
    assert _most_tokens_in_window(records, PER) <= TOKENS
    # the limit is the bottleneck and is reached: 10 windows of 100
    assert elapsed >= (CALLS / REQUESTS - 1) * PER
    assert elapsed < (CALLS / REQUESTS) * PER * 2 + 1.0, elapsed
    assert limit.in_flight == 0


# -- tokens: the estimate, then the real usage ----------------------------------------------------


def test_a_refund_lets_the_next_call_in_at_once() -> None:
    limiter = _limiter(RateLimit(tokens=100, per=30))
    first = limiter.acquire(90)  # estimated
    assert limiter.try_acquire(20) is None  # 110 > 100
    limiter.release(first, 10)  # the answer used 10
    second = limiter.try_acquire(20)
    assert second is not None
    assert limiter.counts() == (1, 0, 30)


def test_an_overrun_makes_later_calls_wait_for_the_window() -> None:
    per = 0.3
    limiter = _limiter(RateLimit(tokens=100, per=per))
    first = limiter.acquire(10)
    admitted = first.expires - per
    limiter.release(first, 95)  # far more than estimated
    assert limiter.counts() == (0, 0, 95)
    second = limiter.acquire(10)  # waits until the first leaves the window
    assert second.expires - per >= admitted + per
    assert limiter.counts()[2] == 10


def test_the_estimate() -> None:
    class Lookup(BaseTool):
        """Look a book up."""

        title: str

    text = "x" * 401
    image = ImagePart(url="https://example.com/a.png")
    messages: list[Any] = [
        BaseMessageParam(role="system", content=text),
        BaseMessageParam(role="user", content=[TextPart(text="y" * 40), image]),
        {"role": "user", "content": [{"type": "text", "text": "z" * 40}]},  # a vendor's own
    ]
    plan = CallPlan("m", messages, (Lookup,), {}, None)
    tool = Lookup.tool_name() + Lookup.tool_description() + json.dumps(Lookup.parameters_schema())
    chars = 401 + 40 + len("user") + len("text") + 40 + len(tool)
    base = estimate_tokens(plan, {})
    assert base == -(-chars // 4) + IMAGE_TOKENS  # characters / 4, rounded up; an image flat
    # the output cap, wherever each vendor's request holds it
    for request in (
        {"max_tokens": 300},
        {"max_completion_tokens": 300},
        {"inferenceConfig": {"maxTokens": 300}},
        {"kwargs": {"generation_config": {"max_output_tokens": 300}}},
    ):
        assert estimate_tokens(plan, request) == base + 300, request


# -- waiting: order, cancellation, threads and loops together -------------------------------------


def test_waiters_go_in_order_and_a_cancelled_one_leaves_no_trace() -> None:
    limit = RateLimit(concurrency=1)
    limiter = _limiter(limit)
    first = limiter.acquire(0)
    order: list[str] = []

    async def waiter(name: str) -> None:
        ticket = await limiter.acquire_async(0)
        order.append(name)
        limiter.release(ticket, None)

    async def main() -> None:
        a = asyncio.create_task(waiter("a"))
        await asyncio.sleep(0.01)
        doomed = asyncio.create_task(waiter("doomed"))
        await asyncio.sleep(0.01)
        b = asyncio.create_task(waiter("b"))
        await asyncio.sleep(0.01)
        doomed.cancel()  # a timeout around a call, say
        await asyncio.sleep(0.01)
        threading.Timer(0.05, limiter.release, (first, None)).start()  # from another thread
        await asyncio.wait_for(asyncio.gather(a, b), timeout=5)

    asyncio.run(main())
    assert order == ["a", "b"]
    assert limit.in_flight == 0


def test_a_thread_and_an_event_loop_share_one_place() -> None:
    limit = RateLimit(concurrency=1)
    limiter = _limiter(limit)
    held = limiter.acquire(0)
    got: list[str] = []

    def in_thread() -> None:
        limiter.release(limiter.acquire(0), None)
        got.append("thread")

    async def in_loop() -> None:
        limiter.release(await limiter.acquire_async(0), None)
        got.append("loop")

    thread = threading.Thread(target=in_thread)
    thread.start()
    loop_thread = threading.Thread(target=asyncio.run, args=(in_loop(),))
    loop_thread.start()
    time.sleep(0.1)
    assert got == []  # both wait for the one place
    limiter.release(held, None)
    thread.join(5)
    loop_thread.join(5)
    assert sorted(got) == ["loop", "thread"]
    assert limit.in_flight == 0


def test_a_released_ticket_is_released_once() -> None:
    limit = RateLimit(concurrency=2, tokens=100)
    limiter = _limiter(limit)
    ticket = limiter.acquire(10)
    limiter.release(ticket, 5)
    limiter.release(ticket, 50)  # a stream's loop end, then its finalizer
    assert limiter.counts() == (0, 0, 5)


# -- the public object ----------------------------------------------------------------------------


def test_one_key_is_one_limit() -> None:
    key = f"test-{uuid.uuid4()}"
    first = RateLimit(requests=5, concurrency=2, per=1, key=key)
    second = RateLimit(requests=5, concurrency=2, per=1.0, key=key)
    assert _limiter(first) is _limiter(second)
    assert _limiter(RateLimit(requests=5, concurrency=2, per=1)) is not _limiter(first)
    with pytest.raises(ValueError, match=rf"key '{key}' exists already .*requests=5"):
        RateLimit(requests=6, concurrency=2, per=1, key=key)
    assert repr(first) == f"RateLimit(requests=5, concurrency=2, per=1.0, key='{key}')"


@pytest.mark.parametrize(
    "options, message",
    [
        ({}, "limits nothing"),
        ({"requests": 0}, r"requests=\.\.\.\) takes a whole number of at least 1, not 0"),
        ({"tokens": 2.5}, "not 2.5"),
        ({"concurrency": True}, "not True"),
        ({"requests": 1, "per": 0}, r"per=\.\.\.\) takes a number of seconds above 0"),
        ({"requests": 1, "per": float("inf")}, "not inf"),
    ],
)
def test_bad_settings(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RateLimit(**options)


def test_counts_follow_the_window() -> None:
    limit = RateLimit(requests=10, tokens=100, per=0.2)
    limiter = _limiter(limit)
    limiter.release(limiter.acquire(7), 9)
    assert (limit.in_flight, limit.requests_in_window, limit.tokens_in_window) == (0, 1, 9)
    time.sleep(0.25)
    assert (limit.requests_in_window, limit.tokens_in_window) == (0, 0)
