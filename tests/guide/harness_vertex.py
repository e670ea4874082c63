"""The guide's Vertex AI examples against ``FakeVertex`` over gRPC, the SDK's default
transport (it serves sync and async alike). Each example runs under ``vertexai.init(...,
api_endpoint=...)`` with token credentials (no Google account); gRPC trusts the fake's
certificate through ``GRPC_DEFAULT_SSL_ROOTS_FILE_PATH``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from mirascope.testing import FakeServer, FakeVertex
from mirascope.testing.google_genai import GRPC_ROOTS_VARIABLE

from .harness import Harness


class VertexHarness(Harness):
    tab = "Vertex AI"
    module = "vertex"

    def start(self) -> FakeServer:
        return FakeVertex().start()

    def environ(self, server: FakeServer) -> dict[str, str]:
        assert isinstance(server, FakeVertex)
        return {
            "GOOGLE_CLOUD_PROJECT": "test-project",
            "GOOGLE_CLOUD_REGION": "us-central1",
            GRPC_ROOTS_VARIABLE: server.ca_file,
        }

    @contextmanager
    def active(self, server: FakeServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
        import vertexai  # seconds: only when a test runs
        from google.oauth2.credentials import Credentials

        assert isinstance(server, FakeVertex)
        for key, value in self.environ(server).items():
            monkeypatch.setenv(key, value)
        vertexai.init(
            project="test-project",
            location="us-central1",
            api_endpoint=server.grpc_endpoint,
            api_transport="grpc",
            credentials=Credentials(token="test-token"),
        )
        yield
