"""OpenAI's Batch API on the OpenAI fake (and so on Groq's and Azure OpenAI's, which speak
it too): ``/v1/files`` (multipart upload, content), ``/v1/batches`` (create, retrieve,
cancel), result and error files of OpenAI's lines. Groq's SDK puts ``/openai/v1`` before
each path, an ``AzureOpenAI`` client ``/openai`` (with ``?api-version=``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, ClassVar

from ..core.base._narrow import is_str_dict
from ._batch import FakeJob, Outcome, Route, StoredFile, job_routes
from ._batch_files import FileBatches, file_routes
from ._server import Answer, RecordedRequest

_PREFIX = r"(?:/openai)?(?:/v1)?"

_STATUS = {
    "queued": "validating",
    "running": "in_progress",
    "cancelling": "cancelling",
    "cancelled": "cancelled",
    "ended": "completed",
    "expired": "expired",
    "failed": "failed",
}
_NOT_RUN = {
    "cancelled": (
        "batch_cancelled",
        "This request was not executed because the batch was cancelled.",
    ),
    "expired": (
        "batch_expired",
        "This request could not be executed before the completion window expired.",
    ),
}


class OpenAIBatches(FileBatches):
    """The Batch API of ``FakeOpenAI``: ``server.batches``."""

    routes: ClassVar[Sequence[Route]] = (
        *file_routes(_PREFIX),
        *job_routes(_PREFIX + r"/batches"),
    )

    def file_fields(self, stored: StoredFile) -> dict[str, Any]:
        return {"status": "processed", "status_details": None, "expires_at": None}

    def result_name(self, job: FakeJob, key: str) -> str:
        return "batch_output.jsonl" if key == "output_file_id" else "batch_errors.jsonl"

    def result_line(self, job: FakeJob, n: int, outcome: Outcome) -> dict[str, Any]:
        return {
            "id": f"batch_req_{job.id}_{n}",
            "custom_id": job.custom_ids[n],
            "response": {
                "status_code": outcome.status,
                "request_id": f"req_{job.id}_{n}",
                "body": outcome.body,
            },
            "error": None,
        }

    def not_run_line(self, job: FakeJob, n: int) -> dict[str, Any] | None:
        if job.state not in _NOT_RUN:
            return None
        code, message = _NOT_RUN[job.state]
        return {
            "id": f"batch_req_{job.id}_{n}",
            "custom_id": job.custom_ids[n],
            "response": None,
            "error": {"code": code, "message": message},
        }

    # -- batches --------------------------------------------------------------------------
    def create(self, request: RecordedRequest) -> Answer:
        body: dict[str, Any] = request.json or {}
        endpoint = body.get("endpoint")
        stored = self.files.get(str(body.get("input_file_id")))
        if stored is None:
            return self.fake.error(400, f"No such File object: {body.get('input_file_id')}")
        if body.get("completion_window") != "24h":
            return self.fake.error(400, "completion_window must be '24h'.")
        custom_ids: list[str] = []
        requests: list[Any] = []
        errors: list[dict[str, Any]] = []
        models: set[str] = set()
        for n, line in enumerate(stored.data.splitlines(), 1):
            try:
                item: Any = json.loads(line)
            except ValueError:
                errors.append(_line_error("invalid_json_line", "This line is not JSON.", n))
                continue
            problem = _line_problem(item, endpoint, custom_ids)
            if problem is not None:
                errors.append(_line_error(problem[0], problem[1], n))
                continue
            custom_ids.append(item["custom_id"])
            requests.append(item["body"])
            models.add(str(item["body"].get("model")))
        if len(models) > 1:
            message = f"The batch input file mixes models ({', '.join(sorted(models))})."
            errors.append(_line_error("mismatched_model", message, None))
        job = self.new_job(
            self.new_id("batch_"),
            custom_ids,
            requests,
            errors,
            input_file_id=stored.id,
            endpoint=endpoint,
            metadata=body.get("metadata"),
            model=next(iter(models)) if len(models) == 1 else None,
        )
        return self.json(self.job_json(job))

    def cancel_refusal(self, job: FakeJob) -> Answer | None:
        if job.finished:
            return self.fake.error(
                409, f"Cannot cancel a batch with status '{_STATUS[job.state]}'."
            )
        return None

    def job_json(self, job: FakeJob) -> dict[str, Any]:
        state = job.state
        if self.results_due(job):
            self.write_results(job)
        ended = job.ended_at
        errors = {"object": "list", "data": job.errors} if job.errors else None
        return {
            "id": job.id,
            "object": "batch",
            "endpoint": job.vendor["endpoint"],
            "model": job.vendor["model"],
            "errors": errors,
            "input_file_id": job.vendor["input_file_id"],
            "completion_window": "24h",
            "status": _STATUS[state],
            "output_file_id": job.vendor.get("output_file_id"),
            "error_file_id": job.vendor.get("error_file_id"),
            "created_at": job.created_at,
            "in_progress_at": job.created_at if job.polls else None,
            "expires_at": job.created_at + 86400,
            "finalizing_at": ended if state in ("ended", "expired") else None,
            "completed_at": ended if state == "ended" else None,
            "failed_at": ended if state == "failed" else None,
            "expired_at": ended if state == "expired" else None,
            "cancelling_at": job.created_at if job.cancel_requested else None,
            "cancelled_at": ended if state == "cancelled" else None,
            "request_counts": {
                "total": job.total,
                "completed": job.succeeded,
                "failed": job.failed,
            },
            "metadata": job.vendor["metadata"],
        }


def _line_error(code: str, message: str, line: int | None) -> dict[str, Any]:
    return {"code": code, "message": message, "param": None, "line": line}


def _line_problem(item: object, endpoint: object, seen: list[str]) -> tuple[str, str] | None:
    if not is_str_dict(item):
        return "invalid_request", "Each line must be a JSON object."
    fields = item
    custom_id = fields.get("custom_id")
    if not isinstance(custom_id, str) or not custom_id:
        return "missing_required_parameter", "The line has no 'custom_id'."
    if custom_id in seen:
        return "duplicate_custom_id", f"The custom_id '{custom_id}' is used more than once."
    if fields.get("method") != "POST":
        return "invalid_method", "The method must be 'POST'."
    if fields.get("url") != endpoint:
        return (
            "mismatched_endpoint",
            f"The url '{fields.get('url')}' does not match the batch's endpoint '{endpoint}'.",
        )
    if not isinstance(fields.get("body"), dict):
        return "missing_required_parameter", "The line has no 'body' object."
    return None
