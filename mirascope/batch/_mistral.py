"""Mistral's batch API (a JSONL file uploaded with ``client.files``, a job of
``client.batch.jobs`` naming the model, output and error files of OpenAI-shaped lines)
through the one ``Mistral`` client, whose async methods end in ``_async``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ._openai import FILENAME, read_line
from ._types import BatchStatus
from ._vendor import BatchVendor, ItemOutcome, Step, jsonl, read_jsonl

ENDED = frozenset({"SUCCESS", "FAILED", "TIMEOUT_EXCEEDED", "CANCELLED"})

SDK_OPTIONS = frozenset({"retries", "server_url", "timeout_ms", "http_headers", "model"})
"""The SDK's per-call options (and the model, which the job names once)."""


class MistralBatch(BatchVendor):
    max_items = 1_000_000
    sdk_options = BatchVendor.sdk_options | SDK_OPTIONS

    def method(self, resource: Any, name: str) -> Callable[..., Any]:
        return getattr(resource, f"{name}_async" if self.is_async else name)

    def parse(self, body: dict[str, Any]) -> Any:
        from mistralai.models import ChatCompletionResponse

        return ChatCompletionResponse.model_validate(body)

    def line(self, custom_id: str, request: Mapping[str, Any]) -> Any:
        return {"custom_id": custom_id, "body": self.body(request)}

    def submit(self, lines: list[Any], model: str) -> Step[BatchStatus]:
        upload = yield self.method(self.client.files, "upload")(
            file={"file_name": FILENAME, "content": jsonl(lines)}, purpose="batch"
        )
        job = yield self.method(self.client.batch.jobs, "create")(
            input_files=[upload.id], endpoint="/v1/chat/completions", model=model
        )
        return self.status_of(job)

    def status(self, job_id: str) -> Step[BatchStatus]:
        return self.status_of((yield self.method(self.client.batch.jobs, "get")(job_id=job_id)))

    def cancel(self, job_id: str) -> Step[BatchStatus]:
        job = yield self.method(self.client.batch.jobs, "cancel")(job_id=job_id)
        return self.status_of(job)

    def status_of(self, job: Any) -> BatchStatus:
        problem = None
        if job.status == "FAILED" and not job.output_file and not job.error_file:
            problem = "; ".join(e.message for e in job.errors) or "the vendor gave no reason"
        return BatchStatus(
            job.id,
            self.provider,
            job.status,
            job.total_requests,
            job.succeeded_requests,
            job.failed_requests,
            job.status in ENDED,
            problem,
            job,
        )

    def results(self, status: BatchStatus) -> Step[list[ItemOutcome]]:
        job = status.raw
        outcomes: list[ItemOutcome] = []
        for file_id in (job.output_file, job.error_file):
            if isinstance(file_id, str) and file_id:
                response = yield self.method(self.client.files, "download")(file_id=file_id)
                data = yield (response.aread() if self.is_async else response.read())
                outcomes += [read_line(self, line, self.parse) for line in read_jsonl(data)]
        return outcomes
