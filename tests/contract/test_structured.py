"""Structured outputs on every provider: ``response_model`` (models and primitives, call
and stream), ``json_mode``, ``output_parser``, and their failures -- the real SDK against
the provider's fake, the request checked for the mode each vendor is asked in."""

from __future__ import annotations

import asyncio
import enum
import importlib
import inspect
import json
import re
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mirascope.core import Messages, TruncatedOutputError, reset_default_clients
from mirascope.core.base.errors import InvalidCallError
from mirascope.testing import FakeServer, Reply, ToolCall

from .base import PROVIDERS, ContractProvider

TOOL_MODE = frozenset({"anthropic", "bedrock"})
"""Vendors asked for a response model through a forced tool call (no native schema mode)."""
PREFILLED = frozenset({"anthropic"})
"""Vendors whose JSON mode writes the answer's opening brace for the model."""
WHOLE_TOOL_CALLS = frozenset({"bedrock"})
"""Vendors whose fakes stream a tool call's arguments in one piece (no partials between)."""
ARGS_AT_ONCE = frozenset({"cohere", "gemini", "google", "vertex", "mistral", "azure"})
"""Vendors that stream a tool call whole, arguments as one object or in one chunk."""
"""Vendors whose JSON mode writes the answer's opening brace for the model."""


class Author(BaseModel):
    name: str
    born: int | None = None


class Genre(enum.Enum):
    FANTASY = "fantasy"
    SCIFI = "scifi"


class Book(BaseModel):
    """A book recommendation."""

    title: Annotated[str, Field(min_length=1)]
    author: Author
    genre: Genre
    tags: list[str] = []
    rating: Literal[1, 2, 3, 4, 5] | None = None


BOOK = {
    "title": "The Name of the Wind",
    "author": {"name": "Patrick Rothfuss", "born": 1973},
    "genre": "fantasy",
    "tags": ["magic", "music"],
    "rating": 5,
}
EXPECTED = Book(
    title="The Name of the Wind",
    author=Author(name="Patrick Rothfuss", born=1973),
    genre=Genre.FANTASY,
    tags=["magic", "music"],
    rating=5,
)


def _answer(provider: str, name: str, value: Any) -> Reply:
    """The fake's answer carrying ``value`` as the vendor is asked to return it."""
    if provider in TOOL_MODE:
        return Reply(tool_calls=[ToolCall(name, value)])
    return Reply(text=json.dumps(value))


def _run(fn: Any, *args: Any) -> Any:
    result = fn(*args)
    return asyncio.run(result) if inspect.iscoroutine(result) else result


def _decorate(module: Any, provider: ContractProvider, server: FakeServer, **options: Any) -> Any:
    is_async = options.pop("is_async")
    if options.pop("custom", False):
        client = provider.client(server, is_async=is_async)
        if client is None:
            pytest.skip(f"{provider.name} has no client object")
        options["client"] = client
    if is_async:

        @module.call(provider.model, **options)
        async def recommend_async(genre: str) -> str:
            return f"Recommend a {genre} book"

        return recommend_async

    @module.call(provider.model, **options)
    def recommend(genre: str) -> str:
        return f"Recommend a {genre} book"

    return recommend


def asked(provider: str, body: dict[str, Any]) -> str | None:
    """How a request asked for structured output: 'strict', 'json', 'tool' or None."""
    if provider == "anthropic":
        choice = body.get("tool_choice")
        return "tool" if choice and choice.get("type") == "tool" else None
    if provider == "bedrock":
        return "tool" if "toolChoice" in (body.get("toolConfig") or {}) else None
    if provider in ("gemini", "vertex", "google"):
        config = body.get("generationConfig") or body.get("generation_config") or {}
        if "toolConfig" in body or "tool_config" in body:
            return "tool"
        if config.get("responseSchema") or config.get("responseJsonSchema"):
            return "strict"
        mime = config.get("responseMimeType") or config.get("response_mime_type")
        return "json" if mime == "application/json" else None
    if provider == "openai.responses":  # text.format, or a forced function
        kind = ((body.get("text") or {}).get("format") or {}).get("type")
        if kind in ("json_schema", "json_object"):
            return "strict" if kind == "json_schema" else "json"
    fmt = body.get("response_format")
    if fmt is not None:
        kind = fmt.get("type")
        if kind == "json_schema" or fmt.get("json_schema") or fmt.get("schema"):
            return "strict"
        return "json" if kind == "json_object" else None
    choice = body.get("tool_choice")
    return "tool" if choice not in (None, "auto", "none") else None


def test_response_model(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool, custom: bool
) -> None:
    server.enqueue(_answer(provider.name, "Book", BOOK))
    fn = _decorate(module, provider, server, is_async=is_async, custom=custom, response_model=Book)
    book = _run(fn, "fantasy")
    assert type(book) is Book
    assert book == EXPECTED
    response = book._response  # pyright: ignore[reportAttributeAccessIssue]
    assert type(response).__module__.startswith(f"mirascope.core.{provider.name}")
    assert response.response is not None
    body = server.requests[0].json
    assert asked(provider.name, body) == ("tool" if provider.name in TOOL_MODE else "strict")


@pytest.mark.parametrize("mode", ["tool", "json"])
def test_response_model_other_modes(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool, mode: str
) -> None:
    if mode == "tool":
        server.enqueue(Reply(tool_calls=[ToolCall("Book", BOOK)]))
    else:
        text = json.dumps(BOOK)
        if provider.name in PREFILLED:
            text = text[1:]  # the vendor continues the prefilled "{"
        server.enqueue(
            Reply(
                text=f"Here it is:\n```json\n{text}\n```"
                if provider.name not in PREFILLED
                else text
            )
        )
    fn = _decorate(
        module, provider, server, is_async=is_async, response_model=Book, output_mode=mode
    )
    book = _run(fn, "fantasy")
    assert type(book) is Book and book == EXPECTED
    body = server.requests[0].json
    native_json = provider.name not in TOOL_MODE
    if mode == "tool" and provider.name == "cohere":
        # the v1 API cannot force a tool: the model is only offered it
        assert asked(provider.name, body) is None
    else:
        assert asked(provider.name, body) == (mode if mode == "tool" or native_json else None)
    if mode == "json":
        sent = json.dumps(body)
        assert "JSON schema" in sent and '\\"title\\"' in sent


@pytest.mark.parametrize(
    ("model", "value", "expected"),
    [
        (list[str], ["a", "b"], ["a", "b"]),
        (int, 42, 42),
        (bool, True, True),
        (Literal["yes", "no"], "no", "no"),
        (Genre, "scifi", Genre.SCIFI),
    ],
    ids=["list", "int", "bool", "literal", "enum"],
)
def test_primitive_response_model(
    provider: ContractProvider,
    server: FakeServer,
    module: Any,
    is_async: bool,
    model: Any,
    value: Any,
    expected: Any,
) -> None:
    name = {"list": "list_str", "int": "int", "bool": "bool"}.get(
        getattr(model, "__name__", ""), "Genre" if model is Genre else "Literal_yes_no"
    )
    if model == list[str]:
        name = "list_str"
    server.enqueue(_answer(provider.name, name, {"value": value}))
    fn = _decorate(module, provider, server, is_async=is_async, response_model=model)
    result = _run(fn, "fantasy")
    assert result == expected and type(result) is type(expected)


def _stream_items(fn: Any, is_async: bool) -> tuple[Any, list[Any]]:
    if not is_async:
        stream = fn("fantasy")
        return stream, list(stream)

    async def consume() -> tuple[Any, list[Any]]:
        stream = await fn("fantasy")
        return stream, [item async for item in stream]

    return asyncio.run(consume())


def _partial(title: str | None = None, author: Any = None, **rest: Any) -> dict[str, Any]:
    fields = {"genre": None, "tags": None, "rating": None, **rest}
    return {"title": title, "author": author, **fields}


_NAME = "The Name of the Wind"
_PAT = {"name": "Patrick Rothfuss", "born": None}
_BORN = {"name": "Patrick Rothfuss", "born": 1973}
_FANTASY = {"author": _BORN, "genre": Genre.FANTASY}
PARTIALS = [
    _partial(),
    _partial("The"),  # an open string shows as far as it came, without trailing space
    _partial("The Name"),
    _partial("The Name of"),
    _partial("The Name of the"),
    _partial(_NAME),
    _partial(_NAME, {"name": None, "born": None}),
    _partial(_NAME, {"name": "Patrick", "born": None}),
    _partial(_NAME, _PAT),
    _partial(_NAME, _BORN),
    _partial(_NAME, **_FANTASY),
    _partial(_NAME, **_FANTASY, tags=[]),
    _partial(_NAME, **_FANTASY, tags=["magic"]),
    _partial(_NAME, **_FANTASY, tags=["magic", "music"]),
    _partial(_NAME, **_FANTASY, tags=["magic", "music"], rating=5),
]
"""The distinct partial models, in order, of ``BOOK`` streamed as indented JSON text."""


def test_stream_partials_in_order(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    # every change of the half-received JSON text that validates shows, in order, in
    # every text mode; a chunk adding no visible change may repeat the model before it
    modes = ["json"] if provider.name in TOOL_MODE else ["json", "strict"]
    for mode in modes:
        text = json.dumps(BOOK, indent=1)
        server.enqueue(Reply(text=text[1:] if provider.name in PREFILLED else text))
        fn = _decorate(
            module,
            provider,
            server,
            is_async=is_async,
            response_model=Book,
            output_mode=mode,
            stream=True,
        )
        _, items = _stream_items(fn, is_async)
        assert items[-1] == EXPECTED and type(items[-1]) is Book
        assert all(type(p) is not Book and isinstance(p, Book) for p in items[:-1])
        seen: list[dict[str, Any]] = []
        for item in items[:-1]:
            dump = item.model_dump()
            if not seen or seen[-1] != dump:
                seen.append(dump)
        assert seen == PARTIALS, mode


def test_stream_response_model(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool, custom: bool
) -> None:
    server.enqueue(_answer(provider.name, "Book", BOOK))
    fn = _decorate(
        module,
        provider,
        server,
        is_async=is_async,
        custom=custom,
        response_model=Book,
        stream=True,
    )
    stream, items = _stream_items(fn, is_async)
    assert items[-1] == EXPECTED and type(items[-1]) is Book
    assert stream.output == EXPECTED
    partials = items[:-1]
    assert all(isinstance(p, Book) for p in partials)
    if provider.name not in WHOLE_TOOL_CALLS:
        # the JSON arrives in pieces: the partial models grow towards the whole
        assert len(partials) > 1
        assert [p for p in partials if p != EXPECTED], "no partial model came before the end"
    assert stream.stream.finish_reasons


def test_json_mode(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    text = json.dumps({"title": "Dune"})
    server.enqueue(Reply(text=text[1:] if provider.name in PREFILLED else text))
    fn = _decorate(module, provider, server, is_async=is_async, json_mode=True)
    response = _run(fn, "fantasy")
    assert json.loads(response.content) == {"title": "Dune"}
    body = server.requests[0].json
    if provider.name in TOOL_MODE:
        assert asked(provider.name, body) is None
        assert "JSON" in json.dumps(body)
    else:
        assert asked(provider.name, body) == "json"


def test_output_parser(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    server.enqueue(Reply(text="Dune, Hyperion"))

    def parse(response: Any) -> list[str]:
        return response.content.split(", ")

    fn = _decorate(module, provider, server, is_async=is_async, output_parser=parse)
    assert _run(fn, "fantasy") == ["Dune", "Hyperion"]


def test_validation_error_keeps_response(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    bad = {**BOOK, "genre": "romance"}
    server.enqueue(_answer(provider.name, "Book", bad))
    fn = _decorate(module, provider, server, is_async=is_async, response_model=Book)
    with pytest.raises(ValidationError) as caught:
        _run(fn, "fantasy")
    error: Any = caught.value
    assert [e["loc"] for e in error.errors()] == [("genre",)]
    assert type(error.response).__module__.startswith(f"mirascope.core.{provider.name}")
    output = error.output if isinstance(error.output, dict) else json.loads(error.output)
    assert output == bad


def test_truncated_output(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    answer = _answer(provider.name, "Book", BOOK)
    answer.truncated = True
    server.enqueue(answer)
    fn = _decorate(module, provider, server, is_async=is_async, response_model=Book)
    with pytest.raises(TruncatedOutputError) as caught:
        _run(fn, "fantasy")
    assert caught.value.response is not None


def test_bad_combinations(provider: ContractProvider, module: Any) -> None:
    with pytest.raises(InvalidCallError, match="output_parser takes a whole response"):

        @module.call(provider.model, stream=True, output_parser=str)
        def streamed() -> str:
            return "hi"

    with pytest.raises(InvalidCallError, match="output_mode needs a response_model"):

        @module.call(provider.model, output_mode="tool")
        def moded() -> str:
            return "hi"


def test_partial_tools(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    from mirascope.core import BaseTool

    class FormatBookTool(BaseTool):
        """Format a book."""

        title: str
        author: str

    args = {"title": "The Name of the Wind", "author": "Patrick Rothfuss"}
    server.enqueue(Reply(tool_calls=[ToolCall("FormatBookTool", args)]))
    fn = _decorate(
        module,
        provider,
        server,
        is_async=is_async,
        tools=[FormatBookTool],
        stream={"partial_tools": True},
    )

    if is_async:

        async def consume() -> list[Any]:
            return [tool async for _, tool in await fn("fantasy") if tool is not None]

        tools = asyncio.run(consume())
    else:
        tools = [tool for _, tool in fn("fantasy") if tool is not None]
    *partials, complete = tools
    assert all(type(t) is FormatBookTool for t in tools)
    assert complete.delta is None and complete.args == args
    assert all(p.delta for p in partials)
    if provider.name not in WHOLE_TOOL_CALLS and provider.name not in ARGS_AT_ONCE:
        # arguments streamed in pieces: partial tools before the complete one
        assert partials, "no partial tool came before the complete one"
        assert "".join(p.delta for p in partials) == json.dumps(args)


class StrictBook(BaseModel):
    """A book, validated strictly (pydantic's strict mode, v1's strict output)."""

    model_config = ConfigDict(strict=True)

    title: str
    genre: Genre


def test_stream_partials_of_a_strict_model(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    # partial models validate the JSON as JSON, as the final model does: in strict mode an
    # enum's value is its JSON form (a Python str would be refused)
    book = {"title": "Dune", "genre": "scifi"}
    server.enqueue(_answer(provider.name, "StrictBook", book))
    fn = _decorate(
        module, provider, server, is_async=is_async, response_model=StrictBook, stream=True
    )
    _, items = _stream_items(fn, is_async)
    assert items[-1] == StrictBook(title="Dune", genre=Genre.SCIFI)
    assert type(items[-1]) is StrictBook
    if provider.name not in WHOLE_TOOL_CALLS:
        assert items[-2].genre is Genre.SCIFI and type(items[-2]) is not StrictBook


@pytest.mark.parametrize("mode", ["strict", "json", "tool"])
def test_response_model_request_same_every_call(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool, mode: str
) -> None:
    # what an adapter builds once per function for its SDK (Azure AI's schema model, Vertex
    # AI's GenerationConfig) goes out whole on every call, and no call changes it
    if mode == "tool" or (mode == "strict" and provider.name in TOOL_MODE):
        answer = Reply(tool_calls=[ToolCall("Book", BOOK)])
    else:
        text = json.dumps(BOOK)
        answer = Reply(text=text[1:] if provider.name in PREFILLED else text)
    for _ in range(3):
        server.enqueue(answer)
    fn = _decorate(
        module, provider, server, is_async=is_async, response_model=Book, output_mode=mode
    )
    for _ in range(3):
        assert _run(fn, "fantasy") == EXPECTED
    first, *others = [r.json for r in server.requests]
    expected: str | None = mode
    if provider.name in TOOL_MODE:  # no native mode: a forced tool, or JSON asked in the prompt
        expected = None if mode == "json" else "tool"
    elif provider.name == "cohere" and mode == "tool":
        expected = None  # the v1 API cannot force a tool: the model is only offered it
    assert asked(provider.name, first) == expected
    assert others == [first, first]


def _generation_config(body: dict[str, Any]) -> dict[str, Any]:
    config = body.get("generationConfig") or body.get("generation_config") or {}
    # the REST body is camelCase (Gemini), the gRPC one's JSON form snake_case (Vertex AI)
    return {re.sub(r"([A-Z])", lambda m: "_" + m[1].lower(), k): v for k, v in config.items()}


@pytest.mark.parametrize("mode", ["strict", "json"])
@pytest.mark.parametrize("name", ["gemini", "vertex"])
def test_response_model_merges_generation_config(
    name: str, is_async: bool, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the call's own generation_config (a dict; google-genai takes a config object) and the
    # response model's settings go out together, whatever the settings of each call
    provider = PROVIDERS[name]()
    server = provider.start()
    try:
        for key, value in provider.environ(server).items():
            monkeypatch.setenv(key, value)
        reset_default_clients()
        _merges_generation_config(provider, server, is_async, mode)
    finally:
        reset_default_clients()
        provider.close_clients()
        server.stop()


def _merges_generation_config(
    provider: ContractProvider, server: FakeServer, is_async: bool, mode: str
) -> None:
    module: Any = importlib.import_module(f"mirascope.core.{provider.name}")
    temperatures = [0.25, 0.5, 0.25, 0.75]
    for _ in temperatures:
        server.enqueue(_answer(provider.name, "Book", BOOK))
    options: dict[str, Any] = {"response_model": Book, "output_mode": mode}

    def config(i: int) -> dict[str, Any]:
        params = {"temperature": temperatures[i], "stop_sequences": ["END"]}
        return {
            "messages": [Messages.User(f"call {i}")],
            "call_params": {"generation_config": params},
        }

    if is_async:

        @module.call(provider.model, **options)
        async def recommend_async(i: int) -> Any:
            return config(i)

        fn: Any = recommend_async
    else:

        @module.call(provider.model, **options)
        def recommend(i: int) -> Any:
            return config(i)

        fn = recommend
    for i in range(len(temperatures)):
        assert _run(fn, i) == EXPECTED
    assert len(server.requests) == len(temperatures)
    for i, request in enumerate(server.requests):
        sent = _generation_config(request.json)
        assert sent["temperature"] == temperatures[i]
        assert sent["stop_sequences"] == ["END"]
        assert sent["response_mime_type"] == "application/json"
        assert ("response_schema" in sent) is (mode == "strict")
