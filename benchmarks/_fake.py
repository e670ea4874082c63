"""A fake vendor server for the benchmarks, in a process of its own (its CPU is not the
client's): ``python -m benchmarks._fake <provider>``.

Prints one JSON line (``url``, and for gRPC fakes ``grpc_endpoint`` and ``ca_file``), then
serves until terminated. It keeps no requests, echoes the user's text, and answers a
request that offers tools with a call of the first one (``FormatBook``), so that the
"tool" cases measure tool-call decoding rather than another text answer."""

from __future__ import annotations

import contextlib
import json
import signal
import sys
import threading
from typing import Any

from mirascope import testing
from mirascope.testing import FakeServer, RecordedRequest, Reply, ToolCall

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
                tools = offers_tools(request.json)
            except ValueError:  # a body that is not JSON (gRPC fakes decode their own)
                tools = False
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
