"""Groq specifics: real recorded Groq exchanges replayed through the groq SDK (usage in
``x_groq``, a mid-stream ``event: error``), an agent loop shaped as the recorded one,
requests without ``stream_options``, client kinds, Groq's own parameters."""

from __future__ import annotations

import asyncio
import base64
import json
import re
from collections.abc import Iterator
from typing import Any

import groq as groq_sdk
import pytest
from groq.types.chat import ChatCompletion

from mirascope.core import BaseTool, ClientKindError, ImagePart, Messages, TextPart, groq
from mirascope.testing import Answer, FakeOpenAI, Reply, ToolCall

from ..._data import recording
from ..openai.test_openai import _request_validator

SSE = {"Content-Type": "text/event-stream"}


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(groq=True) as fake:
        yield fake  # type: ignore[misc]


@pytest.fixture
def client(server: FakeOpenAI) -> Iterator[groq_sdk.Groq]:
    server.reset()
    with groq_sdk.Groq(base_url=server.url, api_key="gsk-x", max_retries=0) as c:
        yield c


def _interactions(name: str) -> list[dict[str, Any]]:
    import yaml  # a dev dependency: missing, the test fails rather than skips

    path = recording("groq", name)
    return yaml.safe_load(path.read_text())["interactions"]


def _json_answer(interaction: dict[str, Any]) -> Answer:
    body = json.dumps(interaction["response"]["parsed_body"]).encode()
    return Answer(200, {"Content-Type": "application/json"}, body)


def _stream_answer(interaction: dict[str, Any], edit: Any = None) -> Answer:
    blocks = [b for b in interaction["response"]["body"]["string"].split("\n\n") if b.strip()]
    if edit is not None:
        blocks = [edit(b) for b in blocks]
    return Answer(200, SSE, events=[(b + "\n\n").encode() for b in blocks])


def test_recorded_response_decodes(server: FakeOpenAI, client: groq_sdk.Groq) -> None:
    (interaction,) = _interactions("pydantic_ai__test_groq_model_instructions.yaml")
    server.enqueue(Reply(raw=_json_answer(interaction)))

    @groq.call("llama-3.3-70b-versatile", client=client)
    def ask() -> Messages.Type:
        return [Messages.System("You are a helpful assistant."),
                Messages.User("What is the capital of France?")]  # fmt: skip

    response = ask()
    assert isinstance(response.response, ChatCompletion)
    assert response.content == "The capital of France is Paris."
    assert (response.input_tokens, response.output_tokens) == (48, 8)
    assert response.finish_reasons == ["stop"]
    assert response.id == "chatcmpl-7586b6a9-fb4b-4ec7-86a0-59f0a77844cf"
    recorded = interaction["request"]["parsed_body"]["messages"]
    assert server.requests[0].json["messages"] == recorded


def test_recorded_agent_loop_with_an_image_tool_result(
    server: FakeOpenAI, client: groq_sdk.Groq
) -> None:
    first, second = _interactions("pydantic_ai__test_image_as_binary_content_tool_response.yaml")
    server.enqueue(Reply(raw=_json_answer(first)), Reply(raw=_json_answer(second)))
    recorded = second["request"]["parsed_body"]["messages"]
    data_url = recorded[3]["content"][1]["image_url"]["url"]
    jpeg = base64.b64decode(data_url.split(",", 1)[1])

    class get_image(BaseTool):  # noqa: N801 - the recorded tool's name
        """Get an image."""

        def call(self) -> str:
            return "See file 241a70."

    @groq.call("meta-llama/llama-4-maverick-17b-128e-instruct", client=client, tools=[get_image])
    def agent(history: list[Any]) -> groq.GroqDynamicConfig:
        return {"messages": history}

    history: list[Any] = [Messages.User([TextPart(text=recorded[0]["content"][0]["text"])])]
    response = agent(history)
    tool = response.tool
    assert isinstance(tool, get_image) and response.finish_reasons == ["tool_calls"]
    history += [response.message_param, *response.tool_message_params([(tool, tool.call())])]
    history.append(Messages.User([TextPart(text="This is file 241a70:"),
                                  ImagePart(image=jpeg, media_type="image/jpeg")]))  # fmt: skip
    final = agent(history)
    assert final.content == "The fruit in the image is a kiwi."
    assert (final.input_tokens, final.output_tokens) == (1501, 11)
    # what we sent has the shape Groq accepted in the recording
    sent = server.requests[1].json["messages"]
    assert [m["role"] for m in sent] == [m["role"] for m in recorded]
    assert sent[1]["tool_calls"] == recorded[1]["tool_calls"]
    assert sent[2] == recorded[2]
    assert sent[3] == recorded[3]


def test_recorded_stream_decodes_and_its_error_event_is_groqs(
    server: FakeOpenAI, client: groq_sdk.Groq
) -> None:
    name = "pydantic_ai__test_tool_use_failed_error_streaming.yaml"
    failed, tool_call, text = _interactions(name)

    class get_something_by_name(BaseTool):  # noqa: N801 - the recorded tool's name
        name: str

    @groq.call("openai/gpt-oss-120b", client=client, stream=True, tools=[get_something_by_name])
    def ask() -> str:
        return "Please call the tool"

    # Groq reports a failed tool call as an SSE error event after 200 OK: the SDK's error
    server.enqueue(Reply(raw=_stream_answer(failed)))
    stream = ask()
    with pytest.raises(groq_sdk.APIError, match="Tool call validation failed"):
        list(stream)

    server.enqueue(Reply(raw=_stream_answer(tool_call)))
    stream = ask()
    tools = [t for _, t in stream if t is not None]
    assert len(tools) == 1 and isinstance(tools[0], get_something_by_name)
    assert tools[0].name == "example" and stream.finish_reasons == ["tool_calls"]
    assert (stream.input_tokens, stream.output_tokens) == (304, 49)

    server.enqueue(Reply(raw=_stream_answer(text)))
    stream = ask()
    pieces = [chunk.content for chunk, _ in stream]
    assert len([p for p in pieces if p]) > 1
    assert stream.content == "The tool returned the expected result for the valid call."
    assert (stream.input_tokens, stream.output_tokens) == (339, 58)


def test_stream_usage_found_in_x_groq_alone(server: FakeOpenAI, client: groq_sdk.Groq) -> None:
    *_, text = _interactions("pydantic_ai__test_tool_use_failed_error_streaming.yaml")

    def drop_top_level_usage(block: str) -> str:  # Groq's older streams: x_groq only
        if '"usage"' not in block:
            return block
        event = json.loads(block.removeprefix("data: "))
        del event["usage"]
        return "data: " + json.dumps(event)

    server.enqueue(Reply(raw=_stream_answer(text, drop_top_level_usage)))

    @groq.call("openai/gpt-oss-120b", client=client, stream=True)
    def ask() -> str:
        return "hi"

    stream = ask()
    list(stream)
    assert (stream.input_tokens, stream.output_tokens) == (339, 58)


def test_streams_send_no_stream_options_and_still_get_usage(
    server: FakeOpenAI, client: groq_sdk.Groq
) -> None:
    @groq.call("llama-3.1-8b-instant", client=client, stream=True)
    def ask() -> str:
        return "Recommend a fantasy book"

    stream = ask()
    list(stream)
    body = server.requests[0].json
    assert body["stream"] is True and "stream_options" not in body
    assert stream.usage is not None and stream.output_tokens == 4


def test_requests_are_valid_chat_completions(server: FakeOpenAI, client: groq_sdk.Groq) -> None:
    validator = _request_validator()  # OpenAI's schema: Groq takes the same body

    class FormatBook(BaseTool):
        """Format a book."""

        title: str
        author: str

    @groq.call("llama-3.1-8b-instant", client=client, tools=[FormatBook],
               call_params={"temperature": 0.2, "seed": 7})  # fmt: skip
    def with_history(history: list[Any]) -> groq.GroqDynamicConfig:
        return {"messages": history}

    @groq.call("llama-3.1-8b-instant", client=client, stream=True)
    def streamed() -> Messages.Type:
        return [Messages.System("You are a librarian."),
                Messages.User([TextPart(text="Recommend a book"),
                               ImagePart(url="https://x.test/c.png", detail="low")])]  # fmt: skip

    server.enqueue(Reply(tool_calls=[ToolCall("FormatBook", {"title": "T", "author": "A"})]))
    history: list[Any] = [Messages.User("Recommend a book")]
    first = with_history(history)
    assert first.tool is not None
    history += [first.message_param, *first.tool_message_params([(first.tool, "T by A")])]
    with_history(history)
    list(streamed())
    assert len(server.requests) == 3
    for request in server.requests:
        errors = sorted(validator.iter_errors(request.json), key=str)
        assert not errors, f"{request.json}\n{errors[0]}"


def test_groq_parameters_reach_the_request(server: FakeOpenAI, client: groq_sdk.Groq) -> None:
    @groq.call("qwen/qwen3-32b", client=client,
               call_params={"reasoning_format": "hidden", "temperature": 0.1})  # fmt: skip
    def ask() -> groq.GroqDynamicConfig:
        return {"messages": [Messages.User("hi")], "call_params": {"service_tier": "flex"}}

    ask()
    body = server.requests[0].json
    assert body["reasoning_format"] == "hidden" and body["temperature"] == 0.1
    assert body["service_tier"] == "flex"
    assert server.requests[0].path == "/openai/v1/chat/completions"


def test_client_kind_is_checked_naming_both_sides(server: FakeOpenAI) -> None:
    async_client = groq_sdk.AsyncGroq(base_url=server.url, api_key="gsk-x")
    sync_client = groq_sdk.Groq(base_url=server.url, api_key="gsk-x")

    @groq.call("llama-3.1-8b-instant")
    def sync_fn() -> groq.AsyncGroqDynamicConfig:  # the guide's mismatch
        return {"messages": [Messages.User("hi")], "client": async_client}

    message = r"sync_fn\(\) is a sync function \(def\) but was given the async client groq\.AsyncG"
    with pytest.raises(ClientKindError, match=message):
        sync_fn()
    with pytest.raises(ClientKindError, match=r"async function .*sync client groq\.Groq"):

        @groq.call("llama-3.1-8b-instant", client=sync_client)
        async def async_fn() -> str:
            return "hi"

    with pytest.raises(TypeError, match=re.escape("groq.Groq or groq.AsyncGroq")):
        groq.call("llama-3.1-8b-instant", client=object())(lambda: "hi")  # pyright: ignore
    sync_client.close()
    asyncio.run(async_client.close())


def test_unknown_call_params_are_refused_with_a_hint() -> None:
    with pytest.raises(TypeError, match=r"'temprature' \(did you mean 'temperature'\?\)"):
        groq.call("llama-3.1-8b-instant", call_params={"temprature": 0.1})(lambda: "hi")  # pyright: ignore
