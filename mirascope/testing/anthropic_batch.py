"""Anthropic's Message Batches API on the Anthropic fake: ``/v1/messages/batches`` (create
from inline requests, retrieve, cancel) and the results as JSON lines at the batch's
``results_url``, once it has ended."""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Sequence
from typing import Any, ClassVar

from ..core.base._narrow import is_items, is_str_dict
from ._batch import FakeBatches, FakeJob, Route, job_routes
from ._server import Answer, RecordedRequest

_CUSTOM_ID = re.compile(r"[a-zA-Z0-9_-]{1,64}")

_STATUS = {
    "queued": "in_progress",
    "running": "in_progress",
    "cancelling": "canceling",
    "cancelled": "ended",
    "ended": "ended",
    "expired": "ended",
    "failed": "ended",
}


def _iso(timestamp: int | None) -> str | None:
    if timestamp is None:
        return None
    moment = datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc)
    return moment.isoformat().replace("+00:00", "Z")


class AnthropicBatches(FakeBatches):
    """The Message Batches API of ``FakeAnthropic``: ``server.batches``."""

    chat_path = "/v1/messages"
    routes: ClassVar[Sequence[Route]] = (
        *job_routes(r"/v1/messages/batches"),
        ("GET", r"/v1/messages/batches/([^/]+)/results", "results"),
    )
    missing_job = "Message batch {id} not found"

    def create(self, request: RecordedRequest) -> Answer:
        body: dict[str, Any] = request.json or {}
        items: object = body.get("requests")
        if not is_items(items) or not items:
            return self.fake.error(400, "requests: a batch needs at least one request")
        custom_ids: list[str] = []
        params: list[object] = []
        for n, item in enumerate(items):
            fields: dict[str, object] = item if is_str_dict(item) else {}
            custom_id = fields.get("custom_id")
            if not isinstance(custom_id, str) or not _CUSTOM_ID.fullmatch(custom_id):
                pattern = "^[a-zA-Z0-9_-]{1,64}$"
                return self.fake.error(
                    400, f"requests.{n}.custom_id: String should match pattern '{pattern}'"
                )
            if custom_id in custom_ids:
                return self.fake.error(
                    400, f"requests: custom_id '{custom_id}' is used more than once"
                )
            custom_ids.append(custom_id)
            params.append(fields.get("params"))
        job = self.new_job(self.new_id("msgbatch_fake"), custom_ids, params)
        return self.json(self.job_json(job))

    def results(self, request: RecordedRequest, batch_id: str) -> Answer:
        job = self.jobs.get(batch_id)
        if job is None or not job.finished:
            return self.fake.error(404, f"Results of message batch {batch_id} not found")
        data = b"".join(json.dumps(line).encode() + b"\n" for line in self.result_lines(job))
        return Answer(200, {"Content-Type": "application/binary"}, data)

    def result_lines(self, job: FakeJob) -> list[dict[str, Any]]:
        done = job.done
        not_run = "canceled" if job.state == "cancelled" else "expired"
        lines: list[dict[str, Any]] = []
        for n, (custom_id, outcome) in enumerate(zip(job.custom_ids, job.outcomes, strict=True)):
            if n >= done:
                result: dict[str, Any] = {"type": not_run}
            elif outcome.ok:
                result = {"type": "succeeded", "message": outcome.body}
            else:
                result = {"type": "errored", "error": outcome.body}
            lines.append({"custom_id": custom_id, "result": result})
        return lines

    def job_json(self, job: FakeJob) -> dict[str, Any]:
        state = job.state
        finished = job.finished
        not_run = job.total - job.done
        return {
            "id": job.id,
            "type": "message_batch",
            "processing_status": _STATUS[state],
            "request_counts": {
                "processing": 0 if finished else not_run,
                "succeeded": job.succeeded,
                "errored": job.failed,
                "canceled": not_run if state == "cancelled" else 0,
                "expired": not_run if state == "expired" else 0,
            },
            "ended_at": _iso(job.ended_at),
            "created_at": _iso(job.created_at),
            "expires_at": _iso(job.created_at + 86400),
            "archived_at": None,
            "cancel_initiated_at": _iso(job.created_at) if job.cancel_requested else None,
            "results_url": (
                f"{self.fake.url}/v1/messages/batches/{job.id}/results" if finished else None
            ),
        }
