"""Batch jobs on every vendor with a batch API, sync and async, default and custom client:
the real SDK against the fake's batch API (files, jobs whose status moves over polls,
result lines, per-item errors, cancel, expiry), results read back through the provider's
own response classes, in input order."""

from __future__ import annotations

import asyncio
import inspect
import io
import json
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from mirascope import batch
from mirascope.core import BaseTool, EmptyResponseError, reset_default_clients
from mirascope.core.base.errors import InvalidCallError
from mirascope.core.base.messages import BaseMessageParam
from mirascope.testing import FakeServer, Reply, ToolCall

from .conftest import Vendor

FAST = 0.001
"""Seconds between polls: the fakes move a job on at each poll, not with time."""


def recommend(is_async: bool) -> Callable[..., Any]:
    if is_async:

        async def recommend_book(genre: str) -> str:
            return f"Recommend a {genre} book"

        return recommend_book

    def recommend_book_sync(genre: str) -> str:
        return f"Recommend a {genre} book"

    return recommend_book_sync


async def maybe(value: Any) -> Any:
    """The value of a sync call, or of an awaited async one."""
    return await value if inspect.isawaitable(value) else value


def play(scenario: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
    """Run a scenario in one event loop: an async default client lives as long as its loop,
    so an async job is submitted, polled and read in the same one; a sync one runs in it
    all the same (its calls block)."""
    return asyncio.run(scenario())


def run(is_async: bool) -> Callable[..., Any]:
    return batch.run_async if is_async else batch.run


def submit(is_async: bool) -> Callable[..., Any]:
    return batch.submit_async if is_async else batch.submit


def only_job(server: FakeServer) -> Any:
    jobs = list(server.batches.jobs.values())  # type: ignore[attr-defined]
    assert len(jobs) == 1, jobs
    return jobs[0]


def test_results_in_input_order_with_per_item_errors(
    vendor: Vendor, is_async: bool, custom: bool, decorate: Any, server: FakeServer
) -> None:
    params = vendor.call_params(temperature=0.5)
    fn = decorate(recommend(is_async), is_async=is_async, custom=custom, call_params=params)
    server.enqueue(
        Reply(text="first"),
        Reply(status=400, error_message="item two is refused"),
        Reply(text="third"),
    )

    async def scenario() -> Any:
        return await maybe(run(is_async)(fn, ["fantasy", "horror", "mystery"], poll_interval=FAST))

    results = play(scenario)
    response_cls = getattr(vendor.core, vendor.response_name)
    assert [(r.index, r.custom_id, r.ok) for r in results] == [
        (0, "item-0", True),
        (1, "item-1", False),
        (2, "item-2", True),
    ]
    first, second, third = results
    assert type(first.value) is response_cls
    assert first.value.content == "first"
    assert first.value.messages == [
        BaseMessageParam(role="user", content="Recommend a fantasy book")
    ]
    assert first.value.input_tokens == 12  # read as every response reads it
    assert first.unwrap() is first.value
    assert type(third.value) is response_cls and third.value.content == "third"
    error = second.error
    assert type(error) is batch.BatchItemError
    assert error.kind == "errored" and error.custom_id == "item-1"
    assert "item two is refused" in str(error) and vendor.module in str(error)
    assert error.status_code == (400 if vendor.status_codes else None)
    assert second.value is None
    with pytest.raises(batch.BatchItemError, match="item two is refused"):
        second.unwrap()
    job = only_job(server)
    assert job.custom_ids == ["item-0", "item-1", "item-2"]
    created = [
        r for r in server.requests if r.method == "POST" and r.path.split("?")[0] == vendor.path
    ]
    assert len(created) == 1
    # each line carries the request a call of the function sends
    server.enqueue(Reply(text="direct"))

    async def direct() -> Any:
        return await maybe(fn("horror"))

    assert play(direct).content == "direct"
    sent = server.requests[-1].json
    sent.pop("stream", None)
    assert job.requests[1] == sent
    value = sent
    for key in vendor.temperature:
        value = value[key]
    assert value == 0.5


class FormatBook(BaseTool):
    """Returns the book's title and author nicely formatted."""

    title: str
    author: str

    def call(self) -> str:
        return f"{self.title} by {self.author}"


def test_tool_calls(
    vendor: Vendor, is_async: bool, custom: bool, decorate: Any, server: FakeServer
) -> None:
    fn = decorate(recommend(is_async), is_async=is_async, custom=custom, tools=[FormatBook])
    book = {"title": "The Name of the Wind", "author": "Patrick Rothfuss"}
    server.enqueue(Reply(text="plain"), Reply(tool_calls=[ToolCall("FormatBook", book)]))

    async def scenario() -> Any:
        return await maybe(run(is_async)(fn, ["fantasy", "horror"], poll_interval=FAST))

    plain, called = play(scenario)
    assert plain.unwrap().tool is None
    tool = called.unwrap().tool
    assert type(tool) is FormatBook
    assert tool.call() == "The Name of the Wind by Patrick Rothfuss"
    assert [t["name"] for t in _tools_sent(only_job(server).requests[0])] == ["FormatBook"]


def _tools_sent(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The tools a request body offers, by name (OpenAI's shape nests them, Google's
    groups them in function declarations)."""
    tools: list[dict[str, Any]] = []
    for tool in body["tools"]:
        tools += tool.get("functionDeclarations", [tool.get("function", tool)])
    return tools


def test_status_moves_over_polls_with_progress(
    vendor: Vendor, is_async: bool, decorate: Any, server: FakeServer
) -> None:
    fn = decorate(recommend(is_async), is_async=is_async, custom=not vendor.default_client)
    server.batches.polls = 3  # type: ignore[attr-defined]
    seen: list[batch.BatchStatus] = []

    async def scenario() -> Any:
        job = await maybe(submit(is_async)(fn, ["a", "b", "c", "d", "e", "f"]))
        assert isinstance(job, batch.AsyncBatchJob if is_async else batch.BatchJob)
        assert job.provider == vendor.module and job.id == only_job(server).id
        return await maybe(job.wait(poll_interval=FAST, progress=seen.append))

    results = play(scenario)
    assert [r.value.content for r in results] == [f"Recommend a {g} book" for g in "abcdef"]
    counted = vendor.counts_while_running
    assert [(s.done, s.total, s.ended) for s in seen] == [
        (2 if counted else 0, 6, False),
        (4 if counted else 0, 6, False),
        (6, 6, True),
    ]
    assert len({s.state for s in seen[:2]}) == 1 and seen[2].state != seen[0].state
    assert all(s.job_id == seen[0].job_id and s.provider == vendor.module for s in seen)


class Book(BaseModel):
    title: str
    author: str


def _book_reply(vendor: Vendor, title: str) -> Reply:
    value = {"title": title, "author": "Someone"}
    if "strict" in vendor.core.call._adapter.output_modes:
        return Reply(text=json.dumps(value))
    return Reply(tool_calls=[ToolCall("Book", value)])


def test_response_model_items(
    vendor: Vendor, is_async: bool, custom: bool, decorate: Any, server: FakeServer
) -> None:
    fn = decorate(recommend(is_async), is_async=is_async, custom=custom, response_model=Book)
    server.enqueue(_book_reply(vendor, "Dune"), Reply(text="not json at all"), Reply(empty=True))

    async def scenario() -> Any:
        return await maybe(run(is_async)(fn, ["sf", "x", "y"], poll_interval=FAST))

    dune, broken, empty = play(scenario)
    assert dune.value == Book(title="Dune", author="Someone")
    assert type(dune.value) is Book
    assert type(broken.error) is ValidationError or isinstance(broken.error, ValidationError)
    assert isinstance(empty.error, EmptyResponseError | ValidationError)
    assert broken.value is None and empty.value is None


def test_empty_answer_is_an_item_error(
    vendor: Vendor, is_async: bool, decorate: Any, server: FakeServer
) -> None:
    fn = decorate(recommend(is_async), is_async=is_async, custom=not vendor.default_client)
    server.enqueue(Reply(empty=True), Reply(text="fine"))

    async def scenario() -> Any:
        return await maybe(run(is_async)(fn, ["a", "b"], poll_interval=FAST))

    empty, fine = play(scenario)
    assert type(empty.error) is EmptyResponseError
    assert empty.error.raw is not None
    assert fine.value.content == "fine"


def test_cancel_keeps_what_was_done(
    vendor: Vendor, is_async: bool, custom: bool, decorate: Any, server: FakeServer
) -> None:
    fn = decorate(recommend(is_async), is_async=is_async, custom=custom)

    async def scenario() -> Any:
        job = await maybe(submit(is_async)(fn, ["a", "b", "c", "d"]))
        with pytest.raises(batch.BatchNotEndedError, match=job.id) as caught:
            await maybe(job.results())  # the first poll: half done (2 polls to end)
        done = 2 if vendor.counts_while_running else 0
        assert (caught.value.status.done, caught.value.status.ended) == (done, False)
        cancelling = await maybe(job.cancel())
        assert type(cancelling) is batch.BatchStatus and cancelling.job_id == job.id
        # the job as the cancel request answered it, or as the next poll saw it
        assert cancelling.ended is not vendor.cancel_answers_status
        return await maybe(job.wait(poll_interval=FAST))

    results = play(scenario)
    assert [r.value.content for r in results[:2]] == ["Recommend a a book", "Recommend a b book"]
    for result in results[2:]:
        assert type(result.error) is batch.BatchItemError
        assert result.error.kind == vendor.canceled_kind
        assert result.error.custom_id == result.custom_id


def test_expired_job(vendor: Vendor, is_async: bool, decorate: Any, server: FakeServer) -> None:
    fn = decorate(recommend(is_async), is_async=is_async, custom=not vendor.default_client)
    server.batches.expire = True  # type: ignore[attr-defined]

    async def scenario() -> Any:
        return await maybe(run(is_async)(fn, ["a", "b", "c", "d"], poll_interval=FAST))

    results = play(scenario)
    assert [r.ok for r in results] == [True, True, False, False]
    assert {r.error.kind for r in results[2:]} == {vendor.expired_kind}


def test_resume_after_the_process_lost_the_job(
    vendor: Vendor, is_async: bool, custom: bool, decorate: Any, server: FakeServer
) -> None:
    """Only the job's id survives; a new function object (as a new process would make)
    and new clients pick it up, with or without the original items."""
    items = ["fantasy", "horror", "mystery"]
    server.enqueue(Reply(text="one"), Reply(status=400, error_message="no"), Reply(text="three"))

    async def submitting() -> str:
        job = await maybe(
            submit(is_async)(decorate(recommend(is_async), is_async=is_async, custom=custom), items)
        )
        return job.id

    job_id = play(submitting)
    reset_default_clients()  # the process that submitted is gone
    fn = decorate(recommend(is_async), is_async=is_async, custom=custom)

    async def resuming() -> tuple[Any, Any]:
        bare = batch.resume(job_id, fn)
        assert isinstance(bare, batch.AsyncBatchJob if is_async else batch.BatchJob)
        without = await maybe(bare.wait(poll_interval=FAST))
        with_items = await maybe(batch.resume(job_id, fn, items).results())
        return without, with_items

    without, with_items = play(resuming)
    for results in (without, with_items):
        assert [r.custom_id for r in results] == ["item-0", "item-1", "item-2"]
        assert results[0].value.content == "one" and results[2].value.content == "three"
        assert results[1].error.kind == "errored"
    assert without[0].value.messages == []
    assert with_items[2].value.messages == [
        BaseMessageParam(role="user", content="Recommend a mystery book")
    ]


def test_resume_with_other_items_is_refused(
    vendor: Vendor, decorate: Any, server: FakeServer
) -> None:
    fn = decorate(recommend(False), is_async=False, custom=not vendor.default_client)
    job = batch.submit(fn, ["a", "b"])
    with pytest.raises(InvalidCallError, match="has 2 items, but 3 were given"):
        batch.resume(job.id, fn, ["a", "b", "c"]).wait(poll_interval=FAST)


def test_timeout_leaves_the_job_running(
    vendor: Vendor, is_async: bool, decorate: Any, server: FakeServer
) -> None:
    fn = decorate(recommend(is_async), is_async=is_async, custom=not vendor.default_client)
    server.batches.polls = 10_000  # type: ignore[attr-defined]

    async def scenario() -> Any:
        job = await maybe(submit(is_async)(fn, ["a"]))
        with pytest.raises(batch.BatchTimeoutError, match=r"batch\.resume") as caught:
            await maybe(job.wait(poll_interval=0.01, timeout=0.05))
        return job, caught.value

    job, error = play(scenario)
    assert error.status.job_id == job.id and not error.status.ended
    assert isinstance(error, TimeoutError)


def test_progress_line_on_a_terminal(
    vendor: Vendor, decorate: Any, server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    fn = decorate(recommend(False), is_async=False, custom=not vendor.default_client)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.setattr("sys.stdout", screen)
    batch.run(fn, ["a", "b"], poll_interval=FAST)
    job = only_job(server)
    text = screen.getvalue()
    lines = text.split("\r")[1:]
    assert len(lines) == 2 and text.endswith("\n")
    assert lines[0].startswith(f"{vendor.module} batch {job.id}: ")
    first = 1 if vendor.counts_while_running else 0
    assert f"{first}/2 done, 0 failed, 00:00 elapsed" in lines[0]
    assert "2/2 done, 0 failed, 00:00 elapsed" in lines[1]

    # not a terminal: nothing, unless asked
    quiet = io.StringIO()
    monkeypatch.setattr("sys.stdout", quiet)
    batch.run(fn, ["a"], poll_interval=FAST)
    assert quiet.getvalue() == ""
    batch.run(fn, ["a"], poll_interval=FAST, progress=True)
    assert "1/1 done" in quiet.getvalue()


SDK_ROOTS = {
    "openai": "openai",
    "azure_openai": "openai",
    "groq": "groq",
    "anthropic": "anthropic",
    "mistral": "mistralai",
    "litellm": "openai",  # LiteLLM's batch functions let the OpenAI SDK's errors through
    "google": "google",
}


def test_vendor_errors_pass_through(
    vendor: Vendor, is_async: bool, decorate: Any, server: FakeServer
) -> None:
    """A job the vendor does not know: the SDK's own error, untouched."""
    fn = decorate(recommend(is_async), is_async=is_async, custom=not vendor.default_client)

    async def scenario() -> Any:
        return await maybe(batch.resume(vendor.unknown_job, fn).status())

    with pytest.raises(Exception) as caught:
        play(scenario)
    error = caught.value
    assert type(error).__module__.split(".")[0] == SDK_ROOTS[vendor.id], repr(error)
    assert (
        "404" in str(error)
        or "not found" in str(error).lower()
        or getattr(error, "status_code", None) == 404
    ), repr(error)
