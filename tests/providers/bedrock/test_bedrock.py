"""Bedrock's quirks: the binary event stream, recorded real exchanges decoded through the
real SDK, request shapes checked by botocore's own validator, aiobotocore client
lifecycles (closed clients, the per-loop default), Converse's parameter names."""

from __future__ import annotations

import asyncio
import base64
import gzip
import json
import time
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.session
import pytest
import yaml
from aiobotocore.session import get_session
from botocore.config import Config
from botocore.eventstream import ChecksumMismatch, EventStreamBuffer
from botocore.exceptions import ClientError
from botocore.validate import ParamValidator

from mirascope.core import (
    BaseMessageParam,
    BaseTool,
    EmptyResponseError,
    ImagePart,
    ImageURLPart,
    IncompleteStreamError,
    Messages,
    TextPart,
    ToolArgumentsError,
    ToolCallPart,
    ToolResultPart,
    UnsupportedPartError,
    bedrock,
    reset_default_clients,
)
from mirascope.core._engine.adapter import CallPlan
from mirascope.core._engine.clients import default_clients_created
from mirascope.core.bedrock import ClientClosedError
from mirascope.testing import Answer, FakeBedrock, RecordedRequest, Reply, ToolCall
from mirascope.testing.bedrock_converse import EVENTSTREAM_TYPE, encode_event, event

from ..._data import recording
from ...guide.harness_bedrock import aws_environ

MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
BOOK = {"title": "The Name of the Wind", "author": "Patrick Rothfuss"}
ADAPTER = bedrock.call._adapter


class FormatBook(BaseTool):
    """Format a book."""

    title: str
    author: str


def get_temperature(city: str) -> str:
    """Get the temperature in a city."""
    return "30°C"


def get_capital(country: str) -> str:
    """Get the capital of a country."""
    return "Paris"


def get_weather(city: str) -> str:
    """Get the weather."""
    return "Sunny"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeBedrock]:
    server = FakeBedrock()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def server(fake: FakeBedrock, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeBedrock]:
    fake.reset()
    for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_BEARER_TOKEN_BEDROCK"):
        monkeypatch.delenv(key, raising=False)
    for key, value in aws_environ(fake.url).items():
        monkeypatch.setenv(key, value)
    reset_default_clients()
    yield fake
    reset_default_clients()


def _interactions(name: str) -> list[dict[str, Any]]:
    data = yaml.safe_load(recording("bedrock", name).read_text())
    return data["interactions"]


def _recorded_body(interaction: dict[str, Any]) -> bytes:
    response = interaction["response"]
    if "parsed_body" in response:
        return json.dumps(response["parsed_body"]).encode()
    body = response["body"]["string"]
    if isinstance(body, str):
        body = body.encode()
    if response["headers"].get("content-encoding") == ["gzip"]:
        body = gzip.decompress(base64.b64decode(body))
    return body


class ReplayBedrock(FakeBedrock):
    """Answers with recorded real responses, byte for byte."""

    def __init__(self, bodies: list[bytes]) -> None:
        super().__init__()
        self.bodies = bodies

    def render(self, request: RecordedRequest, reply: Reply) -> Answer:
        body = self.bodies.pop(0)
        if request.path.endswith("/converse-stream"):
            return Answer(200, {"Content-Type": EVENTSTREAM_TYPE}, events=[body])
        return Answer(200, {"Content-Type": "application/json"}, body)


def _replay_client(server: FakeBedrock) -> Any:
    return boto3.client(
        "bedrock-runtime",
        endpoint_url=server.url,
        region_name="us-east-1",
        aws_access_key_id="AKIAFAKE",
        aws_secret_access_key="fake",
    )


# -- the binary event stream -----------------------------------------------------------


def test_encoder_reproduces_recorded_streams_byte_for_byte() -> None:
    streams = 0
    for name in (
        "pydantic_ai__test_bedrock_model_stream.yaml",
        "pydantic_ai__test_bedrock_model_iter_stream.yaml",
    ):
        for interaction in _interactions(name):
            body = _recorded_body(interaction)
            buffer = EventStreamBuffer()
            buffer.add_data(body)
            # the event's parts as a dict: botocore-stubs types ``.headers`` as an int
            events = [m.to_response_dict() for m in buffer]
            assert b"".join(encode_event(e["headers"], e["body"]) for e in events) == body
            streams += 1
    assert streams == 3


def test_fake_events_pass_botocore_checksums() -> None:
    data = event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "hé"}})
    buffer = EventStreamBuffer()
    buffer.add_data(data)
    (message,) = list(buffer)
    assert message.headers == {
        ":event-type": "contentBlockDelta",
        ":content-type": "application/json",
        ":message-type": "event",
    }
    assert json.loads(message.payload)["delta"] == {"text": "hé"}
    broken = bytearray(data)
    broken[-6] ^= 1  # a payload byte: the message CRC no longer matches
    buffer = EventStreamBuffer()
    buffer.add_data(bytes(broken))
    with pytest.raises(ChecksumMismatch):
        list(buffer)


# -- recorded real exchanges, through the real SDK ------------------------------------------


def test_recorded_stream_with_tool_call() -> None:
    interactions = _interactions("pydantic_ai__test_bedrock_model_iter_stream.yaml")
    replay = ReplayBedrock([_recorded_body(i) for i in interactions])
    with replay:
        client = _replay_client(replay)

        @bedrock.call(
            "us.amazon.nova-micro-v1:0",
            stream=True,
            client=client,
            tools=[get_capital, get_temperature],
        )
        def ask(history: list[Any]) -> bedrock.BedrockDynamicConfig:
            return bedrock.BedrockDynamicConfig(
                messages=history, call_params={"inferenceConfig": {"topP": 0.5}}
            )

        history: list[Any] = [
            Messages.System("You are a helpful chatbot."),
            Messages.User("What is the temperature of the capital of France?"),
        ]
        stream = ask(history)
        pairs = list(stream)
        tools = [t for _, t in pairs if t is not None]
        assert len(tools) == 1 and tools[0].tool_name() == "get_temperature"
        assert tools[0].args == {"city": "Paris"}
        assert tools[0].tool_call_id == "tooluse_lAG_zP8QRHmSYOwZzzaCqA"
        assert stream.content.startswith("<thinking> To find the temperature")
        assert stream.finish_reasons == ["tool_use"]
        assert (stream.input_tokens, stream.output_tokens) == (471, 91)

        # the second request carries the history as the real exchange did
        history += [stream.message_param, *stream.tool_message_params([(tools[0], "30°C")])]
        second = ask(history)
        assert "".join(c.content for c, _ in second) == (
            "The current temperature in Paris, the capital of France, is 30°C."
        )
        assert second.finish_reasons == ["end_turn"]
        sent, recorded = replay.requests[1].json, json.loads(interactions[1]["request"]["body"])
        assert sent["messages"] == recorded["messages"]
        assert sent["system"] == recorded["system"]
        assert sent["inferenceConfig"] == recorded["inferenceConfig"]
        assert [t["toolSpec"]["name"] for t in sent["toolConfig"]["tools"]] == [
            t["toolSpec"]["name"] for t in recorded["toolConfig"]["tools"]
        ]


def test_recorded_converse_with_tool_call() -> None:
    interactions = _interactions("pydantic_ai__test_bedrock_strict_tool_supported_model.yaml")
    replay = ReplayBedrock([_recorded_body(i) for i in interactions])
    with replay:

        @bedrock.call(
            "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            client=_replay_client(replay),
            tools=[get_weather],
        )
        def ask(history: list[Any]) -> bedrock.BedrockDynamicConfig:
            return {"messages": history}

        history: list[Any] = [Messages.User("What's the weather in Paris?")]
        first = ask(history)
        tool = first.tool
        assert tool is not None and tool.args == {"city": "Paris"}
        assert tool.tool_call_id == "tooluse_8ZVLMmsdearTDSS0unN07z"
        assert first.content == ""
        assert first.finish_reasons == ["tool_use"]
        assert (first.input_tokens, first.output_tokens) == (560, 53)
        history += [first.message_param]
        history += first.tool_message_params([(tool, "Weather in Paris: Sunny, 22°C")])
        second = ask(history)
        assert second.content.startswith("The weather in Paris is currently sunny")
        recorded = json.loads(interactions[1]["request"]["body"])
        assert replay.requests[1].json["messages"] == recorded["messages"]


# -- requests ------------------------------------------------------------------------------


def _plan(messages: list[Any], tools: tuple[type[BaseTool], ...] = (), **params: Any) -> CallPlan:
    return CallPlan(MODEL, messages, tools, params, None, False)


def test_requests_valid_for_botocore() -> None:
    """Every shape we send, checked by botocore's own validator against its service model."""
    model = botocore.session.get_session().get_service_model("bedrock-runtime")
    plan = _plan(
        [
            Messages.System("Be brief."),
            Messages.User(
                [
                    TextPart(text="What is this?"),
                    ImagePart(image=b"\x89PNG", media_type="image/png"),
                ]
            ),
            Messages.Assistant(
                [
                    TextPart(text="Let me check."),
                    ToolCallPart(id="t1", name="FormatBook", args=BOOK),
                ]
            ),
            BaseMessageParam(
                role="tool", content=[ToolResultPart(id="t1", name="FormatBook", content="ok")]
            ),
            Messages.User([ImagePart(url="s3://bucket/cat.jpg", media_type="image/jpeg")]),
        ],
        (FormatBook,),
        inferenceConfig={"maxTokens": 100, "temperature": 0.2, "stopSequences": ["END"]},
        additionalModelRequestFields={"top_k": 5},
        toolConfig={"toolChoice": {"any": {}}},
    )
    for stream in (False, True):
        request = ADAPTER.build_request(plan, stream=stream)
        shape = model.operation_model("ConverseStream" if stream else "Converse").input_shape
        assert shape is not None
        report = ParamValidator().validate(request, shape)
        assert not report.has_errors(), report.generate_report()
    assert request["toolConfig"]["toolChoice"] == {"any": {}}
    assert request["toolConfig"]["tools"][0]["toolSpec"]["name"] == "FormatBook"
    assert request["messages"][0]["content"][1]["image"]["format"] == "png"
    # the tool result and the next user turn share one user message (roles alternate)
    assert [m["role"] for m in request["messages"]] == ["user", "assistant", "user"]
    assert request["messages"][2]["content"][1]["image"]["source"] == {
        "s3Location": {"uri": "s3://bucket/cat.jpg"}
    }


def test_tool_results_merge_into_one_user_message() -> None:
    calls = [ToolCallPart(id=f"t{i}", name="FormatBook", args=BOOK) for i in (1, 2)]
    request = ADAPTER.build_request(
        _plan(
            [
                Messages.User("Format two books"),
                Messages.Assistant(calls),
                BaseMessageParam(
                    role="tool", content=[ToolResultPart(id="t1", name="FormatBook", content="one")]
                ),
                BaseMessageParam(
                    role="tool",
                    content=[
                        ToolResultPart(id="t2", name="FormatBook", content="bad", is_error=True)
                    ],
                ),
            ]
        ),
        stream=False,
    )
    assert [m["role"] for m in request["messages"]] == ["user", "assistant", "user"]
    results = [b["toolResult"] for b in request["messages"][2]["content"]]
    assert [(r["toolUseId"], r["status"]) for r in results] == [("t1", "success"), ("t2", "error")]


def test_vendor_dicts_pass_through_and_http_images_are_refused() -> None:
    native = {"role": "user", "content": [{"text": "as is"}, {"cachePoint": {"type": "default"}}]}
    request = ADAPTER.build_request(_plan([native]), stream=False)
    assert request["messages"] == [native]
    with pytest.raises(TypeError, match="s3://"):
        ADAPTER.build_request(
            _plan([Messages.User([ImagePart(url="https://x/cat.png")])]), stream=False
        )


def test_images_are_sent_only_in_converse_formats() -> None:
    """Converse's image formats are png, jpeg, gif and webp: any other is refused before
    any request (it was sent as the media type's tail, "heic", for the service to refuse)."""
    content = [
        ImagePart(image=b"GIF89a", media_type="image/gif"),
        ImagePart(image=b"RIFF", media_type="image/webp"),
        ImagePart(image=b"\xff\xd8", media_type="image/jpg"),
        ImageURLPart(url="s3://bucket/cat.JPG"),
        ImageURLPart(url="s3://bucket/cat.webp"),
    ]
    request = ADAPTER.build_request(_plan([Messages.User(content)]), stream=False)
    formats = [b["image"]["format"] for b in request["messages"][0]["content"]]
    assert formats == ["gif", "webp", "jpeg", "jpeg", "webp"]
    refused = [
        (ImagePart(image=b"heic", media_type="image/heic"), "image/heic"),
        (ImagePart(url="s3://bucket/cat.heic", media_type="image/heic"), "image/heic"),
        (ImageURLPart(url="s3://bucket/cat"), "'s3://bucket/cat''s extension"),
        (ImageURLPart(url="s3://bucket.v2/cat"), "'s3://bucket.v2/cat''s extension"),
    ]
    for part, named in refused:
        with pytest.raises(UnsupportedPartError) as caught:
            ADAPTER.build_request(_plan([Messages.User([part])]), stream=False)
        assert str(caught.value) == (
            f"bedrock cannot send a {type(part).__name__} (Converse takes png, jpeg, gif and "
            f"webp images, not {named}): remove it from the prompt, or call a provider whose "
            "API takes it (see the table in the prompts guide)"
        )
        assert (caught.value.provider, caught.value.part) == ("bedrock", type(part).__name__)


def test_call_params_reach_the_request(server: FakeBedrock) -> None:
    @bedrock.call(
        MODEL,
        call_params={
            "inferenceConfig": {"maxTokens": 64, "topP": 0.9},
            "additionalModelRequestFields": {"top_k": 3},
        },
    )
    def recommend(genre: str) -> str:
        return f"Recommend a {genre} book"

    assert recommend("fantasy").content == "Recommend a fantasy book"
    body = server.requests[0].json
    assert body["inferenceConfig"] == {"maxTokens": 64, "topP": 0.9}
    assert body["additionalModelRequestFields"] == {"top_k": 3}
    assert "modelId" not in body  # it travels in the path
    assert server.requests[0].path == "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse"


# -- aiobotocore clients -------------------------------------------------------------------


async def _exited_client() -> Any:
    async with get_session().create_client("bedrock-runtime") as client:
        return client


def test_closed_client_from_the_guide_raises_a_clear_error(server: FakeBedrock) -> None:
    """aiobotocore makes an exited client unusable (its HTTP session is dropped; sending
    fails with HTTPClientError "'NoneType' object has no attribute 'get'"). Reopening it
    behind the user's back would revive a client they closed, with an HTTP session whose
    lifetime nobody owns; so the call stops at once, saying what happened and what to do."""

    @bedrock.call(MODEL, client=asyncio.run(_exited_client()))
    async def recommend(genre: str) -> str:
        return f"Recommend a {genre} book"

    @bedrock.call(MODEL, stream=True)
    async def recommend_stream(genre: str) -> bedrock.AsyncBedrockDynamicConfig:
        return bedrock.AsyncBedrockDynamicConfig(
            messages=[Messages.User(genre)], client=await _exited_client()
        )

    for fn in (recommend, recommend_stream):
        start = time.perf_counter()
        with pytest.raises(ClientClosedError, match=r"is closed.*async with.*default"):
            asyncio.run(fn("fantasy"))
        assert time.perf_counter() - start < 5  # never hangs
    assert not server.requests
    assert not default_clients_created("bedrock")


def test_open_client_serves_calls(server: FakeBedrock) -> None:
    @bedrock.call(MODEL)
    async def recommend(genre: str, client: Any) -> bedrock.AsyncBedrockDynamicConfig:
        return bedrock.AsyncBedrockDynamicConfig(
            messages=[Messages.User(f"Recommend a {genre} book")], client=client
        )

    async def main() -> list[str]:
        async with get_session().create_client("bedrock-runtime") as client:

            @bedrock.call(MODEL, client=client, stream=True)
            async def streamed(genre: str) -> str:
                return f"Recommend a {genre} book"

            stream = await streamed("scifi")
            chunks = [chunk.content async for chunk, _ in stream]
            response = await recommend("fantasy", client)
            return ["".join(chunks), response.content]

    assert asyncio.run(main()) == ["Recommend a scifi book", "Recommend a fantasy book"]
    assert len(server.requests) == 2
    assert not default_clients_created("bedrock")


def test_default_async_client_one_per_loop_closed_with_it(server: FakeBedrock) -> None:
    @bedrock.call(MODEL)
    async def recommend(genre: str) -> str:
        return f"Recommend a {genre} book"

    opened: list[Any] = []

    async def main() -> list[str]:
        # concurrent first calls share one opening of one client
        responses = await asyncio.gather(*(recommend(g) for g in ("a", "b", "c")))
        holders = {id(r.plan.client) for r in responses}
        assert len(holders) == 1
        opened.append(responses[0].plan.client._client)  # the aiobotocore client
        return [r.content for r in responses]

    assert asyncio.run(main()) == [f"Recommend a {g} book" for g in "abc"]
    assert asyncio.run(main()) == [f"Recommend a {g} book" for g in "abc"]
    first, second = opened
    assert first is not second  # a new loop, a new client
    for client in opened:  # exited while its loop shut down: no aiohttp session left open
        assert client._endpoint.http_session._sessions is None
        assert client.meta.service_model.service_name == "bedrock-runtime"


def test_default_sync_client_is_made_once(server: FakeBedrock) -> None:
    @bedrock.call(MODEL)
    def recommend(genre: str) -> str:
        return f"Recommend a {genre} book"

    first, second = recommend("a"), recommend("b")
    assert first.plan.client is second.plan.client
    assert ADAPTER.client_kind(first.plan.client) == "sync"


def test_client_kinds() -> None:
    sync = boto3.client("bedrock-runtime", region_name="us-east-1")
    assert ADAPTER.client_kind(sync) == "sync"

    async def check_async() -> None:
        context = get_session().create_client("bedrock-runtime", region_name="us-east-1")
        with pytest.raises(TypeError, match="async with"):
            ADAPTER.client_kind(context)  # the context manager, not the client
        async with context as client:
            assert ADAPTER.client_kind(client) == "async"  # checked before botocore's class

    asyncio.run(check_async())
    with pytest.raises(TypeError, match="bedrock-runtime"):
        ADAPTER.client_kind(boto3.client("s3", region_name="us-east-1"))
    with pytest.raises(TypeError, match="boto3"):
        ADAPTER.client_kind(object())


# -- faults --------------------------------------------------------------------------------


def test_vendor_error_is_botocores(server: FakeBedrock) -> None:
    client = boto3.client("bedrock-runtime", config=Config(retries={"total_max_attempts": 1}))
    server.enqueue(Reply(status=429, error_message="Too many requests, slow down"))

    @bedrock.call(MODEL, client=client)
    def recommend(genre: str) -> str:
        return genre

    with pytest.raises(ClientError) as info:
        recommend("fantasy")
    assert info.value.response.get("Error") == {
        "Code": "ThrottlingException",
        "Message": "Too many requests, slow down",
    }
    assert type(info.value).__name__ == "ThrottlingException"


def test_malformed_json_is_refused_not_read_as_empty(server: FakeBedrock) -> None:
    """botocore does not raise on a body it cannot parse: it keeps the text as a message.
    mirascope refuses that (no output message) instead of answering "", and a stream whose
    end never came raises with the text received so far kept."""

    @bedrock.call(MODEL)
    def recommend(genre: str) -> str:
        return genre

    @bedrock.call(MODEL, stream=True)
    def recommend_stream(genre: str) -> str:
        return genre

    server.enqueue(Reply(malformed=True))
    with pytest.raises(EmptyResponseError) as info:
        recommend("fantasy")
    assert "ResponseMetadata" in info.value.raw  # the raw (unreadable) answer is kept
    server.enqueue(Reply(text="one two three", malformed=True))
    stream = recommend_stream("fantasy")
    seen: list[str] = []
    with pytest.raises(IncompleteStreamError):
        for chunk, _ in stream:
            seen.append(chunk.content)
    assert seen == ["", "one"]  # the event botocore emptied raises (it is not yielded)
    assert stream.content == "one"


def test_stream_with_two_tool_calls_and_bad_arguments(server: FakeBedrock) -> None:
    @bedrock.call(MODEL, stream=True, tools=[FormatBook])
    def recommend(genre: str) -> str:
        return genre

    other = {"title": "Dune", "author": "Frank Herbert"}
    server.enqueue(
        Reply(
            tool_calls=[ToolCall("FormatBook", BOOK, id="a"), ToolCall("FormatBook", other, id="b")]
        )
    )
    tools = [t for _, t in recommend("fantasy") if t is not None]
    assert [(t.tool_call_id, t.args) for t in tools] == [("a", BOOK), ("b", other)]

    server.enqueue(Reply(tool_calls=[ToolCall("FormatBook", '{"title": "Dune", "auth')]))
    with pytest.raises(ToolArgumentsError) as info:
        list(recommend("fantasy"))
    assert info.value.raw == '{"title": "Dune", "auth'
