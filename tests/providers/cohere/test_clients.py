"""Call, stream, tools and history through every Cohere client: the class picks the API
(``ClientV2``/``AsyncClientV2`` -> /v2/chat, ``Client``/``AsyncClient`` -> /v1/chat)."""

from __future__ import annotations

import asyncio
import inspect
import json
from typing import Any

import cohere
import pytest

from mirascope.core import BaseTool, ClientKindError, Messages
from mirascope.core import cohere as mc
from mirascope.testing import FakeCohere, Reply, ToolCall

from .helpers import CLIENTS, consume, decorate, make_client, run

PROMPT = "Recommend a fantasy book"
BOOK = {"title": "The Name of the Wind", "author": "Patrick Rothfuss"}


class FormatBook(BaseTool):
    """Format a book as 'title by author'."""

    title: str
    author: str

    async def call(self) -> str:
        await asyncio.sleep(0)
        return f"{self.title} by {self.author}"


@pytest.fixture(params=sorted(CLIENTS))
def kind(request: pytest.FixtureRequest) -> str:
    return request.param


def _is_async(kind: str) -> bool:
    return kind.endswith("async")


def _path(kind: str) -> str:
    return "/v2/chat" if kind.startswith("v2") else "/v1/chat"


def test_call(server: FakeCohere, kind: str) -> None:
    fn = decorate(mc, is_async=_is_async(kind), client=make_client(kind, server))
    response = run(fn("fantasy"))
    assert isinstance(response, mc.CohereCallResponse)
    expected = cohere.V2ChatResponse if kind.startswith("v2") else cohere.NonStreamedChatResponse
    assert isinstance(response.response, expected)
    assert response.content == PROMPT
    assert (response.input_tokens, response.output_tokens) == (12, 4)
    assert response.finish_reasons == ["COMPLETE"]
    assert response.id
    request = server.requests[0]
    assert request.path == _path(kind)
    if kind.startswith("v2"):
        assert request.json["messages"] == [{"role": "user", "content": PROMPT}]
    else:
        assert request.json["message"] == PROMPT and "chat_history" not in request.json


def test_stream(server: FakeCohere, kind: str) -> None:
    fn = decorate(mc, is_async=_is_async(kind), client=make_client(kind, server), stream=True)
    stream, pairs = consume(fn("fantasy"))
    assert isinstance(stream, mc.CohereStream)
    assert len([c for c, _ in pairs if c.content]) == 4
    assert stream.content == PROMPT
    assert stream.finish_reasons == ["COMPLETE"]
    assert stream.usage is not None and (stream.input_tokens, stream.output_tokens) == (12, 4)
    assert stream.id
    assert server.requests[0].path == _path(kind)
    assert server.requests[0].json["stream"] is True


def test_tool_call(server: FakeCohere, kind: str) -> None:
    server.enqueue(Reply(text="I will format it.", tool_calls=[ToolCall("FormatBook", BOOK)]))
    fn = decorate(
        mc, is_async=_is_async(kind), client=make_client(kind, server), tools=[FormatBook]
    )
    response = run(fn("fantasy"))
    tool = response.tool
    assert isinstance(tool, FormatBook) and tool.args == BOOK
    assert response.content == "I will format it."  # v1 text, v2 tool_plan
    assert tool.tool_call_id
    assert run(tool.call()) == "The Name of the Wind by Patrick Rothfuss"
    sent = server.requests[0].json["tools"][0]
    if kind.startswith("v2"):
        assert sent["function"]["parameters"]["required"] == ["title", "author"]
    else:
        assert sent["parameter_definitions"] == {
            "title": {"type": "str", "required": True},
            "author": {"type": "str", "required": True},
        }


def test_stream_tool_calls(server: FakeCohere, kind: str) -> None:
    calls = [ToolCall("FormatBook", BOOK), ToolCall("FormatBook", {**BOOK, "title": "Other"})]
    server.enqueue(Reply(text="Let me format that.", tool_calls=calls))
    fn = decorate(
        mc,
        is_async=_is_async(kind),
        client=make_client(kind, server),
        tools=[FormatBook],
        stream=True,
    )
    stream, pairs = consume(fn("fantasy"))
    tools = [t for _, t in pairs if t is not None]
    assert [t.args["title"] for t in tools] == [BOOK["title"], "Other"]
    assert stream.tools == tools
    assert len({t.tool_call_id for t in tools}) == 2
    assert stream.content == "Let me format that."
    assert stream.finish_reasons == ["TOOL_CALL" if kind.startswith("v2") else "COMPLETE"]


def test_history_round_trip(server: FakeCohere, kind: str) -> None:
    server.enqueue(
        Reply(text="I will format it.", tool_calls=[ToolCall("FormatBook", BOOK)]),
        Reply(text="Enjoy it!"),
    )
    client = make_client(kind, server)
    history: list[Any] = [Messages.System("You are a librarian."), Messages.User(PROMPT)]

    def prompt(history: list[Any]) -> Any:
        return {"messages": history, "client": client}

    async def prompt_async(history: list[Any]) -> Any:
        return prompt(history)

    fn = mc.call("command-r-plus", tools=[FormatBook])(prompt_async if _is_async(kind) else prompt)

    async def round_trip() -> Any:
        # an async client's connections belong to one event loop: both calls run in it
        first = await _maybe_await(fn(history))
        tool = first.tool
        assert isinstance(tool, FormatBook)
        history.extend(
            [first.message_param, *first.tool_message_params([(tool, await tool.call())])]
        )
        second = await _maybe_await(fn(history))
        assert second.content == "Enjoy it!"
        return tool

    tool = asyncio.run(round_trip())
    body = server.requests[1].json
    if kind.startswith("v2"):
        assert body["messages"] == [
            {"role": "system", "content": "You are a librarian."},
            {"role": "user", "content": PROMPT},
            {
                "role": "assistant",
                "tool_plan": "I will format it.",
                "tool_calls": [
                    {
                        "id": tool.tool_call_id,
                        "type": "function",
                        "function": {"name": "FormatBook", "arguments": json.dumps(BOOK)},
                    }
                ],
            },
            {
                "role": "tool",
                "tool_call_id": tool.tool_call_id,
                "content": "The Name of the Wind by Patrick Rothfuss",
            },
        ]
    else:
        call = {"name": "FormatBook", "parameters": BOOK}
        assert body["preamble"] == "You are a librarian."
        assert body["message"] == ""
        assert body["chat_history"] == [
            {"role": "USER", "message": PROMPT},
            {"role": "CHATBOT", "message": "I will format it.", "tool_calls": [call]},
        ]
        assert body["tool_results"] == [
            {"call": call, "outputs": [{"result": "The Name of the Wind by Patrick Rothfuss"}]}
        ]


async def _maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


def test_client_kind(server: FakeCohere, kind: str) -> None:
    client = make_client(kind, server)
    with pytest.raises(ClientKindError, match="client"):
        decorate(mc, is_async=not _is_async(kind), client=client)


def test_vendor_errors_are_the_sdks(server: FakeCohere, kind: str) -> None:
    server.enqueue(Reply(status=400, error_message="invalid request: bad"))
    fn = decorate(mc, is_async=_is_async(kind), client=make_client(kind, server))
    with pytest.raises(cohere.BadRequestError) as info:
        run(fn("fantasy"))
    assert info.value.body["message"] == "invalid request: bad"


def test_cut_stream_keeps_text(server: FakeCohere, kind: str) -> None:
    server.enqueue(Reply(text="one two three four five six", cut_after=3))
    fn = decorate(mc, is_async=_is_async(kind), client=make_client(kind, server), stream=True)
    received: list[str] = []
    holder: list[Any] = []

    async def go() -> None:
        stream = await fn("fantasy")
        holder.append(stream)
        async for chunk, _ in stream:
            received.append(chunk.content)

    with pytest.raises(Exception):  # noqa: B017 - httpx's error, whichever the SDK lets out
        if _is_async(kind):
            asyncio.run(go())
        else:
            stream = fn("fantasy")
            holder.append(stream)
            for chunk, _ in stream:
                received.append(chunk.content)
    assert "".join(received).startswith("one") and "six" not in "".join(received)
    assert holder[0].content == "".join(received)


def test_images_need_v2(server: FakeCohere) -> None:
    from mirascope.core import ImagePart, TextPart

    parts = [TextPart(text="What is this?"), ImagePart(url="https://example.com/cat.png")]
    v2 = decorate(
        mc, is_async=False, client=make_client("v2-sync", server), prompt=[Messages.User(parts)]
    )
    assert run(v2("x")).content == "What is this?"
    assert server.requests[0].json["messages"][0]["content"] == [
        {"type": "text", "text": "What is this?"},
        {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}},
    ]
    v1 = decorate(
        mc, is_async=False, client=make_client("v1-sync", server), prompt=[Messages.User(parts)]
    )
    with pytest.raises(TypeError, match="ClientV2"):
        v1("x")
