"""An HTTPS proxy on 127.0.0.1 that answers for a vendor's host names and relays to a fake,
so that clients built with the vendor's URL written in (``Mistral(...)``, or
``OpenAI(base_url="https://api.x.ai/v1")``) reach the fake through the standard
``HTTPS_PROXY`` and ``SSL_CERT_FILE`` variables. Nothing leaves the machine."""

from __future__ import annotations

import contextlib
import datetime
import select
import shutil
import socket
import ssl
import tempfile
import threading
from pathlib import Path


def proxy_environ(proxy: TLSProxy) -> dict[str, str]:
    """The variables that send HTTPS for the proxy's hosts through it (httpx reads them
    when a client is built; clear ``NO_PROXY`` and lower-case ``https_proxy`` if set)."""
    return {"HTTPS_PROXY": f"http://127.0.0.1:{proxy.port}", "SSL_CERT_FILE": proxy.ca_file}


class TLSProxy:
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
