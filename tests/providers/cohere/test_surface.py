"""The v1 response surface through both Cohere APIs: the billed units as ``usage``, and a
stream's whole response built as the API's own response type (v1's
``NonStreamedChatResponse``, v2's ``V2ChatResponse``)."""

from __future__ import annotations

import cohere
import pytest

from mirascope.core import BaseTool
from mirascope.core import cohere as mc
from mirascope.testing import FakeCohere, Reply, ToolCall

from .helpers import CLIENTS, consume, decorate, make_client, run

BOOK = {"title": "The Name of the Wind", "author": "Patrick Rothfuss"}


class FormatBook(BaseTool):
    """Format a book as 'title by author'."""

    title: str
    author: str


@pytest.fixture(params=sorted(CLIENTS))
def kind(request: pytest.FixtureRequest) -> str:
    return request.param


def _types(kind: str) -> tuple[type, type]:
    """(the response type, the billed units type) of the client's API."""
    if kind.startswith("v2"):
        return cohere.V2ChatResponse, cohere.UsageBilledUnits
    return cohere.NonStreamedChatResponse, cohere.ApiMetaBilledUnits


def test_call_usage_is_the_billed_units(server: FakeCohere, kind: str) -> None:
    fn = decorate(mc, is_async=kind.endswith("async"), client=make_client(kind, server))
    response = run(fn("fantasy"))
    usage = response.usage
    assert type(usage) is _types(kind)[1]
    assert (usage.input_tokens, usage.output_tokens) == (12, 4)
    # the tokens the model read include Cohere's scaffolding; the billed ones price the call
    assert response.cost is None  # command-r-plus: no price in the table


def test_stream_builds_the_apis_response(server: FakeCohere, kind: str) -> None:
    server.enqueue(Reply(text="I will format it.", tool_calls=[ToolCall("FormatBook", BOOK)]))
    fn = decorate(
        mc,
        is_async=kind.endswith("async"),
        client=make_client(kind, server),
        stream=True,
        tools=[FormatBook],
    )
    stream, pairs = consume(fn("fantasy"))
    streamed = [tool for _, tool in pairs if tool is not None]
    response = stream.construct_call_response()
    response_type, usage_type = _types(kind)
    assert type(response.response) is response_type
    assert type(response.usage) is usage_type and response.usage == stream.usage
    assert response.content == stream.content == "I will format it."
    tool = response.tool
    assert isinstance(tool, FormatBook) and tool.args == BOOK
    assert tool.tool_call_id == streamed[0].tool_call_id  # v1's derived ids agree too
    assert response.finish_reasons == stream.finish_reasons
    assert response.message_param == stream.message_param
