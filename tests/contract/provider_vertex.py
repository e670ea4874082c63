from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from mirascope.testing import FakeServer, FakeVertex, RecordedRequest
from mirascope.testing.google_genai import GRPC_ROOTS_VARIABLE

from .base import ContractProvider
from .provider_gemini import GeminiContract, _model_key

# vertexai is imported when a vertex test runs, not when the suite is collected (seconds)


class VertexContract(ContractProvider):
    """Over gRPC, the SDK's default transport, which serves sync and async."""

    name = "vertex"
    model = "gemini-1.5-flash"

    def start(self) -> FakeServer:
        return FakeVertex().start()

    def environ(self, server: FakeServer) -> dict[str, str]:
        import vertexai
        from google.oauth2.credentials import Credentials

        assert isinstance(server, FakeVertex)
        # The SDK reads no endpoint from the environment: configure it, once per test.
        vertexai.init(
            project="test-project",
            location="us-central1",
            api_endpoint=server.grpc_endpoint,
            api_transport="grpc",
            credentials=Credentials(token="test-token"),
        )
        return {GRPC_ROOTS_VARIABLE: server.ca_file}

    def client(self, server: FakeServer, *, is_async: bool) -> Any:
        from vertexai.generative_models import GenerativeModel

        return GenerativeModel(model_name=self.model)

    @asynccontextmanager
    async def keyed_client(self, server: FakeServer, key: str) -> AsyncIterator[Any]:
        """A model object named ``key``: nothing to close."""
        from vertexai.generative_models import GenerativeModel

        yield GenerativeModel(model_name=key)

    def key_of(self, request: RecordedRequest) -> str | None:
        return _model_key(request)

    def client_closed(self, client: Any) -> bool:
        raise NotImplementedError(
            "a GenerativeModel holds no connection of its own: the SDK's process-wide "
            "transport (vertexai.init) does, so no client here can be seen closed"
        )

    def client_at(self, url: str, *, is_async: bool, timeout: float) -> Any:
        """None: a ``GenerativeModel`` carries no endpoint, timeout or retry setting (the
        endpoint is process-wide, ``vertexai.init(api_endpoint=...)``)."""
        return None

    def retrying_client(self, server: FakeServer, *, is_async: bool) -> Any:
        raise NotImplementedError(
            "vertexai's GenerativeModel retries nothing and takes no retry setting"
        )

    # the same generateContent body as Gemini's
    history_check = GeminiContract.history_check
    messages_of = GeminiContract.messages_of
