"""OpenAI chat completions through the ``openai`` SDK."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any, cast

import openai
from openai.types.chat import ChatCompletion, ChatCompletionChunk

from .._engine.adapter import Adapter, CallPlan, ClientKind
from .._engine.records import Decoded, Delta
from .._formats import openai_chat


class OpenAIAdapter(Adapter[ChatCompletion, ChatCompletionChunk]):
    name = "openai"

    def default_client(self, *, is_async: bool) -> openai.OpenAI | openai.AsyncOpenAI:
        return openai.AsyncOpenAI() if is_async else openai.OpenAI()

    def client_kind(self, client: Any) -> ClientKind:
        if isinstance(client, openai.AsyncOpenAI):
            return "async"
        if isinstance(client, openai.OpenAI):
            return "sync"
        raise TypeError(
            f"expected an openai.OpenAI or openai.AsyncOpenAI client (or their Azure "
            f"variants), got {type(client).__module__}.{type(client).__qualname__}"
        )

    def build_request(self, plan: CallPlan, *, stream: bool) -> dict[str, Any]:
        request: dict[str, Any] = {
            "model": plan.model,
            "messages": openai_chat.encode_messages(plan.messages),
        }
        if plan.tools:
            request["tools"] = [openai_chat.encode_tool(t) for t in plan.tools]
        if plan.call_params:
            request.update(plan.call_params)
        if stream:
            request["stream"] = True
            request.setdefault("stream_options", {"include_usage": True})
        return request

    def send(self, client: openai.OpenAI, request: dict[str, Any]) -> ChatCompletion:
        return cast(ChatCompletion, client.chat.completions.create(**request))

    async def send_async(
        self, client: openai.AsyncOpenAI, request: dict[str, Any]
    ) -> ChatCompletion:
        return cast(ChatCompletion, await client.chat.completions.create(**request))

    def open_stream(
        self, client: openai.OpenAI, request: dict[str, Any]
    ) -> Iterator[ChatCompletionChunk]:
        return cast(Iterator[ChatCompletionChunk], client.chat.completions.create(**request))

    async def open_stream_async(
        self, client: openai.AsyncOpenAI, request: dict[str, Any]
    ) -> AsyncIterator[ChatCompletionChunk]:
        stream = await client.chat.completions.create(**request)  # pyright: ignore[reportUnknownVariableType]
        return cast(AsyncIterator[ChatCompletionChunk], stream)

    def decode_response(self, raw: ChatCompletion) -> Decoded:
        return openai_chat.decode_completion(raw)

    def decode_chunk(self, chunk: ChatCompletionChunk) -> Delta:
        return openai_chat.decode_completion_chunk(chunk)


ADAPTER = OpenAIAdapter()
