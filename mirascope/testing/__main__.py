"""Run a fake vendor server until interrupted: ``python -m mirascope.testing openai``.

Prints the server's URL on the first line of stdout (benchmarks and other processes read
it), then serves the default echo replies; how to point the provider's SDK at it goes to
stderr. Without a provider (or with ``--help``) it lists the providers."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from typing import Any, NamedTuple

from . import __getattr__ as fake_class


class Provider(NamedTuple):
    fake: str
    options: dict[str, Any]
    point: str
    """How to point the SDK at the server (``{url}`` stands for its URL)."""


PROVIDERS = {
    "anthropic": Provider("FakeAnthropic", {}, "ANTHROPIC_BASE_URL={url}"),
    "azure": Provider("FakeAzure", {}, "AZURE_INFERENCE_ENDPOINT={url}"),
    "bedrock": Provider("FakeBedrock", {}, "AWS_ENDPOINT_URL_BEDROCK_RUNTIME={url}"),
    "cohere": Provider("FakeCohere", {}, 'cohere.Client(base_url="{url}")'),
    "gemini": Provider(
        "FakeGemini",
        {},
        'genai.configure(transport="rest", client_options={{"api_endpoint": "{url}"}})',
    ),
    "google": Provider(
        "FakeGoogle",
        {},
        'GOOGLE_GEMINI_BASE_URL={url} (or genai.Client(http_options={{"base_url": "{url}"}}))',
    ),
    "groq": Provider("FakeOpenAI", {"groq": True}, "GROQ_BASE_URL={url}"),
    "litellm": Provider("FakeOpenAI", {}, "OPENAI_BASE_URL={url}/v1 (LiteLLM's OpenAI models)"),
    "mistral": Provider("FakeMistral", {}, "MISTRAL_SERVER_URL={url}"),
    "openai": Provider("FakeOpenAI", {}, "OPENAI_BASE_URL={url}/v1"),
    # the same fake: it serves POST /v1/responses beside chat completions
    "openai.responses": Provider("FakeOpenAI", {}, "OPENAI_BASE_URL={url}/v1 (Responses API)"),
    "vertex": Provider(
        "FakeVertex", {}, 'vertexai.init(api_transport="rest", api_endpoint="{url}")'
    ),
    "xai": Provider("FakeOpenAI", {}, "XAI_BASE_URL={url}/v1"),
}


def listing() -> str:
    """The providers, each with its fake and how to point the SDK at it."""
    names = max(len(name) for name in PROVIDERS)
    rows = [
        f"  {name:<{names}} {p.fake}({', '.join(f'{k}={v!r}' for k, v in p.options.items())})"
        for name, p in PROVIDERS.items()
    ]
    width = max(len(r) for r in rows) + 2
    lines = [
        f"{row:<{width}}{p.point.format(url='<url>')}"
        for row, p in zip(rows, PROVIDERS.values(), strict=True)
    ]
    return "providers:\n" + "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m mirascope.testing",
        description="Serve a fake vendor API on 127.0.0.1 until interrupted; the first "
        "line of output is its URL.",
        epilog=listing(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "provider",
        nargs="?",
        choices=sorted(PROVIDERS),
        metavar="provider",
        help="one of those below (without it: list them)",
    )
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--record", action="store_true", help="keep received requests")
    args = parser.parse_args(argv)
    if args.provider is None:
        print(parser.format_usage() + "\n" + listing())
        return
    provider = PROVIDERS[args.provider]
    server = fake_class(provider.fake)(port=args.port, **provider.options)
    server.record = args.record
    server.start()
    print(server.url, flush=True)
    print(provider.point.format(url=server.url), file=sys.stderr, flush=True)
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
