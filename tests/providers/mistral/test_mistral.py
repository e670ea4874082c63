"""Mistral specifics: requests valid against the official OpenAPI spec (and the fake's
answers too), the real recorded exchanges decoded through the real SDK, tool arguments as
objects, reasoning models' content chunks, errors, the default client's environment, one
client for sync and async, and the fake's HTTPS proxy for clients built without a URL."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from mistralai import Mistral, models

from mirascope.core import (
    BaseMessageParam,
    BaseTool,
    ImagePart,
    Messages,
    TextPart,
    mistral,
    reset_default_clients,
)
from mirascope.core._engine.clients import default_clients_created
from mirascope.testing import Answer, FakeMistral, RecordedRequest, Reply, ToolCall

from ..._data import recording, shared

JSON = {"Content-Type": "application/json"}
SSE = {"Content-Type": "text/event-stream; charset=utf-8"}


class FormatBook(BaseTool):
    """Format a book."""

    title: str
    author: str


def plus(a: int, b: int) -> int:
    """Sum two numbers."""
    return a + b


def minus(a: int, b: int) -> int:
    """Subtract b from a."""
    return a - b


def get_image() -> str:
    """Get the image."""
    return "See file 241a70"


@pytest.fixture(scope="module")
def server() -> Iterator[FakeMistral]:
    with FakeMistral() as fake:
        yield fake  # type: ignore[misc]


@pytest.fixture
def client(server: FakeMistral) -> Iterator[Mistral]:
    server.reset()
    with Mistral(api_key="test-key", server_url=server.url) as c:
        yield c


# -- the official spec ---------------------------------------------------------------------
_SPEC_CACHE: dict[str, Any] = {}


def _validator(schema_name: str) -> Any:
    import jsonschema  # a dev dependency: missing, the test fails rather than skips
    import yaml  # a dev dependency: missing, the test fails rather than skips

    path = shared("specs", "mistral-openapi.yaml")  # licence unknown: not in the repository
    if "doc" not in _SPEC_CACHE:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the spec is 650 kB
        _SPEC_CACHE["doc"] = yaml.load(path.read_text(), Loader=loader)
    schema = {
        "$ref": f"#/components/schemas/{schema_name}",
        "components": _SPEC_CACHE["doc"]["components"],
    }
    return jsonschema.Draft202012Validator(schema)


# The spec lists "data" among ChatCompletionResponse's required fields, but neither the real
# API (see the recorded answers) nor the SDK's model has such a field: that one is not checked.
_SPEC_SLIPS = {"'data' is a required property"}


def _assert_valid(validator: Any, instance: Any) -> None:
    errors = sorted(
        (e for e in validator.iter_errors(instance) if e.message not in _SPEC_SLIPS), key=str
    )
    assert not errors, f"{json.dumps(instance)[:2000]}\n{errors[0]}"


def _sse_payloads(events: list[bytes]) -> list[Any]:
    out: list[Any] = []
    for event in events:
        data = event.decode().strip().removeprefix("data: ")
        if data != "[DONE]":
            out.append(json.loads(data))
    return out


def test_requests_are_valid_against_the_official_spec(server: FakeMistral, client: Mistral) -> None:
    validator = _validator("ChatCompletionRequest")

    @mistral.call(
        "mistral-large-latest",
        client=client,
        tools=[FormatBook],
        call_params={"temperature": 0.2, "max_tokens": 64, "random_seed": 7, "safe_prompt": True},
    )
    def with_history(history: list[Any]) -> mistral.MistralDynamicConfig:
        return {"messages": history}

    @mistral.call("pixtral-12b-latest", client=client, stream=True)
    def streamed(genre: str) -> Messages.Type:
        return [
            Messages.System("You are a librarian."),
            Messages.User([TextPart(text=f"Recommend a {genre} book"),
                           ImagePart(url="https://example.com/cover.png", detail="low"),
                           ImagePart(image=b"\x89PNG fake", media_type="image/png")]),
        ]  # fmt: skip

    server.enqueue(Reply(tool_calls=[ToolCall("FormatBook", {"title": "T", "author": "A"})]))
    history: list[Any] = [Messages.System("Be brief."), Messages.User("Recommend a book")]
    first = with_history(history)
    assert first.tool is not None
    history += [first.message_param, *first.tool_message_params([(first.tool, "T by A")])]
    with_history(history)
    list(streamed("fantasy"))
    assert len(server.requests) == 3
    for request in server.requests:
        _assert_valid(validator, request.json)
    second = server.requests[1].json
    assert [m["role"] for m in second["messages"]] == ["system", "user", "assistant", "tool"]
    assert second["messages"][2]["tool_calls"][0]["function"]["name"] == "FormatBook"
    assert server.requests[2].json["stream"] is True


def test_the_fakes_answers_are_valid_against_the_official_spec(server: FakeMistral) -> None:
    server.reset()
    completion = _validator("ChatCompletionResponse")
    chunk = _validator("CompletionChunk")
    body = {"model": "m", "messages": [{"role": "user", "content": "hello there"}]}
    for reply in (Reply(), Reply(tool_calls=[ToolCall("plus", {"a": 1, "b": 2})])):
        for stream in (False, True):
            raw = RecordedRequest("POST", "/v1/chat/completions", {},
                                  json.dumps({**body, "stream": stream}).encode())  # fmt: skip
            answer = server.render(raw, reply)
            if stream:
                assert answer.events is not None
                payloads = _sse_payloads(list(answer.events))
                assert len(payloads) >= 2
                for payload in payloads:
                    _assert_valid(chunk, payload)
            else:
                _assert_valid(completion, json.loads(answer.body))
    # the real answers pass the same checks
    for exchange in _recorded("pydantic_ai__test_image_as_binary_content_tool_response.yaml"):
        _assert_valid(completion, json.loads(exchange["body"]))
    for exchange in _recorded("magentic__test_mistral_chat_model_complete_say_hello.yaml"):
        for payload in _sse_payloads(_events(exchange["body"])):
            _assert_valid(chunk, payload)


# -- the real recorded exchanges ---------------------------------------------------------------
def _recorded(name: str) -> list[dict[str, Any]]:
    import yaml  # a dev dependency: missing, the test fails rather than skips

    path = recording("mistral", name)
    out: list[dict[str, Any]] = []
    for interaction in yaml.safe_load(path.read_text())["interactions"]:
        request, response = interaction["request"], interaction["response"]
        if "parsed_body" in response:
            body = json.dumps(response["parsed_body"])
        else:
            body = response["body"]["string"]
        out.append(
            {
                "request": request.get("parsed_body") or json.loads(request["body"]),
                "content_type": response["headers"].get("Content-Type", ["application/json"])[0],
                "body": body,
            }
        )
    return out


def _events(body: str) -> list[bytes]:
    return [(block + "\n\n").encode() for block in body.strip().split("\n\n") if block.strip()]


def test_recorded_stream_of_text(server: FakeMistral, client: Mistral) -> None:
    (exchange,) = _recorded("magentic__test_mistral_chat_model_complete_say_hello.yaml")
    server.enqueue(Reply(raw=Answer(200, SSE, events=_events(exchange["body"]))))

    @mistral.call("mistral-large-latest", client=client, stream=True)
    def say_hello() -> str:
        return "Say hello!"

    stream = say_hello()
    pieces = [chunk.content for chunk, _ in stream]
    assert "".join(pieces) == stream.content == "Hello! How are you today?"
    assert len([p for p in pieces if p]) == 7
    assert stream.finish_reasons == ["stop"]
    assert stream.usage is not None
    assert (stream.usage.prompt_tokens, stream.usage.completion_tokens) == (7, 7)
    assert (stream.input_tokens, stream.output_tokens) == (7, 7)
    assert server.requests[-1].json["messages"] == exchange["request"]["messages"]


@pytest.mark.parametrize(
    "name, expected",
    [
        ("magentic__test_mistral_chat_model_complete_function_call.yaml", [("plus", 1, 2)]),
        (
            "magentic__test_mistral_chat_model_complete_parallel_function_call.yaml",
            [("plus", 1, 2), ("minus", 2, 1)],
        ),
    ],
)
def test_recorded_streamed_tool_calls(
    server: FakeMistral, client: Mistral, name: str, expected: list[tuple[str, int, int]]
) -> None:
    # Mistral streams every call whole, in one chunk, all with index 0
    (exchange,) = _recorded(name)
    server.enqueue(Reply(raw=Answer(200, SSE, events=_events(exchange["body"]))))

    @mistral.call("mistral-large-latest", client=client, stream=True, tools=[plus, minus])
    def use_tools() -> str:
        return "Use the tools"

    stream = use_tools()
    tools = [t for _, t in stream if t is not None]
    assert [(t.tool_name(), t.args["a"], t.args["b"]) for t in tools] == expected
    assert [t.tool_call_id for t in tools] == [
        c["id"] for c in _sse_payloads(_events(exchange["body"]))[1]["choices"][0]["delta"][
            "tool_calls"]
    ]  # fmt: skip
    assert stream.finish_reasons == ["tool_calls"]
    assert stream.content == ""


def test_recorded_tool_call_round_trip(server: FakeMistral, client: Mistral) -> None:
    first_exchange, second_exchange = _recorded(
        "pydantic_ai__test_image_as_binary_content_tool_response.yaml"
    )
    for exchange in (first_exchange, second_exchange):
        server.enqueue(Reply(raw=Answer(200, JSON, exchange["body"].encode())))

    @mistral.call("pixtral-12b-latest", client=client, tools=[get_image])
    def ask(history: list[Any]) -> mistral.MistralDynamicConfig:
        return {"messages": history}

    history: list[Any] = [Messages.User("What fruit is in the image? Call the tool.")]
    first = ask(history)
    tool = first.tool
    assert tool is not None and tool.tool_name() == "get_image" and tool.args == {}
    assert tool.tool_call_id == "FI5qQGzDE"
    assert first.finish_reasons == ["tool_calls"] and first.output_tokens == 16
    history += [first.message_param, *first.tool_message_params([(tool, tool.call())])]
    second = ask(history)
    assert second.content.startswith("The image shows a kiwi fruit")
    assert second.tool is None and second.input_tokens == 1540
    assert second.id == "b9df7d6167a74543aed6c27557ab0a29"
    sent = server.requests[-1].json["messages"]
    assert sent[-2]["tool_calls"][0]["id"] == "FI5qQGzDE"
    assert sent[-1] == {"role": "tool", "tool_call_id": "FI5qQGzDE", "content": "See file 241a70"}


# -- wire quirks ----------------------------------------------------------------------------
def _completion(message: dict[str, Any], finish: str = "stop") -> bytes:
    return json.dumps(
        {
            "id": "c1",
            "object": "chat.completion",
            "created": 1,
            "model": "m",
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7},
        }
    ).encode()


def _chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
    payload = {"id": "c1", "model": "m", "choices": [{"index": 0, "delta": delta,
                                                      "finish_reason": finish}]}  # fmt: skip
    return b"data: " + json.dumps(payload).encode() + b"\n\n"


BOOK = {"title": "Dune", "author": "Frank Herbert"}


def _call_and_stream(client: Mistral, model: str = "m", **options: Any) -> tuple[Any, Any]:
    """A sync call and a sync stream of the same prompt."""

    @mistral.call(model, client=client, **options)
    def call_once() -> str:
        return "Recommend a book"

    @mistral.call(model, client=client, stream=True, **options)
    def stream_once() -> str:
        return "Recommend a book"

    return call_once, stream_once


def test_tool_arguments_as_an_object(server: FakeMistral, client: Mistral) -> None:
    call = {"id": "abcDEF123", "function": {"name": "FormatBook", "arguments": BOOK}}
    server.enqueue(
        Reply(raw=Answer(200, JSON, _completion({"role": "assistant", "content": "",
                                                 "tool_calls": [call]}, "tool_calls"))),
        Reply(raw=Answer(200, SSE, events=[_chunk({"role": "assistant", "content": ""}),
                                           _chunk({"tool_calls": [call]}, "tool_calls"),
                                           b"data: [DONE]\n\n"])),
    )  # fmt: skip

    call_once, stream_once = _call_and_stream(client, tools=[FormatBook])

    tool = call_once().tool
    assert isinstance(tool, FormatBook) and tool.args == BOOK
    streamed = [t for _, t in stream_once() if t is not None]
    assert len(streamed) == 1 and isinstance(streamed[0], FormatBook)
    assert streamed[0].args == BOOK and streamed[0].tool_call_id == "abcDEF123"


def test_reasoning_models_content_chunks(server: FakeMistral, client: Mistral) -> None:
    thinking = {"type": "thinking", "thinking": [{"type": "text", "text": "The user wants..."}]}
    server.enqueue(
        Reply(raw=Answer(200, JSON, _completion(
            {"role": "assistant", "content": [thinking, {"type": "text", "text": "Dune."}]}
        ))),
        Reply(raw=Answer(200, SSE, events=[
            _chunk({"role": "assistant", "content": [thinking]}),
            _chunk({"content": [{"type": "text", "text": "Dune"}]}),
            _chunk({"content": "."}, "stop"),
            b"data: [DONE]\n\n",
        ])),
    )  # fmt: skip

    call_once, stream_once = _call_and_stream(client, "magistral-medium-latest")

    response = call_once()
    assert response.content == "Dune."  # the thinking stays in response.response
    assert isinstance(response.response.choices[0].message.content, list)
    stream = stream_once()
    assert [c.content for c, _ in stream] == ["", "Dune", "."]
    assert stream.content == "Dune."


def test_call_params_reach_the_body_and_sdk_options_do_not(
    server: FakeMistral, client: Mistral
) -> None:
    @mistral.call(
        "m",
        client=client,
        call_params={
            "temperature": 0.3,
            "top_p": 0.9,
            "stop": ["END"],
            "http_headers": {"x-t": "1"},
        },
    )
    def call() -> mistral.MistralDynamicConfig:
        return {
            "messages": [Messages.User("hi")],
            "call_params": {"random_seed": 3, "tool_choice": "none", "timeout_ms": 5000},
        }

    call()
    request = server.requests[-1]
    body = request.json
    assert (body["temperature"], body["top_p"], body["stop"]) == (0.3, 0.9, ["END"])
    assert (body["random_seed"], body["tool_choice"]) == (3, "none")
    assert "http_headers" not in body and "timeout_ms" not in body
    assert request.headers["x-t"] == "1"
    assert "stream_options" not in body  # Mistral refuses it; usage comes unasked


def test_vendor_message_dicts_pass_through(server: FakeMistral, client: Mistral) -> None:
    native = {"role": "assistant", "content": "Sure.", "prefix": True}

    @mistral.call("m", client=client)
    def call() -> list[Any]:
        return [BaseMessageParam(role="user", content="Say it"), native]

    call()
    assert server.requests[-1].json["messages"][-1] == native


@pytest.mark.parametrize(
    "status, error_type",
    [(422, models.HTTPValidationError), (400, models.SDKError), (429, models.SDKError),
     (500, models.SDKError)],
)  # fmt: skip
def test_errors_are_the_sdks(
    server: FakeMistral, client: Mistral, status: int, error_type: type[Exception]
) -> None:
    server.enqueue(Reply(status=status, error_message="scripted"), Reply(status=status))

    @mistral.call("m", client=client)
    def call() -> str:
        return "hi"

    @mistral.call("m", client=client, stream=True)
    async def stream() -> str:
        return "hi"

    with pytest.raises(error_type) as info:
        call()
    assert "scripted" in str(info.value) or status == 422
    with pytest.raises(error_type):
        asyncio.run(stream())


def test_malformed_answers_fail_in_the_sdk(server: FakeMistral, client: Mistral) -> None:
    server.enqueue(Reply(malformed=True), Reply(malformed=True, text="one two three"))
    call, stream = _call_and_stream(client)

    with pytest.raises(Exception) as info:
        call()
    assert not type(info.value).__module__.startswith("mirascope")
    received: list[str] = []
    with pytest.raises(Exception) as info:
        for chunk, _ in stream():
            received.append(chunk.content)
    assert not type(info.value).__module__.startswith("mirascope")
    assert received == ["", "one"]


# -- clients --------------------------------------------------------------------------------
def test_default_client_reads_the_environment(
    server: FakeMistral, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.reset()
    monkeypatch.setenv("MISTRAL_SERVER_URL", server.url)
    monkeypatch.setenv("MISTRAL_API_KEY", "env-key")
    reset_default_clients()

    @mistral.call("m")
    def sync_call() -> str:
        return "sync"

    @mistral.call("m")
    async def async_call() -> str:
        return "async"

    try:
        assert sync_call().content == "sync"
        assert asyncio.run(async_call()).content == "async"
        assert default_clients_created("mistral")
    finally:
        reset_default_clients()
    assert [r.headers["authorization"] for r in server.requests] == ["Bearer env-key"] * 2


def test_one_client_serves_sync_and_async(server: FakeMistral, client: Mistral) -> None:
    @mistral.call("m", client=client)
    def sync_call() -> str:
        return "sync"

    @mistral.call("m", client=client, stream=True)
    async def async_stream() -> str:
        return "async stream"

    async def consume() -> str:
        stream = await async_stream()
        return "".join([c.content async for c, _ in stream])

    assert sync_call().content == "sync"
    assert asyncio.run(consume()) == "async stream"
    assert not default_clients_created("mistral")


def test_a_stream_left_early_releases_its_response(server: FakeMistral, client: Mistral) -> None:
    server.enqueue(Reply(text="one two three four"), Reply(text="one two three four"))

    @mistral.call("m", client=client, stream=True)
    def sync_stream() -> str:
        return "hi"

    @mistral.call("m", client=client, stream=True)
    async def async_stream() -> str:
        return "hi"

    stream = sync_stream()
    for _ in stream:
        break
    assert stream.source.stream.response.is_closed

    async def leave_early() -> Any:
        astream = await async_stream()
        async for _ in astream:
            break
        return astream

    astream = asyncio.run(leave_early())  # asyncio.run closes the abandoned iteration
    assert astream.source.stream.response.is_closed


def test_clients_built_without_a_url_reach_the_fake_through_its_proxy(
    server: FakeMistral, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.reset()
    for key in ("https_proxy", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"):
        monkeypatch.delenv(key, raising=False)
    for key, value in server.proxy_environ().items():
        monkeypatch.setenv(key, value)
    as_in_the_guide = Mistral(api_key="guide-key")

    @mistral.call("mistral-large-latest", client=as_in_the_guide)
    async def recommend(genre: str) -> str:
        return f"Recommend a {genre} book"

    assert asyncio.run(recommend("fantasy")).content == "Recommend a fantasy book"
    (request,) = server.requests
    assert request.headers["host"] == "api.mistral.ai"
    assert request.headers["authorization"] == "Bearer guide-key"


def test_the_proxy_answers_for_api_mistral_ai_only(server: FakeMistral) -> None:
    proxy = server.proxy_environ()["HTTPS_PROXY"].removeprefix("http://")
    host, port = proxy.rsplit(":", 1)
    refused = (
        b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
        b"GET http://api.mistral.ai/ HTTP/1.1\r\nHost: api.mistral.ai\r\n\r\n",
    )
    for request in refused:
        with socket.create_connection((host, int(port)), timeout=5) as sock:
            sock.sendall(request)
            assert sock.recv(100).startswith(b"HTTP/1.1 403")


def test_a_text_chunk_is_read_without_asking_the_sdks_unset_its_truth(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a text chunk's tool_calls is the SDK's UNSET (a copy of it per chunk), whose truth is a
    # Python call: the short way compares its class instead
    from mirascope.core.mistral._adapter import ADAPTER
    from mirascope.core.mistral._types import UNSET_TYPE

    assert UNSET_TYPE is type(models.DeltaMessage().tool_calls)
    asked: list[object] = []

    def truth(self: object) -> bool:
        asked.append(self)
        return False

    monkeypatch.setattr(UNSET_TYPE, "__bool__", truth)
    choice = {"index": 0, "delta": {"content": "Hi"}, "finish_reason": None}
    text = models.CompletionEvent.model_validate(
        {"data": {"id": "c-1", "model": "m", "choices": [choice]}}
    )
    delta = ADAPTER.decode_chunk(text)
    assert type(delta) is mistral.MistralCallResponseChunk
    assert (delta.content, delta.model, delta.id, delta.tool_calls) == ("Hi", "m", "c-1", ())
    assert asked == []
    # a chunk with a tool call, or an empty list of them, is read as before
    call = {"id": "t-1", "function": {"name": "plus", "arguments": "{}"}, "index": 0}
    for calls, plain in (([call], False), ([], True)):
        piece = {"index": 0, "delta": {"content": "Hi", "tool_calls": calls}, "finish_reason": None}
        event = models.CompletionEvent.model_validate(
            {"data": {"id": "c-1", "model": "m", "choices": [piece]}}
        )
        assert (type(ADAPTER.decode_chunk(event)) is mistral.MistralCallResponseChunk) is plain
