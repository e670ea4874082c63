"""``"ollama"`` and ``"vllm"``: OpenAI-compatible servers on this machine, through the
``openai`` SDK (so they need ``mirascope[openai]``). Only the default client differs from
OpenAI's: it points at the server's usual address and sends the key the server ignores."""

from __future__ import annotations

from dataclasses import dataclass

from ..core._engine.extras import missing_extra

try:
    import openai
except ImportError as _error:  # pragma: no cover - exercised in a venv without the extra
    raise missing_extra("openai", _error) from _error

from ..core._engine.decorator import CallFactory
from ..core.openai import OpenAICallParams, OpenAICallResponse, OpenAIStream
from ..core.openai._adapter import OpenAIAdapter


@dataclass(frozen=True, slots=True)
class LocalServer:
    """Where a local provider's default client sends its requests."""

    base_url: str
    api_key: str


LOCAL_SERVERS: dict[str, LocalServer] = {
    "ollama": LocalServer("http://localhost:11434/v1", "ollama"),
    "vllm": LocalServer("http://localhost:8000/v1", "vllm"),
}
"""The servers' default addresses; pass ``client=OpenAI(base_url=...)`` for another."""


class LocalServerAdapter(OpenAIAdapter):
    """OpenAI's wire, with a default client made for the local server (no credentials to
    look for: the server takes any key)."""

    def default_client(self, *, is_async: bool) -> openai.OpenAI | openai.AsyncOpenAI:
        server = LOCAL_SERVERS[self.name]
        client_class = openai.AsyncOpenAI if is_async else openai.OpenAI
        return client_class(base_url=server.base_url, api_key=server.api_key)


class OllamaAdapter(LocalServerAdapter):
    name = "ollama"


class VLLMAdapter(LocalServerAdapter):
    name = "vllm"


ollama_call = CallFactory[
    OpenAICallResponse,
    OpenAIStream,
    openai.OpenAI | openai.AsyncOpenAI,
    OpenAICallParams,
](OllamaAdapter(), OpenAICallResponse, OpenAIStream, OpenAICallParams)
"""``call`` for a local Ollama server (default ``http://localhost:11434/v1``)."""

vllm_call = CallFactory[
    OpenAICallResponse,
    OpenAIStream,
    openai.OpenAI | openai.AsyncOpenAI,
    OpenAICallParams,
](VLLMAdapter(), OpenAICallResponse, OpenAIStream, OpenAICallParams)
"""``call`` for a local vLLM server (default ``http://localhost:8000/v1``)."""
