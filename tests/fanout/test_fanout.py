"""``mirascope.fanout.map_calls`` on a local Ray instance this module starts, against fake
servers started here too (on 127.0.0.1, reached from Ray's worker processes through the
environment they inherit).

The fan-out never looks inside a call: it ships the function, runs it in a worker and
ships back what it returned or raised. So two providers with different SDKs and response
types (OpenAI, Anthropic) stand for all twelve; what differs by provider (a response's
parts, an SDK exception's attributes) is pickled by the same generic code, tested here on
both."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import anthropic
import openai
import pytest
import ray  # a dev dependency (the ray extra): missing, this module fails, never skips

from mirascope.core import RateLimit, reset_default_clients
from mirascope.core import anthropic as anthropic_call
from mirascope.core import openai as openai_call
from mirascope.core.base.errors import InvalidCallError
from mirascope.fanout import Args, map_calls, map_calls_async
from mirascope.testing import FakeAnthropic, FakeOpenAI, FakeServer, RecordedRequest, Reply

pytestmark = pytest.mark.xdist_group("ray")  # one Ray instance, in one test process

SERVERS: dict[str, FakeServer] = {}

# Module level: pickled by reference, each worker imports this module and gets the module's
# own RateLimit, which the fan-out binds to the shared actor.
SHARED = RateLimit(concurrency=3, key="fanout-tests")


@openai_call.call("gpt-4o-mini")
def openai_item(index: int, tag: str = "") -> str:
    return f"Item {index}{tag} from {os.getpid()}"


@openai_call.call("gpt-4o-mini")
async def openai_item_async(index: int, tag: str = "") -> str:
    return f"Item {index}{tag} from {os.getpid()}"


@anthropic_call.call("claude-3-5-sonnet-20240620")
def anthropic_item(index: int, tag: str = "") -> str:
    return f"Item {index}{tag} from {os.getpid()}"


@anthropic_call.call("claude-3-5-sonnet-20240620")
async def anthropic_item_async(index: int, tag: str = "") -> str:
    return f"Item {index}{tag} from {os.getpid()}"


@openai_call.call("gpt-4o-mini", limiter=SHARED)
def openai_limited(index: int) -> str:
    return f"Item {index} from {os.getpid()}"


@anthropic_call.call("claude-3-5-sonnet-20240620", limiter=SHARED)
async def anthropic_limited_async(index: int) -> str:
    return f"Item {index} from {os.getpid()}"


FUNCTIONS: dict[tuple[str, bool], Any] = {
    ("openai", False): openai_item,
    ("openai", True): openai_item_async,
    ("anthropic", False): anthropic_item,
    ("anthropic", True): anthropic_item_async,
}
ERRORS = {"openai": openai.BadRequestError, "anthropic": anthropic.BadRequestError}


@pytest.fixture(scope="module", autouse=True)
def ray_instance() -> Iterator[None]:
    saved = dict(os.environ)
    SERVERS["openai"] = FakeOpenAI().start()
    SERVERS["anthropic"] = FakeAnthropic().start()
    # set before ray.init: the workers inherit the driver's environment
    os.environ.update(
        OPENAI_BASE_URL=SERVERS["openai"].url + "/v1",
        OPENAI_API_KEY="sk-test",
        ANTHROPIC_BASE_URL=SERVERS["anthropic"].url,
        ANTHROPIC_API_KEY="sk-ant-test",
    )
    reset_default_clients()
    if ray.is_initialized():
        ray.shutdown()
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        yield
    finally:
        ray.shutdown()
        for server in SERVERS.values():
            server.stop()
        SERVERS.clear()
        os.environ.clear()
        os.environ.update(saved)
        reset_default_clients()


def _server(provider: str) -> FakeServer:
    server = SERVERS[provider]
    server.reset()
    return server


def _prompts(requests: list[RecordedRequest]) -> list[str]:
    return [r.json["messages"][-1]["content"] for r in requests]


def _text(value: Any) -> str:
    return value if isinstance(value, str) else "".join(block["text"] for block in value)


def _max_overlap(requests: list[RecordedRequest]) -> int:
    events = sorted(
        [(r.received_at, 1) for r in requests] + [(r.answered_at, -1) for r in requests],
        key=lambda e: (e[0], e[1]),  # an answer at the same instant ends first
    )
    most = current = 0
    for _, step in events:
        current += step
        most = max(most, current)
    return most


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_responses_in_input_order(provider: str, is_async: bool) -> None:
    server = _server(provider)
    fn = FUNCTIONS[provider, is_async]
    items: list[Any] = [*range(20), (20, "!"), Args(21, tag="?")]
    responses = map_calls(fn, items, workers=2, concurrency=8)
    response_cls = openai_call.OpenAICallResponse if provider == "openai" else None
    if provider == "anthropic":
        response_cls = anthropic_call.AnthropicCallResponse
    assert [type(r) for r in responses] == [response_cls] * 22
    texts = [r.content for r in responses]
    tags = [""] * 20 + ["!", "?"]
    assert [t.rpartition(" from ")[0] for t in texts] == [
        f"Item {i}{tag}" for i, tag in enumerate(tags)
    ]
    pids = {int(t.rpartition(" from ")[2]) for t in texts}
    assert len(pids) == 2 and os.getpid() not in pids  # two worker processes did the work
    # every call reached the vendor exactly once
    sent = sorted(_text(p) for p in _prompts(server.requests))
    assert sent == sorted(texts)
    # what a response reads crossed with it; its client stayed in the worker
    first = responses[0]
    assert first.fn_args == {"index": 0, "tag": ""}
    assert first.plan.client is None
    assert first.usage is not None and first.common_usage is not None


@pytest.mark.parametrize(
    ("fn", "provider"),
    [(openai_limited, "openai"), (anthropic_limited_async, "anthropic")],
    ids=["openai-sync", "anthropic-async"],
)
def test_limit_shared_across_workers(fn: Any, provider: str) -> None:
    server = _server(provider)
    server.enqueue(*[Reply(delay=0.15) for _ in range(18)])
    responses = map_calls(fn, range(18), workers=2, concurrency=8)
    assert len({r.content.rpartition(" from ")[2] for r in responses}) == 2
    assert len(server.requests) == 18
    # 16 calls could be in flight; the shared limit let 3 through at once, and no more
    assert _max_overlap(server.requests) == 3
    assert SHARED.in_flight == 0  # this process's own count: the workers used the actor's


def test_requests_per_window_across_workers() -> None:
    server = _server("openai")
    limit = RateLimit(requests=4, per=1.0)

    # defined here, so pickled by value: its RateLimit travels bound to the actor
    @openai_call.call("gpt-4o-mini", limiter=limit)
    def item(index: int) -> str:
        return f"Item {index}"

    started = time.monotonic()
    responses = map_calls(item, range(8), workers=2, concurrency=8)
    assert [r.content for r in responses] == [f"Item {i}" for i in range(8)]
    arrivals = sorted(r.received_at for r in server.requests)
    assert len(arrivals) == 8
    # the fifth had to wait for the first one's window to end (the actor's clock)
    assert arrivals[4] - arrivals[0] >= 0.9
    assert arrivals[3] - started < 5  # the first four went at once (after workers started)
    assert limit.requests_in_window == 0  # the driver's copy counted nothing


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_failures_keep_the_vendor_exception(provider: str, is_async: bool) -> None:
    server = _server(provider)
    fn = FUNCTIONS[provider, is_async]
    server.enqueue(Reply(status=400, error_message="the prompt is not allowed"))
    results: list[Any] = map_calls(fn, range(3), workers=1, concurrency=8, return_exceptions=True)
    failed = [i for i, r in enumerate(results) if isinstance(r, Exception)]
    assert len(failed) == 1  # the first request to arrive took the scripted failure
    error: Any = results[failed[0]]
    assert type(error) is ERRORS[provider]
    assert error.status_code == 400
    assert "the prompt is not allowed" in str(error)
    assert error.response.status_code == 400  # the httpx response crossed too
    assert [r.content.rpartition(" from ")[0] for r in results if r is not error] == [
        f"Item {i}" for i in range(3) if i != failed[0]
    ]

    server.enqueue(Reply(status=400, error_message="refused again"))
    with pytest.raises(ERRORS[provider], match="refused again") as raised:
        map_calls(fn, range(3), workers=1, concurrency=8)
    if sys.version_info >= (3, 11):
        notes = raised.value.__notes__
        assert re.fullmatch(r"item [0-2] of 3 failed \(map_calls\)", notes[-1])
        assert notes[0].startswith("raised in a Ray worker:\nTraceback")


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
@pytest.mark.parametrize("is_async", [False, True], ids=["def", "async-def"])
def test_map_calls_async_awaits_in_order_without_blocking_the_loop(
    provider: str, is_async: bool
) -> None:
    """``await map_calls_async(...)`` gives what ``map_calls`` gives (order, types, the
    first failure raised, or each in place), while the caller's event loop runs on."""
    server = _server(provider)
    server.enqueue(*[Reply(delay=0.3) for _ in range(6)])
    fn = FUNCTIONS[provider, is_async]

    async def main() -> tuple[list[Any], int]:
        ticks = 0
        done = asyncio.Event()

        async def tick() -> None:
            nonlocal ticks
            while not done.is_set():
                ticks += 1
                await asyncio.sleep(0.01)

        ticker = asyncio.create_task(tick())
        try:
            return await map_calls_async(fn, range(6), workers=2, concurrency=8), ticks
        finally:
            done.set()
            await ticker

    responses, ticks = asyncio.run(main())
    assert [r.content.rpartition(" from ")[0] for r in responses] == [f"Item {i}" for i in range(6)]
    assert len({type(r) for r in responses}) == 1
    assert ticks >= 10  # the loop ran while the calls took 0.3 s each (a blocking wait: 1)

    server.enqueue(Reply(status=400, error_message="not this one"))
    results: list[Any] = asyncio.run(
        map_calls_async(fn, range(3), workers=1, concurrency=8, return_exceptions=True)
    )
    failed = [r for r in results if isinstance(r, Exception)]
    assert len(failed) == 1 and type(failed[0]) is ERRORS[provider]
    server.enqueue(Reply(status=400, error_message="refused async"))
    with pytest.raises(ERRORS[provider], match="refused async") as raised:
        asyncio.run(map_calls_async(fn, range(3), workers=1, concurrency=8))
    if sys.version_info >= (3, 11):
        notes = raised.value.__notes__
        assert re.fullmatch(r"item [0-2] of 3 failed \(map_calls_async\)", notes[-1])
    assert asyncio.run(map_calls_async(fn, [])) == []


def test_plain_functions_and_errors_of_the_fan_out() -> None:
    def square(x: int) -> int:
        return x * x

    assert map_calls(square, range(5), workers=2, concurrency=8) == [0, 1, 4, 9, 16]
    assert map_calls(square, []) == []

    @openai_call.call("gpt-4o-mini", stream=True)
    def streamed(x: int) -> str:
        return f"{x}"

    with pytest.raises(InvalidCallError, match="a stream cannot leave its worker"):
        map_calls(streamed, [1])

    client = openai.OpenAI(base_url=SERVERS["openai"].url + "/v1", api_key="sk-test")

    @openai_call.call("gpt-4o-mini", client=client)
    def with_client(x: int) -> str:
        return f"{x}"

    with pytest.raises(InvalidCallError, match="cannot be sent to Ray workers"):
        map_calls(with_client, [1])
    client.close()
    with pytest.raises(ValueError, match="workers takes a whole number"):
        map_calls(square, [1], workers=0)


def test_a_key_shared_on_the_cluster_must_agree() -> None:
    @openai_call.call("gpt-4o-mini", limiter=RateLimit(concurrency=2, key="fanout-other"))
    def one(x: int) -> str:
        return f"{x}"

    assert [r.content for r in map_calls(one, [1], workers=1, concurrency=8)] == ["1"]
    # another process (another job) names the same key with other settings: simulated here
    # through the actor's check, as the local registry would refuse it first
    from mirascope.fanout._limit import actor_for

    other = RateLimit.__new__(RateLimit)
    for name, value in {"requests": None, "tokens": None, "concurrency": 5, "per": 60.0}.items():
        setattr(other, name, value)
    other.key = "fanout-other"
    with pytest.raises(ValueError, match="shared on this Ray cluster already"):
        actor_for(other)


def test_imports_stay_lazy_and_a_missing_ray_names_the_extra() -> None:
    code = (
        "import sys\n"
        "import mirascope, mirascope.core, mirascope.fanout\n"
        "assert 'ray' not in sys.modules, 'ray imported'\n"
        "sys.modules['ray'] = None\n"
        "try:\n"
        "    mirascope.fanout.map_calls\n"
        "except ImportError as error:\n"
        "    print(type(error).__name__, error)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.startswith("MissingExtraError mirascope.fanout runs calls as Ray tasks")
    assert 'pip install "mirascope[ray]"' in out


def test_fanout_names_resolve() -> None:
    from mirascope import fanout

    for name in fanout.__all__:
        assert getattr(fanout, name) is not None, name
    assert sorted(dir(fanout)) == sorted(fanout.__all__)
    from mirascope.batch import Args as BatchArgs

    assert fanout.Args is BatchArgs
