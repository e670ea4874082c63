"""Real recorded Cohere exchanges (v1 and v2, in tests/data/recordings), replayed over HTTP to
the real SDK and decoded by mirascope; and the fake's answers checked against their shape."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from pydantic import Field

from mirascope.core import BaseTool
from mirascope.core import cohere as mc
from mirascope.core.cohere._adapter import _v1_call_id
from mirascope.testing import Answer, FakeCohere, FakeServer, RecordedRequest, Reply, ToolCall

from ..._data import recording
from .helpers import CLIENTS, consume, decorate, run


class Person(BaseTool):
    name: str = Field(description="The name of the person")
    age: int = Field(description="The age of the person")


def _load(name: str) -> tuple[dict[str, Any], dict[str, Any], bytes]:
    """(request body, response headers, response body) of a recording's one exchange."""
    exchange = yaml.safe_load(recording("cohere", f"{name}.yaml").read_text())["interactions"][0]
    request, response = exchange["request"], exchange["response"]
    sent = request.get("parsed_body") or json.loads(request["body"])
    headers = {k.lower(): v[0] for k, v in response["headers"].items()}
    body = response["body"]["string"] if "body" in response else response["parsed_body"]
    raw = body if isinstance(body, bytes) else (body if isinstance(body, str) else json.dumps(body))
    return sent, headers, raw.encode() if isinstance(raw, str) else raw


def _answer(name: str) -> Answer:
    _, headers, body = _load(name)
    kind = headers["content-type"]
    keep = {"Content-Type": kind}
    if kind == "application/json":
        return Answer(200, keep, body)
    # stream it as the API does, event by event
    separator = b"\n\n" if kind == "text/event-stream" else b"\n"
    parts = [p + separator for p in body.split(separator) if p.strip()]
    return Answer(200, keep, events=parts)


class Replay(FakeServer):
    """Answers every request with the recorded answer it was given."""

    vendor = "cohere-replay"
    answer = Answer()

    def render(self, request: RecordedRequest, reply: Reply) -> Answer:
        return self.answer


@pytest.fixture(scope="module")
def replay() -> Iterator[Replay]:
    server = Replay()
    server.start()
    yield server
    server.stop()


def _client(kind: str, replay: Replay, name: str) -> Any:
    replay.reset()
    replay.answer = _answer(name)
    return CLIENTS[kind](api_key="co-test", base_url=replay.url, max_retries=0)


@pytest.mark.parametrize("kind", ["v1-sync", "v1-async"])
def test_v1_tool_call(replay: Replay, kind: str) -> None:
    name = "langchain_cohere_v1chat__test_invoke_tool_calls"
    client = _client(kind, replay, name)
    fn = decorate(mc, is_async=kind.endswith("async"), client=client, tools=[Person])
    response = run(fn("x"))
    sent = replay.requests[0].json["tools"][0]
    assert (
        response.content == "I will use the Person tool to create an entry for Erick, 27 years old."
    )
    assert isinstance(response.tool, Person) and response.tool.args == {"name": "Erick", "age": 27}
    # v1 calls have no id: the one derived from the call (the streamed call gets it too)
    assert response.tool.tool_call_id == _v1_call_id(0, "Person", {"age": 27, "name": "Erick"})
    assert (response.input_tokens, response.output_tokens) == (21, 31)
    assert response.finish_reasons == ["COMPLETE"]
    assert response.id == "1e487945-8792-4128-9b31-15b4a7a39a44"
    # our tool definition is the one the recorded request carried
    recorded, _, _ = _load(name)
    assert sent["parameter_definitions"] == recorded["tools"][0]["parameter_definitions"]


STREAMS = [
    # recording, API, text pieces, start and end of the text, usage, finish reason, id
    (
        "langchain_cohere_v1chat__test_stream",
        "v1",
        26,
        "Oh, hello there, Pickle Rick!",
        "How can I help you today?",
        (4, 26),
        "COMPLETE",
        "d85e5d97-641c-432f-9874-93444b249ea8",
    ),
    (
        "langchain_cohere__test_stream",
        "v2",
        69,
        "Hi there! You're Pickle Rick?",
        "fan theories or episode recommendations?",
        (4, 69),
        "COMPLETE",
        "3ec845ed-ebb1-4223-9648-4e5632d5c6b5",
    ),
]


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize(
    ("name", "api", "pieces", "start", "end", "usage", "finish", "id_"),
    STREAMS,
    ids=[s[1] for s in STREAMS],
)
def test_stream(
    replay: Replay,
    is_async: bool,
    name: str,
    api: str,
    pieces: int,
    start: str,
    end: str,
    usage: tuple[int, int],
    finish: str,
    id_: str,
) -> None:
    client = _client(f"{api}-{'async' if is_async else 'sync'}", replay, name)
    stream, pairs = consume(decorate(mc, is_async=is_async, client=client, stream=True)("x"))
    assert len([c for c, _ in pairs if c.content]) == pieces
    assert stream.content.startswith(start) and stream.content.endswith(end)
    assert (stream.input_tokens, stream.output_tokens) == usage
    assert stream.finish_reasons == [finish]
    assert stream.id == id_


TOOL_STREAMS = [
    # recording, API, the call's id (v1: derived from the call), usage, finish reason
    ("langchain_cohere_v1chat__test_streaming_tool_call", "v1", None, (21, 41), "COMPLETE"),
    (
        "langchain_cohere__test_streaming_tool_call",
        "v2",
        "Person_2fnrphbsnr66",
        (23, 41),
        "TOOL_CALL",
    ),
]


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize(
    ("name", "api", "call_id", "usage", "finish"), TOOL_STREAMS, ids=[s[1] for s in TOOL_STREAMS]
)
def test_stream_tool_call(
    replay: Replay,
    is_async: bool,
    name: str,
    api: str,
    call_id: str | None,
    usage: tuple[int, int],
    finish: str,
) -> None:
    client = _client(f"{api}-{'async' if is_async else 'sync'}", replay, name)
    fn = decorate(mc, is_async=is_async, client=client, tools=[Person], stream=True)
    stream, pairs = consume(fn("x"))
    tools = [t for _, t in pairs if t is not None]
    assert len(tools) == 1 and tools[0].args == {"name": "Erick", "age": 27}
    assert tools[0].tool_call_id == (
        call_id or _v1_call_id(0, "Person", {"age": 27, "name": "Erick"})
    )
    assert stream.content.startswith("I will use the Person tool to create a person")
    assert (stream.input_tokens, stream.output_tokens) == usage
    assert stream.finish_reasons == [finish]


@pytest.mark.parametrize("kind", ["v2-sync", "v2-async"])
def test_v2_tool_call(replay: Replay, kind: str) -> None:
    name = "langchain_cohere__test_invoke_tool_calls"
    client = _client(kind, replay, name)
    response = run(
        decorate(mc, is_async=kind.endswith("async"), client=client, tools=[Person])("x")
    )
    assert response.content.startswith("I will use the Person tool")  # the tool plan
    tool = response.tool
    assert isinstance(tool, Person) and tool.args == {"name": "Erick", "age": 27}
    assert tool.tool_call_id == "Person_zh3gneaxfh7q"
    assert response.finish_reasons == ["TOOL_CALL"]
    assert (response.input_tokens, response.output_tokens) == (23, 41)
    recorded, _, _ = _load(name)
    sent = replay.requests[0].json["tools"][0]["function"]["parameters"]
    expected = recorded["tools"][0]["function"]["parameters"]
    assert sent["required"] == expected["required"]
    assert {k: v["type"] for k, v in sent["properties"].items()} == {
        k: v["type"] for k, v in expected["properties"].items()
    }


def test_v2_simple(replay: Replay) -> None:
    client = _client("v2-sync", replay, "pydantic_ai__test_request_simple_success_with_vcr")
    response = decorate(mc, is_async=False, client=client)("x")
    assert response.content == "Hello! How can I assist you today?"
    assert (response.input_tokens, response.output_tokens) == (1, 9)
    assert replay.requests[0].path == "/v2/chat"


# -- the fake answers in the recordings' shape ------------------------------------------


def _paths(value: Any, prefix: str = "") -> set[str]:
    """Every key path of a JSON value (lists looked into, indexes dropped)."""
    if isinstance(value, dict):
        out: set[str] = set()
        for key, inner in value.items():
            out |= {f"{prefix}.{key}"} | _paths(inner, f"{prefix}.{key}")
        return out
    if isinstance(value, list):
        return set().union(*(_paths(v, prefix) for v in value))
    return set()


def _events(body: bytes, sse: bool) -> list[dict[str, Any]]:
    if sse:
        lines = [ln[6:] for ln in body.decode().splitlines() if ln.startswith("data: ")]
        return [json.loads(ln) for ln in lines if ln != "[DONE]"]
    return [json.loads(ln) for ln in body.decode().splitlines() if ln.strip()]


def _shape(events: list[dict[str, Any]], key: str) -> tuple[list[str], dict[str, set[str]]]:
    order: list[str] = []
    paths: dict[str, set[str]] = {}
    for event in events:
        kind = event[key]
        if not order or order[-1] != kind:
            order.append(kind)
        paths.setdefault(kind, set()).update(_paths(event))
    return order, paths


CASES = [
    # recording, API, scripted reply
    ("langchain_cohere_v1chat__test_invoke_tool_calls", "v1", True),
    ("langchain_cohere_v1chat__test_stream", "v1", False),
    ("langchain_cohere_v1chat__test_streaming_tool_call", "v1", True),
    ("langchain_cohere__test_invoke_tool_calls", "v2", True),
    ("langchain_cohere__test_stream", "v2", False),
    ("langchain_cohere__test_streaming_tool_call", "v2", True),
    ("pydantic_ai__test_request_simple_success_with_vcr", "v2", False),
]


@pytest.mark.parametrize(("name", "api", "tools"), CASES, ids=[c[0] for c in CASES])
def test_fake_matches_recording(name: str, api: str, tools: bool) -> None:
    sent, headers, body = _load(name)
    calls = [ToolCall("Person", {"name": "Erick", "age": 27})] if tools else []
    request = RecordedRequest("POST", f"/{api}/chat", {}, json.dumps(sent).encode())
    answer = FakeCohere().render(request, Reply(text="Hello there.", tool_calls=calls))
    assert answer.headers["Content-Type"] == headers["content-type"]
    if answer.events is None:
        assert _paths(json.loads(answer.body)) == _paths(json.loads(body))
        return
    ours = b"".join(answer.events)
    sse = api == "v2"
    key = "type" if sse else "event_type"
    assert _shape(_events(ours, sse), key) == _shape(_events(body, sse), key)
    if sse:  # the event names ride in "event:" lines too
        assert ours.decode().count("event: ") == len(_events(ours, sse))
