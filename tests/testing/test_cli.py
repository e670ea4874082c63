"""``python -m mirascope.testing``: the list of providers, and a fake for each one that
prints its URL first and answers there until terminated."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

PROVIDERS = (
    "anthropic",
    "azure",
    "bedrock",
    "cohere",
    "gemini",
    "google",
    "groq",
    "litellm",
    "mistral",
    "openai",
    "openai.responses",
    "vertex",
    "xai",
)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mirascope.testing", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize("args", [(), ("--help",)], ids=["no-argument", "help"])
def test_lists_every_provider(args: tuple[str, ...]) -> None:
    done = _cli(*args)
    assert done.returncode == 0, done.stderr
    listed = [line.split()[0] for line in done.stdout.split("providers:\n", 1)[1].splitlines()]
    assert sorted(listed) == sorted(PROVIDERS)


def test_an_unknown_provider_is_refused() -> None:
    done = _cli("nope")
    assert done.returncode == 2
    assert "invalid choice: 'nope'" in done.stderr


def _first_line(proc: subprocess.Popen[str]) -> str:
    assert proc.stdout is not None
    return proc.stdout.readline().strip()


@pytest.fixture(scope="module")
def started() -> Iterator[dict[str, tuple[subprocess.Popen[str], str]]]:
    """Every provider's fake in a process of its own (started together: each takes a
    moment to import its SDK's types), with the first line it printed."""
    procs = {
        name: subprocess.Popen(
            [sys.executable, "-m", "mirascope.testing", name],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in PROVIDERS
    }
    try:
        yield {name: (proc, _first_line(proc)) for name, proc in procs.items()}
    finally:
        for proc in procs.values():
            proc.terminate()
        for proc in procs.values():
            proc.wait(timeout=30)
            for stream in (proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()


@pytest.mark.parametrize("name", PROVIDERS)
def test_each_provider_serves_at_the_printed_url(
    started: dict[str, tuple[subprocess.Popen[str], str]], name: str
) -> None:
    proc, url = started[name]
    assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
    assert url.startswith("http://127.0.0.1:"), url
    # the vendor's 404 for a path no SDK of it uses: the server is up, and it is the fake
    response = httpx.post(url + "/no/such/path", json={})
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("application/json")


def test_groq_is_served_where_its_sdk_posts(
    started: dict[str, tuple[subprocess.Popen[str], str]],
) -> None:
    import groq

    _, url = started["groq"]
    client = groq.Groq(base_url=url, api_key="k", max_retries=0)
    completion = client.chat.completions.create(
        model="llama-3.1-8b-instant", messages=[{"role": "user", "content": "echo me"}]
    )
    assert completion.choices[0].message.content == "echo me"


def test_openai_responses_is_served_where_its_sdk_posts(
    started: dict[str, tuple[subprocess.Popen[str], str]],
) -> None:
    import openai

    _, url = started["openai.responses"]
    client = openai.OpenAI(base_url=url + "/v1", api_key="k", max_retries=0)
    response = client.responses.create(model="gpt-4o-mini", input="echo me")
    assert response.output_text == "echo me"
    client.close()
