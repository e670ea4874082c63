"""What every fake batch API does alike, whatever its wire: stored files, jobs whose items
are answered at creation (each takes the next scripted reply, rendered by the fake's own
chat endpoint) and revealed over a few polls, cancellation, expiry.

A job's life, counted in polls (each retrieval of the job is one):

- before its first poll it is ``queued``;
- then ``running``, ``done`` growing with each poll, until poll ``polls`` (the server's
  ``batches.polls``, 2 by default) ends it;
- a cancel request makes it ``cancelling`` and, at the next poll, ``cancelled``: the items
  done by then keep their answers, the others are not run;
- with ``batches.expire = True`` it ends ``expired`` instead, half its items not run.

Each vendor's module (``openai_batch``, ``anthropic_batch``, ``mistral_batch``,
``google_batch``) maps this
onto its own paths, objects and result lines."""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from ._server import JSON_HEADERS, Answer, Extension, RecordedRequest

if TYPE_CHECKING:
    from ._server import FakeServer

_ids = itertools.count(1)

JobState = Literal["queued", "running", "cancelling", "cancelled", "ended", "expired", "failed"]


@dataclass
class StoredFile:
    """A file uploaded to the fake (or written by it: a job's results)."""

    id: str
    filename: str
    purpose: str
    data: bytes
    created_at: int = field(default_factory=lambda: int(time.time()))

    def lines(self) -> list[Any]:
        """The JSON value of each non-blank line."""
        return [json.loads(line) for line in self.data.splitlines() if line.strip()]


@dataclass
class Outcome:
    """How one item was answered: the HTTP status and JSON body its request would have got."""

    status: int
    body: Any

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass
class FakeJob:
    """One batch job: its items' requests, their outcomes, and where it is in its life."""

    id: str
    custom_ids: list[str]
    requests: list[Any]
    """Each item's request body, as the vendor's request line carried it."""
    outcomes: list[Outcome]
    polls_to_end: int
    expires: bool = False
    errors: list[dict[str, Any]] = field(default_factory=list[dict[str, Any]])
    """Why the vendor refused the job at validation (it fails at its first poll)."""
    vendor: dict[str, Any] = field(default_factory=dict[str, Any])
    """Fields the vendor's module keeps (input file, endpoint, metadata, result files)."""
    created_at: int = field(default_factory=lambda: int(time.time()))
    polls: int = 0
    cancel_requested: bool = False
    frozen_done: int | None = None
    """Items done when the job was cancelled (no more run after)."""
    ended_at: int | None = None

    @property
    def total(self) -> int:
        return len(self.custom_ids)

    @property
    def state(self) -> JobState:
        if self.errors and self.polls:
            return "failed"
        if self.cancel_requested:
            return "cancelled" if self.ended_at is not None else "cancelling"
        if self.polls == 0:
            return "queued"
        if self.polls < self.polls_to_end:
            return "running"
        return "expired" if self.expires else "ended"

    @property
    def finished(self) -> bool:
        return self.state in ("cancelled", "ended", "expired", "failed")

    @property
    def done(self) -> int:
        """How many items (the first ones, in order) have been answered."""
        if self.errors:
            return 0
        if self.frozen_done is not None:
            return self.frozen_done
        if self.polls >= self.polls_to_end:
            return self.total // 2 if self.expires else self.total
        return self.total * self.polls // self.polls_to_end

    @property
    def succeeded(self) -> int:
        return sum(o.ok for o in self.outcomes[: self.done])

    @property
    def failed(self) -> int:
        return self.done - self.succeeded

    def poll(self) -> None:
        """One retrieval of the job: it moves on (a cancelling job ends cancelled)."""
        if self.finished:
            return
        if self.cancel_requested:
            self.ended_at = int(time.time())
            return
        self.polls += 1
        if self.finished:
            self.ended_at = int(time.time())

    def cancel(self) -> None:
        """A cancel request: the items done so far are all that will be."""
        if self.finished or self.cancel_requested:
            return
        self.frozen_done = self.done
        self.cancel_requested = True


Handler = Callable[..., Answer]
Route = tuple[str, str, str]


def job_routes(jobs: str) -> tuple[Route, ...]:
    """Create, retrieve and cancel under the path pattern ``jobs``."""
    return (
        ("POST", jobs, "create"),
        ("GET", jobs + r"/([^/]+)", "retrieve"),
        ("POST", jobs + r"/([^/]+)/cancel", "cancel"),
    )


class FakeBatches(Extension):
    """Base of the vendors' batch fakes: routes (method, path pattern, handler name),
    stored files and jobs. ``polls`` and ``expire`` set how the next jobs run."""

    routes: ClassVar[Sequence[Route]] = ()
    """(HTTP method, regular expression of the path without its query, method name); the
    pattern's groups are passed to the method after the request."""
    chat_path: ClassVar[str] = "/v1/chat/completions"
    """Where an item's request is answered, as the fake's chat endpoint renders it."""
    default_polls: ClassVar[int] = 2

    def __init__(self, fake: FakeServer) -> None:
        self.fake = fake
        self.jobs: dict[str, FakeJob] = {}
        """Every job created, by id."""
        self.files: dict[str, StoredFile] = {}
        """Every file uploaded or written, by id."""
        self.polls = self.default_polls
        """How many polls a new job takes to end."""
        self.expire = False
        """New jobs end expired, half their items not run."""
        self._lock = threading.Lock()
        self._compiled = [(m, re.compile(p), name) for m, p, name in self.routes]

    def reset(self) -> None:
        with self._lock:
            self.jobs.clear()
            self.files.clear()
            self.polls = self.default_polls
            self.expire = False

    def handle(self, request: RecordedRequest) -> Answer | None:
        path = request.path.split("?", 1)[0]
        for method, pattern, name in self._compiled:
            found = pattern.fullmatch(path)
            if found is not None and request.method == method:
                handler: Handler = getattr(self, name)
                with self._lock:
                    return handler(request, *found.groups())
        return None

    # -- the items ------------------------------------------------------------------------
    def answer_items(self, bodies: Sequence[Any], path: str | None = None) -> list[Outcome]:
        """Each item answered by the fake's chat endpoint (at ``path``, by default
        ``chat_path``), taking the next scripted reply (the default echo when none is left)."""
        outcomes: list[Outcome] = []
        for body in bodies:
            reply = self.fake.take_reply()
            data = json.dumps(body).encode()
            item = RecordedRequest("POST", path or self.chat_path, dict(JSON_HEADERS), data)
            answer = reply.raw if reply.raw is not None else self.fake.render(item, reply)
            try:
                value = json.loads(answer.body)
            except ValueError:
                value = answer.body.decode(errors="replace")
            outcomes.append(Outcome(answer.status, value))
        return outcomes

    def new_job(
        self,
        job_id: str,
        custom_ids: list[str],
        requests: list[Any],
        errors: list[dict[str, Any]] | None = None,
        chat_path: str | None = None,
        **vendor: Any,
    ) -> FakeJob:
        outcomes = [] if errors else self.answer_items(requests, chat_path)
        job = FakeJob(
            job_id,
            custom_ids,
            requests,
            outcomes,
            self.polls,
            self.expire,
            errors or [],
            vendor,
        )
        self.jobs[job.id] = job
        return job

    # -- files ----------------------------------------------------------------------------
    def new_id(self, prefix: str) -> str:
        """A fresh id: the vendor's prefix and a number."""
        return f"{prefix}{next(_ids)}"

    def store(self, file_id: str, filename: str, purpose: str, data: bytes) -> StoredFile:
        stored = StoredFile(file_id, filename, purpose, data)
        self.files[file_id] = stored
        return stored

    def store_lines(
        self, file_id: str, filename: str, purpose: str, lines: Sequence[Any]
    ) -> StoredFile:
        data = b"".join(json.dumps(line).encode() + b"\n" for line in lines)
        return self.store(file_id, filename, purpose, data)

    # -- jobs: retrieve and cancel, alike on every wire ---------------------------------
    missing_job: ClassVar[str] = "No batch found with id '{id}'."
    """The message of the 404 for an unknown job id (``{id}`` is the id asked for)."""

    def job_json(self, job: FakeJob) -> dict[str, Any]:
        """The job as the vendor's API returns it."""
        raise NotImplementedError

    def find_job(self, job_id: str) -> FakeJob | None:
        """The job a path's id names (a vendor whose ids carry a prefix adds it)."""
        return self.jobs.get(job_id)

    def retrieve(self, request: RecordedRequest, job_id: str) -> Answer:
        """One poll: the job moves on, then is shown."""
        job = self.find_job(job_id)
        if job is None:
            return self.fake.error(404, self.missing_job.format(id=job_id))
        job.poll()
        return self.json(self.job_json(job))

    def cancel(self, request: RecordedRequest, job_id: str) -> Answer:
        job = self.find_job(job_id)
        if job is None:
            return self.fake.error(404, self.missing_job.format(id=job_id))
        refusal = self.cancel_refusal(job)
        if refusal is not None:
            return refusal
        job.cancel()
        return self.json(self.cancel_json(job))

    def cancel_refusal(self, job: FakeJob) -> Answer | None:
        """The error a cancel request gets where the vendor refuses it (none by default:
        cancelling a finished job changes nothing)."""
        return None

    def cancel_json(self, job: FakeJob) -> dict[str, Any]:
        """The answer to a cancel request: the job, for most vendors."""
        return self.job_json(job)

    def json(self, value: Any, status: int = 200) -> Answer:
        return Answer(status, self.fake.response_headers(), json.dumps(value).encode())

    def not_found(self, request: RecordedRequest) -> Answer:
        return self.fake.not_found(request)


def multipart_form(request: RecordedRequest) -> dict[str, tuple[str | None, bytes]]:
    """The fields of a ``multipart/form-data`` body: name -> (filename, bytes)."""
    content_type = request.headers.get("content-type", "")
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.body)
    fields: dict[str, tuple[str | None, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if isinstance(name, str) and isinstance(payload, bytes):
            fields[name] = (part.get_filename(), payload)
    return fields
