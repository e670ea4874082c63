"""Benchmark cases per provider: the raw SDK's calls, written as a user of that SDK writes
them, sending the same request mirascope sends; mirascope's side is the same for every
provider (see ``mirascope_calls``).

Each ``Bench`` knows how to point its SDK at the fake (environment variables for the
default clients, arguments for the custom ones) and the raw call, stream and tool call,
sync and async. The raw tool case parses the arguments into a pydantic model, as
mirascope's ``response.tool`` does."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from types import SimpleNamespace
from typing import Any, ClassVar

from pydantic import BaseModel

from benchmarks._harness import NO_PROBE, Probe
from mirascope.core import BaseTool

PROMPT = " ".join(["Recommend a fantasy book with a long and winding plot"] * 5)
"""50 words: the fakes echo it, one word per stream chunk."""


class FormatBook(BaseTool):
    """Format a book."""

    title: str
    author: str


class BookArgs(BaseModel):
    """What a raw-SDK user validates a tool call's arguments into."""

    title: str
    author: str


def _schema() -> dict[str, Any]:
    return FormatBook.parameters_schema()


def _oai_tools() -> list[dict[str, Any]]:
    return [
        {
            "type": "function",
            "function": {
                "name": "FormatBook",
                "description": "Format a book.",
                "parameters": _schema(),
            },
        }
    ]


def _book(arguments: Any) -> BookArgs:
    if isinstance(arguments, str):
        return BookArgs.model_validate_json(arguments)
    return BookArgs.model_validate(arguments)


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

    def __init__(self, server: dict[str, str]) -> None:
        self.server = server
        self.url = server["url"]
        self.probe: Probe = NO_PROBE
        """Every raw case enters the SDK through this (see ``SDKTimer``)."""

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

    def call(self, client: Any) -> str:
        raise NotImplementedError

    def stream(self, client: Any) -> int:
        """Consume a stream, collecting its text; returns the number of SDK chunks."""
        raise NotImplementedError

    def tool(self, client: Any) -> BookArgs:
        raise NotImplementedError

    async def acall(self, client: Any) -> str:
        raise NotImplementedError

    async def astream(self, client: Any) -> int:
        raise NotImplementedError

    async def atool(self, client: Any) -> BookArgs:
        raise NotImplementedError


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

    def create(self, client: Any) -> Callable[..., Any]:
        return client.chat.completions.create

    def messages(self) -> list[dict[str, Any]]:
        return [{"role": "user", "content": PROMPT}]

    def call(self, client: Any) -> str:
        p = self.probe
        response = p.call(self.create(client), model=self.model, messages=self.messages())
        return response.choices[0].message.content or ""

    def stream(self, client: Any) -> int:
        parts: list[str] = []
        n = 0
        p = self.probe
        stream = p.call(
            self.create(client),
            model=self.model,
            messages=self.messages(),
            stream=True,
            **self.stream_options,
        )
        for chunk in p.iter(stream):
            n += 1
            if chunk.choices:
                parts.append(chunk.choices[0].delta.content or "")
        return n

    def tool(self, client: Any) -> BookArgs:
        response = self.probe.call(
            self.create(client), model=self.model, messages=self.messages(), tools=_oai_tools()
        )
        return _book(response.choices[0].message.tool_calls[0].function.arguments)

    def acreate(self, client: Any) -> Callable[..., Any]:
        return self.create(client)

    async def acall(self, client: Any) -> str:
        p = self.probe
        response = await p.acall(self.acreate(client), model=self.model, messages=self.messages())
        return response.choices[0].message.content or ""

    async def astream(self, client: Any) -> int:
        parts: list[str] = []
        n = 0
        p = self.probe
        stream = await p.acall(
            self.acreate(client),
            model=self.model,
            messages=self.messages(),
            stream=True,
            **self.stream_options,
        )
        async for chunk in p.aiter(stream):
            n += 1
            if chunk.choices:
                parts.append(chunk.choices[0].delta.content or "")
        return n

    async def atool(self, client: Any) -> BookArgs:
        response = await self.probe.acall(
            self.acreate(client), model=self.model, messages=self.messages(), tools=_oai_tools()
        )
        return _book(response.choices[0].message.tool_calls[0].function.arguments)


def _responses_tools() -> list[dict[str, Any]]:
    return [
        {
            "type": "function",
            "name": "FormatBook",
            "description": "Format a book.",
            "parameters": _schema(),
            "strict": False,
        }
    ]


class OpenAIResponsesBench(OpenAIBench):
    """OpenAI's Responses API (``client.responses.create``): the same clients and fake."""

    name = "openai.responses"

    def create(self, client: Any) -> Callable[..., Any]:
        return client.responses.create

    def call(self, client: Any) -> str:
        response = self.probe.call(self.create(client), model=self.model, input=self.messages())
        return response.output_text

    def stream(self, client: Any) -> int:
        parts: list[str] = []
        n = 0
        p = self.probe
        stream = p.call(self.create(client), model=self.model, input=self.messages(), stream=True)
        for event in p.iter(stream):
            n += 1
            if event.type == "response.output_text.delta":
                parts.append(event.delta)
        return n

    def tool(self, client: Any) -> BookArgs:
        response = self.probe.call(
            self.create(client), model=self.model, input=self.messages(), tools=_responses_tools()
        )
        call = next(item for item in response.output if item.type == "function_call")
        return _book(call.arguments)

    async def acall(self, client: Any) -> str:
        p = self.probe
        response = await p.acall(self.acreate(client), model=self.model, input=self.messages())
        return response.output_text

    async def astream(self, client: Any) -> int:
        parts: list[str] = []
        n = 0
        p = self.probe
        stream = await p.acall(
            self.acreate(client), model=self.model, input=self.messages(), stream=True
        )
        async for event in p.aiter(stream):
            n += 1
            if event.type == "response.output_text.delta":
                parts.append(event.delta)
        return n

    async def atool(self, client: Any) -> BookArgs:
        response = await self.probe.acall(
            self.acreate(client), model=self.model, input=self.messages(), tools=_responses_tools()
        )
        call = next(item for item in response.output if item.type == "function_call")
        return _book(call.arguments)


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


class LiteLLMBench(OpenAIBench):
    """litellm routes "gpt-4o-mini" to OpenAI's API at OPENAI_BASE_URL; no client object."""

    name = "litellm"
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

    def create(self, client: Any) -> Callable[..., Any]:
        return client.completion

    def acreate(self, client: Any) -> Callable[..., Any]:
        return client.acompletion


class MistralBench(OpenAIBench):
    """One ``Mistral`` client serves sync and async."""

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

    def create(self, client: Any) -> Callable[..., Any]:
        return client.chat.complete

    def acreate(self, client: Any) -> Callable[..., Any]:
        return client.chat.complete_async

    def stream(self, client: Any) -> int:
        parts: list[str] = []
        n = 0
        p = self.probe
        for event in p.iter(p.call(client.chat.stream, model=self.model, messages=self.messages())):
            n += 1
            if event.data.choices:
                parts.append(event.data.choices[0].delta.content or "")
        return n

    async def astream(self, client: Any) -> int:
        parts: list[str] = []
        n = 0
        p = self.probe
        stream = await p.acall(client.chat.stream_async, model=self.model, messages=self.messages())
        async for event in p.aiter(stream):
            n += 1
            if event.data.choices:
                parts.append(event.data.choices[0].delta.content or "")
        return n


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

    def request(self, **extra: Any) -> dict[str, Any]:
        return {
            "model": self.model,
            "max_tokens": 1024,
            "messages": [{"role": "user", "content": PROMPT}],
            **extra,
        }

    @staticmethod
    def tools() -> list[dict[str, Any]]:
        return [{"name": "FormatBook", "description": "Format a book.", "input_schema": _schema()}]

    @staticmethod
    def text(message: Any) -> str:
        return "".join(b.text for b in message.content if b.type == "text")

    @staticmethod
    def tool_args(message: Any) -> BookArgs:
        return _book(next(b for b in message.content if b.type == "tool_use").input)

    def call(self, client: Any) -> str:
        return self.text(self.probe.call(client.messages.create, **self.request()))

    def stream(self, client: Any) -> int:
        parts: list[str] = []
        n = 0
        p = self.probe
        for event in p.iter(p.call(client.messages.create, **self.request(stream=True))):
            n += 1
            if event.type == "content_block_delta" and event.delta.type == "text_delta":
                parts.append(event.delta.text)
        return n

    def tool(self, client: Any) -> BookArgs:
        request = self.request(tools=self.tools())
        return self.tool_args(self.probe.call(client.messages.create, **request))

    async def acall(self, client: Any) -> str:
        return self.text(await self.probe.acall(client.messages.create, **self.request()))

    async def astream(self, client: Any) -> int:
        parts: list[str] = []
        n = 0
        p = self.probe
        stream = await p.acall(client.messages.create, **self.request(stream=True))
        async for event in p.aiter(stream):
            n += 1
            if event.type == "content_block_delta" and event.delta.type == "text_delta":
                parts.append(event.delta.text)
        return n

    async def atool(self, client: Any) -> BookArgs:
        request = self.request(tools=self.tools())
        return self.tool_args(await self.probe.acall(client.messages.create, **request))


# -- Cohere (v1 clients: mirascope's default) ---------------------------------------------


class CohereBench(Bench):
    name = "cohere"
    model = "command-r-plus"
    # cohere's __init__ is lazy: a user reaches the client class
    sdk_import = "import cohere; cohere.Client"
    sdk_modules = ("cohere",)

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

    @staticmethod
    def tools() -> list[dict[str, Any]]:
        return [
            {
                "name": "FormatBook",
                "description": "Format a book.",
                "parameter_definitions": {
                    "title": {"type": "str", "required": True},
                    "author": {"type": "str", "required": True},
                },
            }
        ]

    def call(self, client: Any) -> str:
        return self.probe.call(client.chat, model=self.model, message=PROMPT).text

    def stream(self, client: Any) -> int:
        parts: list[str] = []
        n = 0
        p = self.probe
        for event in p.iter(p.call(client.chat_stream, model=self.model, message=PROMPT)):
            n += 1
            if event.event_type == "text-generation":
                parts.append(event.text)
        return n

    def tool(self, client: Any) -> BookArgs:
        response = self.probe.call(
            client.chat, model=self.model, message=PROMPT, tools=self.tools()
        )
        return _book(response.tool_calls[0].parameters)

    async def acall(self, client: Any) -> str:
        return (await self.probe.acall(client.chat, model=self.model, message=PROMPT)).text

    async def astream(self, client: Any) -> int:
        parts: list[str] = []
        n = 0
        p = self.probe
        # chat_stream is an async generator function: nothing to await before iterating
        stream = p.call(client.chat_stream, model=self.model, message=PROMPT)
        async for event in p.aiter(stream):
            n += 1
            if event.event_type == "text-generation":
                parts.append(event.text)
        return n

    async def atool(self, client: Any) -> BookArgs:
        response = await self.probe.acall(
            client.chat, model=self.model, message=PROMPT, tools=self.tools()
        )
        return _book(response.tool_calls[0].parameters)


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

        endpoint = {} if from_env else {"endpoint_url": self.url}
        return await stack.enter_async_context(
            get_session().create_client("bedrock-runtime", **endpoint)
        )

    def request(self, **extra: Any) -> dict[str, Any]:
        return {
            "modelId": self.model,
            "messages": [{"role": "user", "content": [{"text": PROMPT}]}],
            **extra,
        }

    @staticmethod
    def tools() -> dict[str, Any]:
        spec = {
            "name": "FormatBook",
            "description": "Format a book.",
            "inputSchema": {"json": _schema()},
        }
        return {"toolConfig": {"tools": [{"toolSpec": spec}]}}

    @staticmethod
    def text(response: dict[str, Any]) -> str:
        return "".join(b["text"] for b in response["output"]["message"]["content"] if "text" in b)

    @staticmethod
    def tool_args(response: dict[str, Any]) -> BookArgs:
        blocks = response["output"]["message"]["content"]
        return _book(next(b["toolUse"]["input"] for b in blocks if "toolUse" in b))

    def call(self, client: Any) -> str:
        return self.text(self.probe.call(client.converse, **self.request()))

    def stream(self, client: Any) -> int:
        parts: list[str] = []
        n = 0
        p = self.probe
        for event in p.iter(p.call(client.converse_stream, **self.request())["stream"]):
            n += 1
            if "contentBlockDelta" in event:
                parts.append(event["contentBlockDelta"]["delta"].get("text", ""))
        return n

    def tool(self, client: Any) -> BookArgs:
        return self.tool_args(self.probe.call(client.converse, **self.request(**self.tools())))

    async def acall(self, client: Any) -> str:
        return self.text(await self.probe.acall(client.converse, **self.request()))

    async def astream(self, client: Any) -> int:
        parts: list[str] = []
        n = 0
        p = self.probe
        response = await p.acall(client.converse_stream, **self.request())
        async for event in p.aiter(response["stream"]):
            n += 1
            if "contentBlockDelta" in event:
                parts.append(event["contentBlockDelta"]["delta"].get("text", ""))
        return n

    async def atool(self, client: Any) -> BookArgs:
        request = self.request(**self.tools())
        return self.tool_args(await self.probe.acall(client.converse, **request))


# -- Azure AI inference (chat-completions shape) ----------------------------------------------


class AzureBench(OpenAIBench):
    name = "azure"
    sdk_import = "from azure.ai.inference import ChatCompletionsClient"
    sdk_modules = ("azure",)
    stream_options: ClassVar[dict[str, Any]] = {}  # complete() has none

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

    def create(self, client: Any) -> Callable[..., Any]:
        return client.complete


# -- Gemini and Vertex AI (generateContent over gRPC, the SDKs' default transport) --------------


_DECLARATION = {
    "name": "FormatBook",
    "description": "Format a book.",
    "parameters": {
        "type": "object",
        "properties": {"title": {"type": "string"}, "author": {"type": "string"}},
        "required": ["title", "author"],
    },
}


class GeminiBench(Bench):
    """The client is a ``GenerativeModel`` (it carries the model); the endpoint is
    process-wide (``genai.configure``), gRPC trusting the fake's certificate."""

    name = "gemini"
    model = "gemini-1.5-flash"
    sdk_import = "import google.generativeai"
    sdk_modules = ("google.generativeai", "google.ai", "grpc")

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

    def tools(self) -> Any:
        from google.generativeai.types.content_types import FunctionLibrary

        # built once, as mirascope builds its own once per tool set
        if not hasattr(self, "_tools"):
            self._tools = FunctionLibrary(tools=[{"function_declarations": [_DECLARATION]}])
        return self._tools

    @staticmethod
    def tool_args(response: Any) -> BookArgs:
        call = response.candidates[0].content.parts[0].function_call
        return _book(dict(call.args))

    @staticmethod
    def chunk_text(chunk: Any) -> str:
        parts = chunk.candidates[0].content.parts if chunk.candidates else ()
        return "".join(p.text for p in parts)

    def call(self, client: Any) -> str:
        return self.probe.call(client.generate_content, PROMPT).text

    def stream(self, client: Any) -> int:
        parts: list[str] = []
        n = 0
        p = self.probe
        for chunk in p.iter(p.call(client.generate_content, PROMPT, stream=True)):
            n += 1
            parts.append(self.chunk_text(chunk))
        return n

    def tool(self, client: Any) -> BookArgs:
        return self.tool_args(self.probe.call(client.generate_content, PROMPT, tools=self.tools()))

    async def acall(self, client: Any) -> str:
        return (await self.probe.acall(client.generate_content_async, PROMPT)).text

    async def astream(self, client: Any) -> int:
        parts: list[str] = []
        n = 0
        p = self.probe
        stream = await p.acall(client.generate_content_async, PROMPT, stream=True)
        async for chunk in p.aiter(stream):
            n += 1
            parts.append(self.chunk_text(chunk))
        return n

    async def atool(self, client: Any) -> BookArgs:
        response = await self.probe.acall(client.generate_content_async, PROMPT, tools=self.tools())
        return self.tool_args(response)


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

    def tools(self) -> Any:
        from vertexai.generative_models import FunctionDeclaration, Tool

        if not hasattr(self, "_tools"):
            self._tools = [Tool(function_declarations=[FunctionDeclaration(**_DECLARATION)])]
        return self._tools

    @staticmethod
    def tool_args(response: Any) -> BookArgs:
        return _book(dict(response.candidates[0].function_calls[0].args))


# -- Google through google-genai (REST; the Gemini API) ------------------------------------------


class GoogleBench(Bench):
    """One ``genai.Client`` serves sync and async (its ``.aio``); mirascope is handed the
    ``Client`` itself for both."""

    name = "google"
    model = "gemini-2.5-flash"
    sdk_import = "from google import genai"
    sdk_modules = ("google.genai",)

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

    def config(self) -> dict[str, Any]:
        # built once, as mirascope builds its own once per tool set
        if not hasattr(self, "_config"):
            self._config = {"tools": [{"function_declarations": [_DECLARATION]}]}
        return self._config

    @staticmethod
    def tool_args(response: Any) -> BookArgs:
        return _book(response.candidates[0].content.parts[0].function_call.args)

    @staticmethod
    def chunk_text(chunk: Any) -> str:
        parts = chunk.candidates[0].content.parts if chunk.candidates else None
        return "".join(p.text or "" for p in parts or ())

    def call(self, client: Any) -> str:
        return self.probe.call(
            client.models.generate_content, model=self.model, contents=PROMPT
        ).text

    def stream(self, client: Any) -> int:
        parts: list[str] = []
        n = 0
        p = self.probe
        stream = p.call(client.models.generate_content_stream, model=self.model, contents=PROMPT)
        for chunk in p.iter(stream):
            n += 1
            parts.append(self.chunk_text(chunk))
        return n

    def tool(self, client: Any) -> BookArgs:
        response = self.probe.call(
            client.models.generate_content, model=self.model, contents=PROMPT, config=self.config()
        )
        return self.tool_args(response)

    async def acall(self, client: Any) -> str:
        models = client.aio.models
        return (
            await self.probe.acall(models.generate_content, model=self.model, contents=PROMPT)
        ).text

    async def astream(self, client: Any) -> int:
        parts: list[str] = []
        n = 0
        p = self.probe
        models = client.aio.models
        stream = await p.acall(models.generate_content_stream, model=self.model, contents=PROMPT)
        async for chunk in p.aiter(stream):
            n += 1
            parts.append(self.chunk_text(chunk))
        return n

    async def atool(self, client: Any) -> BookArgs:
        models = client.aio.models
        response = await self.probe.acall(
            models.generate_content, model=self.model, contents=PROMPT, config=self.config()
        )
        return self.tool_args(response)


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


def mirascope_calls(
    bench: Bench, client: Any, *, is_async: bool, via_llm: bool = False, **options: Any
) -> dict[str, Callable[[], Any]]:
    """``call``, ``stream`` and ``tool`` through mirascope with ``client`` (None: the
    default client), as a user writes them; async ones return coroutines. ``via_llm``:
    through ``llm.call(provider=...)`` instead of the provider's own ``call``; ``options``:
    more arguments of the decorator (``limiter=``, ``timeout=``)."""
    provider: Any = importlib.import_module(f"mirascope.core.{bench.name}")
    if via_llm:
        from mirascope import llm

        llm_call: Any = llm.call  # the provider's name is a str here, not its literal
        provider = SimpleNamespace(call=functools.partial(llm_call, bench.name))
    model = bench.model
    if is_async:

        @provider.call(model, client=client, **options)
        async def a_call() -> str:
            return PROMPT

        @provider.call(model, client=client, stream=True, **options)
        async def a_stream() -> str:
            return PROMPT

        @provider.call(model, client=client, tools=[FormatBook], **options)
        async def a_tool() -> str:
            return PROMPT

        async def call_async() -> str:
            return (await a_call()).content

        async def stream_async() -> str:
            parts: list[str] = []
            async for chunk, _ in await a_stream():
                parts.append(chunk.content)
            return "".join(parts)

        async def tool_async() -> Any:
            return (await a_tool()).tool

        return {"call": call_async, "stream": stream_async, "tool": tool_async}

    @provider.call(model, client=client, **options)
    def s_call() -> str:
        return PROMPT

    @provider.call(model, client=client, stream=True, **options)
    def s_stream() -> str:
        return PROMPT

    @provider.call(model, client=client, tools=[FormatBook], **options)
    def s_tool() -> str:
        return PROMPT

    def stream_sync() -> str:
        parts: list[str] = []
        for chunk, _ in s_stream():
            parts.append(chunk.content)
        return "".join(parts)

    return {
        "call": lambda: s_call().content,
        "stream": stream_sync,
        "tool": lambda: s_tool().tool,
    }


def raw_calls(bench: Bench, client: Any, *, is_async: bool) -> dict[str, Callable[[], Any]]:
    """The raw SDK's ``call``, ``stream`` and ``tool`` bound to ``client``."""
    if is_async:
        calls: dict[str, Callable[[Any], Awaitable[Any]]] = {
            "call": bench.acall,
            "stream": bench.astream,
            "tool": bench.atool,
        }
    else:
        calls = {"call": bench.call, "stream": bench.stream, "tool": bench.tool}  # type: ignore[dict-item]
    return {k: (lambda f=f: f(client)) for k, f in calls.items()}


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
