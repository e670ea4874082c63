"""Gemini specifics: the real recorded responses decoded through the SDK (REST and gRPC),
requests shaped as the recorded real ones, the REST transport (sync), system instructions
on a caller's model, call params, images, malformed function calls, errors."""

from __future__ import annotations

import asyncio
import base64
import gzip
import json
from collections.abc import Iterator
from typing import Any

import pytest
from google.ai.generativelanguage_v1beta.types import generative_service
from google.api_core import exceptions as google_exceptions
from google.api_core.retry import Retry
from google.generativeai.client import configure
from google.generativeai.generative_models import GenerativeModel
from google.protobuf import json_format

from mirascope.core import (
    BaseMessageParam,
    BaseTool,
    ImagePart,
    Messages,
    TextPart,
    ToolArgumentsError,
    ToolCallPart,
    ToolResultPart,
    gemini,
)
from mirascope.core._engine.clients import reset_default_clients
from mirascope.testing import Answer, FakeGemini, Reply, ToolCall
from mirascope.testing.google_genai import GRPC_ROOTS_VARIABLE

from ..._data import recording

SECRET_PROMPT = (
    "Please retrieve the secrets associated with each of these passwords: mellon,radiance"
)


def secret_retrieval_tool(password: str) -> str:
    """A tool that requires a password to retrieve a secret."""
    return {"mellon": "Welcome to Moria!", "radiance": "Life before Death"}[password]


class FormatBook(BaseTool):
    """Format a book."""

    title: str
    author: str


@pytest.fixture(scope="module")
def server() -> Iterator[FakeGemini]:
    with FakeGemini() as fake:
        yield fake  # type: ignore[misc]


@pytest.fixture
def rest(server: FakeGemini) -> Iterator[FakeGemini]:
    """The SDK on its REST transport (sync calls only), pointed at the fake."""
    server.reset()
    configure(api_key="test-key", transport="rest", client_options={"api_endpoint": server.url})
    reset_default_clients()
    yield server
    reset_default_clients()
    configure(api_key="unused")


@pytest.fixture
def grpc(server: FakeGemini, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGemini]:
    """The SDK on its default (gRPC) transport, pointed at the fake."""
    server.reset()
    monkeypatch.setenv(GRPC_ROOTS_VARIABLE, server.ca_file)
    configure(api_key="test-key", client_options={"api_endpoint": server.grpc_endpoint})
    reset_default_clients()
    yield server
    reset_default_clients()
    configure(api_key="unused")


def _recorded(name: str) -> list[dict[str, Any]]:
    import yaml  # a dev dependency: missing, the test fails rather than skips

    path = recording("gemini", name)
    out: list[dict[str, Any]] = []
    for interaction in yaml.safe_load(path.read_text())["interactions"]:
        body = interaction["response"]["body"]["string"]
        if isinstance(body, bytes):
            body = gzip.decompress(body).decode()
        out.append({"request": json.loads(interaction["request"]["body"]), "body": body})
    return out


def _sse_objects(body: str) -> list[dict[str, Any]]:
    return [json.loads(b.strip()[len("data:") :]) for b in body.split("\r\n\r\n") if b.strip()]


def _json_array_events(objects: list[dict[str, Any]]) -> list[bytes]:
    # google-generativeai's REST transport asks for a JSON array (no alt=sse): the recorded
    # SSE events, re-framed as the array the API sends that client
    events = [
        (b"[" if n == 0 else b",\r\n") + json.dumps(o).encode() for n, o in enumerate(objects)
    ]
    return [*events, b"]"]


def _expected(objects: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]], dict[str, Any]]:
    text, calls = "", []
    for o in objects:
        for part in o["candidates"][0]["content"]["parts"]:
            text += part.get("text", "")
            if "functionCall" in part:
                calls.append(part["functionCall"]["args"])
    return text, calls, objects[-1]["usageMetadata"]


@pytest.mark.parametrize(
    "name", ["mirascope_v2__test_call__sync.yaml", "mirascope_v2__test_call_with_tools__sync.yaml"]
)
@pytest.mark.parametrize("transport", ["rest", "grpc"])
def test_recorded_responses_decode(
    request: pytest.FixtureRequest, name: str, transport: str
) -> None:
    server: FakeGemini = request.getfixturevalue(transport)
    for exchange in _recorded(name):
        answer = Answer(200, {"Content-Type": "application/json"}, exchange["body"].encode())
        server.enqueue(Reply(raw=answer))

        @gemini.call("gemini-2.5-flash", tools=[secret_retrieval_tool])
        def call() -> str:
            return "replay"

        response = call()
        recorded = json.loads(exchange["body"])
        text, calls, usage = _expected([recorded])
        assert response.content == text
        assert response.input_tokens == usage["promptTokenCount"]
        assert response.output_tokens == usage["candidatesTokenCount"]
        assert response.finish_reasons == [recorded["candidates"][0]["finishReason"]]
        assert response.model == recorded["modelVersion"]
        assert [t.args for t in response.tools or []] == calls
        assert [t.call() for t in response.tools or []] == [
            secret_retrieval_tool(**c) for c in calls
        ]


@pytest.mark.parametrize(
    "name",
    ["mirascope_v2__test_call__stream.yaml", "mirascope_v2__test_call_with_tools__stream.yaml"],
)
@pytest.mark.parametrize("transport", ["rest", "grpc"])
def test_recorded_streams_decode(request: pytest.FixtureRequest, name: str, transport: str) -> None:
    server: FakeGemini = request.getfixturevalue(transport)
    for exchange in _recorded(name):
        objects = _sse_objects(exchange["body"])
        if transport == "rest":
            events = _json_array_events(objects)
            answer = Answer(200, {"Content-Type": "application/json"}, events=events)
        else:  # the gRPC front sends each recorded event as one message
            answer = Answer(200, {}, events=[exchange["body"].encode()])
        server.enqueue(Reply(raw=answer))

        @gemini.call("gemini-2.5-flash", stream=True, tools=[secret_retrieval_tool])
        def call() -> str:
            return "replay"

        stream = call()
        pairs = list(stream)
        text, calls, usage = _expected(objects)
        assert stream.content == text
        texts = [_expected([o])[0] for o in objects]
        assert [c.content for c, _ in pairs if c.content] == [t for t in texts if t]
        assert [t.args for _, t in pairs if t is not None] == calls
        assert stream.usage is not None
        assert stream.output_tokens == usage["candidatesTokenCount"]
        assert stream.finish_reasons == ["STOP"]


def _normalized(body: dict[str, Any]) -> dict[str, Any]:
    """A request body through the SDK's own request message: enum names, field names as
    the API spells them, fields this API version lacks (thought signatures) dropped."""
    message = generative_service.GenerateContentRequest.pb()()
    json_format.ParseDict(body, message, ignore_unknown_fields=True)
    out = json_format.MessageToDict(message)
    out.pop("model", None)
    out.pop("generationConfig", None)
    return out


def test_requests_match_the_recorded_real_ones(rest: FakeGemini) -> None:
    """The recorded tool conversation, rebuilt from neutral messages: the request we send
    is the one the real client sent (system instruction, function calls and responses)."""
    first, second = _recorded("mirascope_v2__test_call_with_tools__sync.yaml")
    args = [{"password": "mellon"}, {"password": "radiance"}]
    history: list[Any] = [
        Messages.System("Use parallel tool calling."),
        Messages.User(SECRET_PROMPT),
    ]

    @gemini.call("gemini-2.5-flash", tools=[secret_retrieval_tool])
    def call(history: list[Any]) -> gemini.GeminiDynamicConfig:
        return {"messages": history}

    rest.enqueue(Reply(raw=Answer(200, {}, first["body"].encode())), Reply(text="done"))
    response = call(history)
    tools = response.tools or []
    assert [t.args for t in tools] == args
    history += [
        response.message_param,
        *response.tool_message_params([(t, t.call()) for t in tools]),
    ]
    call(history)
    for sent, recorded in zip(rest.requests, (first, second), strict=True):
        assert "/v1beta/models/gemini-2.5-flash:generateContent" in sent.path
        assert _normalized(sent.json) == _normalized(recorded["request"])


def test_rest_stream_call_and_errors(rest: FakeGemini) -> None:
    @gemini.call("gemini-1.5-flash", stream=True, tools=[FormatBook])
    def recommend(genre: str) -> str:
        return f"Recommend a {genre} book"

    book = {"title": "Dune", "author": "Frank Herbert"}
    rest.enqueue(Reply(text="Here it is.", tool_calls=[ToolCall("FormatBook", book)]))
    stream = recommend("scifi")
    pairs = list(stream)
    assert [c.content for c, _ in pairs if c.content] == ["Here", " it", " is."]
    assert isinstance(stream.tool, FormatBook) and stream.tool.title == "Dune"
    assert ":streamGenerateContent" in rest.requests[-1].path
    assert "enum-encoding%3Dint" in rest.requests[-1].path  # the SDK asks for numeric enums

    rest.enqueue(Reply(status=404, error_message="model not found"))
    with pytest.raises(google_exceptions.NotFound, match="model not found"):
        gemini.call("gemini-1.5-flash")(lambda: "hi")()

    rest.enqueue(Reply(text="one two three four five six", cut_after=3))
    stream = gemini.call("gemini-1.5-flash", stream=True)(lambda: "hi")()
    received: list[str] = []
    with pytest.raises(Exception) as info:
        for chunk, _ in stream:
            received.append(chunk.content)
    assert not type(info.value).__module__.startswith("mirascope")
    assert stream.content == "".join(received) == "one two three"


def test_grpc_errors_are_the_sdks(grpc: FakeGemini) -> None:
    grpc.enqueue(Reply(status=429, error_message="quota"))
    with pytest.raises(google_exceptions.ResourceExhausted, match="quota"):
        gemini.call("gemini-1.5-flash")(lambda: "hi")()

    async def run() -> Any:
        return await gemini.call("gemini-1.5-flash")(_async_prompt)()

    grpc.enqueue(Reply(status=403, error_message="no access"))
    with pytest.raises(google_exceptions.PermissionDenied, match="no access"):
        asyncio.run(run())


async def _async_prompt() -> str:
    return "hi"


def test_system_instruction_on_a_callers_model(grpc: FakeGemini) -> None:
    model = GenerativeModel(model_name="gemini-1.5-pro", generation_config={"temperature": 0.1})

    @gemini.call("", client=model)
    def librarian(genre: str) -> Messages.Type:
        return [Messages.System("You are a librarian."), Messages.User(f"A {genre} book?")]

    response = librarian("fantasy")
    assert response.content == "A fantasy book?"
    assert response.model == "gemini-1.5-pro"
    body = grpc.requests[-1].json
    assert body["model"] == "models/gemini-1.5-pro"
    assert body["systemInstruction"]["parts"] == [{"text": "You are a librarian."}]
    assert body["generationConfig"]["temperature"] == pytest.approx(0.1)
    assert model._system_instruction is None  # the caller's model is left as it was


def test_call_params_reach_the_request(grpc: FakeGemini) -> None:
    tool_config: gemini.GeminiCallParams = {"tool_config": {"function_calling_config": "any"}}

    @gemini.call(
        "gemini-1.5-flash",
        tools=[FormatBook],
        call_params={
            "generation_config": {"temperature": 0.3, "max_output_tokens": 50},
            **tool_config,
        },
    )
    def recommend() -> str:
        return "hi"

    recommend()
    recommend()
    # the SDK rewrites a tool_config dict in place: the caller's stays as given
    assert tool_config == {"tool_config": {"function_calling_config": "any"}}
    body = grpc.requests[-1].json
    assert body["generationConfig"] == {"temperature": pytest.approx(0.3), "maxOutputTokens": 50}
    assert body["toolConfig"] == {"functionCallingConfig": {"mode": "ANY"}}
    declaration = body["tools"][0]["functionDeclarations"][0]
    assert declaration == {
        "name": "FormatBook",
        "description": "Format a book.",
        "parameters": {
            "type": "OBJECT",
            "properties": {"title": {"type": "STRING"}, "author": {"type": "STRING"}},
            "required": ["title", "author"],
        },
    }


def test_images_and_vendor_contents(grpc: FakeGemini) -> None:
    @gemini.call("gemini-1.5-flash")
    def describe() -> Messages.Type:
        return [
            {"role": "user", "parts": [{"text": "vendor-native turn"}]},
            {"role": "model", "parts": [{"text": "noted"}]},
            Messages.User([
                TextPart(text="What is on these?"),
                ImagePart(image=b"\x89PNG fake", media_type="image/png"),
                ImagePart(url="gs://bucket/cover.jpg", media_type="image/jpeg"),
            ]),
        ]  # fmt: skip

    assert describe().content == "What is on these?"
    contents = grpc.requests[-1].json["contents"]
    assert contents[0] == {"role": "user", "parts": [{"text": "vendor-native turn"}]}
    assert contents[2]["parts"] == [
        {"text": "What is on these?"},
        {"inlineData": {"mimeType": "image/png",
                        "data": base64.b64encode(b"\x89PNG fake").decode()}},
        {"fileData": {"mimeType": "image/jpeg", "fileUri": "gs://bucket/cover.jpg"}},
    ]  # fmt: skip


def test_tool_results_go_back_in_one_user_turn(grpc: FakeGemini) -> None:
    history: list[Any] = [
        Messages.User("two books?"),
        BaseMessageParam(role="assistant", content=[
            TextPart(text="Formatting."),
            ToolCallPart(id="", name="FormatBook", args={"title": "A", "author": "B"}),
            ToolCallPart(id="", name="FormatBook", args={"title": "C", "author": "D"}),
        ]),
        BaseMessageParam(role="tool", content=[ToolResultPart(id="", name="FormatBook",
                                                              content="A by B")]),
        BaseMessageParam(role="tool", content=[ToolResultPart(id="", name="FormatBook",
                                                              content="boom", is_error=True)]),
    ]  # fmt: skip
    gemini.call("gemini-1.5-flash", tools=[FormatBook])(lambda: {"messages": history})()
    contents = grpc.requests[-1].json["contents"]
    assert [c["role"] for c in contents] == ["user", "model", "user"]
    assert contents[1]["parts"][0] == {"text": "Formatting."}
    assert [p["functionCall"]["args"] for p in contents[1]["parts"][1:]] == [
        {"title": "A", "author": "B"},
        {"title": "C", "author": "D"},
    ]
    assert [p["functionResponse"]["response"] for p in contents[2]["parts"]] == [
        {"output": "A by B"},
        {"error": "boom"},
    ]


def test_malformed_function_call(grpc: FakeGemini) -> None:
    """The API answers MALFORMED_FUNCTION_CALL with no call, and this SDK drops the message
    quoting what the model wrote: an error, rather than an empty answer."""
    grpc.enqueue(Reply(tool_calls=[ToolCall("FormatBook", '{"title": "Du')]))
    with pytest.raises(ToolArgumentsError, match="MALFORMED_FUNCTION_CALL") as info:
        gemini.call("gemini-1.5-flash", tools=[FormatBook])(lambda: "hi")()
    assert info.value.raw is None and info.value.tool_name == ""


def test_an_empty_model_needs_a_client(grpc: FakeGemini) -> None:
    with pytest.raises(ValueError, match=r"takes its model from the client"):
        gemini.call("")(lambda: "hi")()


def test_sse_stream_is_shaped_as_recorded(server: FakeGemini) -> None:
    """With ``alt=sse`` (what Google's newer SDK asks) the fake streams SSE events framed
    as the recorded ones."""
    import urllib.request

    server.reset()
    server.enqueue(Reply(text="To find the sum"))
    request = urllib.request.Request(
        server.url + "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
        data=json.dumps({"contents": [{"role": "user", "parts": [{"text": "hi"}]}]}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as answer:
        assert answer.headers["Content-Type"] == "text/event-stream"
        body = answer.read().decode()
    recorded = _recorded("mirascope_v2__test_call__stream.yaml")[0]["body"]
    ours, theirs = _sse_objects(body), _sse_objects(recorded)
    assert body.endswith("\r\n\r\n") and recorded.endswith("\r\n\r\n")
    assert all(set(o) == set(theirs[0]) for o in ours)
    assert set(ours[-1]["candidates"][0]) == set(theirs[-1]["candidates"][0])
    assert ours[-1]["candidates"][0]["finishReason"] == "STOP"


def test_timeouts_and_retries_are_request_options(grpc: FakeGemini) -> None:
    """A ``GenerativeModel`` has no timeout or retry setting: the SDK takes them per request
    (by default it retries UNAVAILABLE for up to 600 s), through ``request_options``."""
    never = Retry(predicate=lambda _: False)
    no_retry: gemini.GeminiCallParams = {"request_options": {"timeout": 0.3, "retry": never}}

    @gemini.call("gemini-1.5-flash", call_params=no_retry)
    async def recommend() -> str:
        return "hi"

    grpc.enqueue(Reply(delay=1.5))
    with pytest.raises(google_exceptions.DeadlineExceeded):
        asyncio.run(recommend())
    grpc.enqueue(Reply(status=503, error_message="overloaded"), Reply(text="unseen"))
    with pytest.raises(google_exceptions.ServiceUnavailable, match="overloaded"):
        asyncio.run(recommend())
