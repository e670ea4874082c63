"""Mistral's guide examples against FakeMistral.

mirascope's default client reads ``MISTRAL_SERVER_URL``. The custom-client examples build
``Mistral(api_key=...)`` with no server URL, and the SDK reads none from the environment, so
they reach the fake through the standard HTTPS proxy and CA variables that httpx (the SDK's
HTTP client) reads: a local proxy that answers for api.mistral.ai (see ``proxy_environ``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from mirascope.testing import FakeMistral, FakeServer

from .extract import Example
from .harness import Harness

# variables that would send HTTPS elsewhere, or past the proxy
_PROXY_OVERRIDES = ("https_proxy", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY")


class MistralHarness(Harness):
    tab = "Mistral"
    module = "mistral"

    def start(self) -> FakeServer:
        return FakeMistral().start()

    def environ(self, server: FakeServer) -> dict[str, str]:
        assert isinstance(server, FakeMistral)
        return {
            "MISTRAL_API_KEY": "test-key",
            "MISTRAL_SERVER_URL": server.url,
            **server.proxy_environ(),
        }

    @contextmanager
    def active(self, server: FakeServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
        for key in _PROXY_OVERRIDES:
            monkeypatch.delenv(key, raising=False)
        with super().active(server, monkeypatch):
            yield

    def check_requests(self, example: Example, server: FakeServer) -> None:
        for request in server.requests:
            assert request.path == "/v1/chat/completions"
            assert request.headers.get("authorization") == "Bearer test-key"
        if example.section == "Custom Client":
            # the example's own client went to api.mistral.ai, through the proxy
            assert all(r.headers.get("host") == "api.mistral.ai" for r in server.requests)
        elif example.section == "Async Streaming":
            assert all(r.json["stream"] is True for r in server.requests)
