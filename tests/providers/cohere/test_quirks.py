"""Cohere quirks: v1's id-less tool calls, its message/preamble/chat_history/tool_results
split and Python-typed tool parameters; the default client; native messages; faults."""

from __future__ import annotations

from typing import Any

import cohere
import pytest
from pydantic import BaseModel, Field

from mirascope.core import (
    BaseMessageParam,
    BaseTool,
    IncompleteStreamError,
    Messages,
    ToolResultPart,
)
from mirascope.core import cohere as mc
from mirascope.core._engine.clients import default_clients_created
from mirascope.core.cohere._adapter import _v1_tool
from mirascope.testing import FakeCohere, Reply, ToolCall

from .helpers import consume, decorate, make_client, run


class FormatBook(BaseTool):
    """Format a book as 'title by author'."""

    title: str
    author: str

    def call(self) -> str:
        return f"{self.title} by {self.author}"


def _prompt(client: Any = None) -> Any:
    def prompt(history: list[Any]) -> Any:
        config: dict[str, Any] = {"messages": history}
        if client is not None:
            config["client"] = client
        return config

    return mc.call("command-r-plus", tools=[FormatBook])(prompt)


def test_v1_ids_are_stable_and_answer_the_right_call(server: FakeCohere) -> None:
    first_book = {"title": "A", "author": "B"}
    second_book = {"title": "C", "author": "D"}
    server.enqueue(
        Reply(text="Formatting.", tool_calls=[ToolCall("FormatBook", first_book)]),
        Reply(text="Formatting again.", tool_calls=[ToolCall("FormatBook", second_book)]),
        Reply(text="Done."),
    )
    fn = _prompt()
    history: list[Any] = [Messages.User("Format two books")]
    for _ in range(2):
        response = fn(history)
        tool = response.tool
        assert tool is not None
        history += [response.message_param, *response.tool_message_params([(tool, tool.call())])]
    assert fn(history).content == "Done."
    ids = [p.id for m in history if m.role == "tool" for p in m.content]
    assert len(set(ids)) == 2  # same tool, same index, different arguments: different ids
    # the same call decodes to the same id again (ids come from the call, not a counter)
    server.enqueue(Reply(text="Formatting.", tool_calls=[ToolCall("FormatBook", first_book)]))
    assert _prompt()([Messages.User("again")]).tool.tool_call_id == ids[0]
    body = server.requests[2].json
    earlier = body["chat_history"][2]
    assert earlier == {
        "role": "TOOL",
        "tool_results": [
            {
                "call": {"name": "FormatBook", "parameters": first_book},
                "outputs": [{"result": "A by B"}],
            }
        ],
    }
    assert body["tool_results"][0]["call"]["parameters"] == second_book


def test_v1_failed_tool_and_unknown_id(server: FakeCohere) -> None:
    history: list[Any] = [
        Messages.User("go"),
        BaseMessageParam(
            role="tool",
            content=[ToolResultPart(id="elsewhere", name="Lookup", content="boom", is_error=True)],
        ),
    ]
    _prompt()(history)
    assert server.requests[0].json["tool_results"] == [
        {"call": {"name": "Lookup", "parameters": {}}, "outputs": [{"error": "boom"}]}
    ]


def test_v1_system_messages(server: FakeCohere) -> None:
    fn = _prompt()
    fn(
        [
            Messages.System("You are a librarian."),
            Messages.System("Be kind."),
            Messages.User("Hi"),
            Messages.Assistant("Hello!"),
            Messages.System("Now be brief."),
            Messages.User("A book?"),
        ]
    )
    body = server.requests[0].json
    assert body["preamble"] == "You are a librarian.\n\nBe kind."
    assert body["chat_history"] == [
        {"role": "USER", "message": "Hi"},
        {"role": "CHATBOT", "message": "Hello!"},
        {"role": "SYSTEM", "message": "Now be brief."},
    ]
    assert body["message"] == "A book?"


def test_native_messages_pass_through(server: FakeCohere) -> None:
    native_v1 = [
        {"role": "USER", "message": "Hi"},
        cohere.ChatbotMessage(message="Hello!"),
        Messages.User("A book?"),
    ]
    _prompt()(native_v1)
    assert server.requests[0].json["chat_history"] == [
        {"role": "USER", "message": "Hi"},
        {"role": "CHATBOT", "message": "Hello!"},
    ]
    native_v2 = [{"role": "user", "content": [{"type": "text", "text": "Hi"}]}]
    _prompt(make_client("v2-sync", server))(native_v2)
    assert server.requests[1].json["messages"] == native_v2


class Edition(BaseModel):
    year: int


class Shelve(BaseTool):
    """Shelve books."""

    titles: list[str] = Field(description="What to shelve")
    label: str | None = None
    counts: dict[str, int] = Field(default_factory=dict)
    edition: Edition | None = None
    ratio: float = 1.0
    urgent: bool = False


def test_v1_parameter_definitions() -> None:
    assert _v1_tool(Shelve) == {
        "name": "Shelve",
        "description": "Shelve books.",
        "parameter_definitions": {
            "titles": {"type": "List[str]", "required": True, "description": "What to shelve"},
            "label": {"type": "Optional[str]", "required": False},
            "counts": {"type": "Dict[str, int]", "required": False},
            "edition": {"type": "Optional[dict]", "required": False},
            "ratio": {"type": "float", "required": False},
            "urgent": {"type": "bool", "required": False},
        },
    }
    assert _v1_tool(Shelve) is _v1_tool(Shelve)  # built once per class


def test_default_client_is_v1_and_reads_the_environment(
    server: FakeCohere, monkeypatch: pytest.MonkeyPatch
) -> None:
    # CO_API_URL is read when the default client is made, not when cohere was imported
    fn = decorate(mc, is_async=False)
    assert fn("fantasy").content == "Recommend a fantasy book"
    assert server.requests[0].path == "/v1/chat"
    assert server.requests[0].headers["authorization"] == "Bearer co-test"
    assert default_clients_created("cohere")
    afn = decorate(mc, is_async=True)
    assert run(afn("fantasy")).content == "Recommend a fantasy book"
    assert server.requests[1].path == "/v1/chat"


def test_call_params_and_request_options(server: FakeCohere) -> None:
    params: mc.CohereCallParams = {
        "preamble": "Answer in French.",
        "temperature": 0.1,
        "request_options": {"additional_headers": {"x-trace": "abc"}},
    }
    decorate(mc, is_async=False, call_params=params)("fantasy")
    request = server.requests[0]
    assert request.json["preamble"] == "Answer in French."
    assert request.json["temperature"] == 0.1
    assert request.headers["x-trace"] == "abc"


def test_server_error_is_the_sdks(server: FakeCohere) -> None:
    server.enqueue(Reply(status=500, error_message="overloaded"))
    with pytest.raises(cohere.InternalServerError):
        decorate(mc, is_async=False, client=make_client("v1-sync", server))("fantasy")


@pytest.mark.parametrize("kind", ["v1-sync", "v2-sync"])
def test_malformed_stream_event_is_skipped_by_the_sdk(server: FakeCohere, kind: str) -> None:
    # both SDK parsers drop an event that is not JSON and read on; the stream just ends,
    # without its end event: mirascope says so rather than passing the part off as whole
    server.enqueue(Reply(text="one two three", malformed=True))
    fn = decorate(mc, is_async=False, client=make_client(kind, server), stream=True)
    stream = fn("fantasy")
    with pytest.raises(IncompleteStreamError) as info:
        consume(stream)
    assert stream.content == info.value.content == ("one" if kind.startswith("v1") else "")
    assert stream.finish_reasons == []
