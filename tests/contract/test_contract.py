"""One suite over every provider: call, stream, tools, history, clients, errors -- sync and
async, default and custom client, the real SDK against the provider's fake server."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest

from mirascope.core import BaseTool, ClientKindError, Messages, prompt_template
from mirascope.core._engine.clients import default_clients_created
from mirascope.testing import FakeServer, Reply, ToolCall

from .base import ContractProvider

PROMPT = "Recommend a fantasy book"
BOOK = {"title": "The Name of the Wind", "author": "Patrick Rothfuss"}


class FormatBook(BaseTool):
    """Format a book as 'title by author'."""

    title: str
    author: str

    def call(self) -> str:
        return f"{self.title} by {self.author}"


class AsyncFormatBook(BaseTool):
    """Format a book, asynchronously."""

    title: str
    author: str

    async def call(self) -> str:
        await asyncio.sleep(0)
        return f"{self.title} by {self.author}"


def _client(provider: ContractProvider, server: FakeServer, is_async: bool) -> Any:
    client = provider.client(server, is_async=is_async)
    if client is None:
        pytest.skip(f"{provider.name} has no client object (custom clients unsupported)")
    return client


def _decorate(
    module: Any,
    provider: ContractProvider,
    server: FakeServer,
    *,
    is_async: bool,
    custom: bool,
    **options: Any,
) -> Any:
    if custom:
        options["client"] = _client(provider, server, is_async)
    if is_async:

        @module.call(provider.model, **options)
        async def recommend_async(genre: str) -> str:
            return f"Recommend a {genre} book"

        return recommend_async

    @module.call(provider.model, **options)
    def recommend(genre: str) -> str:
        return f"Recommend a {genre} book"

    return recommend


def _call(fn: Any, *args: Any) -> Any:
    result = fn(*args)
    return asyncio.run(result) if inspect.iscoroutine(result) else result


def _stream(fn: Any, is_async: bool) -> tuple[Any, list[tuple[Any, Any]]]:
    if not is_async:
        stream = fn("fantasy")
        return stream, list(stream)

    async def consume() -> tuple[Any, list[tuple[Any, Any]]]:
        stream = await fn("fantasy")
        return stream, [pair async for pair in stream]

    return asyncio.run(consume())


def _check_client_used(provider: ContractProvider, custom: bool) -> None:
    assert default_clients_created(provider.name) is not custom


def test_call(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool, custom: bool
) -> None:
    fn = _decorate(module, provider, server, is_async=is_async, custom=custom)
    assert inspect.iscoroutinefunction(fn) is is_async
    response = _call(fn, "fantasy")
    assert type(response).__module__.startswith(f"mirascope.core.{provider.name}")
    assert response.content == PROMPT
    assert str(response) == PROMPT
    assert response.response is not None
    assert response.input_tokens is not None and response.input_tokens > 0
    assert response.output_tokens is not None and response.output_tokens > 0
    assert response.finish_reasons
    assert response.tool is None and response.tools is None
    assert response.message_param.role == "assistant"
    assert len(server.requests) == 1
    assert provider.messages_of(server.requests[0].json) == [("user", PROMPT)]
    _check_client_used(provider, custom)


def test_stream(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool, custom: bool
) -> None:
    fn = _decorate(module, provider, server, is_async=is_async, custom=custom, stream=True)
    stream, pairs = _stream(fn, is_async)
    assert type(stream).__module__.startswith(f"mirascope.core.{provider.name}")
    assert len([c for c, _ in pairs if c.content]) > 1, "the text should arrive in pieces"
    assert "".join(c.content for c, _ in pairs) == PROMPT
    assert all(t is None for _, t in pairs)
    assert stream.content == PROMPT
    assert stream.finish_reasons
    if provider.streams_usage:
        assert stream.usage is not None and stream.output_tokens
    _check_client_used(provider, custom)
    # each chunk the user gets is the stream's chunk class; the text chunks were made as it
    # by the adapter (the loop hands them on as they are)
    assert {type(c) for c, _ in pairs} == {type(stream).chunk_type}
    assert module.call._adapter.chunk_class is type(stream).chunk_type


def test_stream_whose_adapter_makes_plain_chunks_of_another_class(
    provider: ContractProvider,
    server: FakeServer,
    module: Any,
    is_async: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # an adapter no provider's call has set up makes its text chunks as PlainDelta: the
    # loop takes them the long way (the accumulator's checks) and retypes them, and the
    # stream comes out the same
    from mirascope.core._engine.records import PlainDelta

    monkeypatch.setattr(module.call._adapter, "chunk_class", PlainDelta)
    fn = _decorate(module, provider, server, is_async=is_async, custom=True, stream=True)
    stream, pairs = _stream(fn, is_async)
    assert {type(c) for c, _ in pairs} == {type(stream).chunk_type}
    assert "".join(c.content for c, _ in pairs) == stream.content == PROMPT
    assert all(t is None for _, t in pairs)
    assert stream.finish_reasons
    if provider.streams_usage:
        assert stream.usage is not None and stream.output_tokens


def test_stream_reads_text_chunks_as_text_once_its_model_and_id_are_known(
    provider: ContractProvider,
    server: FakeServer,
    module: Any,
    is_async: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # where the vendor's chunks repeat the stream's model and id, the loop asks the
    # adapter for a text chunk's text alone once it knows them, and makes the chunk itself
    # with them; where they name neither, from the first chunk; elsewhere (no text reader
    # of the adapter's own) decode_chunk reads every chunk
    adapter = module.call._adapter
    calls = {"decode_chunk": 0, "decode_text_chunk": 0}
    for name in calls:
        method = getattr(adapter, name)

        def counted(chunk: Any, method: Any = method, name: str = name) -> Any:
            calls[name] += 1
            return method(chunk)

        monkeypatch.setattr(adapter, name, counted)
    fn = _decorate(module, provider, server, is_async=is_async, custom=False, stream=True)
    stream, pairs = _stream(fn, is_async)
    assert "".join(c.content for c, _ in pairs) == stream.content == PROMPT
    assert {type(c) for c, _ in pairs} == {type(stream).chunk_type}
    if type(adapter).reads_text_alone and not type(adapter).text_chunks_name_stream:
        # text events that name no model or id: read as text from the first, and their
        # chunks name none, as the vendor's events
        assert calls == {"decode_chunk": 0, "decode_text_chunk": len(pairs)}
        texts = [c for c, _ in pairs if c.content]
        assert texts and all(c.model is None and c.id is None for c in texts)
    elif type(adapter).reads_text_alone:
        # Gemini's chunks name no id: a stream whose first chunk names none names none
        named_id = provider.name != "gemini"
        assert stream.model is not None and (stream.id is not None) is named_id
        assert {(c.model, c.id) for c, _ in pairs} == {(stream.model, stream.id)}
        # the first chunk names them (the fake's first chunk carries the role alone)
        assert calls["decode_chunk"] == 1
        # every other chunk through the text reader (LiteLLM's decode_chunk reads the
        # first through it too)
        assert calls["decode_text_chunk"] in (len(pairs) - 1, len(pairs))
    else:
        assert calls == {"decode_chunk": len(pairs), "decode_text_chunk": 0}


def test_usage_repeated_in_text_chunks_is_read_when_asked_for(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    # the Google family repeats the usage so far in every chunk: its text chunks leave it
    # unread (no usage record made), yet the stream's usage, read between chunks, is the
    # last chunk's, and so is each chunk's own (read off the SDK's chunk); elsewhere a
    # chunk's usage is its record's
    adapter = module.call._adapter
    lazy = type(adapter).usage_in_text_chunks
    assert lazy is (provider.name in ("gemini", "vertex", "google"))
    fn = _decorate(module, provider, server, is_async=is_async, custom=False, stream=True)
    seen: list[tuple[Any, Any, Any]] = []

    def look(stream: Any, chunk: Any) -> None:
        seen.append((chunk, chunk.common_usage, stream.common_usage))

    if is_async:

        async def consume() -> Any:
            stream = await fn("fantasy")
            async for chunk, _ in stream:
                look(stream, chunk)
            return stream

        stream = asyncio.run(consume())
    else:
        stream = fn("fantasy")
        for chunk, _ in stream:
            look(stream, chunk)
    texts = [(c, own, so_far) for c, own, so_far in seen if c.content]
    assert len(texts) >= 3
    if not lazy:
        assert all(c.output_tokens == (own.output_tokens if own else None) for c, own, _ in seen)
        return
    middle = texts[1:-1]  # the first names the stream (decode_chunk), the last may finish it
    assert middle and all(own is None for _, own, _ in middle)
    for c, _, so_far in middle:
        assert c.input_tokens == so_far.input_tokens and so_far.input_tokens is not None
        assert c.output_tokens == so_far.output_tokens and so_far.output_tokens is not None
        assert c.usage is not None and c.usage == so_far.raw
    outputs = [so_far.output_tokens for _, _, so_far in middle]
    assert outputs == sorted(outputs) and outputs[0] < outputs[-1]  # the count so far
    assert stream.output_tokens == seen[-1][0].output_tokens is not None


def test_a_decoder_of_its_own_does_not_inherit_a_text_reader() -> None:
    # the text reader goes with the decoder of the class that defines both: a subclass
    # that reads chunks its own way (Azure's of the chat-completions family's) keeps
    # decode_chunk for every chunk
    from mirascope.core._engine.records import Delta
    from mirascope.core._formats.openai_chat import ChatCompletionsAdapter
    from mirascope.core.azure._adapter import ADAPTER as AZURE
    from mirascope.core.openai._adapter import ADAPTER as OPENAI

    # an issubclass answer in the base's ABC cache (read while a class is made, before
    # its own is set up) must not decide it
    assert issubclass(ChatCompletionsAdapter, ChatCompletionsAdapter)

    class OwnDecoder(ChatCompletionsAdapter[Any, Any, Any, Any]):
        def decode_chunk(self, chunk: Any) -> Delta:
            # the family's decode_chunk is text_first's, a class attribute pyright does not
            # count as the abstract method's implementation
            return super().decode_chunk(chunk)  # pyright: ignore[reportAbstractUsage]

    class BothOwn(OwnDecoder):
        def decode_text_chunk(self, chunk: Any) -> Delta | str:
            return self.decode_chunk(chunk)

    assert type(OPENAI).reads_text_alone is True
    assert OwnDecoder.reads_text_alone is False
    assert BothOwn.reads_text_alone is True
    assert type(AZURE).reads_text_alone is False


@pytest.mark.parametrize("tool_type", [FormatBook, AsyncFormatBook])
def test_tool_call(
    provider: ContractProvider,
    server: FakeServer,
    module: Any,
    is_async: bool,
    custom: bool,
    tool_type: type[BaseTool],
) -> None:
    server.enqueue(Reply(tool_calls=[ToolCall(tool_type.__name__, BOOK)]))
    fn = _decorate(module, provider, server, is_async=is_async, custom=custom, tools=[tool_type])
    response = _call(fn, "fantasy")
    tool = response.tool
    assert isinstance(tool, tool_type)
    assert (tool.title, tool.author) == (BOOK["title"], BOOK["author"])  # type: ignore[attr-defined]
    assert response.tools == [tool]
    output = tool.call()
    if inspect.iscoroutine(output):
        output = asyncio.run(output)
    assert output == "The Name of the Wind by Patrick Rothfuss"


def test_stream_tool_call(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    server.enqueue(Reply(text="Let me format that.", tool_calls=[ToolCall("FormatBook", BOOK)]))
    fn = _decorate(
        module, provider, server, is_async=is_async, custom=False, stream=True, tools=[FormatBook]
    )
    stream, pairs = _stream(fn, is_async)
    tools = [t for _, t in pairs if t is not None]
    assert len(tools) == 1 and isinstance(tools[0], FormatBook)
    assert tools[0].title == BOOK["title"]
    assert stream.content == "Let me format that."
    assert stream.tool is tools[0]


def test_function_tool(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    def format_book(title: str, author: str) -> str:
        """Format a book as 'title by author'."""
        return f"{title} by {author}"

    server.enqueue(Reply(tool_calls=[ToolCall("format_book", BOOK)]))
    fn = _decorate(module, provider, server, is_async=is_async, custom=False, tools=[format_book])
    tool = _call(fn, "fantasy").tool
    assert tool is not None and tool.call() == "The Name of the Wind by Patrick Rothfuss"


def test_history_round_trip(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    server.enqueue(Reply(tool_calls=[ToolCall("FormatBook", BOOK)]), Reply(text="Enjoy it!"))
    history: list[Any] = [Messages.User(PROMPT)]

    def prompt_sync(history: list[Any]) -> Any:
        return {"messages": history}

    async def prompt_async(history: list[Any]) -> Any:
        return {"messages": history}

    fn = module.call(provider.model, tools=[FormatBook])(prompt_async if is_async else prompt_sync)
    first = _call(fn, history)
    tool = first.tool
    assert isinstance(tool, FormatBook)
    history += [first.message_param, *first.tool_message_params([(tool, tool.call())])]
    second = _call(fn, history)
    assert second.content == "Enjoy it!"
    provider.history_check(server.requests[1].json)


def test_template_roles(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    template = "SYSTEM: You are a librarian.\nUSER: Recommend a {genre} book"
    if is_async:

        @module.call(provider.model)
        @prompt_template(template)
        async def fn(genre: str): ...
    else:

        @module.call(provider.model)
        @prompt_template(template)
        def fn(genre: str): ...

    assert _call(fn, "fantasy").content == PROMPT
    assert provider.messages_of(server.requests[0].json) == [
        ("system", "You are a librarian."),
        ("user", PROMPT),
    ]


def test_dynamic_config_client(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    client = _client(provider, server, is_async)
    use_client = [True]

    def config(genre: str) -> Any:
        cfg: dict[str, Any] = {"messages": [Messages.User(f"Recommend a {genre} book")]}
        if use_client[0]:
            cfg["client"] = client
        return cfg

    async def config_async(genre: str) -> Any:
        return config(genre)

    fn = module.call(provider.model)(config_async if is_async else config)
    assert _call(fn, "fantasy").content == PROMPT
    assert not default_clients_created(provider.name)
    use_client[0] = False  # the next call's config has no client: it must not stick
    assert _call(fn, "fantasy").content == PROMPT
    assert default_clients_created(provider.name)


def test_client_kind_mismatch(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    wrong = _client(provider, server, not is_async)
    adapter_kind = module.call._adapter.client_kind(wrong)
    if adapter_kind == "both":
        pytest.skip(f"{provider.name}'s client serves sync and async alike")
    with pytest.raises(ClientKindError, match="client"):
        _decorate(module, provider, server, is_async=is_async, custom=False, client=wrong)


def test_vendor_error_is_the_sdks(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    server.enqueue(*[Reply(status=400, error_message="bad request, scripted")] * 3)
    fn = _decorate(module, provider, server, is_async=is_async, custom=True)
    with pytest.raises(Exception) as info:
        _call(fn, "fantasy")
    assert not type(info.value).__module__.startswith("mirascope"), info.value


def test_cut_stream_keeps_text(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    # six events: past every vendor's opening ones (four in the Responses API), not the end
    server.enqueue(Reply(text="one two three four five six seven eight", cut_after=6))
    fn = _decorate(module, provider, server, is_async=is_async, custom=True, stream=True)
    received: list[str] = []

    async def consume_async() -> None:
        stream = await fn("fantasy")
        try:
            async for chunk, _ in stream:
                received.append(chunk.content)
        finally:
            holder.append(stream)

    holder: list[Any] = []
    with pytest.raises(Exception):  # noqa: B017 - the SDK's own error type, whichever it is
        if is_async:
            asyncio.run(consume_async())
        else:
            stream = fn("fantasy")
            holder.append(stream)
            for chunk, _ in stream:
                received.append(chunk.content)
    text = "".join(received)
    assert text.startswith("one") and "eight" not in text
    assert holder[0].content == text
