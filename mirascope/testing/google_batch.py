"""The Gemini API's batch mode on ``FakeGoogle``, as google-genai's ``client.batches`` speaks
it: ``POST /v1beta/models/<model>:batchGenerateContent`` with inline requests (create),
``GET /v1beta/batches/<id>`` (a long-running operation whose metadata is the batch: its
state, ``batchStats`` and, once it has ended, the answers inline) and
``POST /v1beta/batches/<id>:cancel``.

Each answer carries its request's ``metadata``; an item the API failed carries a
``google.rpc.Status`` (gRPC code and message) instead of a response. Items not run before a
cancel or expiry have no answer. Vertex AI's batch prediction (Cloud Storage, BigQuery) is
not served."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any, ClassVar, cast

from ._batch import FakeBatches, FakeJob, Outcome, Route
from ._server import Answer, RecordedRequest

_STATE = {
    "queued": "BATCH_STATE_PENDING",
    "running": "BATCH_STATE_RUNNING",
    "cancelling": "BATCH_STATE_RUNNING",  # the API has no word for it
    "cancelled": "BATCH_STATE_CANCELLED",
    "ended": "BATCH_STATE_SUCCEEDED",
    "expired": "BATCH_STATE_EXPIRED",
    "failed": "BATCH_STATE_FAILED",
}

_GRPC_CODES = {
    "CANCELLED": 1,
    "UNKNOWN": 2,
    "INVALID_ARGUMENT": 3,
    "DEADLINE_EXCEEDED": 4,
    "NOT_FOUND": 5,
    "PERMISSION_DENIED": 7,
    "RESOURCE_EXHAUSTED": 8,
    "ABORTED": 10,
    "UNIMPLEMENTED": 12,
    "INTERNAL": 13,
    "UNAVAILABLE": 14,
    "UNAUTHENTICATED": 16,
}

_TYPES = "type.googleapis.com/google.ai.generativelanguage.v1beta."


def _time(timestamp: int | None) -> str | None:
    if timestamp is None:
        return None
    moment = datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc)
    return moment.isoformat().replace("+00:00", "Z")


def _object(value: Any) -> dict[str, Any]:
    """A JSON object, or an empty one for anything else."""
    return cast(dict[str, Any], value) if isinstance(value, dict) else {}


def _status(outcome: Outcome) -> dict[str, Any]:
    """The ``google.rpc.Status`` of an item the API failed (from the REST error body)."""
    error = _object(_object(outcome.body).get("error"))
    name = str(error.get("status", "UNKNOWN"))
    return {"code": _GRPC_CODES.get(name, 2), "message": str(error.get("message", outcome.body))}


class GoogleBatches(FakeBatches):
    """The batch mode of ``FakeGoogle``: ``server.batches``."""

    missing_job = "Requested entity was not found."
    routes: ClassVar[Sequence[Route]] = (
        ("POST", r"/v1(?:beta)?/models/([^/:]+):batchGenerateContent", "create"),
        ("GET", r"/v1(?:beta)?/batches/([^/:]+)", "retrieve"),
        ("POST", r"/v1(?:beta)?/batches/([^/:]+):cancel", "cancel"),
    )

    def create(self, request: RecordedRequest, model: str) -> Answer:
        batch = _object(_object(request.json).get("batch"))
        if not batch:
            return self.fake.error(400, "batch: required")
        if not batch.get("displayName"):
            return self.fake.error(400, "batch.display_name: required")
        items = _object(_object(batch.get("inputConfig")).get("requests")).get("requests")
        if not isinstance(items, list) or not items:
            return self.fake.error(400, "batch.input_config: give requests (inline) or a file_name")
        requests: list[dict[str, Any]] = []
        metadata: list[dict[str, Any] | None] = []
        for n, item in enumerate(cast(list[Any], items)):
            fields = _object(item)
            body = _object(fields.get("request"))
            contents = body.get("contents")
            if not isinstance(contents, list) or not contents:
                return self.fake.error(
                    400, f"batch.input_config.requests.requests[{n}].request.contents: required"
                )
            requests.append(body)
            metadata.append(_object(fields["metadata"]) if "metadata" in fields else None)
        custom_ids = [
            str(m["key"]) if m is not None and m.get("key") else str(n)
            for n, m in enumerate(metadata)
        ]
        job = self.new_job(
            self.new_id("batches/fake"),
            custom_ids,
            requests,
            chat_path=f"/v1beta/models/{model}:generateContent",
            model=f"models/{model}",
            display_name=batch["displayName"],
            metadata=metadata,
        )
        return self.json(self.job_json(job))

    def find_job(self, job_id: str) -> FakeJob | None:
        return self.jobs.get(f"batches/{job_id}")

    def cancel_json(self, job: FakeJob) -> dict[str, Any]:
        return {}

    def answers(self, job: FakeJob) -> list[dict[str, Any]]:
        """The inline answers of the items run, in input order."""
        out: list[dict[str, Any]] = []
        metadata: list[Any] = job.vendor["metadata"]
        for outcome, meta in zip(job.outcomes[: job.done], metadata, strict=False):
            answer: dict[str, Any] = (
                {"response": outcome.body} if outcome.ok else {"error": _status(outcome)}
            )
            if meta is not None:
                answer["metadata"] = meta
            out.append(answer)
        return out

    def job_json(self, job: FakeJob) -> dict[str, Any]:
        """The job as the API returns it: a long-running operation over the batch."""
        state = job.state
        done = job.done
        batch: dict[str, Any] = {
            "@type": _TYPES + "GenerateContentBatch",
            "model": job.vendor["model"],
            "displayName": job.vendor["display_name"],
            "createTime": _time(job.created_at),
            "updateTime": _time(job.ended_at or job.created_at),
            "batchStats": {
                "requestCount": str(job.total),
                "successfulRequestCount": str(job.succeeded),
                "failedRequestCount": str(job.failed),
                "pendingRequestCount": str(0 if job.finished else job.total - done),
            },
            "state": _STATE[state],
            "name": job.id,
        }
        operation: dict[str, Any] = {"name": job.id, "metadata": batch}
        if job.finished:
            batch["endTime"] = _time(job.ended_at)
            operation["done"] = True
            if state == "failed":
                message = "; ".join(str(e.get("message")) for e in job.errors)
                operation["error"] = {"code": 3, "message": message}
            else:
                inline = {"inlinedResponses": {"inlinedResponses": self.answers(job)}}
                batch["output"] = inline
                operation["response"] = {"@type": _TYPES + "GenerateContentBatchOutput", **inline}
        return operation
