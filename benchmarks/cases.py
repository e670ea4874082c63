"""Benchmark cases per provider: the raw SDK's calls, written as a user of that SDK writes
them, sending the same request mirascope sends and reading the same data from the answer;
mirascope's side is the same for every provider (see ``mirascope_calls``).

Both sides read what a user of a call reads: the text (or the tool call's arguments,
validated into a pydantic model, as mirascope's ``response.tool`` does), the input and
output token counts and the finish reason (``Reading``). ``benchmarks/_check.py`` sends
each case once on each side and compares the request bodies the fake received and the
readings, so that a baseline that sends or reads something else shows up.

The raw side has two baselines where the SDK's public accessors cost more than a direct
read of the same fields (Gemini and Vertex AI: proto-plus wrappers converting on every
read; Google: ``response.text``, which dumps every part to look for non-text fields;
Azure: models deserializing on every attribute read; LiteLLM's stream chunks: fields kept
as pydantic extras, read through ``__getattr__``): ``public`` reads through the SDK's
documented accessors, ``direct`` through the cheapest path (the protobuf message, the
candidate's parts, the mapping), as mirascope does. Elsewhere the public accessors are the
direct read.

Each ``Bench`` knows how to point its SDK at the fake (environment variables for the
default clients, arguments for the custom ones), the SDK function for each case, sync and
async, the request, and the readers. ``prompt``, ``history`` and ``n_tools`` are the knobs of
the sweeps (stream length, history length, number of tools)."""

from __future__ import annotations

import functools
import importlib
import operator
from collections.abc import Awaitable, Callable, Iterable, Sequence
from contextlib import AsyncExitStack
from functools import cache
from types import SimpleNamespace
from typing import Any, ClassVar, NamedTuple

from pydantic import BaseModel, create_model

from benchmarks._harness import NO_PROBE, Probe
from mirascope.core import BaseTool, Messages

PROMPT = " ".join(["Recommend a fantasy book with a long and winding plot"] * 5)
"""50 words: the fakes echo it, one word per stream chunk."""

KINDS = ("call", "tool", "stream")


class FormatBook(BaseTool):
    """Format a book."""

    title: str
    author: str


class BookArgs(BaseModel):
    """What a raw-SDK user validates a tool call's arguments into."""

    title: str
    author: str


@cache
def tool_classes(n: int) -> tuple[type[BaseTool], ...]:
    """``FormatBook`` and ``n - 1`` look-alikes (``FormatBook1``...): the tools sweep."""
    extra = tuple(
        create_model(
            f"FormatBook{i}", __base__=BaseTool, __doc__="Format a book.", title=str, author=str
        )
        for i in range(1, n)
    )
    return (FormatBook, *extra)


def _schema() -> dict[str, Any]:
    return FormatBook.parameters_schema()


def _book(arguments: Any) -> BookArgs:
    if isinstance(arguments, str):
        return BookArgs.model_validate_json(arguments)
    return BookArgs.model_validate(arguments)


class Reading(NamedTuple):
    """What each side reads from an answer."""

    value: Any
    """The text (streams: all chunks' text joined), or the tool's arguments."""
    input_tokens: int | None
    output_tokens: int | None
    finish: str | None
    chunks: int = 0
    """SDK chunks (streams)."""


ChunkReading = tuple[str, int | None, int | None, str | None]
"""One chunk's text, input and output tokens (None: not in this chunk), finish reason."""


UsageReading = tuple[int | None, int | None]
"""Input and output tokens."""


def _consume(
    chunks: Iterable[Any],
    read: Callable[[Any], ChunkReading],
    last: Callable[[Any], UsageReading] | None = None,
) -> Reading:
    """A stream's reading: ``read`` per chunk; ``last``, where given, reads the usage off
    the last chunk (a vendor that repeats the usage so far in every chunk)."""
    parts: list[str] = []
    inp = out = finish = None
    n = 0
    chunk = None
    for chunk in chunks:
        n += 1
        text, i, o, f = read(chunk)
        parts.append(text)
        if i is not None:
            inp = i
        if o is not None:
            out = o
        if f is not None:
            finish = f
    if last is not None and chunk is not None:
        inp, out = last(chunk)
    return Reading("".join(parts), inp, out, finish, n)


async def _aconsume(
    chunks: Any,
    read: Callable[[Any], ChunkReading],
    last: Callable[[Any], UsageReading] | None = None,
) -> Reading:
    parts: list[str] = []
    inp = out = finish = None
    n = 0
    chunk = None
    async for chunk in chunks:
        n += 1
        text, i, o, f = read(chunk)
        parts.append(text)
        if i is not None:
            inp = i
        if o is not None:
            out = o
        if f is not None:
            finish = f
    if last is not None and chunk is not None:
        inp, out = last(chunk)
    return Reading("".join(parts), inp, out, finish, n)


class Bench:
    """One provider against its fake. ``server`` is what ``benchmarks._fake`` printed."""

    name: ClassVar[str]
    """mirascope's module (``mirascope.core.<name>``), and the fake's key."""
    model: ClassVar[str]
    sdk_import: ClassVar[str]
    """What a raw-SDK user imports to make a call (lazy SDKs: down to the client)."""
    sdk_modules: ClassVar[tuple[str, ...]]
    """Top-level modules that ``import mirascope.core`` must not import."""
    custom_client: ClassVar[bool] = True
    direct: ClassVar[bool] = False
    """Whether the cheapest read differs from the public accessors (a second baseline)."""
    awaited_stream: ClassVar[bool] = True
    """Whether the async stream call is awaited before iterating."""

    def __init__(self, server: dict[str, str]) -> None:
        self.server = server
        self.url = server["url"]
        self.probe: Probe = NO_PROBE
        """Every raw case enters the SDK through this (see ``SDKTimer``)."""
        self.prompt = PROMPT
        self.history: list[tuple[str, str]] = []
        """Earlier turns, ``(role, text)`` with role user or assistant, before the prompt."""
        self.n_tools = 1
        self._tools: Any = None

    # -- configuration
    def environ(self) -> dict[str, str]:
        """Environment that points the SDK's own default clients at the fake."""
        return {}

    def setup(self) -> None:
        """Process-wide SDK configuration (after ``environ`` is applied)."""

    def client(self) -> Any:
        """The sync client passed to mirascope (and used by the raw calls)."""
        raise NotImplementedError

    async def aclient(self, stack: AsyncExitStack, *, from_env: bool = False) -> Any:
        """An async client, made in the running loop; ``from_env`` as the SDK's default."""
        raise NotImplementedError

    def turns(self) -> list[tuple[str, str]]:
        return [*self.history, ("user", self.prompt)]

    def tools(self) -> Any:
        """The tools as the SDK takes them, built once (as a user defines them once)."""
        if self._tools is None:
            self._tools = self.make_tools(tool_classes(self.n_tools))
        return self._tools

    # -- the request
    def fn(self, client: Any, kind: str, is_async: bool) -> Callable[..., Any]:
        """The SDK function that sends this kind of request."""
        raise NotImplementedError

    def request(self, kind: str) -> dict[str, Any]:
        """The SDK function's keyword arguments (built per call, as a user's code does)."""
        raise NotImplementedError

    def make_tools(self, tools: Sequence[type[BaseTool]]) -> Any:
        raise NotImplementedError

    def chunks(self, opened: Any) -> Any:
        """The iterable of chunks from what the stream call returned."""
        return opened

    # -- reading: public accessors (override ``*_direct`` where a cheaper read exists)
    def read(self, response: Any) -> Reading:
        raise NotImplementedError

    def read_tool(self, response: Any) -> Reading:
        raise NotImplementedError

    def read_chunk(self, chunk: Any) -> ChunkReading:
        raise NotImplementedError

    def read_direct(self, response: Any) -> Reading:
        return self.read(response)

    def read_tool_direct(self, response: Any) -> Reading:
        return self.read_tool(response)

    def read_chunk_direct(self, chunk: Any) -> ChunkReading:
        return self.read_chunk(chunk)

    usage_in_every_chunk: ClassVar[bool] = False
    """The vendor repeats the usage so far in every chunk (the Google family): the cheapest
    read (``read_chunk_direct``) leaves it, and ``read_last_usage`` reads it off the last
    chunk, once."""

    def read_last_usage(self, chunk: Any) -> UsageReading:
        raise NotImplementedError

    def last_reader(self, read: Callable[[Any], Any]) -> Callable[[Any], UsageReading] | None:
        """What reads a stream's usage off its last chunk, for the cheapest read of a
        vendor that repeats it in each; else None (``read`` reads it per chunk)."""
        if self.usage_in_every_chunk and read == self.read_chunk_direct:
            return self.read_last_usage
        return None

    def readers(self, direct: bool) -> dict[str, Callable[[Any], Any]]:
        if direct:
            return {
                "call": self.read_direct,
                "tool": self.read_tool_direct,
                "stream": self.read_chunk_direct,
            }
        return {"call": self.read, "tool": self.read_tool, "stream": self.read_chunk}

    # -- the cases
    def run(self, client: Any, kind: str, read: Callable[[Any], Any]) -> Reading:
        p = self.probe
        sent = p.call(self.fn(client, kind, False), **self.request(kind))
        if kind == "stream":
            return _consume(p.iter(self.chunks(sent)), read, self.last_reader(read))
        return read(sent)

    async def arun(self, client: Any, kind: str, read: Callable[[Any], Any]) -> Reading:
        p = self.probe
        fn = self.fn(client, kind, True)
        if kind == "stream":
            if self.awaited_stream:
                opened = await p.acall(fn, **self.request(kind))
            else:  # an async generator function: nothing to await before iterating
                opened = p.call(fn, **self.request(kind))
            return await _aconsume(p.aiter(self.chunks(opened)), read, self.last_reader(read))
        return read(await p.acall(fn, **self.request(kind)))


# -- OpenAI and its wire's siblings ---------------------------------------------------------


class OpenAIBench(Bench):
    name = "openai"
    model = "gpt-4o-mini"
    sdk_import = "import openai"
    sdk_modules = ("openai",)
    stream_options: ClassVar[dict[str, Any]] = {"stream_options": {"include_usage": True}}

    def environ(self) -> dict[str, str]:
        return {"OPENAI_BASE_URL": self.url + "/v1", "OPENAI_API_KEY": "sk-bench"}

    def client(self) -> Any:
        import openai

        return openai.OpenAI(base_url=self.url + "/v1", api_key="sk-bench")

    async def aclient(self, stack: AsyncExitStack, *, from_env: bool = False) -> Any:
        import openai

        if from_env:
            client = openai.AsyncOpenAI()
        else:
            client = openai.AsyncOpenAI(base_url=self.url + "/v1", api_key="sk-bench")
        stack.push_async_callback(client.close)
        return client

    def fn(self, client: Any, kind: str, is_async: bool) -> Callable[..., Any]:
        return client.chat.completions.create

    def messages(self) -> list[dict[str, Any]]:
        return [{"role": role, "content": text} for role, text in self.turns()]

    def make_tools(self, tools: Sequence[type[BaseTool]]) -> Any:
        return [
            {
                "type": "function",
                "function": {
                    "name": t.__name__,
                    "description": "Format a book.",
                    "parameters": _schema(),
                },
            }
            for t in tools
        ]

    def request(self, kind: str) -> dict[str, Any]:
        request: dict[str, Any] = {"model": self.model, "messages": self.messages()}
        if kind == "tool":
            request["tools"] = self.tools()
        elif kind == "stream":
            request["stream"] = True
            request.update(self.stream_options)
        return request

    def read(self, response: Any) -> Reading:
        choice, usage = response.choices[0], response.usage
        return Reading(
            choice.message.content or "",
            usage.prompt_tokens,
            usage.completion_tokens,
            choice.finish_reason,
        )

    def read_tool(self, response: Any) -> Reading:
        choice, usage = response.choices[0], response.usage
        return Reading(
            _book(choice.message.tool_calls[0].function.arguments),
            usage.prompt_tokens,
            usage.completion_tokens,
            choice.finish_reason,
        )

    def read_chunk(self, chunk: Any) -> ChunkReading:
        usage = chunk.usage
        inp, out = (usage.prompt_tokens, usage.completion_tokens) if usage else (None, None)
        if not chunk.choices:
            return "", inp, out, None
        choice = chunk.choices[0]
        return choice.delta.content or "", inp, out, choice.finish_reason


class OpenAIResponsesBench(OpenAIBench):
    """OpenAI's Responses API (``client.responses.create``): the same clients and fake.
    Its stream chunks are the API's events; text, usage and status are read from them as
    the SDK's documentation shows."""

    name = "openai.responses"

    def fn(self, client: Any, kind: str, is_async: bool) -> Callable[..., Any]:
        return client.responses.create

    def make_tools(self, tools: Sequence[type[BaseTool]]) -> Any:
        return [
            {
                "type": "function",
                "name": t.__name__,
                "description": "Format a book.",
                "parameters": _schema(),
                "strict": False,
            }
            for t in tools
        ]

    def request(self, kind: str) -> dict[str, Any]:
        request: dict[str, Any] = {"model": self.model, "input": self.messages()}
        if kind == "tool":
            request["tools"] = self.tools()
        elif kind == "stream":
            request["stream"] = True
        return request

    @staticmethod
    def _finish(response: Any) -> str | None:
        details = response.incomplete_details
        return (details.reason if details is not None else None) or response.status

    def read(self, response: Any) -> Reading:
        usage = response.usage
        return Reading(
            response.output_text, usage.input_tokens, usage.output_tokens, self._finish(response)
        )

    def read_tool(self, response: Any) -> Reading:
        call = next(item for item in response.output if item.type == "function_call")
        usage = response.usage
        return Reading(
            _book(call.arguments), usage.input_tokens, usage.output_tokens, self._finish(response)
        )

    def read_chunk(self, chunk: Any) -> ChunkReading:
        kind = chunk.type
        if kind == "response.output_text.delta":
            return chunk.delta, None, None, None
        if kind in ("response.completed", "response.incomplete", "response.failed"):
            whole = chunk.response
            usage = whole.usage
            return "", usage.input_tokens, usage.output_tokens, self._finish(whole)
        return "", None, None, None


class GroqBench(OpenAIBench):
    name = "groq"
    model = "llama-3.1-70b-versatile"
    sdk_import = "import groq"
    sdk_modules = ("groq",)
    stream_options: ClassVar[dict[str, Any]] = {}  # Groq's SDK has none

    def environ(self) -> dict[str, str]:
        return {"GROQ_BASE_URL": self.url, "GROQ_API_KEY": "gsk-bench"}

    def client(self) -> Any:
        import groq

        return groq.Groq(base_url=self.url, api_key="gsk-bench")

    async def aclient(self, stack: AsyncExitStack, *, from_env: bool = False) -> Any:
        import groq

        client = groq.AsyncGroq() if from_env else groq.AsyncGroq(base_url=self.url, api_key="k")
        stack.push_async_callback(client.close)
        return client

    def read_chunk(self, chunk: Any) -> ChunkReading:
        # Groq sends the stream's usage in the last chunk (its x_groq extension in older
        # answers)
        usage = chunk.usage
        if usage is None and chunk.x_groq is not None:
            usage = chunk.x_groq.usage
        inp, out = (usage.prompt_tokens, usage.completion_tokens) if usage else (None, None)
        if not chunk.choices:
            return "", inp, out, None
        choice = chunk.choices[0]
        return choice.delta.content or "", inp, out, choice.finish_reason


class LiteLLMBench(OpenAIBench):
    """litellm routes "gpt-4o-mini" to OpenAI's API at OPENAI_BASE_URL; no client object.
    Streams have two baselines: the chunks' attributes (pydantic extras) and their dicts."""

    name = "litellm"
    direct = True
    sdk_import = "import litellm"
    sdk_modules = ("litellm", "openai")
    custom_client = False

    def environ(self) -> dict[str, str]:
        # litellm reads this at import: its bundled cost map, no download
        return {**super().environ(), "LITELLM_LOCAL_MODEL_COST_MAP": "True"}

    def client(self) -> Any:
        import litellm

        return litellm

    async def aclient(self, stack: AsyncExitStack, *, from_env: bool = False) -> Any:
        import litellm

        return litellm

    def fn(self, client: Any, kind: str, is_async: bool) -> Callable[..., Any]:
        return client.acompletion if is_async else client.completion

    def read_chunk(self, chunk: Any) -> ChunkReading:
        # litellm's chunks carry usage as an extra attribute, on the last chunk only
        usage = getattr(chunk, "usage", None)
        inp, out = (usage.prompt_tokens, usage.completion_tokens) if usage else (None, None)
        if not chunk.choices:
            return "", inp, out, None
        choice = chunk.choices[0]
        return choice.delta.content or "", inp, out, choice.finish_reason

    def read_chunk_direct(self, chunk: Any) -> ChunkReading:
        # the chunk's choice and delta fields are pydantic extras, which an attribute read
        # reaches through pydantic's __getattr__ (and an absent usage through a raised
        # AttributeError): the dicts underneath, as mirascope reads them
        fields, extra = chunk.__dict__, chunk.__pydantic_extra__
        usage = fields.get("usage") or (extra.get("usage") if extra else None)
        inp, out = (usage.prompt_tokens, usage.completion_tokens) if usage else (None, None)
        choices = fields.get("choices")
        if not choices:
            return "", inp, out, None
        choice = choices[0].__pydantic_extra__
        return (
            choice["delta"].__pydantic_extra__.get("content") or "",
            inp,
            out,
            choice.get("finish_reason"),
        )


class MistralBench(OpenAIBench):
    """One ``Mistral`` client serves sync and async; streams through ``chat.stream``."""

    name = "mistral"
    model = "mistral-large-latest"
    sdk_import = "from mistralai import Mistral"
    sdk_modules = ("mistralai",)
    stream_options: ClassVar[dict[str, Any]] = {}  # Mistral refuses stream_options

    def environ(self) -> dict[str, str]:
        return {"MISTRAL_SERVER_URL": self.url, "MISTRAL_API_KEY": "bench-key"}

    def client(self) -> Any:
        from mistralai import Mistral

        return Mistral(api_key="bench-key", server_url=self.url)

    async def aclient(self, stack: AsyncExitStack, *, from_env: bool = False) -> Any:
        import os

        from mistralai import Mistral

        url = os.environ["MISTRAL_SERVER_URL"] if from_env else self.url
        client = Mistral(api_key="bench-key", server_url=url)
        stack.push_async_exit(client)
        return client

    def fn(self, client: Any, kind: str, is_async: bool) -> Callable[..., Any]:
        chat = client.chat
        if kind == "stream":
            return chat.stream_async if is_async else chat.stream
        return chat.complete_async if is_async else chat.complete

    def request(self, kind: str) -> dict[str, Any]:
        request = super().request(kind)
        request.pop("stream", None)  # chat.stream streams
        return request

    def read_chunk(self, chunk: Any) -> ChunkReading:
        return super().read_chunk(chunk.data)


# -- Anthropic -------------------------------------------------------------------------------


class AnthropicBench(Bench):
    name = "anthropic"
    model = "claude-3-5-sonnet-20240620"
    sdk_import = "import anthropic"
    sdk_modules = ("anthropic",)

    def environ(self) -> dict[str, str]:
        return {"ANTHROPIC_BASE_URL": self.url, "ANTHROPIC_API_KEY": "sk-ant-bench"}

    def client(self) -> Any:
        import anthropic

        return anthropic.Anthropic(base_url=self.url, api_key="sk-ant-bench")

    async def aclient(self, stack: AsyncExitStack, *, from_env: bool = False) -> Any:
        import anthropic

        if from_env:
            client = anthropic.AsyncAnthropic()
        else:
            client = anthropic.AsyncAnthropic(base_url=self.url, api_key="sk-ant-bench")
        stack.push_async_callback(client.close)
        return client

    def fn(self, client: Any, kind: str, is_async: bool) -> Callable[..., Any]:
        return client.messages.create

    def request(self, kind: str) -> dict[str, Any]:
        request: dict[str, Any] = {
            "model": self.model,
            "max_tokens": 1024,
            "messages": [{"role": role, "content": text} for role, text in self.turns()],
        }
        if kind == "tool":
            request["tools"] = self.tools()
        elif kind == "stream":
            request["stream"] = True
        return request

    def make_tools(self, tools: Sequence[type[BaseTool]]) -> Any:
        return [
            {"name": t.__name__, "description": "Format a book.", "input_schema": _schema()}
            for t in tools
        ]

    def read(self, response: Any) -> Reading:
        usage = response.usage
        return Reading(
            "".join(b.text for b in response.content if b.type == "text"),
            usage.input_tokens,
            usage.output_tokens,
            response.stop_reason,
        )

    def read_tool(self, response: Any) -> Reading:
        usage = response.usage
        return Reading(
            _book(next(b for b in response.content if b.type == "tool_use").input),
            usage.input_tokens,
            usage.output_tokens,
            response.stop_reason,
        )

    def read_chunk(self, chunk: Any) -> ChunkReading:
        kind = chunk.type
        if kind == "content_block_delta":
            delta = chunk.delta
            return (delta.text if delta.type == "text_delta" else ""), None, None, None
        if kind == "message_start":  # input tokens here, output tokens in message_delta
            return "", chunk.message.usage.input_tokens, None, None
        if kind == "message_delta":
            return "", None, chunk.usage.output_tokens, chunk.delta.stop_reason
        return "", None, None, None


# -- Cohere (v1 clients: mirascope's default) ---------------------------------------------


class CohereBench(Bench):
    name = "cohere"
    model = "command-r-plus"
    # cohere's __init__ is lazy: a user reaches the client class
    sdk_import = "import cohere; cohere.Client"
    sdk_modules = ("cohere",)
    awaited_stream = False  # the async chat_stream is an async generator function

    def environ(self) -> dict[str, str]:
        return {"CO_API_URL": self.url, "CO_API_KEY": "co-bench"}

    def client(self) -> Any:
        import cohere

        return cohere.Client(api_key="co-bench", base_url=self.url)

    async def aclient(self, stack: AsyncExitStack, *, from_env: bool = False) -> Any:
        import os

        import cohere

        url = os.environ["CO_API_URL"] if from_env else self.url  # read at import otherwise
        client = cohere.AsyncClient(api_key="co-bench", base_url=url)
        stack.push_async_exit(client)
        return client

    def fn(self, client: Any, kind: str, is_async: bool) -> Callable[..., Any]:
        return client.chat_stream if kind == "stream" else client.chat

    def request(self, kind: str) -> dict[str, Any]:
        roles = {"user": "USER", "assistant": "CHATBOT"}
        request: dict[str, Any] = {"message": self.prompt}
        if self.history:
            request["chat_history"] = [
                {"role": roles[role], "message": text} for role, text in self.history
            ]
        request["model"] = self.model
        if kind == "tool":
            request["tools"] = self.tools()
        return request

    def make_tools(self, tools: Sequence[type[BaseTool]]) -> Any:
        return [
            {
                "name": t.__name__,
                "description": "Format a book.",
                "parameter_definitions": {
                    "title": {"type": "str", "required": True},
                    "author": {"type": "str", "required": True},
                },
            }
            for t in tools
        ]

    def read(self, response: Any) -> Reading:
        billed = response.meta.billed_units
        return Reading(
            response.text, billed.input_tokens, billed.output_tokens, response.finish_reason
        )

    def read_tool(self, response: Any) -> Reading:
        billed = response.meta.billed_units
        return Reading(
            _book(response.tool_calls[0].parameters),
            billed.input_tokens,
            billed.output_tokens,
            response.finish_reason,
        )

    def read_chunk(self, chunk: Any) -> ChunkReading:
        kind = chunk.event_type
        if kind == "text-generation":
            return chunk.text, None, None, None
        if kind == "stream-end":
            billed = chunk.response.meta.billed_units
            return "", billed.input_tokens, billed.output_tokens, chunk.finish_reason
        return "", None, None, None


# -- Bedrock (Converse) ---------------------------------------------------------------------


class BedrockBench(Bench):
    name = "bedrock"
    model = "anthropic.claude-3-haiku-20240307-v1:0"
    sdk_import = "import boto3"
    sdk_modules = ("boto3", "botocore", "aiobotocore")

    def environ(self) -> dict[str, str]:
        return {
            "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": self.url,
            "AWS_ACCESS_KEY_ID": "AKIABENCHFAKE",
            "AWS_SECRET_ACCESS_KEY": "bench-secret",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": "/dev/null",
            "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
            "AWS_EC2_METADATA_DISABLED": "true",
        }

    def client(self) -> Any:
        import boto3.session

        return boto3.session.Session().client("bedrock-runtime", endpoint_url=self.url)

    async def aclient(self, stack: AsyncExitStack, *, from_env: bool = False) -> Any:
        from aiobotocore.session import get_session

        endpoint_url = None if from_env else self.url
        return await stack.enter_async_context(
            get_session().create_client("bedrock-runtime", endpoint_url=endpoint_url)
        )

    def fn(self, client: Any, kind: str, is_async: bool) -> Callable[..., Any]:
        return client.converse_stream if kind == "stream" else client.converse

    def request(self, kind: str) -> dict[str, Any]:
        request: dict[str, Any] = {
            "modelId": self.model,
            "messages": [{"role": r, "content": [{"text": text}]} for r, text in self.turns()],
        }
        if kind == "tool":
            request["toolConfig"] = self.tools()
        return request

    def make_tools(self, tools: Sequence[type[BaseTool]]) -> Any:
        specs = [
            {
                "toolSpec": {
                    "name": t.__name__,
                    "description": "Format a book.",
                    "inputSchema": {"json": _schema()},
                }
            }
            for t in tools
        ]
        return {"tools": specs}

    def chunks(self, opened: Any) -> Any:
        return opened["stream"]

    def read(self, response: dict[str, Any]) -> Reading:
        usage = response["usage"]
        return Reading(
            "".join(b["text"] for b in response["output"]["message"]["content"] if "text" in b),
            usage["inputTokens"],
            usage["outputTokens"],
            response["stopReason"],
        )

    def read_tool(self, response: dict[str, Any]) -> Reading:
        usage = response["usage"]
        blocks = response["output"]["message"]["content"]
        return Reading(
            _book(next(b["toolUse"]["input"] for b in blocks if "toolUse" in b)),
            usage["inputTokens"],
            usage["outputTokens"],
            response["stopReason"],
        )

    def read_chunk(self, chunk: dict[str, Any]) -> ChunkReading:
        if "contentBlockDelta" in chunk:
            return chunk["contentBlockDelta"]["delta"].get("text", ""), None, None, None
        if "messageStop" in chunk:
            return "", None, None, chunk["messageStop"]["stopReason"]
        if "metadata" in chunk:
            usage = chunk["metadata"]["usage"]
            return "", usage["inputTokens"], usage["outputTokens"], None
        return "", None, None, None


# -- Azure AI inference (chat-completions shape) ----------------------------------------------


class AzureBench(OpenAIBench):
    """Public accessors: the SDK's model attributes (each read deserializes the field
    again); direct: the mappings those models are."""

    name = "azure"
    sdk_import = "from azure.ai.inference import ChatCompletionsClient"
    sdk_modules = ("azure",)
    stream_options: ClassVar[dict[str, Any]] = {}  # complete() has none
    direct = True

    def environ(self) -> dict[str, str]:
        return {"AZURE_INFERENCE_ENDPOINT": self.url, "AZURE_INFERENCE_CREDENTIAL": "bench-key"}

    def client(self) -> Any:
        from azure.ai.inference import ChatCompletionsClient
        from azure.core.credentials import AzureKeyCredential

        return ChatCompletionsClient(self.url, AzureKeyCredential("bench-key"))

    async def aclient(self, stack: AsyncExitStack, *, from_env: bool = False) -> Any:
        import os

        from azure.ai.inference.aio import ChatCompletionsClient
        from azure.core.credentials import AzureKeyCredential

        url = os.environ["AZURE_INFERENCE_ENDPOINT"] if from_env else self.url
        client = ChatCompletionsClient(url, AzureKeyCredential("bench-key"))
        stack.push_async_callback(client.close)
        return client

    def fn(self, client: Any, kind: str, is_async: bool) -> Callable[..., Any]:
        return client.complete

    def read_direct(self, response: Any) -> Reading:
        choice, usage = response["choices"][0], response["usage"]
        return Reading(
            choice["message"].get("content") or "",
            usage["prompt_tokens"],
            usage["completion_tokens"],
            choice["finish_reason"],
        )

    def read_tool_direct(self, response: Any) -> Reading:
        choice, usage = response["choices"][0], response["usage"]
        return Reading(
            _book(choice["message"]["tool_calls"][0]["function"]["arguments"]),
            usage["prompt_tokens"],
            usage["completion_tokens"],
            choice["finish_reason"],
        )

    def read_chunk_direct(self, chunk: Any) -> ChunkReading:
        usage = chunk.get("usage")
        inp, out = (usage["prompt_tokens"], usage["completion_tokens"]) if usage else (None, None)
        choices = chunk.get("choices")
        if not choices:
            return "", inp, out, None
        choice = choices[0]
        delta = choice.get("delta") or {}
        return delta.get("content") or "", inp, out, choice.get("finish_reason")


# -- Gemini and Vertex AI (generateContent over gRPC, the SDKs' default transport) --------------


def _declaration(name: str) -> dict[str, Any]:
    """A function declaration as a Gemini user writes it (the same schema mirascope sends)."""
    return {
        "name": name,
        "description": "Format a book.",
        "parameters": {
            "type": "object",
            "properties": {"title": {"type": "string"}, "author": {"type": "string"}},
            "required": ["title", "author"],
        },
    }


_finish_names: dict[Any, dict[int, str]] = {}


def _finish_name(candidate: Any) -> str | None:
    """A protobuf candidate's finish reason by name (the enum's names, looked up once)."""
    reason: int = candidate.finish_reason
    if not reason:
        return None
    names = _finish_names.get(candidate.DESCRIPTOR)
    if names is None:
        values = candidate.DESCRIPTOR.fields_by_name["finish_reason"].enum_type.values
        names = _finish_names[candidate.DESCRIPTOR] = {v.number: v.name for v in values}
    return names[reason]


class GeminiBench(Bench):
    """The client is a ``GenerativeModel`` (it carries the model); the endpoint is
    process-wide (``genai.configure``), gRPC trusting the fake's certificate.

    Public accessors: ``response.text``, ``response.usage_metadata``,
    ``candidates[0].finish_reason`` (proto-plus: each read converts, and ``.text`` checks
    every part); direct: the protobuf message under them, as mirascope reads it."""

    name = "gemini"
    model = "gemini-1.5-flash"
    sdk_import = "import google.generativeai"
    sdk_modules = ("google.generativeai", "google.ai", "grpc")
    direct = True

    def environ(self) -> dict[str, str]:
        return {
            "GOOGLE_API_KEY": "bench-key",
            "GRPC_DEFAULT_SSL_ROOTS_FILE_PATH": self.server["ca_file"],
        }

    def setup(self) -> None:
        from google.generativeai.client import configure

        configure(
            api_key="bench-key", client_options={"api_endpoint": self.server["grpc_endpoint"]}
        )

    def model_class(self) -> Any:
        from google.generativeai.generative_models import GenerativeModel

        return GenerativeModel

    def client(self) -> Any:
        return self.model_class()(model_name=self.model)

    async def aclient(self, stack: AsyncExitStack, *, from_env: bool = False) -> Any:
        return self.model_class()(model_name=self.model)

    def fn(self, client: Any, kind: str, is_async: bool) -> Callable[..., Any]:
        return client.generate_content_async if is_async else client.generate_content

    def request(self, kind: str) -> dict[str, Any]:
        roles = {"user": "user", "assistant": "model"}
        request: dict[str, Any] = {
            "contents": [
                {"role": roles[role], "parts": [{"text": text}]} for role, text in self.turns()
            ]
        }
        if kind == "tool":
            request["tools"] = self.tools()
        elif kind == "stream":
            request["stream"] = True
        return request

    def make_tools(self, tools: Sequence[type[BaseTool]]) -> Any:
        from google.generativeai.types.content_types import FunctionLibrary

        declarations = [_declaration(t.__name__) for t in tools]
        return FunctionLibrary(tools=[{"function_declarations": declarations}])

    # the SDK's public accessors
    def read(self, response: Any) -> Reading:
        usage = response.usage_metadata
        return Reading(
            response.text,
            usage.prompt_token_count,
            usage.candidates_token_count,
            response.candidates[0].finish_reason.name,
        )

    def read_tool(self, response: Any) -> Reading:
        usage, candidate = response.usage_metadata, response.candidates[0]
        call = candidate.content.parts[0].function_call
        return Reading(
            _book(dict(call.args)),
            usage.prompt_token_count,
            usage.candidates_token_count,
            candidate.finish_reason.name,
        )

    def read_chunk(self, chunk: Any) -> ChunkReading:
        usage = chunk.usage_metadata
        candidate = chunk.candidates[0]
        finish = candidate.finish_reason
        return (
            chunk.text,
            usage.prompt_token_count if usage else None,
            usage.candidates_token_count if usage else None,
            finish.name if finish else None,
        )

    # the protobuf message underneath
    @staticmethod
    def pb(response: Any) -> Any:
        result = response._result
        return type(result).pb(result)

    def read_direct(self, response: Any) -> Reading:
        message = self.pb(response)
        candidate, usage = message.candidates[0], message.usage_metadata
        return Reading(
            "".join(p.text for p in candidate.content.parts),
            usage.prompt_token_count,
            usage.candidates_token_count,
            _finish_name(candidate),
        )

    def read_tool_direct(self, response: Any) -> Reading:
        from google.protobuf.json_format import MessageToDict

        message = self.pb(response)
        candidate, usage = message.candidates[0], message.usage_metadata
        return Reading(
            _book(MessageToDict(candidate.content.parts[0].function_call.args)),
            usage.prompt_token_count,
            usage.candidates_token_count,
            _finish_name(candidate),
        )

    usage_in_every_chunk = True
    message_of = operator.attrgetter("_result._pb")
    """The protobuf message under the SDK's chunk, in one call (cheaper than ``pb``)."""

    def read_chunk_direct(self, chunk: Any) -> ChunkReading:
        candidate = self.message_of(chunk).candidates[0]
        parts = candidate.content.parts
        text = parts[0].text if len(parts) == 1 else "".join(p.text for p in parts)
        return text, None, None, _finish_name(candidate) if candidate.finish_reason else None

    def read_last_usage(self, chunk: Any) -> UsageReading:
        message = self.message_of(chunk)
        if not message.HasField("usage_metadata"):
            return None, None
        usage = message.usage_metadata
        return usage.prompt_token_count, usage.candidates_token_count


class VertexBench(GeminiBench):
    """``vertexai.init(api_endpoint=..., api_transport="grpc")`` with token credentials."""

    name = "vertex"
    sdk_import = "from vertexai.generative_models import GenerativeModel"
    sdk_modules = ("vertexai", "google.cloud.aiplatform", "grpc")

    def environ(self) -> dict[str, str]:
        return {
            "GOOGLE_CLOUD_PROJECT": "bench-project",
            "GOOGLE_CLOUD_REGION": "us-central1",
            "GRPC_DEFAULT_SSL_ROOTS_FILE_PATH": self.server["ca_file"],
        }

    def setup(self) -> None:
        import vertexai
        from google.oauth2.credentials import Credentials

        vertexai.init(
            project="bench-project",
            location="us-central1",
            api_endpoint=self.server["grpc_endpoint"],
            api_transport="grpc",
            credentials=Credentials(token="bench-token"),
        )

    def model_class(self) -> Any:
        from vertexai.generative_models import GenerativeModel

        return GenerativeModel

    def make_tools(self, tools: Sequence[type[BaseTool]]) -> Any:
        from vertexai.generative_models import FunctionDeclaration, Tool

        declarations = [FunctionDeclaration(**_declaration(t.__name__)) for t in tools]
        return [Tool(function_declarations=declarations)]

    def read_tool(self, response: Any) -> Reading:
        usage, candidate = response.usage_metadata, response.candidates[0]
        return Reading(
            _book(candidate.function_calls[0].args),
            usage.prompt_token_count,
            usage.candidates_token_count,
            candidate.finish_reason.name,
        )

    def read_chunk(self, chunk: Any) -> ChunkReading:
        usage = chunk.usage_metadata
        candidate = chunk.candidates[0]
        finish = candidate.finish_reason
        return (
            chunk.text,
            usage.prompt_token_count or None,
            usage.candidates_token_count or None,
            finish.name if finish else None,
        )

    @staticmethod
    def pb(response: Any) -> Any:
        result = response._raw_response
        return type(result).pb(result)

    message_of = operator.attrgetter("_raw_response._pb")


# -- Google through google-genai (REST; the Gemini API) ------------------------------------------


class GoogleBench(Bench):
    """One ``genai.Client`` serves sync and async (its ``.aio``); mirascope is handed the
    ``Client`` itself for both.

    Public accessors: ``response.text`` (which dumps every part to look for non-text
    fields) and ``response.function_calls``; direct: the candidate's parts, as mirascope
    reads them. Usage and finish reason are plain model fields on both."""

    name = "google"
    model = "gemini-2.5-flash"
    sdk_import = "from google import genai"
    sdk_modules = ("google.genai",)
    direct = True

    def environ(self) -> dict[str, str]:
        return {"GOOGLE_API_KEY": "bench-key", "GOOGLE_GEMINI_BASE_URL": self.url}

    def client(self) -> Any:
        from google import genai

        return genai.Client(api_key="bench-key", http_options={"base_url": self.url})

    async def aclient(self, stack: AsyncExitStack, *, from_env: bool = False) -> Any:
        from google import genai

        client = genai.Client() if from_env else self.client()
        stack.push_async_callback(client.aio.aclose)
        stack.callback(client.close)
        return client

    def fn(self, client: Any, kind: str, is_async: bool) -> Callable[..., Any]:
        models = client.aio.models if is_async else client.models
        return models.generate_content_stream if kind == "stream" else models.generate_content

    def request(self, kind: str) -> dict[str, Any]:
        roles = {"user": "user", "assistant": "model"}
        request: dict[str, Any] = {
            "model": self.model,
            "contents": [
                {"role": roles[role], "parts": [{"text": text}]} for role, text in self.turns()
            ],
        }
        if kind == "tool":
            request["config"] = {"tools": self.tools()}
        return request

    def make_tools(self, tools: Sequence[type[BaseTool]]) -> Any:
        return [{"function_declarations": [_declaration(t.__name__) for t in tools]}]

    @staticmethod
    def _usage(response: Any) -> tuple[int | None, int | None]:
        usage = response.usage_metadata
        if usage is None:
            return None, None
        return usage.prompt_token_count, usage.candidates_token_count

    @staticmethod
    def _finish(candidate: Any) -> str | None:
        reason = candidate.finish_reason
        return reason.value if reason is not None else None

    # the SDK's public accessors
    def read(self, response: Any) -> Reading:
        return Reading(
            response.text or "", *self._usage(response), self._finish(response.candidates[0])
        )

    def read_tool(self, response: Any) -> Reading:
        return Reading(
            _book(response.function_calls[0].args),
            *self._usage(response),
            self._finish(response.candidates[0]),
        )

    def read_chunk(self, chunk: Any) -> ChunkReading:
        candidates = chunk.candidates
        finish = self._finish(candidates[0]) if candidates else None
        return (chunk.text or "", *self._usage(chunk), finish)

    # the candidate's parts
    @staticmethod
    def _text(candidate: Any) -> str:
        content = candidate.content
        parts = content.parts if content is not None else None
        return "".join(p.text for p in parts or () if p.text and not p.thought)

    def read_direct(self, response: Any) -> Reading:
        candidate = response.candidates[0]
        return Reading(self._text(candidate), *self._usage(response), self._finish(candidate))

    def read_tool_direct(self, response: Any) -> Reading:
        candidate = response.candidates[0]
        call = next(p.function_call for p in candidate.content.parts if p.function_call)
        return Reading(_book(call.args), *self._usage(response), self._finish(candidate))

    usage_in_every_chunk = True

    def read_chunk_direct(self, chunk: Any) -> ChunkReading:
        candidates = chunk.candidates
        if not candidates:
            return "", None, None, None
        candidate = candidates[0]
        content = candidate.content
        parts = content.parts if content is not None else None
        if parts is not None and len(parts) == 1:
            part = parts[0]
            text = (part.text or "") if not part.thought else ""
        else:
            text = self._text(candidate)
        reason = candidate.finish_reason
        return text, None, None, reason.value if reason is not None else None

    def read_last_usage(self, chunk: Any) -> UsageReading:
        return self._usage(chunk)


# -- xAI (the openai SDK, pointed at api.x.ai) ------------------------------------------------


class XAIBench(OpenAIBench):
    name = "xai"
    model = "grok-3"

    def environ(self) -> dict[str, str]:
        return {"XAI_BASE_URL": self.url + "/v1", "XAI_API_KEY": "xai-bench"}

    def client(self) -> Any:
        import openai

        return openai.OpenAI(base_url=self.url + "/v1", api_key="xai-bench")

    async def aclient(self, stack: AsyncExitStack, *, from_env: bool = False) -> Any:
        import os

        import openai

        url = os.environ["XAI_BASE_URL"] if from_env else self.url + "/v1"
        client = openai.AsyncOpenAI(base_url=url, api_key="xai-bench")
        stack.push_async_callback(client.close)
        return client


# -- mirascope's side: the same for every provider -------------------------------------------


def _messages(bench: Bench) -> Any:
    """What mirascope's prompt function returns: the prompt, or the history and the prompt."""
    if not bench.history:
        return bench.prompt
    make = {"user": Messages.User, "assistant": Messages.Assistant}
    return [make[role](text) for role, text in bench.turns()]


def _reading(response: Any, value: Any, chunks: int = 0) -> Reading:
    finish = response.finish_reasons
    return Reading(
        value, response.input_tokens, response.output_tokens, finish[0] if finish else None, chunks
    )


def mirascope_calls(
    bench: Bench, client: Any, *, is_async: bool, via_llm: bool = False, **options: Any
) -> dict[str, Callable[[], Any]]:
    """``call``, ``stream`` and ``tool`` through mirascope with ``client`` (None: the
    default client), as a user writes them, reading what the raw side reads; async ones
    return coroutines. ``via_llm``: through ``llm.call(provider=...)`` instead of the
    provider's own ``call``; ``options``: more arguments of the decorator (``limiter=``,
    ``timeout=``)."""
    provider: Any = importlib.import_module(f"mirascope.core.{bench.name}")
    if via_llm:
        from mirascope import llm

        llm_call: Any = llm.call  # the provider's name is a str here, not its literal
        provider = SimpleNamespace(call=functools.partial(llm_call, bench.name))
    model = bench.model
    tools = list(tool_classes(bench.n_tools))
    prompt = _messages(bench)
    if is_async:

        @provider.call(model, client=client, **options)
        async def a_call() -> Any:
            return prompt

        @provider.call(model, client=client, stream=True, **options)
        async def a_stream() -> Any:
            return prompt

        @provider.call(model, client=client, tools=tools, **options)
        async def a_tool() -> Any:
            return prompt

        async def call_async() -> Reading:
            response = await a_call()
            return _reading(response, response.content)

        async def stream_async() -> Reading:
            parts: list[str] = []
            stream = await a_stream()
            async for chunk, _ in stream:
                parts.append(chunk.content)
            return _reading(stream, "".join(parts), len(parts))

        async def tool_async() -> Reading:
            response = await a_tool()
            return _reading(response, response.tool)

        return {"call": call_async, "stream": stream_async, "tool": tool_async}

    @provider.call(model, client=client, **options)
    def s_call() -> Any:
        return prompt

    @provider.call(model, client=client, stream=True, **options)
    def s_stream() -> Any:
        return prompt

    @provider.call(model, client=client, tools=tools, **options)
    def s_tool() -> Any:
        return prompt

    def call_sync() -> Reading:
        response = s_call()
        return _reading(response, response.content)

    def stream_sync() -> Reading:
        parts: list[str] = []
        stream = s_stream()
        for chunk, _ in stream:
            parts.append(chunk.content)
        return _reading(stream, "".join(parts), len(parts))

    def tool_sync() -> Reading:
        response = s_tool()
        return _reading(response, response.tool)

    return {"call": call_sync, "stream": stream_sync, "tool": tool_sync}


def raw_calls(
    bench: Bench, client: Any, *, is_async: bool, direct: bool = False
) -> dict[str, Callable[[], Any]]:
    """The raw SDK's ``call``, ``stream`` and ``tool`` bound to ``client``, reading through
    the public accessors or (``direct``) the cheapest read."""
    readers = bench.readers(direct)
    run: Callable[[Any, str, Callable[[Any], Any]], Any | Awaitable[Any]]
    run = bench.arun if is_async else bench.run
    return {k: (lambda k=k: run(client, k, readers[k])) for k in KINDS}


BENCHES: dict[str, type[Bench]] = {
    b.name: b
    for b in (
        OpenAIBench,
        OpenAIResponsesBench,
        AnthropicBench,
        MistralBench,
        GroqBench,
        CohereBench,
        LiteLLMBench,
        AzureBench,
        BedrockBench,
        GeminiBench,
        VertexBench,
        GoogleBench,
        XAIBench,
    )
}
