"""Fakes of Google's generateContent APIs: the Gemini API (``FakeGemini``, what
``google-generativeai`` talks to), Vertex AI (``FakeVertex``, ``vertexai``'s generative
models), and both at once over REST only (``FakeGoogle``, what ``google-genai`` talks to,
whichever backend its ``Client`` uses). ``FakeGemini`` and ``FakeVertex`` answer over REST
(JSON; streams as a JSON array, or SSE with ``alt=sse``) and over gRPC, since the older
SDKs' async clients (and their default transport) speak gRPC.

The gRPC front uses TLS, as the SDKs always do, with a certificate made for 127.0.0.1 at
first use; gRPC trusts it once ``GRPC_DEFAULT_SSL_ROOTS_FILE_PATH`` names ``ca_file``
before the process opens its first secure channel (gRPC reads that variable once):

    with FakeGemini() as server:
        os.environ["GRPC_DEFAULT_SSL_ROOTS_FILE_PATH"] = server.ca_file
        genai.configure(api_key="test", client_options={"api_endpoint": server.grpc_endpoint})
        # or, REST (sync calls only):
        genai.configure(api_key="test", transport="rest",
                        client_options={"api_endpoint": server.url})

Both fronts share one script of replies and one list of recorded requests; a gRPC request
is recorded with its method as ``path`` (``/google.ai...GenerativeService/GenerateContent``)
and its message as JSON ``body``, the shape REST sends."""

from __future__ import annotations

import atexit
import datetime
import ipaddress
import itertools
import json
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent import futures
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from ..core.base._narrow import is_items, is_str_dict
from ._server import (
    FAKE_SIGNATURE,
    Answer,
    FakeServer,
    RecordedRequest,
    Reply,
    last_user_text,
    split_text,
    usage_of,
)

GRPC_ROOTS_VARIABLE = "GRPC_DEFAULT_SSL_ROOTS_FILE_PATH"
"""The environment variable through which gRPC learns to trust the fakes' certificate."""

_ids = itertools.count(1)

_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    499: "CANCELLED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}


def _status_name(status: int) -> str:
    return _STATUS_NAMES.get(status, "UNKNOWN")


# -- TLS for the gRPC front ------------------------------------------------------------------
_tls_lock = threading.Lock()
_tls: tuple[bytes, bytes, str] | None = None


def _tls_material() -> tuple[bytes, bytes, str]:
    """(key PEM, certificate PEM, certificate file): one self-signed certificate for
    127.0.0.1 and localhost per process, so that the roots gRPC read once stay right."""
    global _tls
    with _tls_lock:
        if _tls is None:
            from cryptography import x509
            from cryptography.hazmat.primitives import hashes, serialization
            from cryptography.hazmat.primitives.asymmetric import ec
            from cryptography.x509.oid import NameOID

            key = ec.generate_private_key(ec.SECP256R1())
            name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mirascope fake")])
            now = datetime.datetime.now(datetime.timezone.utc)
            cert = (
                x509.CertificateBuilder()
                .subject_name(name)
                .issuer_name(name)
                .public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(days=1))
                .not_valid_after(now + datetime.timedelta(days=3650))
                .add_extension(
                    x509.SubjectAlternativeName(
                        [
                            x509.DNSName("localhost"),
                            x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                        ]
                    ),
                    critical=False,
                )
                .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                .sign(key, hashes.SHA256())
            )
            cert_pem = cert.public_bytes(serialization.Encoding.PEM)
            key_pem = key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            fd, path = tempfile.mkstemp(prefix="mirascope-fake-ca-", suffix=".pem")
            with os.fdopen(fd, "wb") as f:
                f.write(cert_pem)
            atexit.register(os.remove, path)
            _tls = (key_pem, cert_pem, path)
        return _tls


# -- the wire shape ----------------------------------------------------------------------------
def _call_part(call: Any) -> dict[str, Any] | None:
    """A scripted tool call as a functionCall part; None when its arguments are not a
    JSON object (Google then answers MALFORMED_FUNCTION_CALL, not a broken call)."""
    try:
        args = call.arguments_dict()
    except ValueError:
        return None
    if not isinstance(args, dict):
        return None
    function: dict[str, Any] = {"name": call.name, "args": args}
    if call.id:
        function["id"] = call.id
    return {"functionCall": function}


class _GoogleFake(FakeServer):
    """The generateContent wire shared by the Gemini API and Vertex AI."""

    finish_codes: ClassVar[dict[str, int]]
    """Finish reasons as numbers, for requests that ask ``enum-encoding=int``."""
    grpc_services: ClassVar[tuple[str, ...]]
    """Fully qualified gRPC service names answered."""
    thinks: ClassVar[bool] = False
    """Whether ``Reply(thinking=...)`` is sent, as thought parts (``"thought": true``) and a
    ``thoughtSignature`` (``FAKE_SIGNATURE``): google-genai's and Vertex AI's messages have
    both fields (google-generativeai's have neither)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(host, port)
        self._grpc: Any = None
        self._grpc_port = 0

    # -- vendor part -------------------------------------------------------------------------
    def protos(self, service: str) -> tuple[Any, Any]:
        """(request, response) protobuf classes of ``service``'s generateContent."""
        raise NotImplementedError

    def user_text(self, request: RecordedRequest) -> str:
        body: dict[str, Any] = request.json or {}
        return last_user_text(
            body.get("contents"), content="parts", is_user=lambda c: c.get("role", "user") == "user"
        )

    def _usage(self, reply: Reply, text_so_far: str, final: bool) -> dict[str, Any]:
        usage = usage_of(reply, text_so_far, final=final)
        found: dict[str, Any] = {
            "promptTokenCount": usage.input,
            "candidatesTokenCount": usage.output,
            "totalTokenCount": usage.total,
            "promptTokensDetails": [{"modality": "TEXT", "tokenCount": usage.input}],
        }
        if usage.cached is not None:  # part of promptTokenCount, as the API counts it
            found["cachedContentTokenCount"] = usage.cached
        return found

    def _candidate(self, parts: list[dict[str, Any]], finish: str | None) -> dict[str, Any]:
        content: dict[str, Any] = {"parts": parts, "role": "model"} if parts else {}
        candidate: dict[str, Any] = {"content": content, "index": 0}
        if finish is not None:
            candidate["finishReason"] = finish
        return candidate

    def _final_parts(self, reply: Reply) -> tuple[list[dict[str, Any]], str, str | None]:
        parts: list[dict[str, Any]] = []
        for call in reply.tool_calls:
            part = _call_part(call)
            if part is None:
                # the API quotes what the model wrote, in this form since Gemini 3
                written = f"call:default_api:{call.name}{call.arguments_json()}"
                return [], "MALFORMED_FUNCTION_CALL", f"Malformed function call: {written}"
            parts.append(part)
        finish = "MAX_TOKENS" if reply.truncated else "STOP"
        return parts, finish, "Model generated function call(s)." if parts else None

    def _thoughts(self, reply: Reply) -> list[str]:
        """The pieces of the reply's thought summary this fake sends (none if it sends none)."""
        if not (self.thinks and reply.thinking):
            return []
        return split_text(reply.thinking, reply.chunk_size)

    @staticmethod
    def _sign(parts: list[dict[str, Any]]) -> None:
        """Put the thought signature where Gemini does: on the first function call, else on
        the last part of the answer."""
        calls = [p for p in parts if "functionCall" in p]
        target = calls[0] if calls else ([p for p in parts if not p.get("thought")] or parts)[-1]
        target["thoughtSignature"] = FAKE_SIGNATURE

    def response_body(self, model: str, text: str, reply: Reply) -> dict[str, Any]:
        """A whole generateContent answer, as the REST API writes it."""
        if reply.empty:  # no candidate at all (as for a blocked prompt, minus the reason)
            return {
                "candidates": [],
                "usageMetadata": self._usage(reply, "", True),
                "modelVersion": model,
                "responseId": f"fake-{next(_ids)}",
            }
        calls, finish, message = self._final_parts(reply)
        parts = ([{"text": text}] if text else []) + calls
        thoughts = self._thoughts(reply)
        if thoughts:
            parts = [{"text": "".join(thoughts), "thought": True}, *parts]
            self._sign(parts)
        candidate = self._candidate(parts, finish)
        if message:
            candidate["finishMessage"] = message
        return {
            "candidates": [candidate],
            "usageMetadata": self._usage(reply, text, True),
            "modelVersion": model,
            "responseId": f"fake-{next(_ids)}",
        }

    def response_chunks(self, model: str, text: str, reply: Reply) -> list[dict[str, Any]]:
        """A streamed answer: one chunk per text piece, function calls whole in the last."""
        if reply.empty:
            return [self.response_body(model, "", reply)]
        response_id = f"fake-{next(_ids)}"
        pieces = split_text(text, reply.chunk_size)
        calls, finish, message = self._final_parts(reply)
        chunks: list[dict[str, Any]] = [
            {
                "candidates": [self._candidate([{"text": piece, "thought": True}], None)],
                "usageMetadata": self._usage(reply, "", False),
                "modelVersion": model,
                "responseId": response_id,
            }
            for piece in self._thoughts(reply)
        ]
        so_far = ""
        for n, piece in enumerate(pieces):
            so_far += piece
            last = n == len(pieces) - 1 and not calls and message is None
            chunks.append(
                {
                    "candidates": [self._candidate([{"text": piece}], finish if last else None)],
                    "usageMetadata": self._usage(reply, so_far, last),
                    "modelVersion": model,
                    "responseId": response_id,
                }
            )
        if not pieces or calls or message is not None:
            candidate = self._candidate(calls, finish)
            if message:
                candidate["finishMessage"] = message
            chunks.append(
                {
                    "candidates": [candidate],
                    "usageMetadata": self._usage(reply, so_far, True),
                    "modelVersion": model,
                    "responseId": response_id,
                }
            )
        if self._thoughts(reply):
            self._sign([p for c in chunks for p in c["candidates"][0]["content"].get("parts", [])])
        return chunks

    def error(self, status: int, message: str) -> Answer:
        body = {"error": {"code": status, "message": message, "status": _status_name(status)}}
        return Answer(status, self.response_headers(), json.dumps(body).encode())

    def not_found(self, request: RecordedRequest) -> Answer:
        return self.error(404, "Method not found.")

    def not_json(self, request: RecordedRequest) -> Answer:
        return self.error(400, "Invalid JSON payload received. Unexpected token.")

    # -- REST --------------------------------------------------------------------------------
    def response_headers(self) -> dict[str, str]:
        return {"Content-Type": "application/json; charset=UTF-8"}

    def respond(self, request: RecordedRequest, reply: Reply, headers: dict[str, str]) -> Answer:
        headers["Content-Type"] = "application/json; charset=UTF-8"
        url = urlsplit(request.path)
        match = re.search(r"models/([^/:]+):(\w+)$", url.path)
        model, method = (match.group(1), match.group(2)) if match else ("gemini", "")
        query = parse_qs(url.query)
        as_numbers = any("enum-encoding=int" in v for v in query.get("$alt", []))
        text = self.reply_text(request, reply)
        if method != "streamGenerateContent":
            if reply.malformed:
                return Answer(200, headers, b'{"candidates": [')
            body = self._numbered(self.response_body(model, text, reply), as_numbers)
            return Answer(200, headers, json.dumps(body, indent=2).encode())
        chunks = [self._numbered(c, as_numbers) for c in self.response_chunks(model, text, reply)]
        if query.get("alt") == ["sse"]:
            headers["Content-Type"] = "text/event-stream"
            events = [b"data: " + json.dumps(c).encode() + b"\r\n\r\n" for c in chunks]
            if reply.malformed:
                events = [*events[:2], b"data: {not json\r\n\r\n"]
            return Answer(200, headers, events=events)
        # the JSON array google.api_core's REST stream reader takes, one element an event
        events = [
            (b"[" if n == 0 else b",\r\n") + json.dumps(c).encode() for n, c in enumerate(chunks)
        ]
        if reply.malformed:
            events = [*events[:2], b",\r\n{not json}"]
        events.append(b"]")
        return Answer(200, headers, events=events)

    def _numbered(self, body: dict[str, Any], as_numbers: bool) -> dict[str, Any]:
        if as_numbers:
            for candidate in body["candidates"]:
                if "finishReason" in candidate:
                    candidate["finishReason"] = self.finish_codes[candidate["finishReason"]]
        return body

    # -- gRPC --------------------------------------------------------------------------------
    @property
    def grpc_endpoint(self) -> str:
        """``127.0.0.1:<port>`` of the gRPC front (TLS; see ``ca_file``)."""
        if not self.grpc_services:
            raise AttributeError(f"{type(self).__name__} serves REST only: it has no gRPC front")
        assert self._grpc is not None, "server not started"
        return f"127.0.0.1:{self._grpc_port}"

    @property
    def ca_file(self) -> str:
        """The certificate the gRPC front presents (for ``GRPC_DEFAULT_SSL_ROOTS_FILE_PATH``)."""
        if not self.grpc_services:
            raise AttributeError(f"{type(self).__name__} serves REST only: it has no gRPC front")
        return _tls_material()[2]

    def start(self) -> _GoogleFake:
        super().start()
        if not self.grpc_services:
            return self
        import grpc

        key_pem, cert_pem, _ = _tls_material()
        handlers: list[Any] = []
        for service in self.grpc_services:
            request_cls, response_cls = self.protos(service)
            unary = self._grpc_unary(service, request_cls, response_cls)
            stream = self._grpc_stream(service, request_cls, response_cls)
            handlers.append(
                grpc.method_handlers_generic_handler(
                    service,
                    {
                        "GenerateContent": grpc.unary_unary_rpc_method_handler(unary),
                        "StreamGenerateContent": grpc.unary_stream_rpc_method_handler(stream),
                    },
                )
            )
        server = grpc.server(futures.ThreadPoolExecutor(max_workers=32), handlers=handlers)
        self._grpc_port = server.add_secure_port(
            "127.0.0.1:0", grpc.ssl_server_credentials([(key_pem, cert_pem)])
        )
        server.start()
        self._grpc = server
        return self

    def stop(self) -> None:
        if self._grpc is not None:
            self._grpc.stop(0)
            self._grpc = None
        super().stop()

    def _grpc_receive(
        self, service: str, method: str, request_cls: Any, data: bytes, context: Any
    ) -> tuple[RecordedRequest, Reply, str, list[dict[str, Any]] | None]:
        """Record the request and pick the reply; abort the call if the reply is an error.
        Returns the request, the reply, the model and, for a ``raw`` reply, its messages."""
        import grpc
        from google.protobuf import json_format

        message = request_cls.FromString(data)
        recorded = RecordedRequest(
            "POST",
            f"/{service}/{method}",
            {k: v if isinstance(v, str) else repr(v) for k, v in context.invocation_metadata()},
            json_format.MessageToJson(message).encode(),
            time.monotonic(),
        )
        reply = self.next_reply(recorded)
        if reply.delay:
            time.sleep(reply.delay)
        recorded.answered_at = time.monotonic()
        if reply.headers:
            context.send_initial_metadata(tuple((k.lower(), v) for k, v in reply.headers.items()))
        status, error, raw = reply.status, reply.error_message, None
        if reply.raw is not None:
            status, raw = reply.raw.status, _json_messages(reply.raw)
            if status != 200:
                error = str(raw[0].get("error", {}).get("message", error) if raw else error)
        if status != 200:
            context.abort(getattr(grpc.StatusCode, _status_name(status)), error)
        return recorded, reply, message.model.rsplit("/", 1)[-1], raw

    def _grpc_unary(
        self, service: str, request_cls: Any, response_cls: Any
    ) -> Callable[[bytes, Any], bytes]:
        from google.protobuf import json_format

        def handle(data: bytes, context: Any) -> bytes:
            recorded, reply, model, raw = self._grpc_receive(
                service, "GenerateContent", request_cls, data, context
            )
            if raw is not None:
                body = raw[0]
            elif reply.malformed:
                return b"\xff\xff\xff not a protobuf message"
            else:
                body = self.response_body(model, self.reply_text(recorded, reply), reply)
            message = json_format.ParseDict(body, response_cls(), ignore_unknown_fields=True)
            return message.SerializeToString()

        return handle

    def _grpc_stream(
        self, service: str, request_cls: Any, response_cls: Any
    ) -> Callable[[bytes, Any], Iterator[bytes]]:
        import grpc
        from google.protobuf import json_format

        def handle(data: bytes, context: Any) -> Iterator[bytes]:
            recorded, reply, model, raw = self._grpc_receive(
                service, "StreamGenerateContent", request_cls, data, context
            )
            chunks = (
                raw
                if raw is not None
                else self.response_chunks(model, self.reply_text(recorded, reply), reply)
            )
            for n, chunk in enumerate(chunks):
                if reply.cut_after is not None and n >= reply.cut_after:
                    # what a client sees when the connection drops mid-stream
                    context.abort(grpc.StatusCode.UNAVAILABLE, "Connection reset by peer")
                if n == reply.pause_after and reply.pause:
                    time.sleep(reply.pause)
                if reply.malformed and raw is None and n == min(2, len(chunks) - 1):
                    yield b"\xff\xff\xff not a protobuf message"
                    return
                message = json_format.ParseDict(chunk, response_cls(), ignore_unknown_fields=True)
                yield message.SerializeToString()

        return handle


def _json_messages(answer: Answer) -> list[dict[str, Any]]:
    """The JSON objects of a REST answer (a body, an SSE stream or a JSON-array stream),
    so that a ``raw`` reply (say a recorded exchange) can be sent over gRPC too."""
    data = answer.body if answer.events is None else b"".join(answer.events)
    text = data.decode().strip()
    if text.startswith("data:"):
        return [json.loads(line[5:]) for line in text.splitlines() if line.startswith("data:")]
    value: object = json.loads(text) if text else []
    messages: list[dict[str, Any]] = []
    for item in value if is_items(value) else [value]:
        if not is_str_dict(item):
            raise ValueError(f"a raw reply's JSON holds {item!r}: give JSON objects (responses)")
        messages.append(item)
    return messages


class FakeGemini(_GoogleFake):
    """The Gemini API (``generativelanguage.googleapis.com``, v1beta), REST and gRPC."""

    vendor = "gemini"
    routes = (r"/v1(beta)?/models/[^/:]+:(generateContent|streamGenerateContent)",)
    finish_codes: ClassVar[dict[str, int]] = {
        "STOP": 1,
        "MAX_TOKENS": 2,
        "SAFETY": 3,
        "OTHER": 5,
        "MALFORMED_FUNCTION_CALL": 10,
    }
    grpc_services = ("google.ai.generativelanguage.v1beta.GenerativeService",)

    def protos(self, service: str) -> tuple[Any, Any]:
        from google.ai.generativelanguage_v1beta.types import generative_service

        request: Any = generative_service.GenerateContentRequest
        response: Any = generative_service.GenerateContentResponse
        return request.pb(), response.pb()


class FakeVertex(_GoogleFake):
    """Vertex AI's generative models (``aiplatform.googleapis.com``, v1 and v1beta1
    ``.../publishers/google/models/<model>:generateContent``), REST and gRPC."""

    vendor = "vertex"
    routes = (
        r"/v1(beta1)?/projects/[^/]+/locations/[^/]+/publishers/google/models/[^/:]+"
        r":(generateContent|streamGenerateContent)",
    )
    finish_codes: ClassVar[dict[str, int]] = {
        "STOP": 1,
        "MAX_TOKENS": 2,
        "SAFETY": 3,
        "OTHER": 5,
        "MALFORMED_FUNCTION_CALL": 9,
    }
    grpc_services = (
        "google.cloud.aiplatform.v1.PredictionService",
        "google.cloud.aiplatform.v1beta1.PredictionService",
    )
    thinks = True

    def protos(self, service: str) -> tuple[Any, Any]:
        if ".v1beta1." in service:
            from google.cloud.aiplatform_v1beta1.types import prediction_service
        else:
            from google.cloud.aiplatform_v1.types import prediction_service
        request: Any = prediction_service.GenerateContentRequest
        response: Any = prediction_service.GenerateContentResponse
        return request.pb(), response.pb()


class FakeGoogle(_GoogleFake):
    """What ``google-genai`` talks to, over REST only (JSON; streams as SSE): the Gemini
    API (``/v1beta/models/<model>:generateContent``) for ``genai.Client(api_key=...)``, and
    Vertex AI for ``genai.Client(vertexai=True, ...)``, at both of its paths: a project's
    (``/v1beta1/projects/<p>/locations/<l>/publishers/google/models/<model>:...``, with
    ``project``/``location`` and credentials) and express mode's
    (``/v1beta1/publishers/google/models/<model>:...``, with an API key alone). Needs no
    Google SDK of its own. Point a client at it with
    ``genai.Client(..., http_options={"base_url": server.url})``, or the default client with
    ``GOOGLE_GEMINI_BASE_URL`` (``GOOGLE_VERTEX_BASE_URL`` in Vertex AI mode). The Gemini
    API's batch mode is served too (``server.batches``, see ``google_batch``)."""

    vendor = "google"
    routes = (
        *FakeGemini.routes,
        *FakeVertex.routes,
        r"/v1(beta1)?/publishers/google/models/[^/:]+:(generateContent|streamGenerateContent)",
    )
    finish_codes: ClassVar[dict[str, int]] = FakeGemini.finish_codes
    grpc_services = ()
    thinks = True

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(host, port)
        from .google_batch import GoogleBatches

        self.batches = GoogleBatches(self)
        """The Gemini API's batch mode: ``polls``, ``expire``, the jobs made."""
        self.extensions.append(self.batches)
