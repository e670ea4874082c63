"""Static checks (pyright reads this file; nothing here runs): a batch's results are typed
by what the function returns (its response, or its response model), sync and async; a
resumed job is an ``AsyncBatchJob`` for an ``async def`` function."""

from __future__ import annotations

from pydantic import BaseModel
from typing_extensions import assert_type

from mirascope import batch, llm
from mirascope.core import openai


class Book(BaseModel):
    title: str


async def _checks() -> None:
    @openai.call("gpt-4o-mini")
    def recommend(genre: str) -> str:
        return f"Recommend a {genre} book"

    @openai.call("gpt-4o-mini", response_model=Book)
    def extract(text: str) -> str:
        return text

    @openai.call("gpt-4o-mini")
    async def recommend_async(genre: str) -> str:
        return f"Recommend a {genre} book"

    results = batch.run(recommend, ["fantasy"])
    assert_type(results, list[batch.BatchResult[openai.OpenAICallResponse]])
    assert_type(results[0].value, openai.OpenAICallResponse | None)
    assert_type(results[0].unwrap(), openai.OpenAICallResponse)
    assert_type(results[0].error, Exception | None)
    assert_type(batch.run(extract, ["Dune"])[0].unwrap(), Book)

    job = batch.submit(recommend, ["fantasy"])
    assert_type(job, batch.BatchJob[openai.OpenAICallResponse])
    assert_type(job.status(), batch.BatchStatus)
    assert_type(job.wait(poll_interval=60), list[batch.BatchResult[openai.OpenAICallResponse]])

    async_results = await batch.run_async(recommend_async, ["fantasy"])
    assert_type(async_results, list[batch.BatchResult[openai.OpenAICallResponse]])
    async_job = await batch.submit_async(recommend_async, ["fantasy"])
    assert_type(async_job, batch.AsyncBatchJob[openai.OpenAICallResponse])
    assert_type(await async_job.cancel(), batch.BatchStatus)

    assert_type(batch.resume("job", recommend), batch.BatchJob[openai.OpenAICallResponse])
    assert_type(
        batch.resume("job", recommend_async), batch.AsyncBatchJob[openai.OpenAICallResponse]
    )

    @llm.call("openai", "gpt-4o-mini")
    def neutral(genre: str) -> str:
        return genre

    assert_type(batch.run(neutral, ["x"])[0].unwrap(), llm.CallResponse)
