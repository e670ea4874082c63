"""Mistral's batch API on the Mistral fake: ``/v1/files`` (multipart upload, download) and
``/v1/batch/jobs`` (create from uploaded files, get, cancel). The job names the model; each
input line is ``{"custom_id", "body"}``; result lines are OpenAI's shape."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, ClassVar

from ._batch import FakeBatches, FakeJob, multipart_form
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


class MistralBatches(FakeBatches):
    """The batch API of ``FakeMistral``: ``server.batches``."""

    routes: ClassVar[Sequence[tuple[str, str, str]]] = (
        ("POST", r"/v1/files", "upload"),
        ("GET", r"/v1/files/([^/]+)/content", "content"),
        ("POST", r"/v1/batch/jobs", "create"),
        ("GET", r"/v1/batch/jobs/([^/]+)", "retrieve"),
        ("POST", r"/v1/batch/jobs/([^/]+)/cancel", "cancel"),
    )

    def file_json(self, file_id: str, sample_type: str) -> dict[str, Any]:
        stored = self.files[file_id]
        return {
            "id": stored.id,
            "object": "file",
            "bytes": len(stored.data),
            "created_at": stored.created_at,
            "filename": stored.filename,
            "purpose": stored.purpose,
            "sample_type": sample_type,
            "num_lines": len(stored.data.splitlines()),
            "source": "upload",
        }

    def upload(self, request: RecordedRequest) -> Answer:
        form = multipart_form(request)
        if "file" not in form:
            return self.fake.error(422, "file: Field required")
        filename, data = form["file"]
        purpose = form["purpose"][1].decode() if "purpose" in form else "fine-tune"
        # Mistral's file and job ids are UUIDs
        stored = self.store(str(uuid.uuid4()), filename or "upload", purpose, data)
        return self.json(self.file_json(stored.id, "batch_request"))

    def content(self, request: RecordedRequest, file_id: str) -> Answer:
        stored = self.files.get(file_id)
        if stored is None:
            return self.fake.error(404, f"File {file_id} not found")
        return Answer(200, {"Content-Type": "application/octet-stream"}, stored.data)

    def create(self, request: RecordedRequest) -> Answer:
        body: dict[str, Any] = request.json or {}
        files: Any = body.get("input_files")
        if not isinstance(files, list) or not files:
            return self.fake.error(422, "input_files: Field required")
        model = body.get("model")
        if not isinstance(model, str):
            return self.fake.error(400, "A batch job on /v1/chat/completions needs a model.")
        custom_ids: list[str] = []
        requests: list[Any] = []
        for file_id in files:  # pyright: ignore[reportUnknownVariableType]
            stored = self.files.get(str(file_id))  # pyright: ignore[reportUnknownArgumentType]
            if stored is None:
                return self.fake.error(404, f"File {file_id} not found")
            for line in stored.lines():
                if not isinstance(line, dict) or "body" not in line:
                    return self.fake.error(400, "Each line needs a 'custom_id' and a 'body'.")
                custom_ids.append(str(line.get("custom_id")))  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
                requests.append({"model": model, **line["body"]})
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

    def retrieve(self, request: RecordedRequest, job_id: str) -> Answer:
        job = self.jobs.get(job_id)
        if job is None:
            return self.fake.error(404, f"Batch job {job_id} not found")
        job.poll()
        return self.json(self.job_json(job))

    def cancel(self, request: RecordedRequest, job_id: str) -> Answer:
        job = self.jobs.get(job_id)
        if job is None:
            return self.fake.error(404, f"Batch job {job_id} not found")
        job.cancel()
        return self.json(self.job_json(job))

    def job_json(self, job: FakeJob) -> dict[str, Any]:
        if job.finished and "output_file" not in job.vendor:
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

    def write_results(self, job: FakeJob) -> None:
        output: list[Any] = []
        failed: list[Any] = []
        for n in range(job.done):
            outcome = job.outcomes[n]
            line = {
                "id": f"batch-{job.id[:8]}-{n}",
                "custom_id": job.custom_ids[n],
                "response": {"status_code": outcome.status, "body": outcome.body},
                "error": None,
            }
            (output if outcome.ok else failed).append(line)
        for key, lines in (("output_file", output), ("error_file", failed)):
            if lines:
                name = f"{job.id}_{key}.jsonl"
                job.vendor[key] = self.store_lines(str(uuid.uuid4()), name, "batch", lines).id
            else:
                job.vendor[key] = None
