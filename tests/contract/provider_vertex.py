from __future__ import annotations

from typing import Any

from mirascope.testing import FakeServer, FakeVertex
from mirascope.testing.google_genai import GRPC_ROOTS_VARIABLE

from .provider_gemini import ModelObjectContract

# vertexai is imported when a vertex test runs, not when the suite is collected (seconds)


class VertexContract(ModelObjectContract):
    """Over gRPC, the SDK's default transport, which serves sync and async."""

    name = "vertex"
    configure_call = "vertexai.init"

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

    def model_object(self, name: str) -> Any:
        from vertexai.generative_models import GenerativeModel

        return GenerativeModel(model_name=name)

    def retrying_client(self, server: FakeServer, *, is_async: bool) -> Any:
        raise NotImplementedError(
            "vertexai's GenerativeModel retries nothing and takes no retry setting"
        )
