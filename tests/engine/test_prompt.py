"""Pure pieces of the engine: templates, prompt conversion errors, tools, accumulation."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import PrivateAttr

from mirascope.core import (
    BaseMessageParam,
    BaseTool,
    PromptTemplateError,
    ToolArgumentsError,
    openai,
    prompt_template,
)
from mirascope.core._engine.accumulate import Accumulator
from mirascope.core._engine.records import Delta, ToolCallDelta
from mirascope.core.base.prompt_template import parse_template
from mirascope.core.base.tool import as_tool


def test_single_role_template_is_one_user_message() -> None:
    messages = parse_template("Recommend a {genre} book").render({"genre": "fantasy"})
    assert messages == [BaseMessageParam(role="user", content="Recommend a fantasy book")]


def test_multi_role_template() -> None:
    template = """
    SYSTEM: You are a {role}.
    USER: Recommend a {genre} book
    ASSISTANT: Sure.
    USER: Thanks, and {book.title}?
    """

    class Book:
        title = "Dune"

    messages = parse_template(template).render(
        {"role": "librarian", "genre": "scifi", "book": Book}
    )
    assert [(m.role, m.content) for m in messages] == [
        ("system", "You are a librarian."),
        ("user", "Recommend a scifi book"),
        ("assistant", "Sure."),
        ("user", "Thanks, and Dune?"),
    ]


def test_messages_placeholder_splices_history() -> None:
    history = [BaseMessageParam(role="user", content="a"), {"role": "assistant", "content": "b"}]
    messages = parse_template("SYSTEM: s\nMESSAGES: {history}\nUSER: {q}").render(
        {"history": history, "q": "c"}
    )
    assert [m.role if isinstance(m, BaseMessageParam) else m["role"] for m in messages] == [
        "system",
        "user",
        "assistant",
        "user",
    ]


def test_missing_placeholder_names_it_and_the_arguments() -> None:
    # a function that may return a dynamic config may supply computed fields: checked per call
    @openai.call("gpt-4o-mini")
    @prompt_template("Recommend a {genre} book by {author}")
    def recommend(genre: str) -> openai.OpenAIDynamicConfig:
        return {"computed_fields": {"auther": "typo"}}

    with pytest.raises(PromptTemplateError, match=r"\{author\}.*auther, genre"):
        recommend("fantasy")


@pytest.mark.parametrize(
    "returned, message",
    [
        (42, "returned int, which is not a prompt"),
        (None, "returned None"),
        ({"mesages": []}, "unknown key"),
        ({"call_params": {}}, "without 'messages'"),
    ],
)
def test_bad_prompt_values_are_refused(returned: Any, message: str) -> None:
    @openai.call("gpt-4o-mini")
    def fn() -> object:
        return returned

    with pytest.raises(TypeError, match=message):
        fn()


def test_tool_schema_and_description() -> None:
    class FormatBook(BaseTool):
        """Format a book.

        Returns 'title by author'."""

        title: str
        author: str = "unknown"

    assert FormatBook.tool_name() == "FormatBook"
    assert FormatBook.tool_description() == "Format a book.\n\nReturns 'title by author'."
    schema = FormatBook.parameters_schema()
    assert schema["required"] == ["title"] and set(schema["properties"]) == {"title", "author"}
    assert "title" not in schema  # the model's own title is noise for the LLM

    class NoDoc(BaseTool):
        x: int

    assert "NoDoc" in NoDoc.tool_description()


def test_function_tools_keep_signature_and_run() -> None:
    async def lookup(isbn: str, verbose: bool = False) -> str:
        """Look a book up by ISBN."""
        return f"{isbn}:{verbose}"

    tool_type = as_tool(lookup)
    assert as_tool(lookup) is tool_type  # made once
    assert tool_type.tool_name() == "lookup"
    assert tool_type.tool_description() == "Look a book up by ISBN."
    tool = tool_type.from_arguments('{"isbn": "123"}', tool_call_id="c1", raw=None)
    assert asyncio.run(tool.call()) == "123:False"
    assert tool.tool_call_id == "c1"


def test_unsupported_tool_field_fails_at_decoration() -> None:
    class Handle(BaseTool):
        """A tool with a field no JSON schema can describe."""

        callback: Callable[[], int]

    with pytest.raises(TypeError, match="JSON"):
        openai.call("gpt-4o-mini", tools=[Handle])(lambda: "x")


def test_tool_arguments_errors_keep_raw() -> None:
    class T(BaseTool):
        n: int

    with pytest.raises(ToolArgumentsError) as info:
        T.from_arguments('{"n": "x"}', tool_call_id="1", raw=None)
    assert info.value.raw == '{"n": "x"}'


def test_tool_arguments_errors_say_which_problem() -> None:
    class T(BaseTool):
        n: int

    with pytest.raises(ToolArgumentsError, match="are not valid JSON") as info:
        T.from_arguments('{"n": 1', tool_call_id="1", raw=None)
    assert info.value.raw == '{"n": 1'
    with pytest.raises(ToolArgumentsError, match="fail validation") as info:
        T.from_arguments({"n": "x"}, tool_call_id="1", raw=None)
    assert info.value.raw == '{"n": "x"}'  # a dict from the vendor, shown as JSON
    with pytest.raises(ToolArgumentsError, match="fail validation"):
        T.from_arguments("  ", tool_call_id="1", raw=None)  # no arguments for a required field


def test_tool_keeps_its_call_beside_private_attributes_of_its_own() -> None:
    class Counter(BaseTool):
        n: int
        _seen: int = PrivateAttr(default=7)

    raw = object()
    tool = Counter.from_arguments('{"n": 2}', tool_call_id="c9", raw=raw)
    assert (tool.n, tool.tool_call_id, tool.tool_call, tool._seen) == (2, "c9", raw, 7)
    copy = tool.model_copy()
    assert (copy.tool_call_id, copy.tool_call) == ("c9", raw)
    by_hand = Counter(n=1)  # not from a model's call: no id, no record
    assert (by_hand.tool_call_id, by_hand.tool_call, by_hand._seen) == ("", None, 7)


def test_accumulator_closes_calls_in_order() -> None:
    acc = Accumulator()
    assert not acc.feed(Delta("Hel"))
    assert not acc.feed(Delta("lo", [ToolCallDelta(0, "a", "f", '{"x"')]))
    assert not acc.feed(Delta("", [ToolCallDelta(0, None, None, ": 1}")]))
    done = acc.feed(Delta("", [ToolCallDelta(1, "b", "g", "{}")]))
    assert [(r.id, r.name, r.arguments) for r in done] == [("a", "f", '{"x": 1}')]
    done = acc.feed(Delta("", finish_reason="tool_calls"))
    assert [(r.id, r.arguments) for r in done] == [("b", "{}")]
    assert acc.content == "Hello" and acc.finish_reasons == ["tool_calls"]
    assert not acc.feed(Delta("", [ToolCallDelta(5, done=True)]))  # a text block's end


def test_accumulator_done_marks_and_whole_arguments() -> None:
    acc = Accumulator()
    acc.feed(Delta("", [ToolCallDelta("k", "id1", "f")]))
    done = acc.feed(Delta("", [ToolCallDelta("k", arguments={"a": 1}, done=True)]))
    assert [(r.id, r.arguments) for r in done] == [("id1", {"a": 1})]
    assert not acc.finish()


def test_dynamic_config_metadata_is_kept_not_sent() -> None:
    from mirascope.testing import FakeOpenAI

    with FakeOpenAI() as server:
        import openai as sdk

        client = sdk.OpenAI(base_url=server.url + "/v1", api_key="k")

        @openai.call("gpt-4o-mini", client=client)
        def fn() -> openai.OpenAIDynamicConfig:
            return {
                "messages": [BaseMessageParam(role="user", content="hi")],
                "metadata": {"tags": ["a"]},
            }

        response = fn()
        assert response.metadata == {"tags": ["a"]}
        assert "metadata" not in server.requests[0].json
        client.close()


def test_own_errors_share_one_base() -> None:
    from mirascope.core import MirascopeError, MissingExtraError

    with pytest.raises(PromptTemplateError) as info:
        parse_template("Recommend a {genre} book").render({})
    assert isinstance(info.value, MirascopeError) and isinstance(info.value, KeyError)
    assert issubclass(MissingExtraError, MirascopeError) and issubclass(
        MissingExtraError, ImportError
    )
