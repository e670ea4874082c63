"""v1's response and stream surface, for every provider, sync and async, call and stream:
what went in (fn_args, template, call params, the SDK call's kwargs), what came back (the
SDK's own usage object, token counts, cost), times, model_dump and a stream's
construct_call_response -- exact values against the fakes (12 input tokens, one output
token a word: "Recommend a fantasy book" is 4)."""

from __future__ import annotations

import asyncio
import importlib
import json
import time
from collections.abc import Callable
from typing import Any

import pytest

from mirascope.core import BaseMessageParam, BaseStream, BaseTool, prompt_template
from mirascope.core.base.usage import CostMetadata, Usage
from mirascope.testing import FakeServer, Reply, ToolCall

from .base import ContractProvider

PROMPT = "Recommend a fantasy book"
BOOK = {"title": "The Name of the Wind", "author": "Patrick Rothfuss"}
TEMPLATE = "Recommend a {genre} book"
METADATA = {"tags": ["surface"]}

PARAMS: dict[str, dict[str, Any]] = {
    "openai": {"temperature": 0.5},
    "anthropic": {"max_tokens": 100},
    "mistral": {"temperature": 0.5},
    "gemini": {"generation_config": {"temperature": 0.5}},
    "groq": {"temperature": 0.5},
    "cohere": {"temperature": 0.5},
    "litellm": {"temperature": 0.5},
    "azure": {"temperature": 0.5},
    "vertex": {"generation_config": {"temperature": 0.5}},
    "bedrock": {"inferenceConfig": {"temperature": 0.5}},
    "google": {"config": {"temperature": 0.5}},
    "xai": {"temperature": 0.5},
    "openai.responses": {"temperature": 0.5},
}
"""A call param each SDK takes, given to the decorator."""


def _sdk_usage(name: str) -> tuple[type, Callable[[Any], tuple[Any, Any]]]:
    """The SDK's usage class, and how v1 code reads (input, output) tokens from it."""

    def attr(u: Any) -> tuple[Any, Any]:
        return (u.prompt_tokens, u.completion_tokens)

    if name in ("openai", "xai"):
        from openai.types import CompletionUsage

        return CompletionUsage, attr
    if name == "openai.responses":
        from openai.types.responses import ResponseUsage

        return ResponseUsage, lambda u: (u.input_tokens, u.output_tokens)
    if name == "groq":
        from groq.types import CompletionUsage as GroqUsage

        return GroqUsage, attr
    if name == "mistral":
        from mistralai.models import UsageInfo

        return UsageInfo, attr
    if name == "litellm":
        from litellm.types.utils import Usage as LiteLLMUsage

        return LiteLLMUsage, attr
    if name == "azure":
        from azure.ai.inference.models import CompletionsUsage

        return CompletionsUsage, attr
    if name == "anthropic":
        from anthropic.types import Usage as AnthropicUsage

        return AnthropicUsage, lambda u: (u.input_tokens, u.output_tokens)
    if name == "cohere":
        from cohere import ApiMetaBilledUnits

        return ApiMetaBilledUnits, lambda u: (u.input_tokens, u.output_tokens)
    if name == "gemini":
        from google.generativeai import protos

        usage_type: type = protos.GenerateContentResponse.UsageMetadata
        return usage_type, lambda u: (u.prompt_token_count, u.candidates_token_count)
    if name == "vertex":
        from google.cloud.aiplatform_v1beta1.types import prediction_service

        usage_type = prediction_service.GenerateContentResponse.UsageMetadata
        return usage_type, lambda u: (u.prompt_token_count, u.candidates_token_count)
    if name == "google":
        from google.genai.types import GenerateContentResponseUsageMetadata

        usage_type = GenerateContentResponseUsageMetadata
        return usage_type, lambda u: (u.prompt_token_count, u.candidates_token_count)
    assert name == "bedrock"
    return dict, lambda u: (u["inputTokens"], u["outputTokens"])


CACHED: dict[str, int | None] = {
    "openai": 0,
    "anthropic": 0,
    "bedrock": 0,
    "gemini": None,
    "vertex": None,
    "mistral": None,
    "groq": 0,
    "cohere": None,
    "litellm": 0,
    "azure": None,
    "google": None,
    "xai": 0,
    "openai.responses": 0,
}
"""What each fake reports as cached input (0 where its usage has the field, else none)."""
CACHED_STREAMED = {**CACHED, "bedrock": None}
"""Bedrock's stream metadata event carries no cache counts."""

NAMES_ITS_MODEL = {"bedrock": False, "cohere": False}
"""Vendors whose responses do not name the model (the one asked for is reported)."""

COST_MODELS: dict[str, tuple[str, float]] = {
    "openai": ("gpt-4o-mini", (12 * 0.15 + 4 * 0.6) / 1e6),
    "anthropic": ("claude-haiku-4-5", (12 * 1.0 + 4 * 5.0) / 1e6),
    "mistral": ("mistral-large-2512", (12 * 0.5 + 4 * 1.5) / 1e6),
    "gemini": ("gemini-2.5-flash", (12 * 0.3 + 4 * 2.5) / 1e6),
    "vertex": ("gemini-2.5-flash", (12 * 0.3 + 4 * 2.5) / 1e6),
    "groq": ("llama-3.3-70b-versatile", (12 * 0.59 + 4 * 0.79) / 1e6),
    "cohere": ("command-r-08-2024", (12 * 0.15 + 4 * 0.6) / 1e6),
    "litellm": ("gpt-4o-mini", (12 * 0.15 + 4 * 0.6) / 1e6),  # LiteLLM's own cost map
    "azure": ("gpt-4o-mini", (12 * 0.15 + 4 * 0.6) / 1e6),
    "bedrock": ("global.anthropic.claude-haiku-4-5-20251001-v1:0", (12 * 1.0 + 4 * 5.0) / 1e6),
    "google": ("gemini-2.5-flash", (12 * 0.3 + 4 * 2.5) / 1e6),
    "xai": ("grok-4.3", (12 * 1.25 + 4 * 2.5) / 1e6),
    "openai.responses": ("gpt-4o-mini", (12 * 0.15 + 4 * 0.6) / 1e6),
}
"""A priced model per provider and its exact cost for the fakes' 12 in / 4 out tokens."""

DUMP_KEYS = {
    "metadata",
    "response",
    "tool_types",
    "prompt_template",
    "fn_args",
    "dynamic_config",
    "messages",
    "call_params",
    "call_kwargs",
    "user_message_param",
    "start_time",
    "end_time",
    "content",
    "finish_reasons",
    "model",
    "id",
    "usage",
    "input_tokens",
    "cached_tokens",
    "output_tokens",
    "cost_metadata",
    "cost",
    "message_param",
    "tools",
}


class FormatBook(BaseTool):
    """Format a book as 'title by author'."""

    title: str
    author: str

    def call(self) -> str:
        return f"{self.title} by {self.author}"


def _client(provider: ContractProvider, server: FakeServer, is_async: bool) -> Any:
    client = provider.client(server, is_async=is_async)
    if client is None:
        pytest.skip(f"{provider.name} has no client object (custom clients unsupported)")
    return client


def _template_fn(module: Any, model: str, *, is_async: bool, **options: Any) -> Callable[..., Any]:
    """``@prompt_template`` over a function that returns a dynamic config with metadata."""
    if is_async:

        @module.call(model, **options)
        @prompt_template(TEMPLATE)
        async def recommend_async(genre: str, style: str = "short") -> Any:
            return {"metadata": METADATA}

        return recommend_async

    @module.call(model, **options)
    @prompt_template(TEMPLATE)
    def recommend(genre: str, style: str = "short") -> Any:
        return {"metadata": METADATA}

    return recommend


def _run(result: Any) -> Any:
    return asyncio.run(result) if asyncio.iscoroutine(result) else result


def _consume(stream_or_coro: Any, is_async: bool) -> tuple[Any, list[tuple[Any, Any]]]:
    if not is_async:
        return stream_or_coro, list(stream_or_coro)

    async def consume() -> tuple[Any, list[tuple[Any, Any]]]:
        stream = await stream_or_coro
        return stream, [pair async for pair in stream]

    return asyncio.run(consume())


def _check_inputs(surface: Any, provider: ContractProvider) -> None:
    """What went in, the same for a response and a stream."""
    assert surface.fn_args == {"genre": "fantasy", "style": "short"}
    assert surface.prompt_template == TEMPLATE
    assert surface.dynamic_config == {"metadata": METADATA}
    assert surface.metadata == METADATA
    assert surface.call_params == PARAMS[provider.name]
    assert surface.messages == [BaseMessageParam(role="user", content=PROMPT)]
    assert surface.user_message_param is surface.messages[-1]
    assert surface.tool_types is None
    kwargs = surface.call_kwargs
    # the SDK call's own arguments, referenced (not copied) from the request made
    request = surface._run.request if isinstance(surface, BaseStream) else surface.request
    spec = surface.plan.spec
    assert spec is not None and kwargs is spec.adapter.call_kwargs(request)
    assert set(PARAMS[provider.name]) <= set(kwargs)


def _check_usage(
    surface: Any, provider: ContractProvider, *, streaming: bool, streamed: bool | None = None
) -> None:
    """``streaming``: a stream; ``streamed``: counts a stream delivered (default: the same)."""
    streamed = streaming if streamed is None else streamed
    usage_type, counts = _sdk_usage(provider.name)
    usage = surface.usage
    assert type(usage) is usage_type, type(usage)
    assert counts(usage) == (12, 4)
    cached = (CACHED_STREAMED if streamed else CACHED)[provider.name]
    assert (surface.input_tokens, surface.output_tokens, surface.cached_tokens) == (12, 4, cached)
    assert surface.common_usage == Usage(12, 4, cached)
    assert surface.common_usage.raw is not None
    # LiteLLM reports the cost of a call itself (not of a stream): that figure is kept
    reported = surface.cost if provider.name == "litellm" and not streamed else None
    assert reported is None or reported > 0
    meta = surface.cost_metadata
    assert meta == CostMetadata(12, 4, cached, streaming, reported, provider.name, surface.model)


def test_call_surface(
    provider: ContractProvider,
    server: FakeServer,
    module: Any,
    is_async: bool,
    custom: bool,
) -> None:
    options: dict[str, Any] = {"call_params": PARAMS[provider.name]}
    if custom:
        options["client"] = _client(provider, server, is_async)
    fn = _template_fn(module, provider.model, is_async=is_async, **options)
    before = time.time() * 1000
    response = _run(fn("fantasy"))
    after = time.time() * 1000
    assert response.content == PROMPT
    _check_inputs(response, provider)
    _check_usage(response, provider, streaming=False)
    assert before <= response.start_time <= response.end_time <= after
    assert response.finish_reasons
    assert response.model == provider.model
    assert response.provider == provider.name
    assert response.tool is None and response.tools is None
    dump = response.model_dump()
    assert set(dump) == DUMP_KEYS
    assert dump["content"] == PROMPT
    assert dump["fn_args"] == {"genre": "fantasy", "style": "short"}
    assert dump["input_tokens"] == 12 and dump["output_tokens"] == 4
    assert isinstance(dump["response"], dict)
    assert dump["message_param"] == {"role": "assistant", "content": PROMPT}
    assert dump["cost_metadata"]["input_tokens"] == 12
    json.dumps(dump, default=str)  # plain data all through


def test_stream_surface(
    provider: ContractProvider,
    server: FakeServer,
    module: Any,
    is_async: bool,
    custom: bool,
) -> None:
    options: dict[str, Any] = {"call_params": PARAMS[provider.name], "stream": True}
    if custom:
        options["client"] = _client(provider, server, is_async)
    fn = _template_fn(module, provider.model, is_async=is_async, **options)
    before = time.time() * 1000
    unconsumed = None if is_async else fn("fantasy")
    if unconsumed is not None:
        assert unconsumed.start_time == unconsumed.end_time == 0
        with pytest.raises(ValueError, match="not been iterated"):
            unconsumed.construct_call_response()
        assert "".join(chunk.content for chunk, _ in unconsumed) == PROMPT
    stream, pairs = _consume(fn("fantasy"), is_async)
    after = time.time() * 1000
    assert "".join(chunk.content for chunk, _ in pairs) == PROMPT
    _check_inputs(stream, provider)
    _check_usage(stream, provider, streaming=True)
    assert before <= stream.start_time <= stream.end_time <= after
    assert stream.provider == provider.name

    response = stream.construct_call_response()
    assert type(response) is stream.call_response_type
    assert type(response).__module__ == f"mirascope.core.{provider.name}._types"
    assert response.content == PROMPT
    assert response.finish_reasons == stream.finish_reasons
    assert response.model == stream.model == provider.model
    assert response.id == stream.id
    assert (response.start_time, response.end_time) == (stream.start_time, stream.end_time)
    assert response.message_param == stream.message_param
    _check_usage(response, provider, streaming=False, streamed=True)
    assert response.usage == stream.usage
    _check_inputs(response, provider)
    # the SDK's own whole-response type, as a non-streamed call returns it
    # (a default client: an async custom client of some SDKs serves a single event loop)
    whole = _run(_template_fn(module, provider.model, is_async=is_async)("fantasy"))
    assert isinstance(response.response, type(whole.response))
    assert set(stream.model_dump()) == DUMP_KEYS


def test_stream_tool_response(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    server.enqueue(Reply(text="Let me format that.", tool_calls=[ToolCall("FormatBook", BOOK)]))
    if is_async:

        @module.call(provider.model, stream=True, tools=[FormatBook])
        async def recommend_async(genre: str) -> str:
            return f"Recommend a {genre} book"

        stream, pairs = _consume(recommend_async("fantasy"), True)
    else:

        @module.call(provider.model, stream=True, tools=[FormatBook])
        def recommend(genre: str) -> str:
            return f"Recommend a {genre} book"

        stream, pairs = _consume(recommend("fantasy"), False)
    streamed = [t for _, t in pairs if t is not None]
    assert len(streamed) == 1
    response = stream.construct_call_response()
    assert response.tool_types == [FormatBook]
    tool = response.tool
    assert isinstance(tool, FormatBook)
    assert (tool.title, tool.author) == (BOOK["title"], BOOK["author"])
    assert tool.tool_call_id == streamed[0].tool_call_id
    assert response.content == stream.content == "Let me format that."
    assert response.message_param == stream.message_param
    assert set(response.model_dump()["tools"][0].items()) >= set(BOOK.items())


def test_cost(provider: ContractProvider, server: FakeServer, module: Any, is_async: bool) -> None:
    model, expected = COST_MODELS[provider.name]
    fn = _template_fn(module, model, is_async=is_async)
    response = _run(fn("fantasy"))
    if NAMES_ITS_MODEL.get(provider.name, True):
        assert response.model == model  # the fakes answer with the model asked for
    assert response.cost == pytest.approx(expected, rel=1e-12)
    stream_fn = _template_fn(module, model, is_async=is_async, stream=True)
    stream, _ = _consume(stream_fn("fantasy"), is_async)
    assert stream.cost == pytest.approx(expected, rel=1e-12)
    assert stream.construct_call_response().cost == pytest.approx(expected, rel=1e-12)
    assert stream.cost_metadata.streaming_mode is True


def test_unknown_model_costs_none(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    # LiteLLM needs a provider prefix to send an unknown model anywhere
    model = "openai/no-such-model" if provider.name == "litellm" else "no-such-model"
    fn = _template_fn(module, model, is_async=is_async)
    response = _run(fn("fantasy"))
    assert response.input_tokens == 12
    assert response.cost is None


def test_provider_types_are_bound() -> None:
    """Every provider's stream builds that provider's call response."""
    for name in PARAMS:
        module = importlib.import_module(f"mirascope.core.{name}")
        # through getattr: the Gemini, Vertex AI and Azure modules load their types lazily
        types = {k: getattr(module, k) for k in module.__all__}
        stream_type = next(v for k, v in types.items() if k.endswith("Stream"))
        response_type = next(v for k, v in types.items() if k.endswith("CallResponse"))
        assert stream_type.call_response_type is response_type


CACHE_CASES: dict[str, tuple[str, int | None, float]] = {
    # 1000 prompt tokens of which 400 read from the cache, 10 out. Where the vendor counts
    # the cached tokens inside the input (OpenAI-style, Gemini), 600 are full price
    "openai": ("gpt-4o-mini", 400, (600 * 0.15 + 400 * 0.075 + 10 * 0.6) / 1e6),
    "azure": ("gpt-4o-mini", 400, (600 * 0.15 + 400 * 0.075 + 10 * 0.6) / 1e6),
    "openai.responses": ("gpt-4o-mini", 400, (600 * 0.15 + 400 * 0.075 + 10 * 0.6) / 1e6),
    "litellm": ("gpt-4o-mini", 400, (600 * 0.15 + 400 * 0.075 + 10 * 0.6) / 1e6),
    "groq": ("openai/gpt-oss-120b", 400, (600 * 0.15 + 400 * 0.075 + 10 * 0.6) / 1e6),
    "gemini": ("gemini-2.5-flash", 400, (600 * 0.3 + 400 * 0.03 + 10 * 2.5) / 1e6),
    "vertex": ("gemini-2.5-flash", 400, (600 * 0.3 + 400 * 0.03 + 10 * 2.5) / 1e6),
    "google": ("gemini-2.5-flash", 400, (600 * 0.3 + 400 * 0.03 + 10 * 2.5) / 1e6),
    "xai": ("grok-4.3", 400, (600 * 1.25 + 400 * 0.2 + 10 * 2.5) / 1e6),
    # Anthropic and Bedrock count them apart: 1000 uncached plus 400 cached
    "anthropic": ("claude-haiku-4-5", 400, (1000 * 1.0 + 400 * 0.1 + 10 * 5.0) / 1e6),
    "bedrock": (
        "global.anthropic.claude-haiku-4-5-20251001-v1:0",
        400,
        (1000 * 1.0 + 400 * 0.1 + 10 * 5.0) / 1e6,
    ),
    # these APIs report no cache reads: the call is priced as uncached
    "mistral": ("mistral-large-2512", None, (1000 * 0.5 + 10 * 1.5) / 1e6),
    "cohere": ("command-r-08-2024", None, (1000 * 0.15 + 10 * 0.6) / 1e6),
}


def test_cached_tokens_are_priced_as_cache_reads(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    model, cached, expected = CACHE_CASES[provider.name]
    reply = Reply(input_tokens=1000, output_tokens=10, cached_tokens=400)
    server.enqueue(reply, reply)
    response = _run(_template_fn(module, model, is_async=is_async)("fantasy"))
    stream, _ = _consume(
        _template_fn(module, model, is_async=is_async, stream=True)("fantasy"), is_async
    )
    for surface in (response, stream, stream.construct_call_response()):
        assert (surface.input_tokens, surface.output_tokens) == (1000, 10)
        assert surface.cached_tokens == cached
        assert surface.cost == pytest.approx(expected, rel=1e-12)
