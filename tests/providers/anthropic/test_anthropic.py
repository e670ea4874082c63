"""Anthropic specifics: the real recorded responses and SDK stream fixtures decoded through
the real SDK, the fake shaped as the recordings, request shape (system, tool blocks, merged
tool results), max_tokens, sampling params in extra_body, errors and faults."""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import Iterator
from typing import Any

import anthropic as anthropic_sdk
import pytest
from anthropic.lib.vertex import AnthropicVertex

from mirascope.core import (
    BaseMessageParam,
    BaseTool,
    CacheControlPart,
    ImagePart,
    Messages,
    TextPart,
    ToolArgumentsError,
    anthropic,
)
from mirascope.core.base.messages import ContentPart
from mirascope.testing import Answer, FakeAnthropic, Reply, ToolCall

from ..._data import recording

BOOK = {"title": "The Name of the Wind", "author": "Patrick Rothfuss"}


class FormatBook(BaseTool):
    """Format a book."""

    title: str
    author: str


class SecretRetrievalTool(BaseTool):
    """A tool that requires a password to retrieve a secret."""

    password: str

    @classmethod
    def tool_name(cls) -> str:
        return "secret_retrieval_tool"


class GetWeather(BaseTool):
    location: str

    @classmethod
    def tool_name(cls) -> str:
        return "get_weather"


@pytest.fixture(scope="module")
def server() -> Iterator[FakeAnthropic]:
    with FakeAnthropic() as fake:
        yield fake  # type: ignore[misc]


@pytest.fixture
def client(server: FakeAnthropic) -> Iterator[anthropic_sdk.Anthropic]:
    server.reset()
    with anthropic_sdk.Anthropic(base_url=server.url, api_key="sk-x", max_retries=0) as c:
        yield c


# -- the real exchanges ------------------------------------------------------------------


def _recorded(name: str) -> list[dict[str, Any]]:
    import yaml  # a dev dependency: missing, the test fails rather than skips

    path = recording("anthropic", name)
    out: list[dict[str, Any]] = []
    for interaction in yaml.safe_load(path.read_text())["interactions"]:
        body = interaction["response"]["body"]["string"]
        if isinstance(body, bytes):
            body = gzip.decompress(body).decode()
        out.append({"request": json.loads(interaction["request"]["body"]), "body": body})
    return out


def _fixture(name: str) -> str:
    return recording("anthropic", name).read_text()


def _sse_blocks(body: str) -> list[bytes]:
    return [(block + "\n\n").encode() for block in body.strip().split("\n\n") if block.strip()]


def _sse_data(events: list[bytes]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for event in events:
        for line in event.decode().splitlines():
            if line.startswith("data:"):
                out.append(json.loads(line[len("data:") :]))
    return out


def _expected_from_events(data: list[dict[str, Any]]) -> dict[str, Any]:
    text = ""
    arguments: dict[int, str] = {}
    names: dict[int, str] = {}
    expected: dict[str, Any] = {}
    for event in data:
        kind = event["type"]
        if kind == "message_start":
            expected["id"] = event["message"]["id"]
            expected["model"] = event["message"]["model"]
            expected["input_tokens"] = event["message"]["usage"]["input_tokens"]
        elif kind == "content_block_start" and event["content_block"]["type"] == "tool_use":
            names[event["index"]] = event["content_block"]["name"]
            arguments[event["index"]] = ""
        elif kind == "content_block_delta":
            delta = event["delta"]
            if delta["type"] == "text_delta":
                text += delta["text"]
            elif delta["type"] == "input_json_delta":
                arguments[event["index"]] += delta["partial_json"]
        elif kind == "message_delta":
            expected["output_tokens"] = event["usage"]["output_tokens"]
            expected["stop_reason"] = event["delta"]["stop_reason"]
    expected["text"] = text
    expected["tools"] = [(names[i], json.loads(a)) for i, a in sorted(arguments.items())]
    return expected


@pytest.mark.parametrize(
    "name", ["mirascope_v2__test_call__sync.yaml", "mirascope_v2__test_call_with_tools__sync.yaml"]
)
def test_recorded_responses_decode(
    server: FakeAnthropic, client: anthropic_sdk.Anthropic, name: str
) -> None:
    for exchange in _recorded(name):
        expected = json.loads(exchange["body"])
        server.enqueue(
            Reply(raw=Answer(200, {"Content-Type": "application/json"}, exchange["body"].encode()))
        )

        @anthropic.call("claude-sonnet-4-0", client=client, tools=[SecretRetrievalTool])
        def call() -> str:
            return "replay"

        response = call()
        assert isinstance(response.response, anthropic_sdk.types.Message)
        blocks = expected["content"]
        assert response.content == "".join(b["text"] for b in blocks if b["type"] == "text")
        assert response.id == expected["id"] and response.model == expected["model"]
        assert response.input_tokens == expected["usage"]["input_tokens"]
        assert response.output_tokens == expected["usage"]["output_tokens"]
        assert response.usage is not None and response.usage.cache_read_input_tokens == 0
        assert response.cached_tokens == 0
        assert response.finish_reasons == [expected["stop_reason"]]
        uses = [b for b in blocks if b["type"] == "tool_use"]
        assert [(t.tool_call_id, t.args) for t in response.tools or []] == [
            (b["id"], b["input"]) for b in uses
        ]


@pytest.mark.parametrize(
    "name",
    [
        "mirascope_v2__test_call__stream.yaml",
        "mirascope_v2__test_call_with_tools__stream.yaml",
        "sdk_fixture__basic_response.sse.txt",
        "sdk_fixture__tool_use_response.sse.txt",
    ],
)
def test_recorded_streams_decode(
    server: FakeAnthropic, client: anthropic_sdk.Anthropic, name: str
) -> None:
    if name.endswith(".yaml"):
        bodies = [exchange["body"] for exchange in _recorded(name)]
    else:
        bodies = [_fixture(name)]
    for body in bodies:
        events = _sse_blocks(body)
        expected = _expected_from_events(_sse_data(events))
        headers = {"Content-Type": "text/event-stream; charset=utf-8"}
        server.enqueue(Reply(raw=Answer(200, headers, events=events)))

        @anthropic.call(
            "claude-sonnet-4-0", client=client, stream=True, tools=[SecretRetrievalTool, GetWeather]
        )
        def call() -> str:
            return "replay"

        stream = call()
        pairs = list(stream)
        assert len([c for c, _ in pairs if c.content]) > 1
        assert stream.content == expected["text"]
        assert [(t.tool_name(), t.args) for _, t in pairs if t is not None] == expected["tools"]
        # usage arrives split: input in message_start, output in message_delta
        assert stream.input_tokens == expected["input_tokens"]
        assert stream.output_tokens == expected["output_tokens"]
        assert stream.finish_reasons == [expected["stop_reason"]]
        assert stream.id == expected["id"] and stream.model == expected["model"]


def _shape(value: Any) -> Any:
    """The keys of a JSON value, recursively (lists by their first item)."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list) and value:
        return [_shape(value[0])]
    return type(value).__name__ if value is not None else None


def test_fake_answers_as_the_recordings(
    server: FakeAnthropic, client: anthropic_sdk.Anthropic
) -> None:
    recorded_call = json.loads(_recorded("mirascope_v2__test_call__sync.yaml")[0]["body"])
    recorded_tools = json.loads(
        _recorded("mirascope_v2__test_call_with_tools__sync.yaml")[0]["body"]
    )
    server.enqueue(
        Reply(text="4200 + 42 = 4242"),
        Reply(
            text="I'll do it.", tool_calls=[ToolCall("secret_retrieval_tool", {"password": "x"})]
        ),
    )
    ours = [
        client.messages.create(
            max_tokens=10, model="m", messages=[{"role": "user", "content": "q"}]
        )
        for _ in range(2)
    ]
    bodies = [json.loads(r.body) for r in server.requests]
    assert bodies[0]["model"] == "m"
    for fake, real in zip(ours, (recorded_call, recorded_tools), strict=True):
        dumped = fake.model_dump(mode="json", exclude_none=True)
        real_shape = _shape({k: v for k, v in real.items() if v is not None})
        assert {k: _shape(v) for k, v in dumped.items() if k != "content"} == {
            k: v for k, v in real_shape.items() if k != "content"
        }
    assert [b.type for b in ours[1].content] == [b["type"] for b in recorded_tools["content"][:2]]


def test_fake_streams_as_the_recordings(server: FakeAnthropic) -> None:
    real = _sse_blocks(_fixture("sdk_fixture__tool_use_response.sse.txt"))
    server.enqueue(
        Reply(text="I'll check", tool_calls=[ToolCall("get_weather", {"location": "P"})])
    )
    with anthropic_sdk.Anthropic(base_url=server.url, api_key="k", max_retries=0) as c:
        response = c.messages.with_raw_response.create(
            max_tokens=10, model="m", messages=[{"role": "user", "content": "q"}], stream=True
        )
        raw = response.http_response.read().decode()
    ours = _sse_blocks(raw)

    def kinds(events: list[bytes]) -> list[str]:
        out: list[str] = []
        for event in events:
            name = event.decode().splitlines()[0]
            assert name.startswith("event: ")  # named events, as the API sends them
            kind = name[len("event: ") :]
            if not out or out[-1] != kind or kind != "content_block_delta":
                out.append(kind)
        return out

    assert kinds(ours) == kinds(real)
    assert response.headers["content-type"].startswith("text/event-stream")
    our_data, real_data = _sse_data(ours), _sse_data(real)
    assert _expected_from_events(our_data)["tools"] == [("get_weather", {"location": "P"})]
    real_start, our_start = real_data[0]["message"], our_data[0]["message"]
    assert set(our_start) >= set(real_start) - {"container"}
    assert set(our_start["usage"]) >= set(real_start["usage"])


# -- requests ----------------------------------------------------------------------------


def test_request_shape_with_system_tools_and_history(
    server: FakeAnthropic, client: anthropic_sdk.Anthropic
) -> None:
    recorded = _recorded("mirascope_v2__test_call_with_tools__sync.yaml")[1]["request"]
    server.enqueue(
        Reply(
            text="I'll retrieve both.",
            tool_calls=[
                ToolCall("secret_retrieval_tool", {"password": "mellon"}),
                ToolCall("secret_retrieval_tool", {"password": "radiance"}),
            ],
        ),
        Reply(text="Here they are."),
    )

    @anthropic.call("claude-sonnet-4-0", client=client, tools=[SecretRetrievalTool])
    def call(history: list[Any]) -> anthropic.AnthropicDynamicConfig:
        return {"messages": [Messages.System("Use parallel tool calling."), *history]}

    history: list[Any] = [Messages.User("Please retrieve the secrets: mellon,radiance")]
    first = call(history)
    tools = first.tools or []
    assert [t.args["password"] for t in tools] == ["mellon", "radiance"]
    outputs = [(tools[0], "Welcome to Moria!"), (tools[1], "Life before Death")]
    history += [first.message_param, *first.tool_message_params(outputs)]
    assert call(history).content == "Here they are."
    body = server.requests[1].json
    assert set(body) == set(recorded)
    assert body["system"] == "Use parallel tool calling."
    assert body["max_tokens"] == 1024
    assert [m["role"] for m in body["messages"]] == [m["role"] for m in recorded["messages"]]
    assert [b["type"] for b in body["messages"][1]["content"]] == ["text", "tool_use", "tool_use"]
    # both results travel in ONE user message, as tool_result blocks
    results = body["messages"][2]["content"]
    assert [(r["type"], r["tool_use_id"]) for r in results] == [
        ("tool_result", t.tool_call_id) for t in tools
    ]
    assert [r["content"] for r in results] == ["Welcome to Moria!", "Life before Death"]
    tool = body["tools"][0]
    assert set(tool) >= {"name", "description", "input_schema"}
    assert tool["input_schema"]["type"] == "object"
    assert tool["input_schema"]["required"] == ["password"]


def test_sampling_params_travel_in_extra_body(
    server: FakeAnthropic, client: anthropic_sdk.Anthropic
) -> None:
    # the 2.x SDK refuses them as arguments of messages.create ...
    with pytest.raises(TypeError):
        client.messages.create(  # type: ignore[call-overload]
            max_tokens=5, model="m", messages=[{"role": "user", "content": "q"}], temperature=0.2
        )

    # ... so mirascope sends them in extra_body, and the request still carries them
    @anthropic.call(
        "claude-sonnet-4-0",
        client=client,
        call_params={
            "temperature": 0.2,
            "top_p": 0.9,
            "max_tokens": 50,
            "extra_body": {"top_k": 3, "custom": True},
        },
    )
    def call() -> anthropic.AnthropicDynamicConfig:
        return {
            "messages": [Messages.User("hi")],
            "call_params": {"top_k": 7, "stop_sequences": ["x"]},
        }

    assert call().content == "hi"
    body = server.requests[-1].json
    assert body["temperature"] == 0.2 and body["top_p"] == 0.9
    assert body["top_k"] == 3  # the user's own extra_body wins
    assert body["custom"] is True and body["max_tokens"] == 50 and body["stop_sequences"] == ["x"]


def test_max_tokens_default_and_stream_flag(
    server: FakeAnthropic, client: anthropic_sdk.Anthropic
) -> None:
    @anthropic.call("claude-sonnet-4-0", client=client, stream=True)
    def call() -> str:
        return "hi there"

    assert "".join(c.content for c, _ in call()) == "hi there"
    body = server.requests[-1].json
    assert body == {
        "model": "claude-sonnet-4-0",
        "max_tokens": 1024,
        "messages": [{"role": "user", "content": "hi there"}],
        "stream": True,
    }


def test_parts_system_blocks_images_and_native_dicts(
    server: FakeAnthropic, client: anthropic_sdk.Anthropic
) -> None:
    native = {
        "role": "user",
        "content": [{"type": "text", "text": "native", "cache_control": None}],
    }

    @anthropic.call("claude-sonnet-4-0", client=client)
    def call() -> list[Any]:
        return [
            Messages.System("You are a librarian."),
            BaseMessageParam(role="system", content=[TextPart(text="Be brief.")]),
            Messages.User(
                [
                    TextPart(text="What is on"),
                    ImagePart(url="https://example.com/a.png"),
                    ImagePart(image=b"\x89PNG", media_type="image/png"),
                ]
            ),
            Messages.Assistant("A cover."),
            native,
        ]

    assert call().content == "native"
    body = server.requests[-1].json
    assert body["system"] == [
        {"type": "text", "text": "You are a librarian."},
        {"type": "text", "text": "Be brief."},
    ]
    assert body["messages"][0]["content"] == [
        {"type": "text", "text": "What is on"},
        {"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"}},
        {
            "type": "image",
            "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw=="},
        },
    ]
    assert body["messages"][1] == {"role": "assistant", "content": "A cover."}
    assert body["messages"][2] == native


# -- errors and faults -------------------------------------------------------------------


@pytest.mark.parametrize(
    "status, error",
    [
        (400, anthropic_sdk.BadRequestError),
        (429, anthropic_sdk.RateLimitError),
        (529, anthropic_sdk.OverloadedError),
    ],
)
def test_vendor_errors_reach_the_user(
    server: FakeAnthropic, client: anthropic_sdk.Anthropic, status: int, error: type[Exception]
) -> None:
    server.enqueue(Reply(status=status, error_message="scripted"))

    @anthropic.call("claude-sonnet-4-0", client=client)
    def call() -> str:
        return "hi"

    with pytest.raises(error, match="scripted") as info:
        call()
    body = info.value.body  # type: ignore[attr-defined]
    assert body["type"] == "error" and body["error"]["message"] == "scripted"


def test_bad_streamed_tool_arguments_keep_the_raw_payload(server: FakeAnthropic) -> None:
    raw = '{"title": "Dune", "author": '
    server.enqueue(Reply(tool_calls=[ToolCall("FormatBook", raw)]))

    client = anthropic_sdk.AsyncAnthropic(base_url=server.url, api_key="k", max_retries=0)

    @anthropic.call("claude-sonnet-4-0", stream=True, tools=[FormatBook], client=client)
    async def call() -> str:
        return "Recommend a book"

    async def consume() -> None:
        stream = await call()
        async for _ in stream:
            pass

    with pytest.raises(ToolArgumentsError, match="not valid JSON") as info:
        asyncio.run(consume())
    assert info.value.raw == raw


def test_tool_arguments_failing_validation(
    server: FakeAnthropic, client: anthropic_sdk.Anthropic
) -> None:
    server.enqueue(Reply(tool_calls=[ToolCall("FormatBook", {"title": "Dune"})]))

    @anthropic.call("claude-sonnet-4-0", client=client, tools=[FormatBook])
    def call() -> str:
        return "Recommend a book"

    response = call()
    with pytest.raises(ToolArgumentsError, match="fail validation"):
        _ = response.tool
    assert response.finish_reasons == ["tool_use"] and response.content == ""


def test_malformed_stream_is_the_sdks_error(
    server: FakeAnthropic, client: anthropic_sdk.Anthropic
) -> None:
    server.enqueue(Reply(text="one two three", malformed=True))

    @anthropic.call("claude-sonnet-4-0", client=client, stream=True)
    def call() -> str:
        return "hi"

    stream = call()
    with pytest.raises(ValueError) as info:  # json.JSONDecodeError, raised by the SDK
        list(stream)
    assert not type(info.value).__module__.startswith("mirascope")
    assert stream.usage is not None and stream.input_tokens == 12


def test_vertex_client_is_accepted(server: FakeAnthropic) -> None:
    server.reset()
    vertex = AnthropicVertex(
        region="us-east5", project_id="p", access_token="t", base_url=server.url, max_retries=0
    )

    @anthropic.call("claude-sonnet-4@20250514", client=vertex, tools=[FormatBook])
    def call() -> str:
        return "Recommend a book"

    server.enqueue(Reply(tool_calls=[ToolCall("FormatBook", BOOK)]))
    tool = call().tool
    assert isinstance(tool, FormatBook) and tool.title == BOOK["title"]
    assert "claude-sonnet-4@20250514:rawPredict" in server.requests[-1].path
    vertex.close()


def test_tool_cache_control(server: FakeAnthropic, client: anthropic_sdk.Anthropic) -> None:
    """``AnthropicToolConfig(cache_control=...)`` marks the tool for prompt caching."""
    from mirascope.core.anthropic import AnthropicTool, AnthropicToolConfig

    class LookUp(AnthropicTool):
        """Look a word up."""

        tool_config = AnthropicToolConfig(cache_control={"type": "ephemeral"})

        word: str

    @anthropic.call("claude-haiku-4-5", client=client, tools=[LookUp])
    def ask() -> str:
        return "Look up 'tea'"

    server.enqueue(Reply(tool_calls=[ToolCall("LookUp", {"word": "tea"})]))
    tool = ask().tool
    assert isinstance(tool, LookUp) and tool.word == "tea"
    assert server.requests[-1].json["tools"] == [
        {
            "name": "LookUp",
            "description": "Look a word up.",
            "input_schema": {
                "properties": {"word": {"title": "Word", "type": "string"}},
                "required": ["word"],
                "type": "object",
            },
            "cache_control": {"type": "ephemeral"},
        }
    ]


@pytest.mark.parametrize(
    ("content", "system"),
    [
        ("Be brief.", "Be brief."),
        ([TextPart(text="Be brief.")], "Be brief."),
        (
            [TextPart(text="Be brief."), CacheControlPart()],
            [{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}],
        ),
        (
            [ImagePart(url="https://example.com/a.png")],
            [{"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"}}],
        ),
    ],
)
def test_one_system_block_is_sent_as_a_string_only_when_plain_text(
    content: str | list[ContentPart], system: str | list[dict[str, object]]
) -> None:
    """One system block of plain text travels as the ``system`` string; a marked block or
    another kind of block stays a list of blocks."""
    from mirascope.core.anthropic._adapter import encode_messages

    messages, encoded = encode_messages(
        [BaseMessageParam(role="system", content=content), Messages.User("Hi")]
    )
    assert encoded == system
    assert messages == [{"role": "user", "content": "Hi"}]
