"""The guide's Gemini examples against ``FakeGemini`` over gRPC, the SDK's default transport
(``generate_content_async`` has no other). google-generativeai reads no endpoint from the
environment, so each example runs under ``genai.configure(client_options={"api_endpoint":
...})``; gRPC trusts the fake's certificate through ``GRPC_DEFAULT_SSL_ROOTS_FILE_PATH``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from mirascope.testing import FakeGemini, FakeServer
from mirascope.testing.google_genai import GRPC_ROOTS_VARIABLE

from .harness import Harness


class GeminiHarness(Harness):
    tab = "Gemini"
    module = "gemini"

    def start(self) -> FakeServer:
        return FakeGemini().start()

    def environ(self, server: FakeServer) -> dict[str, str]:
        assert isinstance(server, FakeGemini)
        return {"GOOGLE_API_KEY": "test-key", GRPC_ROOTS_VARIABLE: server.ca_file}

    @contextmanager
    def active(self, server: FakeServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
        from google.generativeai.client import configure  # seconds: only when a test runs

        assert isinstance(server, FakeGemini)
        for key, value in self.environ(server).items():
            monkeypatch.setenv(key, value)
        # a fresh configuration also drops the SDK's cached clients, bound to old event loops
        configure(client_options={"api_endpoint": server.grpc_endpoint})
        try:
            yield
        finally:
            configure(api_key="unused")  # back to Google's endpoint; nothing calls it
