"""Azure AI Inference specifics: the real recorded exchanges replayed through the SDK, the
fake shaped like them, both stream shapes of tool calls, the default client's environment,
the guide's custom clients, call params, and aiohttp sessions closed."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import warnings
from collections.abc import Iterator
from typing import Any, cast

import pytest
from azure.ai.inference import ChatCompletionsClient
from azure.ai.inference.aio import ChatCompletionsClient as AsyncChatCompletionsClient
from azure.ai.inference.models import (
    ChatCompletions,
    ChatCompletionsToolCall,
    CompletionsUsage,
    StreamingChatCompletionsUpdate,
    StreamingChatResponseToolCallUpdate,
)
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError

from mirascope.core import BaseTool, Messages, MirascopeError, azure, reset_default_clients
from mirascope.core._engine.clients import default_clients_created
from mirascope.testing import Answer, FakeAzure, FakeServer, RecordedRequest, Reply, ToolCall
from mirascope.testing._server import JSON_HEADERS, SSE_HEADERS
from tests._data import recording
from tests.guide.extract import example_params, load_examples, the_example

TOOLS_RECORDING = "azure_sdk_assets__test_chat_completions_with_tool.json"
STREAM_RECORDING = (
    "azure_sdk_assets__test_chat_completion_with_function_call_"
    "streaming_tracing_content_recording_enabled.json"
)
BOOK = {"title": "The Name of the Wind", "author": "Patrick Rothfuss"}
ENV = ("AZURE_INFERENCE_ENDPOINT", "AZURE_INFERENCE_CREDENTIAL")


class FormatBook(BaseTool):
    """Format a book."""

    title: str
    author: str

    def call(self) -> str:
        return f"{self.title} by {self.author}"


def get_max_temperature(city: str, days: str) -> str:
    """Return the forecast maximum temperature of a city some days from now."""
    return "62"


def get_weather(city: str) -> str:
    """Describe the weather in a city."""
    return "Nice weather"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeAzure]:
    with FakeAzure() as server:
        yield server  # type: ignore[misc]


@pytest.fixture
def server(fake: FakeAzure, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAzure]:
    fake.reset()
    monkeypatch.setenv(ENV[0], fake.url)
    monkeypatch.setenv(ENV[1], "test-key")
    reset_default_clients()
    yield fake
    reset_default_clients()


def _load(name: str) -> list[dict[str, Any]]:
    return json.loads(recording("azure", name).read_text())["Entries"]


class Replay(FakeServer):
    """Answers with the recorded responses, in order."""

    vendor = "azure-replay"

    def __init__(self, entries: list[dict[str, Any]]) -> None:
        super().__init__()
        self.entries = list(entries)

    def user_text(self, request: RecordedRequest) -> str:
        return ""

    def render(self, request: RecordedRequest, reply: Reply) -> Answer:
        entry = self.entries.pop(0)
        body = entry["ResponseBody"]
        if isinstance(body, list):  # an SSE stream, one recorded block per item
            events = [str(block).encode() for block in body]
            return Answer(entry["StatusCode"], dict(SSE_HEADERS), events=events)
        return Answer(entry["StatusCode"], dict(JSON_HEADERS), json.dumps(body).encode())


def _shape(value: Any) -> Any:
    """The keys of a JSON value, recursively (lists by their first item)."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list) and value:
        return [_shape(value[0])]
    return type(value).__name__


# -- the real exchanges ---------------------------------------------------------------


def test_recorded_tool_round_trip_through_the_sdk() -> None:
    entries = _load(TOOLS_RECORDING)
    with Replay(entries) as replay:
        client = ChatCompletionsClient(replay.url, AzureKeyCredential("k"))
        system = "You are an assistant that helps users find weather information."
        question = "what's the maximum temperature in Seattle two days from now?"

        @azure.call("mistral-large-2411", tools=[get_max_temperature], client=client)
        def ask(history: list[Any]) -> azure.AzureDynamicConfig:
            return {"messages": [Messages.System(system), Messages.User(question), *history]}

        first = ask([])
        assert isinstance(first.response, ChatCompletions)
        assert first.finish_reasons == ["tool_calls"]
        assert type(first.finish_reasons[0]) is str
        assert (first.input_tokens, first.output_tokens) == (175, 31)
        assert first.model == "mistral-large-2411"
        tool = first.tool
        assert tool is not None and tool.args == {"city": "Seattle", "days": "2"}
        # what users reach through mirascope is the SDK's own objects
        assert isinstance(tool.tool_call, ChatCompletionsToolCall)
        assert isinstance(first.usage, CompletionsUsage)  # the SDK's own, as v1's
        assert first.common_usage is not None
        assert isinstance(first.common_usage.raw, CompletionsUsage)
        history = [first.message_param, *first.tool_message_params([(tool, tool.call())])]
        second = ask(history)
        assert second.content.startswith("The maximum temperature in Seattle")
        assert second.tool is None and second.finish_reasons == ["stop"]
        client.close()
        # what we sent has the recorded requests' shape
        for sent, entry in zip(replay.requests, entries, strict=True):
            body, recorded = sent.json, entry["RequestBody"]
            assert [m["role"] for m in body["messages"]] == [
                m["role"] for m in recorded["messages"]
            ]
            ours, theirs = body["tools"][0], recorded["tools"][0]
            assert (set(ours), set(ours["function"])) == (set(theirs), set(theirs["function"]))
            assert ours["function"]["name"] == theirs["function"]["name"]
            assert body["model"] == "mistral-large-2411"
            assert sent.path.startswith("/chat/completions?api-version=2024-05-01-preview")
        sent_call = replay.requests[1].json["messages"][2]["tool_calls"][0]
        assert sent_call["function"] == {
            "name": "get_max_temperature",
            "arguments": '{"city": "Seattle", "days": "2"}',
        }
        assert replay.requests[1].json["messages"][3] == {
            "role": "tool",
            "tool_call_id": "Sanitized",
            "content": "62",
        }


def test_recorded_streams_through_the_async_sdk() -> None:
    entries = _load(STREAM_RECORDING)

    async def run(url: str) -> list[Any]:
        async with AsyncChatCompletionsClient(url, AzureKeyCredential("k")) as client:

            @azure.call("mistral-large-2411", stream=True, tools=[get_weather], client=client)
            async def ask(history: list[Any]) -> azure.AsyncAzureDynamicConfig:
                return {
                    "messages": [
                        Messages.System("You are a helpful AI assistant."),
                        Messages.User("What is the weather in Seattle?"),
                        *history,
                    ]
                }

            first = await ask([])
            pairs = [pair async for pair in first]
            tools = [t for _, t in pairs if t is not None]
            history = [first.message_param, *first.tool_message_params([(tools[0], "x")])]
            second = await ask(history)
            chunks = [chunk async for chunk, _ in second]
            return [first, tools, second, chunks]

    with Replay(entries) as replay:
        first, tools, second, chunks = asyncio.run(run(replay.url))
    assert len(tools) == 1 and tools[0].args == {"city": "Seattle"}
    assert isinstance(tools[0].tool_call, StreamingChatResponseToolCallUpdate)
    assert isinstance(first.usage, CompletionsUsage)
    assert first.common_usage is not None
    assert isinstance(first.common_usage.raw, CompletionsUsage)
    assert first.finish_reasons == ["tool_calls"]
    assert (first.input_tokens, first.output_tokens) == (100, 23)
    assert isinstance(chunks[0].chunk, StreamingChatCompletionsUpdate)
    assert second.content.startswith('[{"name": "get_weather"')
    assert second.finish_reasons == ["stop"] and second.output_tokens == 22


def test_fake_answers_in_the_recorded_shape(fake: FakeAzure) -> None:
    calls = [ToolCall("get_weather", {"city": "Seattle"})]
    recorded = _load(TOOLS_RECORDING)[0]["ResponseBody"]
    request = RecordedRequest("POST", "/chat/completions", {}, b'{"model": "m"}')
    ours = json.loads(fake.render(request, Reply(tool_calls=calls)).body)
    assert _shape(ours) == _shape(recorded)

    stream = _load(STREAM_RECORDING)[0]["ResponseBody"]
    request = RecordedRequest("POST", "/chat/completions", {}, b'{"stream": true}')
    events = fake.render(request, Reply(tool_calls=calls)).events
    assert events is not None
    ours_events = [bytes(e).decode() for e in events]
    assert ours_events[-1] == stream[-1] == "data: [DONE]\n\n"
    as_json = [json.loads(e[len("data: ") :]) for e in ours_events[:-1]]
    recorded_json = [json.loads(e[len("data: ") :]) for e in stream[:-1]]
    assert [_shape(e) for e in as_json] == [_shape(e) for e in recorded_json]


# -- tool calls in both stream shapes -----------------------------------------------------


@pytest.mark.parametrize("indexed", [False, True], ids=["whole_calls", "indexed_pieces"])
@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_stream_tool_calls(indexed: bool, is_async: bool) -> None:
    two = [ToolCall("FormatBook", BOOK), ToolCall("FormatBook", {"title": "B", "author": "C"})]
    with FakeAzure(indexed_tool_calls=indexed) as server:
        server.enqueue(Reply(text="Two books.", tool_calls=two))
        credential = AzureKeyCredential("k")
        if is_async:

            async def run() -> tuple[Any, list[Any]]:
                async with AsyncChatCompletionsClient(server.url, credential) as client:

                    @azure.call("gpt-4o-mini", stream=True, tools=[FormatBook], client=client)
                    async def fn() -> str:
                        return "Recommend two books"

                    stream = await fn()
                    return stream, [t async for _, t in stream if t is not None]

            stream, tools = asyncio.run(run())
        else:
            with ChatCompletionsClient(server.url, credential) as client:

                @azure.call("gpt-4o-mini", stream=True, tools=[FormatBook], client=client)
                def fn() -> str:
                    return "Recommend two books"

                stream = fn()
                tools = [t for _, t in stream if t is not None]
    assert [t.args for t in tools] == [BOOK, {"title": "B", "author": "C"}]
    assert tools[0].tool_call_id != tools[1].tool_call_id
    assert stream.content == "Two books."
    assert stream.finish_reasons == ["tool_calls"]
    assert stream.usage is not None and stream.input_tokens == 12


# -- the default client ---------------------------------------------------------------


@pytest.mark.parametrize("missing", [ENV, ENV[:1], ENV[1:]], ids=["both", "endpoint", "key"])
def test_default_client_needs_its_environment(
    server: FakeAzure, monkeypatch: pytest.MonkeyPatch, missing: tuple[str, ...]
) -> None:
    for name in missing:
        monkeypatch.delenv(name)

    @azure.call("gpt-4o-mini")  # decorating reads nothing
    def fn() -> str:
        return "hi"

    with pytest.raises(MirascopeError) as info:
        fn()
    message = str(info.value)
    for name in missing:
        assert name in message
    assert "client=" in message
    assert not server.requests


def test_default_clients_send_the_key_from_the_environment(server: FakeAzure) -> None:
    @azure.call("gpt-4o-mini")
    def fn() -> str:
        return "Recommend a book"

    @azure.call("gpt-4o-mini")
    async def fn_async() -> str:
        return "Recommend a book"

    assert fn().content == "Recommend a book"
    assert asyncio.run(fn_async()).content == "Recommend a book"
    for request in server.requests:
        assert request.headers["api-key"] == "test-key"
        assert request.headers["authorization"] == "Bearer test-key"


def _unclosed(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught if "nclosed" in str(w.message)]


_LOOP_CLOSE_SCRIPT = """
import asyncio, gc, os, sys, warnings
from mirascope.core import azure, reset_default_clients

@azure.call("gpt-4o-mini", stream=True)
async def fn() -> str:
    return "Recommend a fantasy book"

async def main() -> str:
    first = await fn()
    async for _ in first:
        break  # left unfinished: closing the client releases it
    second = await fn()
    return "".join([c.content async for c, _ in second])

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    assert asyncio.run(main()) == "Recommend a fantasy book"
    assert asyncio.run(main()) == "Recommend a fantasy book"  # a new loop, a new client
    reset_default_clients()  # forget them, so that they are collected now
    gc.collect()
print([str(w.message) for w in caught if "nclosed" in str(w.message)])
"""


def test_default_async_client_is_closed_with_its_loop(server: FakeAzure) -> None:
    # in a fresh interpreter: other tests' garbage (e.g. the guide's own never-closed
    # clients) must not be mistaken for ours
    result = subprocess.run(
        [sys.executable, "-c", _LOOP_CLOSE_SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
    assert len(server.requests) == 4


# -- the guide's custom clients ---------------------------------------------------------


def test_guide_client_with_placeholder_endpoint_decorates_without_connecting(
    server: FakeAzure,
) -> None:
    client = AsyncChatCompletionsClient(
        endpoint="your-endpoint", credential=AzureKeyCredential("your-credentials")
    )

    @azure.call("gpt-4o-mini", client=client)
    async def fn(genre: str) -> str:
        return f"Recommend a {genre} book"

    assert not server.requests and not default_clients_created("azure")
    asyncio.run(client.close())


CUSTOM_EXAMPLES = [
    e for e in load_examples() if e.provider == "Azure AI" and e.section == "Custom Client"
]


@pytest.mark.parametrize("example", example_params(CUSTOM_EXAMPLES))
def test_guide_custom_client_examples_with_a_real_endpoint(server: FakeAzure, example: Any) -> None:
    example = the_example(example)
    # the guide's code with its placeholder endpoint replaced by the fake's URL: the call
    # goes through the client the example builds, never mirascope's default one
    assert example.code.count('endpoint="your-endpoint"') == 1
    code = example.code.replace('endpoint="your-endpoint"', f'endpoint="{server.url}"')
    namespace: dict[str, Any] = {"__name__": "__guide__"}
    exec(compile(code, f"<guide line {example.line}>", "exec"), namespace)
    fn = next(v for k, v in namespace.items() if k.startswith("recommend_book"))

    async def main() -> Any:
        response = await fn("fantasy")
        await response.plan.client.close()  # the example never closes its client
        return response

    response = asyncio.run(main())
    assert response.content == "Recommend a fantasy book"
    assert len(server.requests) == 1
    assert server.requests[0].headers["api-key"] == "your-credentials"
    assert not default_clients_created("azure")


# -- call params and errors ---------------------------------------------------------------


def test_call_params_reach_the_request(server: FakeAzure) -> None:
    params: azure.AzureCallParams = {
        "temperature": 0.5,
        "top_p": 0.9,
        "max_tokens": 50,
        "stop": ["END"],
        "seed": 7,
        "frequency_penalty": 0.1,
        "presence_penalty": 0.2,
        "response_format": "json_object",
        "tool_choice": "required",
        "model_extras": {"safe_prompt": True},
    }

    @azure.call("gpt-4o-mini", call_params=params, tools=[FormatBook])
    def fn() -> str:
        return "Recommend a book"

    fn()
    request = server.requests[0]
    body = request.json
    for key in ("temperature", "top_p", "max_tokens", "stop", "seed", "tool_choice"):
        assert body[key] == params[key]
    assert body["response_format"] == {"type": "json_object"}
    assert body["safe_prompt"] is True and "model_extras" not in body
    assert request.headers["extra-parameters"] == "pass-through"
    assert "stream_options" not in body


def test_dynamic_call_params_and_images(server: FakeAzure) -> None:
    from mirascope.core import ImagePart, TextPart

    @azure.call("gpt-4o-mini")
    def fn() -> azure.AzureDynamicConfig:
        # pyright cannot solve BaseDynamicConfig's client type for a literal holding
        # "call_params" (any provider; reported), hence the ignore
        return {
            "messages": [
                Messages.User([TextPart(text="What is this?"), ImagePart(url="https://x/y.png")])
            ],
            "call_params": {"temperature": 0.0},
        }

    fn()
    body = server.requests[0].json
    assert body["temperature"] == 0.0
    assert body["messages"][0]["content"] == [
        {"type": "text", "text": "What is this?"},
        {"type": "image_url", "image_url": {"url": "https://x/y.png"}},
    ]


@pytest.mark.parametrize(
    ("status", "error"), [(400, HttpResponseError), (401, ClientAuthenticationError)]
)
def test_vendor_errors_are_azure_cores(server: FakeAzure, status: int, error: type) -> None:
    server.enqueue(Reply(status=status, error_message="scripted"))

    @azure.call("gpt-4o-mini")
    def fn() -> str:
        return "hi"

    with pytest.raises(error) as info:
        fn()
    assert type(info.value) is error
    assert info.value.status_code == status
    assert "scripted" in str(info.value)


def test_malformed_stream_raises_the_sdks_error(server: FakeAzure) -> None:
    server.enqueue(Reply(text="one two three", malformed=True))

    @azure.call("gpt-4o-mini", stream=True)
    def fn() -> str:
        return "hi"

    stream = fn()
    with pytest.raises(json.JSONDecodeError):
        for _ in stream:
            pass
    assert stream.content == "one"


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_streamed_refusal_raises(server: FakeAzure, is_async: bool) -> None:
    """A refusal streams in pieces (``delta.refusal``, OpenAI models): the stream raises
    RefusalError with the whole of it, as the call does."""
    from mirascope.core import RefusalError

    head = {"id": "chatcmpl-refused", "object": "chat.completion.chunk", "created": 1}
    head["model"] = "gpt-4o-mini"
    deltas = [({"role": "assistant", "refusal": "I can"}, None), ({"refusal": "'t."}, "stop")]
    chunks = [
        {**head, "choices": [{"index": 0, "delta": d, "finish_reason": f}]} for d, f in deltas
    ]
    events = [f"data: {json.dumps(c)}\n\n".encode() for c in chunks]
    server.enqueue(Reply(raw=Answer(200, SSE_HEADERS, events=[*events, b"data: [DONE]\n\n"])))
    with pytest.raises(RefusalError) as caught:
        if is_async:

            @azure.call("gpt-4o-mini", stream=True)
            async def fn_async() -> str:
                return "hi"

            async def run() -> None:
                async for _ in await fn_async():
                    pass

            asyncio.run(run())
        else:

            @azure.call("gpt-4o-mini", stream=True)
            def fn() -> str:
                return "hi"

            for _ in fn():
                pass
    assert caught.value.refusal == "I can't."
    assert str(caught.value).startswith("azure: the model refused to answer")


def test_client_kind_error_names_azure_classes() -> None:
    with pytest.raises(TypeError, match=r"azure\.ai\.inference\.aio\.ChatCompletionsClient"):
        azure.call("gpt-4o-mini", client=cast(Any, object()))(lambda: "hi")
