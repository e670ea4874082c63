from __future__ import annotations

from mirascope.core import ClientKindError
from mirascope.testing import FakeOpenAI, FakeServer

from .extract import Example
from .harness import Harness


class GroqHarness(Harness):
    tab = "Groq"
    module = "groq"

    def start(self) -> FakeServer:
        return FakeOpenAI(groq=True).start()

    def environ(self, server: FakeServer) -> dict[str, str]:
        # Groq() and AsyncGroq() read both; the SDK adds /openai/v1/chat/completions
        return {"GROQ_BASE_URL": server.url, "GROQ_API_KEY": "gsk-test"}

    def expected_error(self, example: Example) -> tuple[type[BaseException], str] | None:
        # the guide's one sync `def` handed an AsyncGroq client: refused, naming both sides
        if "\ndef recommend_book" in example.code and "AsyncGroq()" in example.code:
            return ClientKindError, r"sync function \(def\).*async client groq\.AsyncGroq"
        return None
