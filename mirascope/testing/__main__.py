"""Run a fake vendor server until interrupted: ``python -m mirascope.testing openai``.

Prints the server's URL on the first line of stdout (benchmarks and other processes read
it), then serves the default echo replies."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading

from . import __getattr__ as fake_class

VENDORS = {
    "openai": "FakeOpenAI",
    "anthropic": "FakeAnthropic",
    "mistral": "FakeMistral",
    "cohere": "FakeCohere",
    "gemini": "FakeGemini",
    "vertex": "FakeVertex",
    "azure": "FakeAzure",
    "bedrock": "FakeBedrock",
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m mirascope.testing")
    parser.add_argument("vendor", choices=sorted(VENDORS))
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--record", action="store_true", help="keep received requests")
    args = parser.parse_args(argv)
    server = fake_class(VENDORS[args.vendor])(port=args.port)
    server.record = args.record
    server.start()
    print(server.url, flush=True)
    stop = threading.Event()

    def on_term(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_term)
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    server.stop()
    sys.exit(0)


if __name__ == "__main__":
    main()
