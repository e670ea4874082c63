"""What a batch refuses, and the errors it raises or keeps: providers without a batch API
mirascope drives, functions of the wrong kind, bad items (nothing is sent), jobs the
vendor fails, answers of the wrong shape, a process that dies after submitting."""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import openai
import pytest
from pydantic import BaseModel

from mirascope import batch, llm
from mirascope.core import Messages, UnexpectedResponseError
from mirascope.core import openai as mopenai
from mirascope.core.base.errors import ClientKindError, InvalidCallError
from mirascope.testing import Answer, FakeServer, Reply

FAST = 0.001
ROOT = Path(__file__).resolve().parents[2]


def recommend_book(genre: str) -> str:
    return f"Recommend a {genre} book"


async def recommend_book_async(genre: str) -> str:
    return f"Recommend a {genre} book"


UNSUPPORTED = {
    "gemini": ("gemini-1.5-flash", "google-generativeai, which has no batch API"),
    "vertex": ("gemini-1.5-flash", "Cloud Storage or BigQuery"),
    "bedrock": ("anthropic.claude-3-haiku", "CreateModelInvocationJob"),
    "cohere": ("command-r-plus", "does not document the record format"),
    "azure": ("gpt-4o", "client=AzureOpenAI(...)"),
}


@pytest.mark.parametrize("provider", sorted(UNSUPPORTED))
def test_providers_without_a_batch_api_say_so(provider: str) -> None:
    model, says = UNSUPPORTED[provider]
    call = importlib.import_module(f"mirascope.core.{provider}").call
    fn = call(model)(recommend_book)
    afn = call(model)(recommend_book_async)
    with pytest.raises(
        batch.BatchUnsupportedError, match=f"^{provider}: no batch jobs: "
    ) as caught:
        batch.run(fn, ["fantasy"])
    assert says in str(caught.value)
    assert isinstance(caught.value, InvalidCallError)
    with pytest.raises(batch.BatchUnsupportedError, match=re.escape(says)):
        asyncio.run(batch.run_async(afn, ["fantasy"]))
    with pytest.raises(batch.BatchUnsupportedError):
        batch.resume("job-1", fn)


def test_local_servers_have_no_batch_api() -> None:
    fn = llm.call("ollama", "llama3.2")(recommend_book)
    with pytest.raises(batch.BatchUnsupportedError, match=r"^ollama: no batch jobs: ollama has no"):
        batch.submit(fn, ["fantasy"])


def test_anthropic_cloud_clients_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from anthropic.lib.vertex import AnthropicVertex

    from mirascope.core import anthropic

    client = AnthropicVertex(region="us-east5", project_id="p", access_token="t")
    fn = anthropic.call("claude-3-5-sonnet@20240620", client=client)(recommend_book)
    try:
        with pytest.raises(batch.BatchUnsupportedError, match="AnthropicVertex client has no"):
            batch.run(fn, ["fantasy"])
    finally:
        client.close()


def test_only_decorated_non_streaming_functions(openai_server: FakeServer) -> None:
    with pytest.raises(InvalidCallError, match="recommend_book is not one"):
        batch.run(recommend_book, ["fantasy"])
    streaming = mopenai.call("gpt-4o-mini", stream=True)(recommend_book)
    with pytest.raises(InvalidCallError, match="streams"):
        batch.submit(streaming, ["fantasy"])
    sync_fn = mopenai.call("gpt-4o-mini")(recommend_book)
    async_fn = mopenai.call("gpt-4o-mini")(recommend_book_async)
    with pytest.raises(
        InvalidCallError, match=r"an async function \(async def\): use await batch\.run_async"
    ):
        batch.run(async_fn, ["fantasy"])
    with pytest.raises(
        InvalidCallError, match=r"a sync function \(def\): use batch\.submit\(\.\.\.\)"
    ):
        asyncio.run(batch.submit_async(sync_fn, ["fantasy"]))  # type: ignore[arg-type]
    assert openai_server.requests == []


def test_bad_items_send_nothing(openai_server: FakeServer, monkeypatch: pytest.MonkeyPatch) -> None:
    fn = mopenai.call("gpt-4o-mini")(recommend_book)
    with pytest.raises(InvalidCallError, match="no items to run"):
        batch.run(fn, [])

    @mopenai.call("gpt-4o-mini")
    def picky(genre: str) -> str:
        if genre == "horror":
            raise ValueError("no horror")
        return genre

    with pytest.raises(ValueError, match="no horror") as caught:
        batch.submit(picky, ["fantasy", "horror"])
    if sys.version_info >= (3, 11):
        assert caught.value.__notes__ == ["(while building item 1 of the batch: 'horror')"]
    with pytest.raises(TypeError):
        batch.submit(fn, [batch.Args("a", "too many")])

    from mirascope.batch import _openai

    monkeypatch.setattr(_openai.OpenAIBatch, "max_items", 2)
    with pytest.raises(InvalidCallError, match="at most 2 requests in one job, and 3 were given"):
        batch.submit(fn, ["a", "b", "c"])
    assert openai_server.requests == []


def test_items_are_arguments(openai_server: FakeServer) -> None:
    @mopenai.call("gpt-4o-mini")
    def pitch(genre: str, audience: str = "adults") -> str:
        return f"Recommend a {genre} book for {audience}"

    results = batch.run(
        pitch,
        ["fantasy", ("horror", "teens"), batch.Args("mystery", audience="kids"), ("sci-fi",)],
        poll_interval=FAST,
    )
    assert [r.unwrap().content for r in results] == [
        "Recommend a fantasy book for adults",
        "Recommend a horror book for teens",
        "Recommend a mystery book for kids",
        "Recommend a sci-fi book for adults",
    ]
    assert repr(batch.Args("mystery", audience="kids")) == "Args('mystery', audience='kids')"


def test_one_client_per_job(openai_server: FakeServer) -> None:
    clients = [openai.OpenAI(base_url=openai_server.url + "/v1", api_key="k") for _ in range(2)]

    @mopenai.call("gpt-4o-mini")
    def per_item(n: int) -> mopenai.OpenAIDynamicConfig:
        return {"messages": [Messages.User(f"item {n}")], "client": clients[n]}

    try:
        with pytest.raises(InvalidCallError, match="chose 2 different ones"):
            batch.submit(per_item, [0, 1])
        assert openai_server.requests == []
    finally:
        for client in clients:
            client.close()


def test_client_argument(openai_server: FakeServer) -> None:
    fn = mopenai.call("gpt-4o-mini")(recommend_book)
    client = openai.OpenAI(base_url=openai_server.url + "/v1", api_key="sk-batch-client")
    aclient = openai.AsyncOpenAI(base_url=openai_server.url + "/v1", api_key="k")
    try:
        results = batch.run(fn, ["fantasy"], client=client, poll_interval=FAST)
        assert results[0].unwrap().content == "Recommend a fantasy book"
        keys = {r.headers.get("authorization") for r in openai_server.requests}
        assert keys == {"Bearer sk-batch-client"}
        with pytest.raises(ClientKindError, match="async client"):
            batch.submit(fn, ["fantasy"], client=aclient)
    finally:
        client.close()
        asyncio.run(aclient.close())


def test_llm_functions_batch_to_their_provider(openai_server: FakeServer) -> None:
    fn = llm.call("openai", "gpt-4o-mini")(recommend_book)
    results = batch.run(fn, ["fantasy", "horror"], poll_interval=FAST)
    assert [type(r.value) for r in results] == [llm.CallResponse, llm.CallResponse]
    assert results[1].unwrap().content == "Recommend a horror book"

    class Title(BaseModel):
        title: str

    openai_server.enqueue(Reply(text='{"title": "Dune"}'))
    typed = llm.call("openai", "gpt-4o-mini", response_model=Title)(recommend_book)
    assert batch.run(typed, ["sf"], poll_interval=FAST)[0].unwrap() == Title(title="Dune")


def test_an_answer_of_the_wrong_shape_is_an_item_error(openai_server: FakeServer) -> None:
    fn = mopenai.call("gpt-4o-mini")(recommend_book)
    odd = Answer(200, {"Content-Type": "application/json"}, b'{"id": "x", "choices": "none"}')
    openai_server.enqueue(Reply(raw=odd), Reply(text="fine"))
    odd_one, fine = batch.run(fn, ["a", "b"], poll_interval=FAST)
    assert type(odd_one.error) is UnexpectedResponseError
    assert "openai: the response is not shaped" in str(odd_one.error)
    assert fine.unwrap().content == "fine"


def test_a_job_the_vendor_failed(openai_server: FakeServer) -> None:
    """A job whose input the vendor refused (here: made by hand, with a repeated id)."""
    line = {
        "custom_id": "item-0",
        "method": "POST",
        "url": "/v1/chat/completions",
        "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]},
    }
    data = (json.dumps(line) + "\n") * 2
    with openai.OpenAI(base_url=openai_server.url + "/v1", api_key="k") as client:
        upload = client.files.create(file=("in.jsonl", data.encode()), purpose="batch")
        job = client.batches.create(
            input_file_id=upload.id, endpoint="/v1/chat/completions", completion_window="24h"
        )
    fn = mopenai.call("gpt-4o-mini")(recommend_book)
    with pytest.raises(
        batch.BatchFailedError, match="line 2: The custom_id 'item-0' is used"
    ) as caught:
        batch.resume(job.id, fn).wait(poll_interval=FAST)
    assert caught.value.status.state == "failed" and caught.value.status.raw.id == job.id


SUBMITTER = """
import os
import re
from mirascope import batch
from mirascope.core import openai


@openai.call("gpt-4o-mini")
def recommend_book(genre: str) -> str:
    return f"Recommend a {genre} book"


job = batch.submit(recommend_book, ["fantasy", "horror", "mystery"])
print(job.id, flush=True)
os._exit(3)  # the process dies: no clean-up, no waiting
"""


def test_resume_after_a_crash(openai_server: FakeServer) -> None:
    openai_server.batches.polls = 3  # type: ignore[attr-defined]
    openai_server.enqueue(Reply(text="one"), Reply(text="two"), Reply(status=500))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    script = textwrap.dedent(SUBMITTER)
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 3, done.stderr
    job_id = done.stdout.strip()
    assert job_id in openai_server.batches.jobs  # type: ignore[attr-defined]

    fn = mopenai.call("gpt-4o-mini")(recommend_book)
    seen: list[batch.BatchStatus] = []
    results = batch.resume(job_id, fn).wait(poll_interval=FAST, progress=seen.append)
    assert [s.done for s in seen] == [1, 2, 3]
    assert [r.custom_id for r in results] == ["item-0", "item-1", "item-2"]
    assert [r.value.content if r.value else None for r in results] == ["one", "two", None]
    error = results[2].error
    assert type(error) is batch.BatchItemError and error.status_code == 500


def test_google_vertex_clients_are_refused() -> None:
    """Vertex AI's batch prediction reads and writes Cloud Storage or BigQuery: refused
    before anything is sent, on submit and on resume, sync and async."""
    from google import genai
    from google.auth.credentials import AnonymousCredentials

    from mirascope.core import google
    from mirascope.testing import FakeGoogle

    with FakeGoogle() as server:
        client = genai.Client(
            vertexai=True,
            project="p",
            location="us-central1",
            credentials=AnonymousCredentials(),
            http_options={"base_url": server.url},
        )
        try:
            fn = google.call("gemini-2.5-flash", client=client)(recommend_book)
            afn = google.call("gemini-2.5-flash", client=client.aio)(recommend_book_async)
            says = r"^google: a Vertex AI client .* Cloud Storage or BigQuery"
            with pytest.raises(batch.BatchUnsupportedError, match=says):
                batch.submit(fn, ["fantasy"])
            with pytest.raises(batch.BatchUnsupportedError, match=says):
                asyncio.run(batch.submit_async(afn, ["fantasy"]))
            with pytest.raises(batch.BatchUnsupportedError, match=says):
                batch.resume("123", fn).status()
            assert server.requests == []
        finally:
            client.close()


def test_google_job_names_are_the_sdks_to_check() -> None:
    """google-genai names a Gemini API job ``batches/<id>`` and refuses another name with
    its own ``ValueError``, before any request."""
    from google import genai

    from mirascope.core import google
    from mirascope.testing import FakeGoogle

    with FakeGoogle() as server:
        client = genai.Client(api_key="k", http_options={"base_url": server.url})
        try:
            fn = google.call("gemini-2.5-flash", client=client)(recommend_book)
            with pytest.raises(ValueError, match="Invalid batch job name: 123"):
                batch.resume("123", fn).status()
            assert server.requests == []
        finally:
            client.close()
