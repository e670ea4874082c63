"""OpenAI's Responses API specifics (``openai.responses.call``): request bodies valid against
the SDK's own parameter types, history as input items, refusals, truncation, usage, Azure
clients, built-in tools and text settings beside mirascope's own, strict tools, and the
stream's checks (lost events, a failed response)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import openai as openai_sdk
import pytest
from pydantic import BaseModel

from mirascope.core import (
    BaseMessageParam,
    BaseTool,
    ImagePart,
    IncompleteStreamError,
    Messages,
    RefusalError,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolResultPart,
    TruncatedOutputError,
    UnsupportedPartError,
    openai,
)
from mirascope.core.openai import OpenAIToolConfig
from mirascope.testing import Answer, FakeOpenAI, Reply, ToolCall

responses = openai.responses
JSON = {"Content-Type": "application/json"}
SSE = {"Content-Type": "text/event-stream; charset=utf-8"}


class FormatBook(BaseTool):
    """Format a book."""

    title: str
    author: str

    def call(self) -> str:
        return f"{self.title} by {self.author}"


class StrictBook(BaseTool):
    """A book, with a strict schema."""

    tool_config = OpenAIToolConfig(strict=True)
    title: str
    year: int | None = None


class Book(BaseModel):
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


def _valid(body: dict[str, Any]) -> None:
    """The body is what ``responses.create`` takes, by the SDK's own parameter types."""
    from openai.types.responses import response_create_params as params
    from pydantic import TypeAdapter

    streaming = body.get("stream") is True
    kind = (
        params.ResponseCreateParamsStreaming
        if streaming
        else params.ResponseCreateParamsNonStreaming
    )
    TypeAdapter(kind).validate_python(body)


def test_requests_are_valid_for_the_sdk(server: FakeOpenAI, client: openai_sdk.OpenAI) -> None:
    server.enqueue(
        Reply(tool_calls=[ToolCall("FormatBook", {"title": "Dune", "author": "Frank Herbert"})]),
        Reply(text="Enjoy"),
        Reply(text=json.dumps({"title": "Dune", "author": "Frank Herbert"})),
        Reply(text="{}"),
        Reply(text="streamed"),
    )
    image = ImagePart(media_type="image/png", image=b"\x89PNG", detail="low")
    history: list[Any] = [
        Messages.System("Be brief."),
        Messages.User([TextPart(text="Look:"), image]),
    ]

    @responses.call("gpt-4o-mini", client=client, tools=[FormatBook, StrictBook])
    def with_tools(history: list[Any]) -> list[Any]:
        return history

    first = with_tools(history)
    tool = first.tool
    assert isinstance(tool, FormatBook)
    history += [first.message_param, *first.tool_message_params([(tool, tool.call())])]
    assert with_tools(history).content == "Enjoy"

    @responses.call("gpt-4o-mini", client=client, response_model=Book)
    def extract() -> str:
        return "Extract"

    @responses.call("gpt-4o-mini", client=client, json_mode=True)
    def as_json() -> str:
        return "Answer in JSON"

    @responses.call("gpt-4o-mini", client=client, stream=True)
    def stream() -> str:
        return "streamed"

    assert extract() == Book(title="Dune", author="Frank Herbert")
    assert as_json().content == "{}"
    assert "".join(c.content for c, _ in stream()) == "streamed"
    for request in server.requests:
        _valid(request.json)
    body = server.requests[1].json
    assert body["input"][:2] == [
        {"role": "system", "content": "Be brief."},
        {
            "role": "user",
            "content": [
                {"type": "input_text", "text": "Look:"},
                {
                    "type": "input_image",
                    "image_url": "data:image/png;base64,iVBORw==",
                    "detail": "low",
                },
            ],
        },
    ]
    call, result = body["input"][2:]
    assert call == {
        "type": "function_call",
        "call_id": tool.tool_call_id,
        "name": "FormatBook",
        "arguments": json.dumps({"title": "Dune", "author": "Frank Herbert"}),
    }
    assert result == {
        "type": "function_call_output",
        "call_id": tool.tool_call_id,
        "output": "Dune by Frank Herbert",
    }
    strict = body["tools"][1]
    assert strict["strict"] is True and strict["parameters"]["additionalProperties"] is False
    assert body["tools"][0]["strict"] is False


def test_assistant_text_and_calls_in_one_message(
    server: FakeOpenAI, client: openai_sdk.OpenAI
) -> None:
    turn = BaseMessageParam(
        role="assistant",
        content=[
            TextPart(text="Looking it up."),
            ToolCallPart(id="call_1", name="FormatBook", args={"title": "Dune", "author": "FH"}),
        ],
    )
    results = BaseMessageParam(
        role="tool", content=[ToolResultPart(id="call_1", name="FormatBook", content="Dune by FH")]
    )

    @responses.call("gpt-4o-mini", client=client)
    def call() -> list[Any]:
        return [Messages.User("Format Dune"), turn, results]

    call()
    assert server.requests[-1].json["input"] == [
        {"role": "user", "content": "Format Dune"},
        {"role": "assistant", "content": "Looking it up."},
        {
            "type": "function_call",
            "call_id": "call_1",
            "name": "FormatBook",
            "arguments": '{"title": "Dune", "author": "FH"}',
        },
        {"type": "function_call_output", "call_id": "call_1", "output": "Dune by FH"},
    ]


def test_assistant_message_takes_text_only(client: openai_sdk.OpenAI) -> None:
    @responses.call("gpt-4o-mini", client=client)
    def call() -> list[Any]:
        image = ImagePart(media_type="image/png", image=b"\x89PNG")
        return [Messages.User("hi"), Messages.Assistant([TextPart(text="see"), image])]

    with pytest.raises(UnsupportedPartError, match="an assistant message takes text only"):
        call()


def test_vendor_items_pass_through(server: FakeOpenAI, client: openai_sdk.OpenAI) -> None:
    native = {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi"}]}

    @responses.call("gpt-4o-mini", client=client)
    def call() -> list[Any]:
        return [BaseMessageParam(role="developer", content="Be brief."), native]

    assert call().content == "hi"
    assert server.requests[-1].json["input"] == [
        {"role": "developer", "content": "Be brief."},
        native,
    ]


def test_built_in_tools_and_text_settings_join_mirascopes(
    server: FakeOpenAI, client: openai_sdk.OpenAI
) -> None:
    server.enqueue(Reply(text=json.dumps({"title": "Dune", "author": "Frank Herbert"})))
    text = {"verbosity": "low"}
    params: responses.OpenAIResponsesCallParams = {
        "tools": [{"type": "web_search"}],
        "text": {"verbosity": "low"},
        "max_output_tokens": 200,
    }

    @responses.call(
        "gpt-4o-mini", client=client, tools=[FormatBook], response_model=Book, call_params=params
    )
    def extract() -> str:
        return "Extract"

    assert extract() == Book(title="Dune", author="Frank Herbert")
    body = server.requests[-1].json
    assert [t["type"] for t in body["tools"]] == ["function", "web_search"]
    assert body["text"]["verbosity"] == "low"
    assert body["text"]["format"]["type"] == "json_schema" and body["text"]["format"]["strict"]
    assert body["max_output_tokens"] == 200
    assert params["text"] == text  # the user's dict is left as it was


def test_forced_tool_mode(server: FakeOpenAI, client: openai_sdk.OpenAI) -> None:
    server.enqueue(Reply(tool_calls=[ToolCall("Book", {"title": "Dune", "author": "FH"})]))

    @responses.call("gpt-4o-mini", client=client, response_model=Book, output_mode="tool")
    def extract() -> str:
        return "Extract"

    assert extract() == Book(title="Dune", author="FH")
    assert server.requests[-1].json["tool_choice"] == {"type": "function", "name": "Book"}


def _refusal_body() -> dict[str, Any]:
    return {
        "id": "resp_refused",
        "object": "response",
        "created_at": 1,
        "status": "completed",
        "model": "gpt-4o-mini",
        "output": [
            {
                "id": "msg_1",
                "type": "message",
                "role": "assistant",
                "status": "completed",
                "content": [{"type": "refusal", "refusal": "I can't."}],
            }
        ],
        "usage": {"input_tokens": 3, "output_tokens": 2, "total_tokens": 5},
    }


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_refusal_raises(server: FakeOpenAI, is_async: bool) -> None:
    server.reset()
    body = json.dumps(_refusal_body()).encode()
    server.enqueue(Reply(raw=Answer(200, JSON, body)))
    sdk = openai_sdk.AsyncOpenAI if is_async else openai_sdk.OpenAI
    client: Any = sdk(base_url=server.url + "/v1", api_key="sk-test", max_retries=0)
    with pytest.raises(RefusalError) as caught:
        if is_async:

            @responses.call("gpt-4o-mini", response_model=Book, client=client)
            async def extract_async() -> str:
                return "Extract"

            async def run() -> None:
                try:
                    await extract_async()
                finally:
                    await client.close()

            asyncio.run(run())
        else:

            @responses.call("gpt-4o-mini", response_model=Book, client=client)
            def extract() -> str:
                return "Extract"

            try:
                extract()
            finally:
                client.close()
    assert caught.value.refusal == "I can't."
    assert caught.value.raw.id == "resp_refused"
    assert str(caught.value).startswith("openai.responses: the model refused to answer")


def test_usage_reads_cached_tokens(server: FakeOpenAI, client: openai_sdk.OpenAI) -> None:
    body: dict[str, Any] = {
        **_refusal_body(),
        "id": "resp_cached",
        "output": [
            {
                "id": "msg_1",
                "type": "message",
                "role": "assistant",
                "status": "completed",
                "content": [{"type": "output_text", "text": "Hi", "annotations": []}],
            },
            {"id": "rs_1", "type": "reasoning", "summary": []},  # another item: left alone
        ],
        "usage": {
            "input_tokens": 40,
            "input_tokens_details": {"cached_tokens": 32},
            "output_tokens": 5,
            "output_tokens_details": {"reasoning_tokens": 3},
            "total_tokens": 45,
        },
    }
    server.enqueue(Reply(raw=Answer(200, JSON, json.dumps(body).encode())))

    @responses.call("gpt-4o-mini", client=client)
    def call() -> str:
        return "hi"

    response = call()
    assert response.content == "Hi"
    usage = response.common_usage
    assert usage is not None
    assert (usage.input_tokens, usage.output_tokens, usage.cached_tokens) == (40, 5, 32)
    assert usage.raw is response.response.usage
    assert response.usage is response.response.usage  # the SDK's own ResponseUsage
    assert response.finish_reasons == ["completed"]
    assert response.id == "resp_cached"


@pytest.mark.parametrize("stream", [False, True], ids=["call", "stream"])
def test_truncation(server: FakeOpenAI, client: openai_sdk.OpenAI, stream: bool) -> None:
    server.enqueue(Reply(text="cut short", truncated=True))

    @responses.call("gpt-4o-mini", client=client, stream=stream)
    def call() -> str:
        return "hi"

    result: Any = call()
    if stream:
        pairs = list(result)
        assert pairs[-1][0].chunk.type == "response.incomplete"
    assert result.content == "cut short"
    assert result.finish_reasons == ["max_output_tokens"]


def test_truncated_structured_output(server: FakeOpenAI, client: openai_sdk.OpenAI) -> None:
    server.enqueue(Reply(text='{"title": "Du', truncated=True))

    @responses.call("gpt-4o-mini", client=client, response_model=Book)
    def extract() -> str:
        return "Extract"

    with pytest.raises(TruncatedOutputError, match="'max_output_tokens'") as caught:
        extract()
    assert caught.value.output == '{"title": "Du'


def _stream_body(*events: dict[str, Any]) -> list[bytes]:
    return [
        f"event: {e['type']}\ndata: {json.dumps({**e, 'sequence_number': n})}\n\n".encode()
        for n, e in enumerate(events)
    ]


def _done(status: str, text: str, **extra: Any) -> dict[str, Any]:
    content = [{"type": "output_text", "text": text, "annotations": []}]
    message = {"id": "m", "type": "message", "role": "assistant", "status": "completed"}
    response = {
        **_refusal_body(),
        "status": status,
        "output": [{**message, "content": content}] if text else [],
        **extra,
    }
    return {"type": f"response.{status}", "response": response}


def _delta(text: str) -> dict[str, Any]:
    where = {"item_id": "m", "output_index": 0, "content_index": 0}
    return {"type": "response.output_text.delta", **where, "delta": text, "logprobs": []}


def test_stream_that_lost_a_delta_raises(server: FakeOpenAI, client: openai_sdk.OpenAI) -> None:
    events = _stream_body(_delta("one"), _delta(" three"), _done("completed", "one two three"))
    server.enqueue(Reply(raw=Answer(200, SSE, events=events)))

    @responses.call("gpt-4o-mini", client=client, stream=True)
    def call() -> str:
        return "hi"

    stream = call()
    with pytest.raises(IncompleteStreamError, match="lost on the way") as caught:
        list(stream)
    assert caught.value.content == "one three"


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_streamed_refusal_raises(server: FakeOpenAI, is_async: bool) -> None:
    """A refusal streams as ``response.refusal.delta`` events: the stream raises
    RefusalError with the whole of it, as the call does."""
    where = {"item_id": "msg_1", "output_index": 0, "content_index": 0}
    pieces = [{"type": "response.refusal.delta", **where, "delta": d} for d in ("I can", "'t.")]
    completed = {"type": "response.completed", "response": _refusal_body()}
    server.enqueue(Reply(raw=Answer(200, SSE, events=_stream_body(*pieces, completed))))
    sdk = openai_sdk.AsyncOpenAI if is_async else openai_sdk.OpenAI
    client: Any = sdk(base_url=server.url + "/v1", api_key="sk-test", max_retries=0)
    with pytest.raises(RefusalError) as caught:
        if is_async:

            @responses.call("gpt-4o-mini", client=client, stream=True)
            async def call_async() -> str:
                return "hi"

            async def run() -> None:
                try:
                    async for _ in await call_async():
                        pass
                finally:
                    await client.close()

            asyncio.run(run())
        else:

            @responses.call("gpt-4o-mini", client=client, stream=True)
            def call() -> str:
                return "hi"

            try:
                list(call())
            finally:
                client.close()
    assert caught.value.refusal == "I can't."
    assert caught.value.raw.type == "response.completed"
    assert str(caught.value).startswith("openai.responses: the model refused to answer")


def test_failed_stream_reports_it(server: FakeOpenAI, client: openai_sdk.OpenAI) -> None:
    error = {"code": "server_error", "message": "The model failed."}
    events = _stream_body(_delta("half"), _done("failed", "", error=error))
    server.enqueue(Reply(raw=Answer(200, SSE, events=events)))

    @responses.call("gpt-4o-mini", client=client, stream=True)
    def call() -> str:
        return "hi"

    stream = call()
    list(stream)
    assert stream.content == "half"
    assert stream.finish_reasons == ["failed"]  # the vendor's word, for the caller to see


def test_azure_openai_clients(server: FakeOpenAI) -> None:
    server.reset()
    options: dict[str, Any] = {
        "api_key": "k",
        "api_version": "2025-04-01-preview",
        "max_retries": 0,
    }
    sync_client = openai_sdk.AzureOpenAI(azure_endpoint=server.url, **options)
    async_client = openai_sdk.AsyncAzureOpenAI(azure_endpoint=server.url, **options)
    deployment = openai_sdk.AzureOpenAI(
        azure_endpoint=server.url, azure_deployment="my-deployment", **options
    )

    @responses.call("my-deployment", client=sync_client)
    def sync_call() -> str:
        return "Recommend a book"

    @responses.call("my-deployment", client=async_client)
    async def async_call() -> str:
        return "Recommend a book"

    @responses.call("my-deployment", client=deployment, stream=True)
    def streamed() -> str:
        return "Recommend a book"

    async def run_async() -> str:
        try:
            return (await async_call()).content
        finally:
            await async_client.close()

    assert sync_call().content == "Recommend a book"
    assert asyncio.run(run_async()) == "Recommend a book"
    assert "".join(c.content for c, _ in streamed()) == "Recommend a book"
    paths = [r.path.split("?")[0] for r in server.requests]
    # the SDK sends /responses to the resource, whatever deployment the client names
    assert paths == ["/openai/responses"] * 3
    assert all("api-version=2025-04-01-preview" in r.path for r in server.requests)
    sync_client.close()
    deployment.close()


def test_chat_programs_never_load_the_responses_module() -> None:
    program = (
        "import sys\n"
        "from mirascope.core import openai\n"
        "assert 'mirascope.core.openai.responses' not in sys.modules\n"
        "assert openai.responses.call is not None\n"
        "assert 'mirascope.core.openai.responses' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_unknown_call_param_names_the_responses_params(client: openai_sdk.OpenAI) -> None:
    with pytest.raises(TypeError) as caught:

        @responses.call("gpt-4o-mini", client=client, call_params={"max_tokens": 5})  # type: ignore[typeddict-unknown-key]
        def call() -> str:
            return "hi"

    assert "openai.responses takes no call param 'max_tokens' (did you mean " in str(caught.value)
    assert "'max_output_tokens'?)" in str(caught.value)


def test_reasoning_items_go_back_before_their_call(
    server: FakeOpenAI, client: openai_sdk.OpenAI
) -> None:
    """Stateless (``store=False``): the reasoning item goes back, with its id and encrypted
    content, right before the function call that followed it (the API refuses a call
    from a reasoning model without it), in a body valid for the SDK."""
    from mirascope.testing import FAKE_SIGNATURE
    from mirascope.testing.openai_responses import REASONING_ID

    server.enqueue(
        Reply(
            thinking="A trilogy.",
            tool_calls=[ToolCall("FormatBook", {"title": "Dune", "author": "Herbert"})],
        ),
        Reply(text="Done."),
    )
    params: responses.OpenAIResponsesCallParams = {
        "store": False,
        "include": ["reasoning.encrypted_content"],
    }

    @responses.call("o4-mini", tools=[FormatBook], client=client, call_params=params)
    def turn(history: list[Any]) -> responses.OpenAIResponsesDynamicConfig:
        return {"messages": history}

    history: list[Any] = [Messages.User("Format Dune")]
    first = turn(history)
    assert first.thinking == "A trilogy."
    tool = first.tool
    assert isinstance(tool, FormatBook)
    history += [first.message_param, *first.tool_message_params([(tool, "ok")])]
    assert turn(history).content == "Done."
    sent: dict[str, Any] = server.requests[-1].json
    _valid(sent)
    items: list[dict[str, Any]] = sent["input"]
    assert items[1] == {
        "type": "reasoning",
        "id": REASONING_ID,
        "encrypted_content": FAKE_SIGNATURE,
        "summary": [{"type": "summary_text", "text": "A trilogy."}],
    }
    assert items[2]["type"] == "function_call"
    assert items[3]["type"] == "function_call_output"


def test_reasoning_summary_parts_are_paragraphs(
    server: FakeOpenAI, client: openai_sdk.OpenAI
) -> None:
    """A summary of several parts reads as paragraphs, in a call and in a stream alike."""
    reasoning = {
        "id": "rs_1",
        "type": "reasoning",
        "summary": [
            {"type": "summary_text", "text": "First."},
            {"type": "summary_text", "text": "Second."},
        ],
    }
    message = {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "status": "completed",
        "content": [{"type": "output_text", "text": "Hi", "annotations": []}],
    }
    body = {
        "id": "resp_1",
        "object": "response",
        "created_at": 0,
        "status": "completed",
        "model": "o4-mini",
        "output": [reasoning, message],
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
    }
    server.enqueue(Reply(raw=Answer(200, JSON, json.dumps(body).encode())))

    @responses.call("o4-mini", client=client)
    def ask() -> str:
        return "Hi"

    response = ask()
    assert response.thinking == "First.\n\nSecond."
    signature = 'openai:{"id":"rs_1","parts":[6,7]}'
    signed = ThinkingPart(thinking="First.\n\nSecond.", signature=signature)
    assert response.message_param.content == [signed, TextPart(text="Hi")]

    where = {"item_id": "rs_1", "output_index": 0}
    part = {"type": "summary_text", "text": ""}
    events = [
        {"type": "response.created", "response": {**body, "output": []}},
        {
            "type": "response.output_item.added",
            "output_index": 0,
            "item": {**reasoning, "summary": []},
        },
        {
            "type": "response.reasoning_summary_part.added",
            **where,
            "summary_index": 0,
            "part": part,
        },
        {
            "type": "response.reasoning_summary_text.delta",
            **where,
            "summary_index": 0,
            "delta": "First.",
        },
        {
            "type": "response.reasoning_summary_part.added",
            **where,
            "summary_index": 1,
            "part": part,
        },
        {
            "type": "response.reasoning_summary_text.delta",
            **where,
            "summary_index": 1,
            "delta": "Second.",
        },
        {"type": "response.output_item.done", "output_index": 0, "item": reasoning},
        _delta("Hi"),
        _done("completed", "Hi"),
    ]
    server.enqueue(Reply(raw=Answer(200, SSE, events=_stream_body(*events))))

    @responses.call("o4-mini", client=client, stream=True)
    def ask_stream() -> str:
        return "Hi"

    stream = ask_stream()
    assert [c.thinking for c, _ in stream if c.thinking] == ["First.", "\n\n", "Second."]
    assert stream.thinking == "First.\n\nSecond."
    assert stream.message_param.content == [signed, TextPart(text="Hi")]

    # sent back, the summary is the parts it came in; edited, it goes as one part

    @responses.call("o4-mini", client=client)
    def again(history: list[Any]) -> responses.OpenAIResponsesDynamicConfig:
        return {"messages": history}

    edited = ThinkingPart(thinking="First. Second.", signature=signature)
    history: list[Any] = [Messages.User("Hi"), stream.message_param, Messages.User("And?")]
    for thinking, parts in ((signed, ["First.", "Second."]), (edited, ["First. Second."])):
        history[1] = Messages.Assistant([thinking, TextPart(text="Hi")])
        server.enqueue(Reply(text="Ok."))
        again(history)
        sent = server.requests[-1].json["input"][1]
        assert sent == {
            "type": "reasoning",
            "id": "rs_1",
            "summary": [{"type": "summary_text", "text": text} for text in parts],
        }
