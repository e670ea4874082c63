"""Mistral's batch API on the Mistral fake: ``/v1/files`` (multipart upload, download) and
``/v1/batch/jobs`` (create from uploaded files, get, cancel). The job names the model; each
input line is ``{"custom_id", "body"}``; result lines are OpenAI's shape."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, ClassVar

from ..core.base._narrow import is_items, is_str_dict
from ._batch import FakeJob, Outcome, Route, StoredFile, job_routes
from ._batch_files import FileBatches, file_routes
from ._server import Answer, RecordedRequest

_STATUS = {
    "queued": "QUEUED",
    "running": "RUNNING",
    "cancelling": "CANCELLATION_REQUESTED",
    "cancelled": "CANCELLED",
    "ended": "SUCCESS",
    "expired": "TIMEOUT_EXCEEDED",
    "failed": "FAILED",
}

_WRITTEN = {"_output_file.jsonl": "batch_result", "_error_file.jsonl": "batch_error"}
"""The sample type of the result files a job writes, by the end of their names."""


class MistralBatches(FileBatches):
    """The batch API of ``FakeMistral``: ``server.batches``."""

    routes: ClassVar[Sequence[Route]] = (
        *file_routes(r"/v1"),
        *job_routes(r"/v1/batch/jobs"),
    )
    missing_job = "Batch job {id} not found"
    missing_file = "File {id} not found"
    default_purpose = "fine-tune"
    result_keys = ("output_file", "error_file")
    result_purpose = "batch"

    def file_id(self) -> str:
        return str(uuid.uuid4())  # Mistral's file and job ids are UUIDs

    def file_fields(self, stored: StoredFile) -> dict[str, Any]:
        written = next((t for end, t in _WRITTEN.items() if stored.filename.endswith(end)), None)
        return {
            "sample_type": written or "batch_request",
            "num_lines": len(stored.data.splitlines()),
            "source": "mistral" if written else "upload",
        }

    def upload_refusal(self, form: dict[str, tuple[str | None, bytes]]) -> Answer | None:
        return self.fake.error(422, "file: Field required") if "file" not in form else None

    def result_line(self, job: FakeJob, n: int, outcome: Outcome) -> dict[str, Any]:
        return {
            "id": f"batch-{job.id[:8]}-{n}",
            "custom_id": job.custom_ids[n],
            "response": {"status_code": outcome.status, "body": outcome.body},
            "error": None,
        }

    def create(self, request: RecordedRequest) -> Answer:
        body: dict[str, Any] = request.json or {}
        files: object = body.get("input_files")
        if not is_items(files) or not files:
            return self.fake.error(422, "input_files: Field required")
        model = body.get("model")
        if not isinstance(model, str):
            return self.fake.error(400, "A batch job on /v1/chat/completions needs a model.")
        custom_ids: list[str] = []
        requests: list[Any] = []
        for file_id in files:
            stored = self.files.get(str(file_id))
            if stored is None:
                return self.fake.error(404, f"File {file_id} not found")
            for line in stored.lines():
                item = line.get("body") if is_str_dict(line) else None
                if not is_str_dict(line) or not is_str_dict(item):
                    return self.fake.error(400, "Each line needs a 'custom_id' and a 'body'.")
                custom_ids.append(str(line.get("custom_id")))
                requests.append({"model": model, **item})
        job = self.new_job(
            str(uuid.uuid4()),
            custom_ids,
            requests,
            input_files=files,
            endpoint=body.get("endpoint"),
            model=model,
            metadata=body.get("metadata"),
        )
        return self.json(self.job_json(job))

    def job_json(self, job: FakeJob) -> dict[str, Any]:
        if self.results_due(job):
            self.write_results(job)
        return {
            "id": job.id,
            "object": "batch",
            "input_files": job.vendor["input_files"],
            "metadata": job.vendor["metadata"],
            "endpoint": job.vendor["endpoint"],
            "model": job.vendor["model"],
            "output_file": job.vendor.get("output_file"),
            "error_file": job.vendor.get("error_file"),
            "errors": [],
            "status": _STATUS[job.state],
            "created_at": job.created_at,
            "total_requests": job.total,
            "completed_requests": job.done,
            "succeeded_requests": job.succeeded,
            "failed_requests": job.failed,
            "started_at": job.created_at if job.polls else None,
            "completed_at": job.ended_at,
        }
