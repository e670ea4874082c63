"""A real HTTP server on 127.0.0.1 that answers like a vendor API, from scripted replies.

The server is protocol-blind: it records requests, picks the next scripted ``Reply`` (or
the default one, which echoes the prompt) and asks the vendor's ``render`` for the answer.
Faults (status codes, cut streams, malformed bodies, delays) are part of the script. A
request the vendor would not serve (another path, a body that is not JSON) gets the
vendor's own 404 or 400 and leaves the script alone.

Also here: what every vendor's fake does alike (the echo, token counts, the last user
message's text, a stream broken by a malformed event)."""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

from ..core.base._narrow import is_items, is_str_dict


@dataclass
class Answer:
    """What a vendor renderer sends back: a whole body, or a stream of byte events."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict[str, str])
    body: bytes = b""
    events: Iterable[bytes] | None = None


@dataclass
class ToolCall:
    """A tool call the fake model makes. ``arguments`` may be a raw (even invalid) string."""

    name: str
    arguments: dict[str, Any] | str
    id: str | None = None

    def arguments_json(self) -> str:
        if isinstance(self.arguments, str):
            return self.arguments
        return json.dumps(self.arguments)

    def arguments_dict(self) -> dict[str, Any]:
        if isinstance(self.arguments, dict):
            return self.arguments
        return json.loads(self.arguments)

    def arguments_value(self) -> Any:
        """The arguments as a JSON value; a string that is not JSON stays as written (a
        model that broke its arguments)."""
        try:
            return self.arguments_dict()
        except ValueError:
            return self.arguments

    def argument_halves(self) -> tuple[str, str]:
        """The JSON arguments in two pieces, as the fakes stream them."""
        text = self.arguments_json()
        half = len(text) // 2
        return text[:half], text[half:]


FAKE_SIGNATURE = "c2lnbmVkLWJ5LXRoZS1mYWtl"
"""The signature the fakes put on the reasoning they send (and expect back unchanged)."""


@dataclass
class Reply:
    """One scripted answer. ``text=None`` echoes the last user message."""

    text: str | None = None
    tool_calls: list[ToolCall] = field(default_factory=list[ToolCall])
    input_tokens: int | None = None
    output_tokens: int | None = None
    cached_tokens: int | None = None
    """Input tokens read from the vendor's prompt cache, reported where its usage has the
    field: inside ``input_tokens`` for the chat-completions APIs and Gemini, apart from them
    for Anthropic and Bedrock (Cohere and Mistral report none)."""
    status: int = 200
    """A non-200 status answers with the vendor's error body instead."""
    error_message: str = "scripted failure"
    headers: dict[str, str] = field(default_factory=dict[str, str])
    cut_after: int | None = None
    """Streams: close the connection after this many events, mid-stream."""
    malformed: bool = False
    """Answer with a body (or a stream event) that is not valid JSON."""
    empty: bool = False
    """Answer successfully with nothing in it: the vendor's empty answer (no choice, no
    candidate, no content block), streamed or not."""
    delay: float = 0.0
    """Seconds to wait before answering (for timeouts)."""
    pause_after: int | None = None
    """Streams: after this many events, wait ``pause`` seconds before sending the rest (a
    stream that stalls mid-way: longer than the client's timeout, a stream that times out)."""
    pause: float = 0.0
    chunk_size: int | None = None
    """Streams: characters per text chunk (default: one word per chunk)."""
    thinking: str | None = None
    """The model's reasoning before its answer, as the vendor sends it: Anthropic's thinking
    block and Bedrock's reasoning content (signed with ``FAKE_SIGNATURE``), Google's thought
    parts (google-genai's wire: the signature as ``thoughtSignature`` on the first function
    call, else on the answer's last part), and on the chat-completions fakes both
    ``reasoning`` (Groq's field) and ``reasoning_content`` (the DeepSeek-style field LiteLLM
    reads)."""
    truncated: bool = False
    """The answer stopped at the token limit: it ends with the vendor's finish reason for
    that (``length``, ``max_tokens``, ``MAX_TOKENS``)."""
    raw: Answer | None = None
    """Send exactly this answer (e.g. a recorded real response), bypassing the vendor
    renderer and its checks of path and body; the other fields are then ignored except
    ``cut_after``, ``delay`` and the pause."""


@dataclass
class RecordedRequest:
    """A request the fake server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    received_at: float = 0.0
    """``time.monotonic()`` when the whole request had arrived."""
    answered_at: float = 0.0
    """``time.monotonic()`` when the answer began (after any scripted ``delay``): while
    ``received_at <= t < answered_at`` the server held the request, and its client was
    still waiting for the answer, so the overlap of these spans is a floor on the calls the
    clients had in flight."""

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def split_text(text: str, size: int | None) -> list[str]:
    """Split text into stream pieces: words (keeping their spaces) or fixed sizes."""
    if not text:
        return []
    if size:
        return [text[i : i + size] for i in range(0, len(text), size)]
    pieces: list[str] = []
    start = 0
    for i, ch in enumerate(text):
        if ch == " " and i > start:
            pieces.append(text[start:i])
            start = i
    pieces.append(text[start:])
    return pieces


@dataclass(frozen=True)
class Usage:
    """The tokens an answer reports."""

    input: int
    output: int
    cached: int | None = None

    @property
    def total(self) -> int:
        return self.input + self.output


def usage_of(reply: Reply, text: str, *, final: bool = True) -> Usage:
    """The scripted token counts, or the fakes' defaults: 12 in, one a word of ``text`` out.
    ``final=False``: a count part-way through a stream, whatever the script says."""
    scripted = reply.output_tokens if final else None
    return Usage(
        reply.input_tokens if reply.input_tokens is not None else 12,
        scripted if scripted is not None else max(1, len(text.split())),
        reply.cached_tokens,
    )


def content_text(content: Any) -> str:
    """The text of a message's content: a string, or the ``text`` of its parts or blocks."""
    if isinstance(content, str):
        return content
    if not is_items(content):
        return ""
    texts = [p.get("text") for p in content if is_str_dict(p)]
    return "".join(t for t in texts if isinstance(t, str))


def last_user_text(
    messages: Any,
    *,
    content: str = "content",
    is_user: Callable[[dict[str, Any]], bool] = lambda m: m.get("role") == "user",
    skip_empty: bool = True,
) -> str:
    """The text of the last user message in a request's list of messages. With
    ``skip_empty``, a user turn without text (say, tool results only) is passed over."""
    if not is_items(messages):
        return ""
    for message in reversed(messages):
        if is_str_dict(message) and is_user(message):
            text = content_text(message.get(content))
            if text or not skip_empty:
                return text
    return ""


def with_broken_event(events: Iterable[bytes], broken: bytes) -> Iterator[bytes]:
    """A stream for ``Reply(malformed=True)``: its first two events, then ``broken``."""
    return itertools.chain(itertools.islice(events, 2), [broken])


class FakeServer:
    """Base of the vendor fakes. Subclasses implement ``render`` (or ``respond``, with
    ``error`` and ``response_headers``) and ``user_text``; with ``routes``, requests
    elsewhere get the vendor's 404."""

    vendor = "fake"
    routes: ClassVar[tuple[str, ...]] = ()
    """Regular expressions of the paths (query left out) the vendor serves by POST, with a
    JSON object for body; empty: any request is answered."""
    api_hosts: ClassVar[tuple[str, ...]] = ()
    """The vendor's API host names, which ``proxy_environ`` answers for by default."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._host, self._port = host, port
        self._proxies: dict[tuple[str, ...], Any] = {}
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._queue: deque[Reply] = deque()
        self.requests: list[RecordedRequest] = []
        """Every request received, in order."""
        self.record = True
        """Keep received requests in ``requests`` (benchmarks turn it off)."""
        self.extensions: list[Extension] = []
        """More of the vendor's API served beside the chat endpoint (its batch API), each
        asked first about every request."""

    # -- scripting -------------------------------------------------------------------
    def enqueue(self, *replies: Reply) -> None:
        """Answer the next requests with these replies, in order."""
        with self._lock:
            self._queue.extend(replies)

    def reset(self) -> None:
        """Forget scripted replies and recorded requests (and the extensions' state)."""
        with self._lock:
            self._queue.clear()
            self.requests.clear()
        for extension in self.extensions:
            extension.reset()

    def take_reply(self) -> Reply:
        """The next scripted reply (or the default one) without recording a request: for
        the work an extension does on its own (a batch's items)."""
        with self._lock:
            return self._queue.popleft() if self._queue else Reply()

    def intercept(self, request: RecordedRequest) -> Answer | None:
        """The answer of the extension that serves this request (recorded), or None."""
        for extension in self.extensions:
            answer = extension.handle(request)
            if answer is not None:
                if self.record:
                    with self._lock:
                        self.requests.append(request)
                return answer
        return None

    def next_reply(self, request: RecordedRequest) -> Reply:
        with self._lock:
            if self.record:
                self.requests.append(request)
            if self._queue:
                return self._queue.popleft()
        return Reply()

    def refuse(self, request: RecordedRequest) -> Answer | None:
        """The vendor's answer to a request it would not serve (recorded, but the script is
        left for the requests it serves), or None."""
        with self._lock:
            # a raw reply is sent exactly as scripted, whatever the request (say, a recorded
            # answer of another protocol that a client routes here)
            if not self.routes or (self._queue and self._queue[0].raw is not None):
                return None
        path = request.path.split("?", 1)[0]
        if request.method != "POST" or not any(re.fullmatch(r, path) for r in self.routes):
            answer = self.not_found(request)
        else:
            try:
                body = json.loads(request.body)
            except ValueError:
                body = None
            if isinstance(body, dict):
                return None
            answer = self.not_json(request)
        if self.record:
            with self._lock:
                self.requests.append(request)
        return answer

    def echo(self, request: RecordedRequest) -> str:
        """The default answer: the text of the last user message."""
        return self.user_text(request) or "(no user message)"

    def reply_text(self, request: RecordedRequest, reply: Reply) -> str:
        """The answer's text: the scripted one, or the echo when the reply scripts neither
        text nor tool calls."""
        if reply.text is None and not reply.tool_calls:
            return self.echo(request)
        return reply.text or ""

    # -- vendor part -----------------------------------------------------------------
    def user_text(self, request: RecordedRequest) -> str:
        """The last user message's text, in this vendor's request format."""
        raise NotImplementedError

    def render(self, request: RecordedRequest, reply: Reply) -> Answer:
        """Turn a scripted reply into this vendor's HTTP answer: its error for a failing
        status, else ``respond``'s answer."""
        if reply.status != 200:
            answer = self.error(reply.status, reply.error_message)
            answer.headers.update(reply.headers)
            return answer
        return self.respond(request, reply, {**self.response_headers(), **reply.headers})

    def respond(self, request: RecordedRequest, reply: Reply, headers: dict[str, str]) -> Answer:
        """The vendor's successful answer to a reply, with these headers."""
        raise NotImplementedError

    def response_headers(self) -> dict[str, str]:
        """Headers of every answer (a fresh request id, where the vendor sends one)."""
        return dict(JSON_HEADERS)

    def error(self, status: int, message: str) -> Answer:
        """The vendor's error answer with this status."""
        body = {"error": {"code": status, "message": message}}
        return Answer(status, self.response_headers(), json.dumps(body).encode())

    def not_found(self, request: RecordedRequest) -> Answer:
        """The vendor's answer to a path (or method) it does not serve."""
        return self.error(404, f"Not found: {request.method} {request.path.split('?', 1)[0]}")

    def not_json(self, request: RecordedRequest) -> Answer:
        """The vendor's answer to a body that is not a JSON object."""
        return self.error(400, "The request body is not a valid JSON object.")

    # -- lifecycle -------------------------------------------------------------------
    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeServer:
        server = self

        class Handler(_Handler):
            fake = server

        self._httpd = _HTTPServer((self._host, self._port), Handler)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name=f"fake-{self.vendor}", daemon=True
        )
        self._thread.start()
        return self

    def proxy_environ(self, *hosts: str) -> dict[str, str]:
        """Variables that route HTTPS for ``hosts`` (the vendor's own by default) to this
        server, for clients built with the vendor's URL written in: ``HTTPS_PROXY`` names a
        proxy on 127.0.0.1 that answers for those hosts only, ``SSL_CERT_FILE`` the
        throwaway CA that signed its certificate. Set them before the client is built
        (httpx reads them then); clear ``NO_PROXY`` and lower-case ``https_proxy`` if your
        shell sets them. Nothing leaves the machine."""
        from ._proxy import TLSProxy, proxy_environ

        hosts = hosts or self.api_hosts
        if not hosts:
            raise ValueError(f"{type(self).__name__} names no API host: pass the host names")
        proxy = self._proxies.get(hosts)
        if proxy is None:
            host, port = self.url.removeprefix("http://").rsplit(":", 1)
            proxy = self._proxies[hosts] = TLSProxy((host, int(port)), hosts)
        return proxy_environ(proxy)

    def stop(self) -> None:
        for proxy in self._proxies.values():
            proxy.close()
        self._proxies.clear()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class Extension:
    """A part of a vendor's API beyond its chat endpoint, served by a fake beside it."""

    def handle(self, request: RecordedRequest) -> Answer | None:
        """The answer to a request this extension serves, or None to leave it."""
        return None

    def reset(self) -> None:
        """Forget what it holds (``FakeServer.reset``)."""


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024

    def handle_error(self, request: Any, client_address: Any) -> None:
        # a client that hangs up (or a scripted cut) is not a server failure
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError | OSError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    fake: FakeServer
    protocol_version = "HTTP/1.1"
    # headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm
    # and the client's delayed ACK add ~40 ms to every answer
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # keep test output clean

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = _read_chunked(self.rfile)
        request = RecordedRequest(
            self.command,
            self.path,
            {k.lower(): v for k, v in self.headers.items()},
            body,
            time.monotonic(),
        )
        answer = self.fake.intercept(request)
        if answer is not None:
            self._send(answer, None)
            return
        refusal = self.fake.refuse(request)
        if refusal is not None:
            request.answered_at = time.monotonic()
            self._send(refusal, None)
            return
        reply = self.fake.next_reply(request)
        if reply.delay:
            time.sleep(reply.delay)
        answer = reply.raw if reply.raw is not None else self.fake.render(request, reply)
        request.answered_at = time.monotonic()
        self._send(answer, reply.cut_after, reply.pause_after, reply.pause)

    def _send(
        self,
        answer: Answer,
        cut_after: int | None,
        pause_after: int | None = None,
        pause: float = 0.0,
    ) -> None:
        self.send_response(answer.status)
        for key, value in answer.headers.items():
            self.send_header(key, value)
        if answer.events is None:
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)
            return
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for n, event in enumerate(answer.events):
            if cut_after is not None and n >= cut_after:
                self._cut()
                return
            if n == pause_after and pause:
                time.sleep(pause)
            self.wfile.write(b"%x\r\n%s\r\n" % (len(event), event))
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")

    def _cut(self) -> None:
        # end the connection abruptly: no closing chunk, as a dropped network would
        self.wfile.flush()
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    do_POST = _handle  # noqa: N815
    do_GET = _handle  # noqa: N815
    # so that other methods get the vendor's 404 rather than http.server's HTML 501
    do_PUT = _handle  # noqa: N815
    do_PATCH = _handle  # noqa: N815
    do_DELETE = _handle  # noqa: N815


def _read_chunked(rfile: Any) -> bytes:
    out = bytearray()
    while True:
        size = int(rfile.readline().strip().split(b";")[0], 16)
        if size == 0:
            rfile.readline()
            return bytes(out)
        out += rfile.read(size)
        rfile.readline()


def sse(
    events: Iterable[Any], *, done: bytes | None = None, sort_keys: bool = False
) -> Iterator[bytes]:
    """Server-sent events: one ``data:`` line per JSON event, then the optional end mark."""
    for event in events:
        data = json.dumps(event, separators=(",", ":"), sort_keys=sort_keys)
        yield b"data: " + data.encode() + b"\n\n"
    if done is not None:
        yield done


def named_sse(events: Iterable[dict[str, Any]], *, done: bytes | None = None) -> Iterator[bytes]:
    """Server-sent events named by their ``type`` (Anthropic's and Cohere v2's streams):
    ``event: <type>`` then ``data: <json>``, then the optional end mark."""
    for event in events:
        data = json.dumps(event, separators=(",", ":"))
        yield f"event: {event['type']}\ndata: {data}\n\n".encode()
    if done is not None:
        yield done


JSON_HEADERS = {"Content-Type": "application/json"}
SSE_HEADERS = {"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
SSE_DONE = b"data: [DONE]\n\n"
"""The end mark of OpenAI-style event streams."""

RenderFn = Callable[[RecordedRequest, Reply], Answer]
