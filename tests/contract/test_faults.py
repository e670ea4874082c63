"""The fault matrix: every provider, sync and async, against faults from the vendor side.

Vendor and transport failures must reach the caller as the SDK raised them (never wrapped
by mirascope, with the SDK's own retries); failures only mirascope can see (bad tool
arguments, an empty answer, a stream the SDK lets end early) raise mirascope's own errors
carrying what was received. Set MIRASCOPE_FAULT_MATRIX=<file> to record what the user saw
in each cell (``python -m tests.contract.fault_matrix <file>`` prints the table).

Every fault call goes without retries (a ``client_at`` client, or ``no_retry_params`` for a
vendor without a client object), so no test waits on a backoff."""

from __future__ import annotations

import asyncio
import json
import os
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from mirascope.core import (
    BaseTool,
    EmptyResponseError,
    IncompleteStreamError,
    MirascopeError,
    ToolArgumentsError,
)
from mirascope.testing import Answer, FakeServer, Reply, ToolCall

from .base import ContractProvider
from .sdk_errors import sdk_error


class FormatBook(BaseTool):
    """Format a book as 'title by author'."""

    title: str
    author: str


BOOK = {"title": "Dune", "author": "Frank Herbert"}
STATUS = [400, 401, 429, 500, 503]
RETRY_AFTER = "7"

OURS: dict[str, type[MirascopeError]] = {
    "tool args not JSON": ToolArgumentsError,
    "tool args fail validation": ToolArgumentsError,
    "tool args not JSON (stream)": ToolArgumentsError,
    "tool args fail validation (stream)": ToolArgumentsError,
    "empty response": EmptyResponseError,
    "empty stream": EmptyResponseError,
}
"""Faults only mirascope can see, and the error it raises for each."""

SILENT_IN_SDK: dict[tuple[str, str], type[MirascopeError]] = {
    # botocore reads a body it cannot parse as JSON into {"message": <the body>} instead of
    # raising: the response then has no output message, which the adapter refuses
    ("bedrock", "malformed JSON body"): EmptyResponseError,
    # botocore passes an event-stream event whose payload is not JSON on emptied, which the
    # adapter marks as lost
    ("bedrock", "malformed stream event"): IncompleteStreamError,
    ("bedrock", "garbled event mid-stream"): IncompleteStreamError,
    # Cohere's SDK skips a stream event it cannot parse without a word (v1, JSON lines) or
    # with a logged warning (v2, SSE): cut there, the stream lacks its end event; further
    # on, v1's end event repeats the whole text, which no longer matches what arrived
    ("cohere", "malformed stream event"): IncompleteStreamError,
    ("cohere", "garbled event mid-stream"): IncompleteStreamError,
    # chat-completions and Google streams mark the end on a choice (candidate): a stream
    # whose chunks carry none ends without a finish reason
    **{
        (name, "empty stream"): IncompleteStreamError
        for name in ("openai", "mistral", "groq", "azure", "gemini", "vertex", "google", "xai")
    },
}
"""Where an SDK lets a fault pass without an error, the mirascope error the user gets
instead (not a silent wrong answer)."""


SDK_SEES_IT: set[tuple[str, str]] = {
    # litellm checks the finish reason of a stream itself (MidStreamFallbackError)
    ("litellm", "empty stream"),
}
"""Cells of a fault only mirascope would see elsewhere, which this SDK reports itself."""


def expected(provider: str, fault: str) -> type[BaseException] | None:
    """The mirascope error this cell must raise; None: the SDK's own exception."""
    if (provider, fault) in SDK_SEES_IT:
        return None
    return SILENT_IN_SDK.get((provider, fault)) or OURS.get(fault)


def _record(provider: str, fault: str, is_async: bool, error: BaseException | None) -> None:
    path = os.environ.get("MIRASCOPE_FAULT_MATRIX")
    if not path:
        return
    kind = type(error)
    line = {
        "provider": provider,
        "fault": fault,
        "async": is_async,
        "seen": "no error" if error is None else f"{kind.__module__}.{kind.__qualname__}",
        "message": "" if error is None else (str(error).splitlines() or [""])[0][:160],
    }
    with Path(path).open("a") as out:
        out.write(json.dumps(line) + "\n")


def _decorate(
    module: Any,
    provider: ContractProvider,
    reach: dict[str, Any] | None,
    is_async: bool,
    stream: bool = False,
    tools: list[Any] | None = None,
) -> Any:
    """``reach``: the decorator options that reach the server (see ``_reach``)."""
    options: dict[str, Any] = {"stream": stream, "tools": tools, **(reach or {})}
    if is_async:

        async def prompt_async() -> str:
            return "Recommend a fantasy book"

        return module.call(provider.model, **options)(prompt_async)

    def prompt() -> str:
        return "Recommend a fantasy book"

    return module.call(provider.model, **options)(prompt)


def _reach(
    provider: ContractProvider, server: FakeServer, is_async: bool, **how: Any
) -> dict[str, Any] | None:
    """Decorator options for calls with this ``timeout`` and no retries, to ``url`` (by
    default the server, which the default client reaches): a client, or call params; None
    when the vendor offers neither."""
    timeout: float = how.get("timeout", 10)
    url: str | None = how.get("url")
    client = provider.client_at(url or server.url, is_async=is_async, timeout=timeout)
    if client is not None:
        return {"client": client}
    params = provider.no_retry_params(timeout=timeout, url=url)
    return None if params is None else {"call_params": params}


class Outcome:
    """What one run gave the caller: the response or stream, the chunks, the error."""

    def __init__(self) -> None:
        self.result: Any = None
        self.texts: list[str] = []
        """The text of each chunk, in order."""
        self.tools: list[BaseTool] = []
        self.first_tool_at: int | None = None
        """The index of the chunk that completed the first tool call."""
        self.error: BaseException | None = None


def _run(fn: Any, stream: bool, is_async: bool) -> Outcome:
    """Call (and, for a stream, consume) in one event loop for async; keep what arrived."""
    out = Outcome()

    def take(pair: tuple[Any, BaseTool | None]) -> None:
        chunk, tool = pair
        if not out.texts or chunk is not last[0]:  # a chunk completing two tools comes twice
            out.texts.append(chunk.content)
            last[0] = chunk
        if tool is not None:
            if out.first_tool_at is None:
                out.first_tool_at = len(out.texts) - 1
            out.tools.append(tool)

    last: list[Any] = [None]

    async def go_async() -> None:
        out.result = await fn()
        if stream:
            async for pair in out.result:
                take(pair)

    try:
        if is_async:
            asyncio.run(go_async())
        else:
            out.result = fn()
            if stream:
                for pair in out.result:
                    take(pair)
    except Exception as error:  # the cell's outcome, checked by the caller
        out.error = error
    return out


def _check(provider: ContractProvider, fault: str, is_async: bool, out: Outcome) -> BaseException:
    """The fault raised, and what was raised is what this cell must raise."""
    error = out.error
    _record(provider.name, fault, is_async, error)
    assert error is not None, f"{provider.name}: {fault} passed silently: {out.result!r}"
    ours = expected(provider.name, fault)
    if ours is None:
        assert not isinstance(error, MirascopeError), f"mirascope wrapped it: {error!r}"
        assert not type(error).__module__.startswith("mirascope"), repr(error)
        # exactly what the SDK raises there (a plain RuntimeError in its place would fail)
        seen = f"{type(error).__module__}.{type(error).__qualname__}"
        assert seen == sdk_error(provider.name, fault, is_async), (fault, error)
    else:
        assert isinstance(error, ours), f"expected {ours.__name__}, got {error!r}"
    return error


# -- HTTP errors ---------------------------------------------------------------------------


def _status_of(error: BaseException) -> int | None:
    # httpx SDKs: status_code; google.api_core (REST and gRPC alike): code
    for name in ("status_code", "http_status", "status", "code"):
        value = getattr(error, name, None)
        if isinstance(value, int):
            return value
    response = getattr(error, "response", None) or getattr(error, "raw_response", None)
    if isinstance(response, Mapping):  # botocore's ClientError
        return response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    value = getattr(response, "status_code", None)
    return value if isinstance(value, int) else None


def _headers_of(error: BaseException) -> dict[str, str]:
    headers: Any = getattr(error, "headers", None)
    if headers is None:
        response: Any = getattr(error, "response", None) or getattr(error, "raw_response", None)
        if isinstance(response, Mapping):  # botocore's ClientError
            headers = response.get("ResponseMetadata", {}).get("HTTPHeaders")
        elif hasattr(response, "initial_metadata"):  # a gRPC call: its metadata
            headers = dict(response.initial_metadata() or ())
        else:
            headers = getattr(response, "headers", None)
    return {str(k).lower(): str(v) for k, v in dict(headers or {}).items()}


@pytest.mark.parametrize("status", STATUS)
def test_http_status(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool, status: int
) -> None:
    # scripted often enough to outlast retries, should a client make any
    scripted = Reply(
        status=status, headers={"Retry-After": RETRY_AFTER}, error_message=f"scripted {status}"
    )
    server.enqueue(*[scripted] * 4)
    reach = _reach(provider, server, is_async)
    out = _run(_decorate(module, provider, reach, is_async), False, is_async)
    error = _check(provider, f"HTTP {status}", is_async, out)
    assert _status_of(error) == status, repr(error)
    if status == 429:  # the caller can honour the vendor's Retry-After
        assert _headers_of(error).get("retry-after") == RETRY_AFTER, repr(error)
    if reach is not None:  # mirascope makes no retry of its own
        assert len(server.requests) == 1


def test_sdk_retries_kept(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    """A client that retries (the SDK's default, mostly) still does through mirascope."""
    fast = {"Retry-After": "0", "retry-after-ms": "1"}
    server.enqueue(Reply(status=503, headers=fast, error_message="busy, try again"))
    try:
        client = provider.retrying_client(server, is_async=is_async)
    except NotImplementedError as why:
        pytest.skip(f"{provider.name}: {why}")
    reach = None if client is None else {"client": client}
    out = _run(_decorate(module, provider, reach, is_async), False, is_async)
    assert out.error is None, repr(out.error)
    assert out.result.content == "Recommend a fantasy book"
    assert len(server.requests) == 2


# -- transport -----------------------------------------------------------------------------


def test_timeout(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    reach = _reach(provider, server, is_async, timeout=0.2)
    if reach is None:
        pytest.skip(f"{provider.name} takes no timeout, neither on a client nor per call")
    server.enqueue(Reply(delay=0.6))
    out = _run(_decorate(module, provider, reach, is_async), False, is_async)
    _check(provider, "timeout", is_async, out)


def test_connection_refused(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    with socket.socket() as probe:  # a port nobody listens on once the probe closes
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    reach = _reach(provider, server, is_async, url=f"http://127.0.0.1:{port}", timeout=5)
    if reach is None:
        pytest.skip(f"{provider.name} takes no endpoint, neither on a client nor per call")
    out = _run(_decorate(module, provider, reach, is_async), False, is_async)
    _check(provider, "connection refused", is_async, out)


def test_stream_cut(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    # six events: past every vendor's opening ones (four in the Responses API), not the end
    server.enqueue(Reply(text="one two three four five six seven eight", cut_after=6))
    reach = _reach(provider, server, is_async)
    out = _run(_decorate(module, provider, reach, is_async, stream=True), True, is_async)
    error = _check(provider, "stream cut mid-way", is_async, out)
    text = "".join(out.texts)
    assert text.startswith("one") and "eight" not in text
    assert out.result.content == text  # what arrived stays readable
    if isinstance(error, IncompleteStreamError):
        assert error.content == text


CALLS_IN_LAST_CHUNK = {"azure", "gemini", "google", "mistral", "vertex"}
"""Providers whose fakes (as the vendors) send every tool call in the stream's last chunk,
so no cut can fall after a complete call."""


def test_stream_cut_keeps_complete_tool_calls(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    calls = [ToolCall("FormatBook", BOOK), ToolCall("FormatBook", {**BOOK, "title": "Emma"})]
    # a whole stream first, to learn at which chunk the first call is complete
    server.enqueue(Reply(text="Two books:", tool_calls=calls))
    tools = [FormatBook]
    whole = _run(_decorate(module, provider, None, is_async, True, tools), True, is_async)
    assert whole.error is None and len(whole.tools) == 2, whole.error
    assert whole.first_tool_at is not None
    if provider.name in CALLS_IN_LAST_CHUNK:
        assert whole.first_tool_at == len(whole.texts) - 1
        pytest.skip(f"{provider.name} sends its calls in the stream's last chunk")
    # elsewhere a call completes as the next one starts: never only at the stream's end
    assert whole.first_tool_at < len(whole.texts) - 1, whole.first_tool_at
    # chunks and wire events line up but for events an SDK does not yield (pings, the
    # [DONE] mark): cut after the first event count that lets the first call through
    out = Outcome()
    for events in range(whole.first_tool_at + 1, whole.first_tool_at + 4):
        server.enqueue(Reply(text="Two books:", tool_calls=calls, cut_after=events))
        # a client per attempt: each runs in an event loop of its own
        reach = _reach(provider, server, is_async)
        out = _run(_decorate(module, provider, reach, is_async, True, tools), True, is_async)
        if out.tools:
            break
    _check(provider, "stream cut after a tool call", is_async, out)
    # Cohere v1 and Mistral send all calls in one event: those arrive together
    assert out.tools and out.result.tools == out.tools
    titles = [t.title for t in whole.tools]  # type: ignore[attr-defined]
    assert [t.title for t in out.tools] == titles[: len(out.tools)]  # type: ignore[attr-defined]
    assert out.result.content == "".join(out.texts) == "Two books:"


# -- garbled answers -------------------------------------------------------------------------


@pytest.mark.parametrize("stream", [False, True], ids=["call", "stream"])
def test_malformed(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool, stream: bool
) -> None:
    server.enqueue(Reply(malformed=True))
    fn = _decorate(module, provider, _reach(provider, server, is_async), is_async, stream=stream)
    fault = "malformed stream event" if stream else "malformed JSON body"
    out = _run(fn, stream, is_async)
    error = _check(provider, fault, is_async, out)
    if isinstance(error, EmptyResponseError):
        assert error.raw is not None


def test_garbled_event_mid_stream(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    """One event in the middle of a stream is garbled, the rest arrives intact: an SDK that
    skips the bad event must not leave the caller with an answer missing a piece."""
    text = "one two three four five six"

    def stream() -> Any:  # a client for each run: each runs in an event loop of its own
        return _decorate(module, provider, _reach(provider, server, is_async), is_async, True)

    assert _run(stream(), True, is_async).error is None
    request = server.requests[-1]
    # the vendor's own framing of a garbled event: the fake's malformed stream ends on one
    answer = server.render(request, Reply(text=text))
    if answer.events is None:
        pytest.skip(f"{provider.name}'s transport (gRPC) is not scripted event by event")
    broken = list(server.render(request, Reply(text=text, malformed=True)).events or ())[-1]
    events = list(answer.events or ())
    events[2] = broken  # the third event: a piece of the text for most vendors
    server.enqueue(Reply(raw=Answer(answer.status, answer.headers, events=events)))
    out = _run(stream(), True, is_async)
    _check(provider, "garbled event mid-stream", is_async, out)
    if out.result is not None:  # (some SDKs read ahead while opening the stream)
        assert out.result.content == "".join(out.texts)


@pytest.mark.parametrize("stream", [False, True], ids=["call", "stream"])
def test_empty(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool, stream: bool
) -> None:
    server.enqueue(Reply(empty=True))
    fn = _decorate(module, provider, None, is_async, stream=stream)
    out = _run(fn, stream, is_async)
    error = _check(provider, "empty stream" if stream else "empty response", is_async, out)
    if isinstance(error, EmptyResponseError):
        assert error.raw is not None  # the vendor's object, for the caller to inspect
    if isinstance(error, IncompleteStreamError):
        assert error.content == ""


# -- tool arguments --------------------------------------------------------------------------

BAD_ARGUMENTS = [
    ('{"title": "Dune", "author": ', "tool args not JSON"),
    ({"title": "Dune"}, "tool args fail validation"),
]

CALL_LOST = {"gemini", "google"}
"""Providers whose SDK passes on no malformed call: Google's API answers arguments that are
not JSON with MALFORMED_FUNCTION_CALL and no call, and google-generativeai (and google-genai,
for the Gemini API; not for Vertex AI: see tests/providers/google) drops the message quoting
what the model wrote; the decode itself raises (name and raw unknown)."""


def _check_bad_arguments(provider: ContractProvider, fault: str, error: BaseException) -> None:
    assert isinstance(error, ToolArgumentsError)
    if provider.name in CALL_LOST and fault.startswith("tool args not JSON"):
        assert error.tool_name == "" and error.raw is None
        return
    assert error.tool_name == "FormatBook"
    assert error.raw is not None and "Dune" in error.raw  # what the model sent, kept


@pytest.mark.parametrize("arguments, fault", BAD_ARGUMENTS, ids=["not_json", "invalid"])
def test_bad_tool_arguments(
    provider: ContractProvider,
    server: FakeServer,
    module: Any,
    is_async: bool,
    arguments: Any,
    fault: str,
) -> None:
    server.enqueue(Reply(tool_calls=[ToolCall("FormatBook", arguments)]))
    out = _run(_decorate(module, provider, None, is_async, tools=[FormatBook]), False, is_async)
    if out.error is None:  # the response itself is fine...
        response = out.result
        try:
            _ = response.tool  # ...its tool is not
        except Exception as error:
            out.error = error
        assert response.content == ""
    else:
        assert provider.name in CALL_LOST, repr(out.error)
    error = _check(provider, fault, is_async, out)
    _check_bad_arguments(provider, fault, error)


@pytest.mark.parametrize("arguments, fault", BAD_ARGUMENTS, ids=["not_json", "invalid"])
def test_bad_tool_arguments_in_stream(
    provider: ContractProvider,
    server: FakeServer,
    module: Any,
    is_async: bool,
    arguments: Any,
    fault: str,
) -> None:
    server.enqueue(Reply(text="Here:", tool_calls=[ToolCall("FormatBook", arguments)]))
    fn = _decorate(module, provider, None, is_async, stream=True, tools=[FormatBook])
    out = _run(fn, True, is_async)
    error = _check(provider, f"{fault} (stream)", is_async, out)
    _check_bad_arguments(provider, fault, error)
    assert out.result.content == "Here:"  # the text before the bad call stays available
