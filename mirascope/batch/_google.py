"""The Gemini API's batch mode through ``google-genai`` (``client.batches``, ``.aio.batches``
for async): inline requests (``models/<model>:batchGenerateContent``), the job polled at
``batches/<id>``, the answers inline in ``job.dest.inlined_responses``.

Each inline request is the ``generate_content`` request the adapter builds for a call
(contents and config), tagged with ``metadata={"key": "item-<n>"}``, which the API hands
back on its answer. Vertex AI's batch prediction reads and writes Cloud Storage or
BigQuery instead: a ``vertexai=True`` client is refused."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core._engine.plan import CallSpec
from ..core.base._narrow import is_str_dict
from ._types import BatchItemError, BatchStatus, BatchUnsupportedError, custom_id
from ._vendor import BatchVendor, ItemOutcome, Step

DISPLAY_NAME = "mirascope-batch"
"""The job's display name (the API asks for one)."""

FAILED = "JOB_STATE_FAILED"

SDK_OPTIONS = frozenset({"http_options"})
"""Config fields that shape the HTTP request, not the generation: no part of a request."""


def _is_vertex(client: Any) -> bool:
    vertexai = getattr(client, "vertexai", None)  # a Client says it; an AsyncClient does not
    if vertexai is None:
        vertexai = client._api_client.vertexai
    return bool(vertexai)


def _fields(config: Any) -> dict[str, Any]:
    """A config (dict or ``GenerateContentConfig``) as a dict of the fields it was given."""
    if is_str_dict(config):
        return dict(config)
    return {name: getattr(config, name) for name in config.model_fields_set}


class GoogleBatch(BatchVendor):
    """Batch mode of the Gemini API through a ``genai.Client`` (or its ``.aio``)."""

    max_items = 1_000_000
    """The API bounds an inline batch by its size (20 MB), not by a count: a larger one is
    refused with the API's own error."""

    def __init__(self, spec: CallSpec, client: Any) -> None:
        from google.genai.client import Client  # the client is one of its clients

        if _is_vertex(client):
            raise BatchUnsupportedError(
                "google: a Vertex AI client (genai.Client(vertexai=True, ...)) runs batch "
                "prediction jobs that read their requests from Cloud Storage or BigQuery and "
                "write their results there, which mirascope does not manage: use a Gemini "
                "API client (genai.Client(api_key=...)), or client.batches.create(src='gs://"
                "...' or 'bq://...') yourself (see the batch docs)"
            )
        super().__init__(spec, client)
        self.api: Any = client.aio if self.is_async and isinstance(client, Client) else client
        """What the SDK calls go through: the ``Client``, or its ``.aio`` for async (the
        ``Client`` itself is kept in ``client``: it closes its connections when collected)."""
        self.total = 0
        """Items in the job submitted through this object (0 for a resumed job)."""

    def line(self, custom_id: str, request: Mapping[str, Any]) -> Any:
        """An inline request: ``generate_content``'s contents and config (the model is the
        job's), with the item's id as metadata."""
        line: dict[str, Any] = {"contents": request["contents"], "metadata": {"key": custom_id}}
        config = request.get("config")
        if config is not None:
            fields = {k: v for k, v in _fields(config).items() if k not in SDK_OPTIONS}
            if fields:
                line["config"] = fields
        return line

    def submit(self, lines: list[Any], model: str) -> Step[BatchStatus]:
        self.total = len(lines)
        job = yield self.api.batches.create(
            model=model, src=lines, config={"display_name": DISPLAY_NAME}
        )
        return self.status_of(job)

    def status(self, job_id: str) -> Step[BatchStatus]:
        return self.status_of((yield self.api.batches.get(name=job_id)))

    def cancel(self, job_id: str) -> Step[BatchStatus]:
        yield self.api.batches.cancel(name=job_id)  # answers nothing: the job says where it is
        return (yield from self.status(job_id))

    def status_of(self, job: Any) -> BatchStatus:
        """The job's state; google-genai passes on no counts while a job runs (the API's
        ``batchStats`` is not read), so items are counted once the answers are in."""
        state = job.state.value if job.state is not None else "JOB_STATE_UNSPECIFIED"
        dest = job.dest
        answers: list[Any] | None = dest.inlined_responses if dest is not None else None
        total, succeeded, failed = self.total, 0, 0
        if answers is not None:
            failed = sum(a.error is not None for a in answers)
            succeeded = len(answers) - failed
            total = max(total, len(answers))
        problem = None
        if state == FAILED and answers is None:
            error = job.error
            problem = (error.message if error is not None else None) or "the vendor gave no reason"
        return BatchStatus(
            job.name, self.provider, state, total, succeeded, failed, job.done, problem, job
        )

    def results(self, status: BatchStatus) -> Step[list[ItemOutcome]]:
        dest = status.raw.dest
        answers: list[Any] = (dest.inlined_responses if dest is not None else None) or []
        yield from ()  # nothing to ask: the answers came with the job's last poll
        return [self.outcome(n, answer) for n, answer in enumerate(answers)]

    def outcome(self, position: int, answer: Any) -> ItemOutcome:
        """One inline answer; its metadata names the item (the API also keeps input order)."""
        metadata: dict[str, str] = answer.metadata or {}
        cid = metadata.get("key") or custom_id(position)
        error = answer.error
        if error is not None:
            code = error.code
            return ItemOutcome(
                cid,
                error=BatchItemError(
                    f"google: the request of {cid} failed ({code}): {error.message}",
                    kind="errored",
                    custom_id=cid,
                    code=str(code) if code is not None else None,
                    raw=answer,
                ),
            )
        if answer.response is None:
            return self.unreadable(cid, answer, ValueError("the answer has no response"))
        return ItemOutcome(cid, answer.response)
