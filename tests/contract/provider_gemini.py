from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, ClassVar

from mirascope.testing import FakeGemini, FakeServer, RecordedRequest
from mirascope.testing.google_genai import GRPC_ROOTS_VARIABLE

from .base import ContractProvider

# the SDK is imported when a gemini test runs, not when the suite is collected (seconds)


class GenerateContentBodies(ContractProvider):
    """Request bodies of Google's generateContent REST shape (camelCase JSON; gRPC
    messages are recorded in the same shape), shared by every Google SDK."""

    def history_check(self, body: Any) -> None:
        contents = body["contents"]
        assert [c["role"] for c in contents[-2:]] == ["model", "user"], contents
        call = contents[-2]["parts"][-1]["functionCall"]
        assert call["name"] == "FormatBook"
        result = contents[-1]["parts"][0]["functionResponse"]
        assert result["name"] == "FormatBook"
        assert result["response"] == {"output": "The Name of the Wind by Patrick Rothfuss"}

    def messages_of(self, body: Any) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        system = body.get("systemInstruction")
        if system:
            out.append(("system", "".join(p.get("text", "") for p in system["parts"])))
        for content in body["contents"]:
            parts = content["parts"]
            if all(set(p) == {"text"} for p in parts):
                role = "assistant" if content["role"] == "model" else content["role"]
                out.append((role, "".join(p["text"] for p in parts)))
        return out


class ModelObjectContract(GenerateContentBodies):
    """Gemini and Vertex AI: a client is a ``GenerativeModel``, a model object with no
    endpoint, credential, timeout or connection of its own (all process-wide, set by
    ``configure_call``), so the model name is what tells two clients apart."""

    model = "gemini-1.5-flash"
    configure_call: ClassVar[str]
    """The process-wide configuration, for messages."""

    def model_object(self, name: str) -> Any:
        """The SDK's ``GenerativeModel`` for ``name``."""
        raise NotImplementedError

    def client(self, server: FakeServer, *, is_async: bool) -> Any:
        return self.model_object(self.model)

    @asynccontextmanager
    async def keyed_client(self, server: FakeServer, key: str) -> AsyncIterator[Any]:
        """A model object named ``key``: nothing to close."""
        yield self.model_object(key)

    def key_of(self, request: RecordedRequest) -> str | None:
        body = request.json
        model = body.get("model") if isinstance(body, dict) else None
        return model.rsplit("/", 1)[-1] if isinstance(model, str) else None

    def client_closed(self, client: Any) -> bool:
        raise NotImplementedError(
            "a GenerativeModel holds no connection of its own: the SDK's process-wide "
            f"transport ({self.configure_call}) does, so no client here can be seen closed"
        )

    def client_at(self, url: str, *, is_async: bool, timeout: float) -> Any:
        """None: a ``GenerativeModel`` carries no endpoint, timeout or retry setting."""
        return None


class GeminiContract(ModelObjectContract):
    """Over gRPC, google-generativeai's default transport, which serves sync and async."""

    name = "gemini"
    configure_call = "genai.configure"

    def start(self) -> FakeServer:
        return FakeGemini().start()

    def environ(self, server: FakeServer) -> dict[str, str]:
        from google.generativeai.client import configure

        assert isinstance(server, FakeGemini)
        # The SDK reads no endpoint from the environment: configure it, once per test,
        # which also drops its cached clients (bound to the event loops of earlier tests).
        configure(api_key="test-key", client_options={"api_endpoint": server.grpc_endpoint})
        return {"GOOGLE_API_KEY": "test-key", GRPC_ROOTS_VARIABLE: server.ca_file}

    def model_object(self, name: str) -> Any:
        from google.generativeai.generative_models import GenerativeModel

        return GenerativeModel(model_name=name)

    def no_retry_params(self, *, timeout: float, url: str | None = None) -> dict[str, Any] | None:
        if url is not None:
            return None  # the endpoint is process-wide (genai.configure), not per call
        # retry=None: the gapic method's own retry policy (on 503, 504) is off
        return {"request_options": {"timeout": timeout, "retry": None}}
