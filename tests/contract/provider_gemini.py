from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from mirascope.testing import FakeGemini, FakeServer, RecordedRequest
from mirascope.testing.google_genai import GRPC_ROOTS_VARIABLE

from .base import ContractProvider

# the SDK is imported when a gemini test runs, not when the suite is collected (seconds)


class GeminiContract(ContractProvider):
    """Over gRPC, google-generativeai's default transport, which serves sync and async."""

    name = "gemini"
    model = "gemini-1.5-flash"

    def start(self) -> FakeServer:
        return FakeGemini().start()

    def environ(self, server: FakeServer) -> dict[str, str]:
        from google.generativeai.client import configure

        assert isinstance(server, FakeGemini)
        # The SDK reads no endpoint from the environment: configure it, once per test,
        # which also drops its cached clients (bound to the event loops of earlier tests).
        configure(api_key="test-key", client_options={"api_endpoint": server.grpc_endpoint})
        return {"GOOGLE_API_KEY": "test-key", GRPC_ROOTS_VARIABLE: server.ca_file}

    def client(self, server: FakeServer, *, is_async: bool) -> Any:
        from google.generativeai.generative_models import GenerativeModel

        return GenerativeModel(model_name=self.model)

    @asynccontextmanager
    async def keyed_client(self, server: FakeServer, key: str) -> AsyncIterator[Any]:
        """A model object named ``key``: nothing to close."""
        from google.generativeai.generative_models import GenerativeModel

        yield GenerativeModel(model_name=key)

    def key_of(self, request: RecordedRequest) -> str | None:
        return _model_key(request)

    def client_closed(self, client: Any) -> bool:
        raise NotImplementedError(
            "a GenerativeModel holds no connection of its own: the SDK's process-wide "
            "transport (genai.configure) does, so no client here can be seen closed"
        )

    def client_at(self, url: str, *, is_async: bool, timeout: float) -> Any:
        """None: a ``GenerativeModel`` carries no endpoint, timeout or retry setting. The
        endpoint is process-wide (``genai.configure``); timeouts and retries are options of
        each request (``call_params={"request_options": {"timeout": ..., "retry": ...}}``,
        shown in tests/providers/gemini)."""
        return None

    def no_retry_params(self, *, timeout: float, url: str | None = None) -> dict[str, Any] | None:
        if url is not None:
            return None  # the endpoint is process-wide (genai.configure), not per call
        # retry=None: the gapic method's own retry policy (on 503, 504) is off
        return {"request_options": {"timeout": timeout, "retry": None}}

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


def _model_key(request: RecordedRequest) -> str | None:
    """The model a generateContent request names: Gemini and Vertex clients are model
    objects, their credentials process-wide, so the model name tells clients apart."""
    body = request.json
    model = body.get("model") if isinstance(body, dict) else None
    if not isinstance(model, str):
        return None
    return model.rsplit("/", 1)[-1]
