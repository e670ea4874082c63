"""The guide's Bedrock examples against ``FakeBedrock``.

botocore (and so boto3 and aiobotocore) reads ``AWS_ENDPOINT_URL_BEDROCK_RUNTIME`` as the
``endpoint_url`` of every ``bedrock-runtime`` client it creates, so both mirascope's
default clients and the aiobotocore clients the examples build reach the fake; the keys
are fake (requests are signed, never verified) and no AWS file or metadata service is read.

The guide's custom-client examples hand mirascope an aiobotocore client whose
``async with`` block has already ended. aiobotocore cannot send through such a client
(its HTTP session is gone), so calling them raises mirascope's clear ``ClientClosedError``
before any request is made; ``tests/providers/bedrock`` shows the same functions working
with an open client."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from mirascope.core._engine.clients import default_clients_created
from mirascope.core.bedrock import ClientClosedError
from mirascope.testing import FakeBedrock, FakeServer

from .extract import Example
from .harness import Harness

# settings of the developer's machine that would steer botocore elsewhere
_ISOLATE = ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_BEARER_TOKEN_BEDROCK", "AWS_ENDPOINT_URL")


def aws_environ(url: str) -> dict[str, str]:
    return {
        "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": url,
        "AWS_ACCESS_KEY_ID": "AKIAFAKEFAKEFAKE",
        "AWS_SECRET_ACCESS_KEY": "fake-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_EC2_METADATA_DISABLED": "true",
    }


class BedrockHarness(Harness):
    tab = "Bedrock"
    module = "bedrock"

    def start(self) -> FakeServer:
        return FakeBedrock().start()

    def environ(self, server: FakeServer) -> dict[str, str]:
        return aws_environ(server.url)

    @contextmanager
    def active(self, server: FakeServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
        for key in _ISOLATE:
            monkeypatch.delenv(key, raising=False)
        with super().active(server, monkeypatch):
            yield

    def expected_error(self, example: Example) -> tuple[type[BaseException], str] | None:
        if example.section == "Custom Client":
            return ClientClosedError, r"client .* is closed.*async with"
        return None

    def check_requests(self, example: Example, server: FakeServer) -> None:
        if example.section == "Custom Client":
            # refused before sending, and not rerouted through the default client
            assert not server.requests
            assert not default_clients_created(self.module)
            return
        for request in server.requests:
            assert request.path.startswith("/model/anthropic.claude-3-haiku-20240307-v1%3A0/")
            assert request.headers["authorization"].startswith("AWS4-HMAC-SHA256")
        if example.section == "Async Streaming":
            assert server.requests[0].path.endswith("/converse-stream")
        if example.section == "Async Tools":
            body = server.requests[0].json
            spec = body["toolConfig"]["tools"][0]["toolSpec"]
            assert spec["name"] == "FormatBook"
            assert set(spec["inputSchema"]["json"]["properties"]) == {"title", "author"}
