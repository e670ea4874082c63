"""The batch wire OpenAI and Mistral share: input lines uploaded as a file (multipart) to
``/files``, a job created over uploaded files, and its answers written back as result
files of OpenAI's line shape (``custom_id``, ``response``, ``error``), one for the items
answered and one for the failed. Each vendor's module supplies its paths, ids, names and
the fields only it has."""

from __future__ import annotations

from typing import Any, ClassVar

from ._batch import FakeBatches, FakeJob, Outcome, Route, StoredFile, multipart_form
from ._server import Answer, RecordedRequest


def file_routes(prefix: str) -> tuple[Route, ...]:
    """Upload, metadata and content of files under ``prefix``."""
    return (
        ("POST", prefix + r"/files", "upload"),
        ("GET", prefix + r"/files/([^/]+)/content", "content"),
        ("GET", prefix + r"/files/([^/]+)", "file"),
    )


class FileBatches(FakeBatches):
    """Base of the batch fakes whose input and results are uploaded and written files."""

    missing_file: ClassVar[str] = "No such File object: {id}"
    """The message of the 404 for an unknown file id."""
    default_purpose: ClassVar[str | None] = None
    """The purpose of an upload that names none (``None``: the upload is refused)."""
    result_keys: ClassVar[tuple[str, str]] = ("output_file_id", "error_file_id")
    """The job fields naming its result file and its error file."""
    result_purpose: ClassVar[str] = "batch_output"

    # -- what each vendor says its own way ------------------------------------------------
    def file_id(self) -> str:
        """A fresh id for a file."""
        return self.new_id("file-")

    def file_fields(self, stored: StoredFile) -> dict[str, Any]:
        """The vendor's fields of a file object besides the common ones."""
        return {}

    def upload_refusal(self, form: dict[str, tuple[str | None, bytes]]) -> Answer | None:
        """The error an upload without a file (or a purpose, where one is needed) gets."""
        if "file" not in form or ("purpose" not in form and self.default_purpose is None):
            return self.fake.error(400, "A file and its purpose are required.")
        return None

    def result_line(self, job: FakeJob, n: int, outcome: Outcome) -> dict[str, Any]:
        """The result line of item ``n``, which was run."""
        raise NotImplementedError

    def not_run_line(self, job: FakeJob, n: int) -> dict[str, Any] | None:
        """The error line of item ``n``, which was not run (``None``: no line)."""
        return None

    def result_name(self, job: FakeJob, key: str) -> str:
        """The filename of the result file kept under ``key``."""
        return f"{job.id}_{key}.jsonl"

    # -- files ----------------------------------------------------------------------------
    def file_json(self, file_id: str) -> dict[str, Any]:
        stored = self.files[file_id]
        return {
            "id": stored.id,
            "object": "file",
            "bytes": len(stored.data),
            "created_at": stored.created_at,
            "filename": stored.filename,
            "purpose": stored.purpose,
            **self.file_fields(stored),
        }

    def upload(self, request: RecordedRequest) -> Answer:
        form = multipart_form(request)
        refusal = self.upload_refusal(form)
        if refusal is not None:
            return refusal
        filename, data = form["file"]
        purpose = form["purpose"][1].decode() if "purpose" in form else self.default_purpose
        stored = self.store(self.file_id(), filename or "upload", purpose or "", data)
        return self.json(self.file_json(stored.id))

    def file(self, request: RecordedRequest, file_id: str) -> Answer:
        if file_id not in self.files:
            return self.fake.error(404, self.missing_file.format(id=file_id))
        return self.json(self.file_json(file_id))

    def content(self, request: RecordedRequest, file_id: str) -> Answer:
        stored = self.files.get(file_id)
        if stored is None:
            return self.fake.error(404, self.missing_file.format(id=file_id))
        return Answer(200, {"Content-Type": "application/octet-stream"}, stored.data)

    # -- results --------------------------------------------------------------------------
    def results_due(self, job: FakeJob) -> bool:
        """Whether the job has ended and its result files are still to be written."""
        return job.finished and not job.errors and self.result_keys[0] not in job.vendor

    def write_results(self, job: FakeJob) -> None:
        """The job's result file (items answered) and error file (items failed or, where
        the vendor writes lines for them, not run); a key is ``None`` with no lines."""
        done = job.done
        output: list[dict[str, Any]] = []
        failed: list[dict[str, Any]] = []
        for n, outcome in enumerate(job.outcomes):
            if n < done:
                (output if outcome.ok else failed).append(self.result_line(job, n, outcome))
            elif (line := self.not_run_line(job, n)) is not None:
                failed.append(line)
        for key, lines in zip(self.result_keys, (output, failed), strict=True):
            if lines:
                name = self.result_name(job, key)
                job.vendor[key] = self.store_lines(
                    self.file_id(), name, self.result_purpose, lines
                ).id
            else:
                job.vendor[key] = None
