"""OpenAI's Batch API (a JSONL file of requests uploaded to ``/v1/files``, a job at
``/v1/batches``, output and error files of result lines), through the ``openai`` SDK; an
``AzureOpenAI`` client reaches Azure OpenAI's copy of it, and Groq's SDK has the same API.

The result-line reading is shared with the vendors whose lines have OpenAI's shape
(Mistral, LiteLLM); this module imports no SDK at load."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, cast

from ..core._engine.decode import SHAPE_ERRORS
from ..core._engine.plan import CallSpec
from ._types import BatchItemError, BatchStatus, ItemErrorKind
from ._vendor import BatchVendor, ItemOutcome, Step, jsonl, read_jsonl

ENDED = frozenset({"completed", "failed", "expired", "cancelled"})
FILENAME = "mirascope-batch.jsonl"


def _mapping(value: Any) -> dict[str, Any] | None:
    return cast(dict[str, Any], value) if isinstance(value, dict) else None


def read_line(
    vendor: BatchVendor, line: Any, parse: Callable[[dict[str, Any]], Any]
) -> ItemOutcome:
    """One result line of OpenAI's shape: ``{"custom_id", "response": {"status_code",
    "body"}, "error"}``; a 200 body becomes the SDK's response object through ``parse``."""
    fields = _mapping(line)
    if fields is None:
        return vendor.unreadable("", line, TypeError("a result line is not a JSON object"))
    custom_id = str(fields.get("custom_id"))
    response = _mapping(fields.get("response"))
    error = _mapping(fields.get("error"))
    if response is not None:
        status_code = response.get("status_code")
        body = _mapping(response.get("body"))
        if status_code == 200 and body is not None:
            try:
                return ItemOutcome(custom_id, parse(body))
            except SHAPE_ERRORS as problem:
                return vendor.unreadable(custom_id, line, problem)
        detail = _mapping(body.get("error")) if body is not None else None
        if detail is None:
            detail = body if body is not None else {"message": response.get("body")}
        code = detail.get("code") or detail.get("type")
        return ItemOutcome(
            custom_id,
            error=BatchItemError(
                f"{vendor.provider}: the request of {custom_id} failed (HTTP {status_code}): "
                f"{detail.get('message') or detail}",
                kind="errored",
                custom_id=custom_id,
                status_code=status_code if isinstance(status_code, int) else None,
                code=str(code) if code is not None else None,
                raw=line,
            ),
        )
    if error is not None:
        code = error.get("code")
        kind: ItemErrorKind = (
            "expired"
            if code == "batch_expired"
            else "canceled"
            if code == "batch_cancelled"
            else "errored"
        )
        return ItemOutcome(
            custom_id,
            error=BatchItemError(
                f"{vendor.provider}: {custom_id} has no answer ({code}): "
                f"{error.get('message') or code}",
                kind=kind,
                custom_id=custom_id,
                code=str(code) if code is not None else None,
                raw=line,
            ),
        )
    return vendor.unreadable(custom_id, line, ValueError("the line has no response and no error"))


class OpenAIBatch(BatchVendor):
    """OpenAI's Batch API through an ``OpenAI``/``AsyncOpenAI`` client (or an Azure one)."""

    max_items = 50_000
    endpoint: ClassVar[str] = "/v1/chat/completions"

    def __init__(self, spec: CallSpec, client: Any) -> None:
        super().__init__(spec, client)
        self.url = self.endpoint
        """The endpoint named by the job and each line: Azure OpenAI's lacks the version."""
        if self.is_azure(client):
            self.url = "/chat/completions"

    @staticmethod
    def is_azure(client: Any) -> bool:
        import openai  # the client is one of its clients: already imported

        return isinstance(client, openai.AzureOpenAI | openai.AsyncAzureOpenAI)

    def parse(self, body: dict[str, Any]) -> Any:
        """The SDK's response object of a 200 result's body, built as the SDK builds the
        responses it reads (without validation: the engine's decoding checks the shape)."""
        from openai.types.chat import ChatCompletion

        return ChatCompletion.construct(**body)

    def line(self, custom_id: str, request: Mapping[str, Any]) -> Any:
        return {
            "custom_id": custom_id,
            "method": "POST",
            "url": self.url,
            "body": self.body(request),
        }

    def submit(self, lines: list[Any], model: str) -> Step[BatchStatus]:
        upload = yield self.client.files.create(file=(FILENAME, jsonl(lines)), purpose="batch")
        job = yield self.client.batches.create(
            input_file_id=upload.id, endpoint=self.url, completion_window="24h"
        )
        return self.status_of(job)

    def status(self, job_id: str) -> Step[BatchStatus]:
        return self.status_of((yield self.client.batches.retrieve(job_id)))

    def cancel(self, job_id: str) -> Step[BatchStatus]:
        return self.status_of((yield self.client.batches.cancel(job_id)))

    def status_of(self, job: Any) -> BatchStatus:
        counts = job.request_counts
        problem = None
        if job.status == "failed":
            listed = job.errors
            errors: list[Any] = listed.data if listed is not None and listed.data else []
            problem = "; ".join(
                (f"line {e.line}: " if e.line is not None else "") + str(e.message) for e in errors
            )
        return BatchStatus(
            job.id,
            self.provider,
            job.status,
            counts.total if counts is not None else 0,
            counts.completed if counts is not None else 0,
            counts.failed if counts is not None else 0,
            job.status in ENDED,
            problem or ("the vendor gave no reason" if job.status == "failed" else None),
            job,
        )

    def file_bytes(self, file_id: str) -> Step[bytes]:
        content = yield self.client.files.content(file_id)
        return content.content

    def results(self, status: BatchStatus) -> Step[list[ItemOutcome]]:
        job = status.raw
        outcomes: list[ItemOutcome] = []
        for file_id in (job.output_file_id, job.error_file_id):
            if file_id:
                data = yield from self.file_bytes(file_id)
                outcomes += [read_line(self, line, self.parse) for line in read_jsonl(data)]
        return outcomes


class GroqBatch(OpenAIBatch):
    """Groq's Batch API (OpenAI's, under ``/openai/v1``) through a ``Groq``/``AsyncGroq``."""

    def parse(self, body: dict[str, Any]) -> Any:
        from groq.types.chat import ChatCompletion

        return ChatCompletion.construct(**body)

    @staticmethod
    def is_azure(client: Any) -> bool:
        return False

    def file_bytes(self, file_id: str) -> Step[bytes]:
        response = yield self.client.files.content(file_id)
        return (yield response.read())  # a coroutine of an async client's response
