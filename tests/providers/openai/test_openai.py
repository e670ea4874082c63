"""OpenAI specifics: requests valid against the official schema, the real recorded
responses decoded, tool-argument faults, Azure clients, call params."""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import Iterator
from typing import Any

import openai as openai_sdk
import pytest

from mirascope.core import (
    BaseMessageParam,
    BaseTool,
    EmptyResponseError,
    ImagePart,
    Messages,
    TextPart,
    ToolArgumentsError,
    UnknownToolError,
    openai,
)
from mirascope.testing import Answer, FakeOpenAI, Reply, ToolCall

from ..._data import recording, spec


class FormatBook(BaseTool):
    """Format a book."""

    title: str
    author: str


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake  # type: ignore[misc]


@pytest.fixture
def client(server: FakeOpenAI) -> Iterator[openai_sdk.OpenAI]:
    server.reset()
    with openai_sdk.OpenAI(base_url=server.url + "/v1", api_key="sk-x", max_retries=0) as c:
        yield c


def _request_validator() -> Any:
    import jsonschema  # a dev dependency: missing, the test fails rather than skips

    doc = json.loads(spec("openai-chat-completions.schema.json").read_text())
    schema = doc["paths"]["/chat/completions"]["post"]["requestBody"]["content"][
        "application/json"
    ]["schema"]
    return jsonschema.Draft202012Validator(schema)


def test_requests_are_valid_against_the_official_schema(
    server: FakeOpenAI, client: openai_sdk.OpenAI
) -> None:
    validator = _request_validator()

    @openai.call("gpt-4o-mini", client=client, tools=[FormatBook], call_params={"temperature": 0.2})
    def with_history(history: list[Any]) -> openai.OpenAIDynamicConfig:
        return {"messages": history}

    @openai.call("gpt-4o-mini", client=client, stream=True)
    def streamed(genre: str) -> Messages.Type:
        return [
            Messages.System("You are a librarian."),
            Messages.User(
                [
                    TextPart(text=f"Recommend a {genre} book"),
                    ImagePart(url="https://example.com/cover.png", detail="low"),
                ]
            ),
        ]

    server.enqueue(Reply(tool_calls=[ToolCall("FormatBook", {"title": "T", "author": "A"})]))
    history: list[Any] = [Messages.User("Recommend a book")]
    first = with_history(history)
    assert first.tool is not None
    history += [first.message_param, *first.tool_message_params([(first.tool, "T by A")])]
    with_history(history)
    list(streamed("fantasy"))
    assert len(server.requests) == 3
    for request in server.requests:
        errors = sorted(validator.iter_errors(request.json), key=str)
        assert not errors, f"{request.json}\n{errors[0]}"


def _recorded(name: str) -> list[dict[str, Any]]:
    import yaml  # a dev dependency: missing, the test fails rather than skips

    path = recording("openai", name)
    out: list[dict[str, Any]] = []
    for interaction in yaml.safe_load(path.read_text())["interactions"]:
        body = interaction["response"]["body"]["string"]
        if isinstance(body, bytes):
            body = gzip.decompress(body).decode()
        out.append({"request": json.loads(interaction["request"]["body"]), "body": body})
    return out


def _sse_events(body: str) -> list[bytes]:
    return [(block + "\n\n").encode() for block in body.strip().split("\n\n") if block.strip()]


@pytest.mark.parametrize(
    "name", ["mirascope_v2__test_call__sync.yaml", "mirascope_v2__test_call_with_tools__sync.yaml"]
)
def test_recorded_responses_decode(
    server: FakeOpenAI, client: openai_sdk.OpenAI, name: str
) -> None:
    for exchange in _recorded(name):
        expected = json.loads(exchange["body"])
        server.enqueue(
            Reply(raw=Answer(200, {"Content-Type": "application/json"}, exchange["body"].encode()))
        )

        @openai.call("gpt-4o", client=client, tools=[FormatBook])
        def call() -> str:
            return "replay"

        response = call()
        message = expected["choices"][0]["message"]
        assert response.content == (message["content"] or "")
        assert response.id == expected["id"] and response.model == expected["model"]
        assert response.input_tokens == expected["usage"]["prompt_tokens"]
        assert response.output_tokens == expected["usage"]["completion_tokens"]
        assert response.finish_reasons == [expected["choices"][0]["finish_reason"]]
        calls = message.get("tool_calls") or []
        if calls:
            # the recorded tool is not ours: it must be refused clearly, raw kept
            with pytest.raises(UnknownToolError) as info:
                _ = response.tools
            assert info.value.raw == calls[0]["function"]["arguments"]


@pytest.mark.parametrize(
    "name",
    ["mirascope_v2__test_call__stream.yaml", "mirascope_v2__test_call_with_tools__stream.yaml"],
)
def test_recorded_streams_decode(server: FakeOpenAI, client: openai_sdk.OpenAI, name: str) -> None:
    class SecretRetrievalTool(BaseTool):
        password: str

        @classmethod
        def tool_name(cls) -> str:
            return "secret_retrieval_tool"

    for exchange in _recorded(name):
        events = _sse_events(exchange["body"])
        server.enqueue(Reply(raw=Answer(200, {"Content-Type": "text/event-stream"}, events=events)))

        @openai.call("gpt-4o", client=client, stream=True, tools=[SecretRetrievalTool])
        def call() -> str:
            return "replay"

        stream = call()
        pairs = list(stream)
        text = ""
        arguments: dict[int, str] = {}
        for event in events:
            payload = event.decode()[len("data: ") :].strip()
            if payload == "[DONE]":
                continue
            for choice in json.loads(payload)["choices"]:
                text += choice["delta"].get("content") or ""
                for call_delta in choice["delta"].get("tool_calls") or []:
                    arguments.setdefault(call_delta["index"], "")
                    arguments[call_delta["index"]] += call_delta["function"].get("arguments", "")
        assert stream.content == text
        tools = [t for _, t in pairs if t is not None]
        assert [t.args for t in tools] == [json.loads(a) for _, a in sorted(arguments.items())]
        assert stream.usage is not None and stream.usage.prompt_tokens
        assert stream.input_tokens == stream.usage.prompt_tokens


@pytest.mark.parametrize(
    "arguments, problem",
    [('{"title": "Dune", "author": ', "not valid JSON"), ({"title": "Dune"}, "fail validation")],
)
def test_bad_tool_arguments_raise_with_the_raw_payload(
    server: FakeOpenAI, client: openai_sdk.OpenAI, arguments: Any, problem: str
) -> None:
    server.enqueue(Reply(tool_calls=[ToolCall("FormatBook", arguments)]))

    @openai.call("gpt-4o-mini", client=client, tools=[FormatBook])
    def call() -> str:
        return "Recommend a book"

    response = call()
    with pytest.raises(ToolArgumentsError, match=problem) as info:
        _ = response.tool
    assert info.value.tool_name == "FormatBook"
    raw = arguments if isinstance(arguments, str) else json.dumps(arguments)
    assert info.value.raw == raw
    assert response.content == ""  # the rest of the response stays readable


def test_azure_openai_clients(server: FakeOpenAI) -> None:
    server.reset()
    sync_client = openai_sdk.AzureOpenAI(
        azure_endpoint=server.url, api_key="k", api_version="2024-10-21", max_retries=0
    )
    async_client = openai_sdk.AsyncAzureOpenAI(
        azure_endpoint=server.url, api_key="k", api_version="2024-10-21", max_retries=0
    )

    @openai.call("my-deployment", client=sync_client)
    def sync_call() -> str:
        return "Recommend a book"

    @openai.call("my-deployment", client=async_client)
    async def async_call() -> str:
        return "Recommend a book"

    assert sync_call().content == "Recommend a book"
    assert asyncio.run(async_call()).content == "Recommend a book"
    paths = [r.path for r in server.requests]
    assert all(p.startswith("/openai/deployments/my-deployment/chat/completions") for p in paths)
    sync_client.close()


def test_call_params_and_stream_options(server: FakeOpenAI, client: openai_sdk.OpenAI) -> None:
    @openai.call(
        "gpt-4o-mini",
        client=client,
        stream=True,
        call_params={
            "temperature": 0.3,
            "max_tokens": 50,
            "stream_options": {"include_usage": False},
        },
    )
    def call() -> openai.OpenAIDynamicConfig:
        return {"messages": [Messages.User("hi")], "call_params": {"seed": 7}}

    stream = call()
    list(stream)
    body = server.requests[-1].json
    assert body["temperature"] == 0.3 and body["max_tokens"] == 50 and body["seed"] == 7
    assert body["stream_options"] == {"include_usage": False}
    assert stream.usage is None  # the user turned usage off; nothing invented


def test_vendor_message_dicts_pass_through(server: FakeOpenAI, client: openai_sdk.OpenAI) -> None:
    native = {"role": "user", "content": "native dict", "name": "alice"}

    @openai.call("gpt-4o-mini", client=client)
    def call() -> list[Any]:
        return [BaseMessageParam(role="system", content="sys"), native]

    assert call().content == "native dict"
    assert server.requests[-1].json["messages"] == [{"role": "system", "content": "sys"}, native]


def test_empty_choices_raise_with_the_raw_response(
    server: FakeOpenAI, client: openai_sdk.OpenAI
) -> None:
    body = {
        "id": "chatcmpl-empty",
        "object": "chat.completion",
        "created": 0,
        "model": "gpt-4o-mini",
        "choices": [],
    }
    server.enqueue(
        Reply(raw=Answer(200, {"Content-Type": "application/json"}, json.dumps(body).encode()))
    )

    @openai.call("gpt-4o-mini", client=client)
    def call() -> str:
        return "hi"

    said = r"openai: the response 'chatcmpl-empty' has no text and no tool call"
    with pytest.raises(EmptyResponseError, match=said) as info:
        call()
    assert info.value.raw.id == "chatcmpl-empty"


def test_unknown_call_param_is_refused_at_decoration(client: openai_sdk.OpenAI) -> None:
    with pytest.raises(TypeError, match=r"'temprature' \(did you mean 'temperature'\?\)"):
        openai.call("gpt-4o-mini", call_params={"temprature": 0.1})(lambda: "hi")  # type: ignore[typeddict-unknown-key]

    @openai.call("gpt-4o-mini", client=client)
    def dynamic() -> openai.OpenAIDynamicConfig:
        return {"messages": [Messages.User("hi")], "call_params": {"max_tokenz": 5}}  # type: ignore[typeddict-unknown-key]

    with pytest.raises(TypeError, match="max_tokenz"):
        dynamic()


def test_template_placeholder_without_argument_fails_at_decoration() -> None:
    from mirascope.core import PromptTemplateError, prompt_template

    with pytest.raises(PromptTemplateError, match=r"\{author\}.*parameters: genre"):

        @openai.call("gpt-4o-mini")
        @prompt_template("Recommend a {genre} book by {author}")
        def recommend(genre: str): ...


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_refusal_raises(server: FakeOpenAI, is_async: bool) -> None:
    """OpenAI's structured outputs may answer with a refusal instead of content."""
    from pydantic import BaseModel

    from mirascope.core import RefusalError

    class Book(BaseModel):
        title: str

    body = {
        "id": "chatcmpl-refused",
        "object": "chat.completion",
        "created": 1,
        "model": "gpt-4o-mini",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": None, "refusal": "I can't."},
                "finish_reason": "stop",
            }
        ],
    }
    answer = Answer(200, {"Content-Type": "application/json"}, json.dumps(body).encode())
    server.enqueue(Reply(raw=answer))
    sdk = openai_sdk.AsyncOpenAI if is_async else openai_sdk.OpenAI
    client: Any = sdk(base_url=server.url + "/v1", api_key="sk-test", max_retries=0)
    with pytest.raises(RefusalError) as caught:
        if is_async:

            @openai.call("gpt-4o-mini", response_model=Book, client=client)
            async def extract_async() -> str:
                return "Extract"

            async def run() -> None:
                try:
                    await extract_async()
                finally:
                    await client.close()

            asyncio.run(run())
        else:

            @openai.call("gpt-4o-mini", response_model=Book, client=client)
            def extract() -> str:
                return "Extract"

            try:
                extract()
            finally:
                client.close()
    assert caught.value.refusal == "I can't."
    assert caught.value.raw.id == "chatcmpl-refused"
    assert 'refused to answer: "I can\'t."' in str(caught.value)


def _refusal_events() -> list[bytes]:
    head = {"id": "chatcmpl-refused", "object": "chat.completion.chunk", "created": 1}
    head["model"] = "gpt-4o-mini"
    deltas: list[tuple[dict[str, Any], str | None]] = [
        ({"role": "assistant", "content": None, "refusal": ""}, None),
        ({"refusal": "I can"}, None),
        ({"refusal": "'t."}, None),
        ({}, "stop"),
    ]
    events = []
    for delta, finish in deltas:
        choice = {"index": 0, "delta": delta, "finish_reason": finish}
        events.append(f"data: {json.dumps({**head, 'choices': [choice]})}\n\n".encode())
    return [*events, b"data: [DONE]\n\n"]


@pytest.mark.parametrize("structured", [False, True], ids=["text", "response_model"])
@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_streamed_refusal_raises(server: FakeOpenAI, is_async: bool, structured: bool) -> None:
    """A refusal streams in pieces (``delta.refusal``): the stream raises RefusalError with
    the whole of it, as the call does, not an empty-answer error."""
    from pydantic import BaseModel

    from mirascope.core import RefusalError

    class Book(BaseModel):
        title: str

    server.enqueue(
        Reply(raw=Answer(200, {"Content-Type": "text/event-stream"}, events=_refusal_events()))
    )
    sdk = openai_sdk.AsyncOpenAI if is_async else openai_sdk.OpenAI
    client: Any = sdk(base_url=server.url + "/v1", api_key="sk-test", max_retries=0)
    options: dict[str, Any] = {"response_model": Book} if structured else {}
    with pytest.raises(RefusalError) as caught:
        if is_async:

            @openai.call("gpt-4o-mini", stream=True, client=client, **options)
            async def extract_async() -> str:
                return "Extract"

            async def run() -> None:
                try:
                    # Any: the options dict hides which overload applies
                    stream: Any = await extract_async()
                    async for _ in stream:
                        pass
                finally:
                    await client.close()

            asyncio.run(run())
        else:

            @openai.call("gpt-4o-mini", stream=True, client=client, **options)
            def extract() -> str:
                return "Extract"

            try:
                sync_stream: Any = extract()
                for _ in sync_stream:
                    pass
            finally:
                client.close()
    assert caught.value.refusal == "I can't."
    assert caught.value.raw.id == "chatcmpl-refused"
    assert str(caught.value).startswith('openai: the model refused to answer: "I can\'t."')


def test_structured_requests_are_valid_against_the_official_schema(
    server: FakeOpenAI, client: openai_sdk.OpenAI
) -> None:
    """A strict tool, a strict response model, a forced tool and JSON mode: each request is
    what OpenAI's published schema accepts, and carries what each mode needs."""
    from pydantic import BaseModel

    validator = _request_validator()

    class StrictBook(openai.OpenAITool):
        """Format a book."""

        tool_config = openai.OpenAIToolConfig(strict=True)

        title: str
        year: int | None = None

    class Book(BaseModel):
        title: str
        year: int | None = None

    @openai.call("gpt-4o-mini", client=client, tools=[StrictBook])
    def with_tool() -> str:
        return "Format Dune"

    @openai.call("gpt-4o-mini", client=client, response_model=Book)
    def strict() -> str:
        return "Dune"

    @openai.call("gpt-4o-mini", client=client, response_model=Book, output_mode="tool")
    def forced() -> str:
        return "Dune"

    @openai.call("gpt-4o-mini", client=client, json_mode=True)
    def as_json() -> str:
        return "Dune as JSON"

    server.enqueue(
        Reply(tool_calls=[ToolCall("StrictBook", {"title": "Dune", "year": None})]),
        Reply(text='{"title": "Dune", "year": 1965}'),
        Reply(tool_calls=[ToolCall("Book", {"title": "Dune", "year": 1965})]),
        Reply(text='{"title": "Dune"}'),
    )
    tool = with_tool().tool
    assert isinstance(tool, StrictBook) and tool.title == "Dune"
    assert strict() == Book(title="Dune", year=1965)
    assert forced() == Book(title="Dune", year=1965)
    assert as_json().content == '{"title": "Dune"}'
    bodies = [r.json for r in server.requests]
    for body in bodies:
        errors = sorted(validator.iter_errors(body), key=str)
        assert not errors, f"{body}\n{errors[0]}"
    function = bodies[0]["tools"][0]["function"]
    assert function["strict"] is True
    assert function["parameters"]["additionalProperties"] is False
    assert function["parameters"]["required"] == ["title", "year"]
    schema_format = bodies[1]["response_format"]
    assert schema_format["type"] == "json_schema"
    assert schema_format["json_schema"]["name"] == "Book"
    assert schema_format["json_schema"]["strict"] is True
    assert schema_format["json_schema"]["schema"]["required"] == ["title", "year"]
    assert bodies[2]["tool_choice"] == {"type": "function", "function": {"name": "Book"}}
    assert [t["function"]["name"] for t in bodies[2]["tools"]] == ["Book"]
    assert bodies[3]["response_format"] == {"type": "json_object"}


def _audio_events(pieces: list[dict[str, Any]]) -> list[bytes]:
    head = {"id": "chatcmpl-audio", "object": "chat.completion.chunk", "created": 1}
    head["model"] = "gpt-4o-audio-preview"
    events = []
    for n, piece in enumerate(pieces):
        last = n == len(pieces) - 1
        choice = {"index": 0, "delta": {"audio": piece}, "finish_reason": "stop" if last else None}
        events.append(f"data: {json.dumps({**head, 'choices': [choice]})}\n\n".encode())
    return [*events, b"data: [DONE]\n\n"]


def test_audio_output(server: FakeOpenAI, client: openai_sdk.OpenAI) -> None:
    """An answer in audio: ``.audio`` (bytes), ``.audio_transcript``, and the transcript as
    the text of the reply; the same per chunk when streamed."""
    import base64

    wav = b"RIFF-fake-wav"
    body = {
        "id": "chatcmpl-audio",
        "object": "chat.completion",
        "created": 1,
        "model": "gpt-4o-audio-preview",
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": None,
                    "audio": {
                        "id": "audio_1",
                        "data": base64.b64encode(wav).decode(),
                        "expires_at": 1,
                        "transcript": "Hello there",
                    },
                },
                "finish_reason": "stop",
            }
        ],
    }
    params: openai.OpenAICallParams = {
        "modalities": ["text", "audio"],
        "audio": {"voice": "alloy", "format": "wav"},
    }

    @openai.call("gpt-4o-audio-preview", client=client, call_params=params)
    def greet() -> str:
        return "Say hello"

    @openai.call("gpt-4o-audio-preview", client=client, call_params=params, stream=True)
    def greet_streamed() -> str:
        return "Say hello"

    server.enqueue(
        Reply(raw=Answer(200, {"Content-Type": "application/json"}, json.dumps(body).encode()))
    )
    response = greet()
    assert response.audio == wav
    assert response.audio_transcript == "Hello there"
    assert response.content == "Hello there"
    assert server.requests[-1].json["modalities"] == ["text", "audio"]

    pieces = [
        {"id": "audio_1", "transcript": "Hello "},
        {"data": base64.b64encode(wav[:5]).decode()},
        {"transcript": "there", "data": base64.b64encode(wav[5:]).decode()},
    ]
    sse = {"Content-Type": "text/event-stream"}
    server.enqueue(Reply(raw=Answer(200, sse, events=_audio_events(pieces))))
    stream = greet_streamed()
    chunks = [chunk for chunk, _ in stream]
    assert b"".join(c.audio or b"" for c in chunks) == wav
    assert [c.audio_transcript for c in chunks] == ["Hello ", None, "there"]
    assert stream.content == "Hello there"
