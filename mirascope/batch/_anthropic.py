"""Anthropic's Message Batches API (inline requests at ``/v1/messages/batches``, results as
JSON lines once the batch has ended) through an ``Anthropic``/``AsyncAnthropic`` client."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core._engine.plan import CallSpec
from ._types import BatchItemError, BatchStatus, BatchUnsupportedError
from ._vendor import BatchVendor, Gather, ItemOutcome, Step


class AnthropicBatch(BatchVendor):
    max_items = 100_000

    def __init__(self, spec: CallSpec, client: Any) -> None:
        import anthropic  # the client is one of its clients: already imported

        if not isinstance(client, anthropic.Anthropic | anthropic.AsyncAnthropic):
            raise BatchUnsupportedError(
                f"anthropic: a {type(client).__name__} client has no Message Batches API "
                "(Anthropic's batches are its own API's); use an Anthropic or AsyncAnthropic "
                "client, or the batch jobs of the cloud (see the batch docs: Bedrock, Vertex AI)"
            )
        super().__init__(spec, client)

    def line(self, custom_id: str, request: Mapping[str, Any]) -> Any:
        return {"custom_id": custom_id, "params": self.body(request)}

    def submit(self, lines: list[Any], model: str) -> Step[BatchStatus]:
        return self.status_of((yield self.client.messages.batches.create(requests=lines)))

    def status(self, job_id: str) -> Step[BatchStatus]:
        return self.status_of((yield self.client.messages.batches.retrieve(job_id)))

    def cancel(self, job_id: str) -> Step[BatchStatus]:
        return self.status_of((yield self.client.messages.batches.cancel(job_id)))

    def status_of(self, job: Any) -> BatchStatus:
        counts = job.request_counts
        failed = counts.errored + counts.canceled + counts.expired
        return BatchStatus(
            job.id,
            self.provider,
            job.processing_status,
            counts.processing + counts.succeeded + failed,
            counts.succeeded,
            failed,
            job.processing_status == "ended",
            None,
            job,
        )

    def results(self, status: BatchStatus) -> Step[list[ItemOutcome]]:
        items = yield Gather(self.client.messages.batches.results(status.job_id))
        return [self.outcome(item) for item in items]

    def outcome(self, item: Any) -> ItemOutcome:
        custom_id: str = item.custom_id
        result = item.result
        kind = result.type
        if kind == "succeeded":
            return ItemOutcome(custom_id, result.message)
        if kind == "errored":
            detail = result.error.error
            return ItemOutcome(
                custom_id,
                error=BatchItemError(
                    f"anthropic: the request of {custom_id} failed: {detail.message}",
                    kind="errored",
                    custom_id=custom_id,
                    code=detail.type,
                    raw=item,
                ),
            )
        what = "was canceled" if kind == "canceled" else "expired before it ran"
        return ItemOutcome(
            custom_id,
            error=BatchItemError(
                f"anthropic: {custom_id} {what}",
                kind="canceled" if kind == "canceled" else "expired",
                custom_id=custom_id,
                code=kind,
                raw=item,
            ),
        )
