"""A fake vendor server for the benchmarks, in a process of its own (its CPU is not the
client's): ``python -m benchmarks._fake <provider>``.

Prints one JSON line (``url``, and for gRPC fakes ``grpc_endpoint`` and ``ca_file``), then
serves until terminated. It keeps no requests, echoes the user's text, and answers a
request that offers tools with a call of the first one (``FormatBook``), so that the
"tool" cases measure tool-call decoding rather than another text answer.

A request whose body carries ``STRUCTURED`` (the prompt of ``profile_self.py --features``)
is answered with one book as JSON, about 50 words as the echo is: as text (continuing the
``{`` Anthropic's JSON mode writes for the model), or, when it offers tools, as a call of
``Book`` whose arguments stream in word-sized pieces, so that a structured stream has as
many chunks as a text one."""

from __future__ import annotations

import contextlib
import json
import signal
import sys
import threading
from typing import Any

from mirascope import testing
from mirascope.testing import FakeServer, RecordedRequest, Reply, ToolCall
from mirascope.testing._server import split_text

# provider -> (fake class, its keyword arguments)
FAKES: dict[str, tuple[str, dict[str, Any]]] = {
    "openai": ("FakeOpenAI", {}),
    "openai.responses": ("FakeOpenAI", {}),  # it serves the Responses API too
    "groq": ("FakeOpenAI", {"groq": True}),
    "litellm": ("FakeOpenAI", {}),
    "anthropic": ("FakeAnthropic", {}),
    "mistral": ("FakeMistral", {}),
    "cohere": ("FakeCohere", {}),
    "bedrock": ("FakeBedrock", {}),
    "gemini": ("FakeGemini", {}),
    "vertex": ("FakeVertex", {}),
    "azure": ("FakeAzure", {}),
    "google": ("FakeGoogle", {}),
    "xai": ("FakeOpenAI", {}),
}

BOOK = {"title": "The Name of the Wind", "author": "Patrick Rothfuss"}
TOOL_REPLY = Reply(text="", tool_calls=[ToolCall("FormatBook", BOOK, id="call_bench")])

STRUCTURED = "(answer with the book as JSON)"
"""The marker of the features' prompt."""
PLOT = " ".join(["A young man grows up to be the most notorious wizard his world has seen"] * 3)
STRUCTURED_BOOK = {**BOOK, "plot": PLOT}
"""What the features' response model (``Book``: title, author, plot) is validated from."""


class WordPieces(ToolCall):
    """A tool call whose arguments the fakes stream one word at a time, as text streams;
    the fakes iterate whatever ``argument_halves`` gives, two pieces by default."""

    def argument_halves(self) -> tuple[str, str]:
        pieces: Any = tuple(split_text(self.arguments_json(), None))
        return pieces


STRUCTURED_TEXT = Reply(text=json.dumps(STRUCTURED_BOOK))
STRUCTURED_PREFILLED = Reply(text=json.dumps(STRUCTURED_BOOK)[1:])
STRUCTURED_TOOL = Reply(
    text="", tool_calls=[WordPieces("Book", STRUCTURED_BOOK, id="call_bench_book")]
)


def prefilled(body: Any) -> bool:
    """Whether the request ends with the start of the answer (Anthropic's JSON mode)."""
    messages = body.get("messages") if isinstance(body, dict) else None
    if not isinstance(messages, list) or not messages:
        return False
    last: Any = messages[-1]
    return isinstance(last, dict) and last.get("role") == "assistant"


def offers_tools(body: Any) -> bool:
    """Whether a request body offers tools, in any vendor's shape."""
    return isinstance(body, dict) and bool(body.get("tools") or body.get("toolConfig"))


def make(provider: str) -> FakeServer:
    """The provider's fake, answering tool offers with a tool call."""
    class_name, kwargs = FAKES[provider]
    base: type[FakeServer] = getattr(testing, class_name)

    class BenchFake(base):
        def next_reply(self, request: RecordedRequest) -> Reply:
            if self.record:  # benchmarks/_check.py compares what each side sent
                self.requests.append(request)
            try:
                body = request.json
            except ValueError:  # a body that is not JSON (gRPC fakes decode their own)
                body = None
            tools = offers_tools(body)
            if STRUCTURED.encode() in request.body:
                if tools:
                    return STRUCTURED_TOOL
                return STRUCTURED_PREFILLED if prefilled(body) else STRUCTURED_TEXT
            return TOOL_REPLY if tools else Reply()

    server: FakeServer = BenchFake(**kwargs)
    server.record = False
    return server


def main() -> None:
    server = make(sys.argv[1]).start()
    info = {"url": server.url}
    for extra in ("grpc_endpoint", "ca_file"):
        value = getattr(server, extra, None)
        if value is not None:
            info[extra] = str(value)
    print(json.dumps(info), flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    server.stop()


if __name__ == "__main__":
    main()
