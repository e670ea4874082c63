"""Fake of Mistral's chat-completions API (``POST /v1/chat/completions``): JSON answers and
SSE streams shaped as the real API answers (see shared recordings), and its error bodies.

A client given the server's URL reaches it directly::

    Mistral(api_key="test", server_url=server.url)

The SDK reads no server URL from the environment, so code that builds ``Mistral(...)``
itself reaches the fake through ``server.proxy_environ()`` instead: standard HTTPS-proxy and
CA-bundle variables (which httpx, the SDK's HTTP client, reads) that name a proxy on
127.0.0.1 answering for api.mistral.ai with a certificate of a throwaway CA. The proxy
relays to this server only; nothing leaves the machine."""

from __future__ import annotations

import contextlib
import datetime
import json
import random
import select
import shutil
import socket
import ssl
import string
import tempfile
import threading
import uuid
from pathlib import Path
from typing import Any

from ._chat_completions import ChatCompletionsFake
from ._server import JSON_HEADERS, Answer, RecordedRequest, ToolCall
from .mistral_batch import MistralBatches

API_HOST = "api.mistral.ai"
_ALNUM = string.ascii_letters + string.digits


def _error_body(status: int, message: str) -> dict[str, Any]:
    if status == 422:  # request validation: the spec's HTTPValidationError
        return {"detail": [{"type": "value_error", "loc": ["body"], "msg": message, "input": None}]}
    if status == 401:  # the gateway's answer
        return {"message": message, "request_id": uuid.uuid4().hex}
    return {
        "object": "error",
        "message": message,
        "type": "invalid_request_error" if status < 500 else "internal_server_error",
        "param": None,
        "code": None,
    }


class FakeMistral(ChatCompletionsFake):
    """``Mistral(api_key="test", server_url=server.url)`` talks to this."""

    vendor = "mistral"
    routes = (r"/v1/chat/completions",)
    default_model = "mistral-large-latest"
    whole_stream_calls = True  # all in one chunk, which also ends the answer

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(host, port)
        self._proxy: _TLSProxy | None = None
        self.batches = MistralBatches(self)
        """The batch API (files and batch jobs): ``polls``, ``expire``, the jobs made."""
        self.extensions.append(self.batches)

    def response_headers(self) -> dict[str, str]:
        return {**JSON_HEADERS, "mistral-correlation-id": str(uuid.uuid4())}

    def error(self, status: int, message: str) -> Answer:
        body = json.dumps(_error_body(status, message)).encode()
        return Answer(status, self.response_headers(), body)

    def not_found(self, request: RecordedRequest) -> Answer:
        # a bare router 404, not the API's error object
        return Answer(404, self.response_headers(), b'{"detail":"Not Found"}')

    def call_id(self, call: ToolCall) -> str:
        # Mistral's tool-call ids are 9 letters and digits (and it refuses others sent back)
        return call.id or "".join(random.choices(_ALNUM, k=9))

    def message_call(self, call: ToolCall, call_id: str, index: int) -> dict[str, Any]:
        function = {"name": call.name, "arguments": call.arguments_json()}
        return {"id": call_id, "function": function, "index": index}

    # -- reaching clients built without a server URL -----------------------------------
    def proxy_environ(self) -> dict[str, str]:
        """Variables that route HTTPS for api.mistral.ai to this server: ``HTTPS_PROXY``
        names a local proxy answering for that host, ``SSL_CERT_FILE`` the throwaway CA
        that signed its certificate. Set them before the client is built (httpx reads them
        then); clear ``NO_PROXY`` and lower-case ``https_proxy`` if your shell sets them."""
        if self._proxy is None:
            host, port = self.url.removeprefix("http://").rsplit(":", 1)
            self._proxy = _TLSProxy((host, int(port)), (API_HOST,))
        return {
            "HTTPS_PROXY": f"http://127.0.0.1:{self._proxy.port}",
            "SSL_CERT_FILE": self._proxy.ca_file,
        }

    def stop(self) -> None:
        if self._proxy is not None:
            self._proxy.close()
            self._proxy = None
        super().stop()


class _TLSProxy:
    """An HTTPS proxy on 127.0.0.1 for the given host names only: it takes the CONNECT,
    ends TLS with a certificate of its own throwaway CA and relays the plain HTTP inside to
    ``target``. It never connects anywhere else."""

    def __init__(self, target: tuple[str, int], hosts: tuple[str, ...]) -> None:
        self._target = target
        self._hosts = hosts
        self._folder = tempfile.mkdtemp(prefix="mirascope-fake-ca-")
        self.ca_file, cert_file, key_file = _make_certificates(Path(self._folder), hosts)
        self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._context.load_cert_chain(cert_file, key_file)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        threading.Thread(target=self._accept, name="fake-https-proxy", daemon=True).start()

    def close(self) -> None:
        self._listener.close()
        with self._lock:
            for sock in self._sockets:
                _drop(sock)
            self._sockets.clear()
        shutil.rmtree(self._folder, ignore_errors=True)

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return  # closed
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _track(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._sockets.add(sock)
        return sock

    def _serve(self, conn: socket.socket) -> None:
        opened = [self._track(conn)]
        try:
            head = b""
            while b"\r\n\r\n" not in head and len(head) < 65536:
                data = conn.recv(4096)
                if not data:
                    return
                head += data
            method, authority, *_ = head.split(b"\r\n", 1)[0].decode("latin-1").split()
            if method != "CONNECT" or authority.rsplit(":", 1)[0] not in self._hosts:
                conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                return
            conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            tls = self._context.wrap_socket(conn, server_side=True)
            opened.append(self._track(tls))
            upstream = self._track(socket.create_connection(self._target))
            opened.append(upstream)
            _relay(tls, upstream)
        except (OSError, ValueError):
            pass  # a client or the fake hung up (or a scripted cut): drop the tunnel
        finally:
            with self._lock:
                self._sockets.difference_update(opened)
            for sock in reversed(opened):
                _drop(sock)


def _relay(tls: ssl.SSLSocket, upstream: socket.socket) -> None:
    """Copy bytes both ways until either side closes."""
    while True:
        ready = [tls] if tls.pending() else select.select([tls, upstream], [], [])[0]
        for sock in ready:
            data = sock.recv(65536)
            if not data:
                return
            (upstream if sock is tls else tls).sendall(data)


def _drop(sock: socket.socket) -> None:
    # abruptly, as a dropped network would: a cut stream must reach the client as a cut
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


def _make_certificates(folder: Path, hosts: tuple[str, ...]) -> tuple[str, str, str]:
    """A throwaway CA and a server certificate for ``hosts`` signed by it, as PEM files:
    (CA certificate, server certificate, server key)."""
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    except ImportError as error:  # pragma: no cover - cryptography comes with google-auth
        raise RuntimeError(
            "the fake's HTTPS proxy makes its certificates with the 'cryptography' "
            "package: pip install cryptography"
        ) from error
    now = datetime.datetime.now(datetime.timezone.utc)
    start, end = now - datetime.timedelta(minutes=5), now + datetime.timedelta(days=2)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mirascope testing CA")])
    usage = dict.fromkeys(
        (
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "encipher_only",
            "decipher_only",
        ),
        False,
    )
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, **usage),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0])]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(h) for h in hosts]), False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(digital_signature=True, key_cert_sign=False, crl_sign=False, **usage),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    paths = (folder / "ca.pem", folder / "server.pem", folder / "server-key.pem")
    paths[0].write_bytes(ca.public_bytes(pem))
    paths[1].write_bytes(cert.public_bytes(pem))
    paths[2].write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return str(paths[0]), str(paths[1]), str(paths[2])
