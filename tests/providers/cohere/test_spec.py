"""The request bodies mirascope makes the SDK send are valid against Cohere's OpenAPI spec
(read from ../shared/specs: its licence keeps it out of the repository): /v1/chat through
Client/AsyncClient, /v2/chat through the V2 clients."""

from __future__ import annotations

import copy
import json
from functools import cache
from typing import Any

import jsonschema
import pytest
from pydantic import Field

from mirascope.core import BaseTool, Messages, TextPart
from mirascope.core import cohere as mc
from mirascope.testing import FakeCohere, Reply, ToolCall

from ..._data import shared
from .helpers import consume, decorate, make_client, run


def _discriminated(node: Any) -> Any:
    """OpenAPI's ``discriminator`` picks one ``oneOf`` branch by a property; JSON Schema
    ignores it, and Cohere's branches overlap (a v1 USER message also fits the TOOL
    message schema). Spell the choice out as if/then on that property."""
    if isinstance(node, list):
        return [_discriminated(v) for v in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {k: _discriminated(v) for k, v in node.items()}
    discriminator = out.get("discriminator")
    if isinstance(discriminator, dict) and "mapping" in discriminator and "oneOf" in out:
        prop: str = discriminator["propertyName"]
        mapping: dict[str, str] = discriminator["mapping"]
        del out["oneOf"]
        out["required"] = sorted({*out.get("required", []), prop})
        out["properties"] = {**out.get("properties", {}), prop: {"enum": sorted(mapping)}}
        out["allOf"] = [
            *out.get("allOf", []),
            *(
                {"if": {"properties": {prop: {"const": value}}}, "then": {"$ref": ref}}
                for value, ref in mapping.items()
            ),
        ]
    return out


@cache
def _validator(path: str) -> jsonschema.Draft202012Validator:
    doc = json.loads(shared("specs", "cohere-openapi.json").read_text())
    schema = copy.deepcopy(
        doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    )
    schema["components"] = doc["components"]  # so "#/components/..." resolves here
    return jsonschema.Draft202012Validator(_discriminated(schema))


def _check(server: FakeCohere) -> None:
    assert server.requests
    for request in server.requests:
        errors = sorted(_validator(request.path).iter_errors(request.json), key=str)
        assert not errors, f"{request.path}: " + "\n".join(
            f"{list(e.absolute_path)}: {e.message}" for e in errors
        )


class Shelf(BaseTool):
    """Put books on a shelf."""

    titles: list[str]
    label: str | None = None
    counts: dict[str, int] = Field(default_factory=dict)


BOOK = {"title": "The Name of the Wind", "author": "Patrick Rothfuss"}


class FormatBook(BaseTool):
    """Format a book as 'title by author'."""

    title: str
    author: str

    def call(self) -> str:
        return f"{self.title} by {self.author}"


KINDS = ["v1-sync", "v1-async", "v2-sync", "v2-async"]


@pytest.mark.parametrize("kind", KINDS)
def test_call_stream_tools(server: FakeCohere, kind: str) -> None:
    is_async = kind.endswith("async")
    params: mc.CohereCallParams = {"temperature": 0.3, "max_tokens": 64, "p": 0.9}
    # a fresh client per call: an async client's connections belong to one event loop
    run(decorate(mc, is_async=is_async, client=make_client(kind, server), call_params=params)("x"))
    consume(decorate(mc, is_async=is_async, client=make_client(kind, server), stream=True)("x"))
    server.enqueue(Reply(tool_calls=[ToolCall("Shelf", {"titles": ["A"]})]))
    tools = [Shelf, FormatBook]
    run(decorate(mc, is_async=is_async, client=make_client(kind, server), tools=tools)("x"))
    _check(server)


@pytest.mark.parametrize("kind", ["v1-sync", "v2-sync"])  # sync or async: same bodies
def test_history(server: FakeCohere, kind: str) -> None:
    # a tool round trip, then a later turn with an earlier system message and results
    server.enqueue(
        Reply(text="I will format it.", tool_calls=[ToolCall("FormatBook", BOOK)]),
        Reply(text="Here it is."),
        Reply(text="Anything else?"),
    )
    client = make_client(kind, server)
    history: list[Any] = [
        Messages.System("You are a librarian."),
        Messages.User([TextPart(text="Recommend a "), TextPart(text="book")]),
    ]

    def prompt(history: list[Any]) -> mc.CohereDynamicConfig:
        return {"messages": history, "client": client}

    fn = mc.call("command-r-plus", tools=[FormatBook])(prompt)
    first = fn(history)
    tool = first.tool
    assert tool is not None
    history += [first.message_param, *first.tool_message_params([(tool, tool.call())])]
    second = fn(history)
    history += [second.message_param, Messages.System("Be brief."), Messages.User("More?")]
    fn(history)
    _check(server)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/chat", {"chat_history": []}),
        ("/v1/chat", {"message": "", "chat_history": [{"role": "CHATBOT", "message": ""}]}),
        ("/v1/chat", {"message": "", "chat_history": [{"role": "BOT", "message": "hi"}]}),
        ("/v1/chat", {"message": "", "tool_results": [{"call": {"name": "x"}, "outputs": []}]}),
        ("/v2/chat", {"model": "m", "messages": [{"role": "bot", "content": "hi"}]}),
        ("/v2/chat", {"model": "m", "messages": [{"role": "tool", "content": "hi"}]}),
    ],
)
def test_the_check_has_teeth(path: str, body: dict[str, Any]) -> None:
    assert list(_validator(path).iter_errors(body))
