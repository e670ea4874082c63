"""Azure AI model inference through ``azure-ai-inference``: ``ChatCompletionsClient.complete``
(sync over requests, ``.aio`` over aiohttp), which speaks the chat-completions shape."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypedDict

from azure.ai.inference import ChatCompletionsClient
from azure.ai.inference.models import (
    ChatCompletions,
    CompletionsUsage,
    StreamingChatCompletionsUpdate,
)
from azure.core.credentials import AzureKeyCredential

from .._engine.adapter import Request
from .._engine.records import (
    NO_TOOL_DELTAS,
    Decoded,
    Delta,
    ToolCallDelta,
    ToolCallRecord,
    plain_delta,
)
from .._formats import openai_chat
from .._formats.openai_chat import CompletionJSON
from ..base.errors import MissingCredentialsError
from ..base.usage import Usage

if TYPE_CHECKING:
    import azure.ai.inference.aio  # noqa: F401  (named in a string type argument)
    from azure.ai.inference.aio import ChatCompletionsClient as AsyncChatCompletionsClient

    from .._engine.output import OutputFormat

ENDPOINT_ENV = "AZURE_INFERENCE_ENDPOINT"
"""The endpoint of the default client, e.g. ``https://<resource>.services.ai.azure.com/models``."""
CREDENTIAL_ENV = "AZURE_INFERENCE_CREDENTIAL"
"""The API key of the default client."""


# The SDK's models are mappings over the JSON they were built from (nested values already
# built into SDK models). Reading a field by attribute deserializes it again on every read,
# ~15 us for a string; reading the mapping costs well under a microsecond, so the decoders
# below read mappings, and the objects they keep (tool calls, usage) are the SDK's own.


class _Function(TypedDict, total=False):
    name: str
    arguments: str


class _ToolCall(TypedDict, total=False):
    id: str
    index: int
    function: _Function


class _Details(TypedDict, total=False):
    cached_tokens: int


class _Usage(TypedDict, total=False):
    prompt_tokens: int
    completion_tokens: int
    prompt_tokens_details: _Details | None


class _DeltaJSON(TypedDict, total=False):
    content: str | None
    tool_calls: list[_ToolCall] | None


class _Choice(TypedDict, total=False):
    delta: _DeltaJSON | None
    finish_reason: str | None


# The JSON shapes the SDK's models (mappings) hold, as far as the decoders read them: the
# mappings' values are untyped, read into these


def _usage(usage: _Usage | None) -> Usage | None:
    if usage is None:
        return None
    details = usage.get("prompt_tokens_details")
    cached = details.get("cached_tokens") if details is not None else None
    return Usage(usage.get("prompt_tokens"), usage.get("completion_tokens"), cached, usage)


def _output_argument(output: OutputFormat) -> object:
    """The ``tool_choice`` (``tool`` mode) or ``response_format`` (``strict``) asking
    complete() for ``output``."""
    from azure.ai.inference import models

    if output.mode == "tool":
        return models.ChatCompletionsNamedToolChoice(
            function=models.ChatCompletionsNamedToolChoiceFunction(name=output.name)
        )
    return models.JsonSchemaFormat(name=output.name, schema=output.schema or {}, strict=True)


def _piece(call: _ToolCall, position: int) -> ToolCallDelta:
    # Azure OpenAI deployments stream OpenAI's pieces keyed by index; other models (the
    # recorded Mistral) send each call whole, with an id and no index
    call_id = call.get("id")
    index = call.get("index")
    function = call.get("function")
    return ToolCallDelta(
        index if isinstance(index, int) else (call_id or position),
        call_id,
        function.get("name") if function else None,
        function.get("arguments") if function else None,
        raw=call if call_id else None,
    )


class AzureAdapter(
    openai_chat.ChatCompletionsAdapter[
        ChatCompletionsClient,
        # named, not imported: the async client's module loads only where one is made
        "azure.ai.inference.aio.ChatCompletionsClient",
        ChatCompletions,
        StreamingChatCompletionsUpdate,
    ]
):
    name = "azure"
    media = openai_chat.ChatMedia("azure", document=False)
    stream_usage = False  # complete() has no stream_options; the service sends usage anyway

    def default_client(
        self, *, is_async: bool
    ) -> ChatCompletionsClient | AsyncChatCompletionsClient:
        endpoint = os.environ.get(ENDPOINT_ENV)
        key = os.environ.get(CREDENTIAL_ENV)
        if not endpoint or not key:
            missing = [n for n, v in ((ENDPOINT_ENV, endpoint), (CREDENTIAL_ENV, key)) if not v]
            raise MissingCredentialsError(
                f"azure's default client reads its endpoint from {ENDPOINT_ENV} and its API "
                f"key from {CREDENTIAL_ENV}; {' and '.join(missing)} "
                f"{'is' if len(missing) == 1 else 'are'} not set. Set them, or pass "
                "client=ChatCompletionsClient(endpoint=..., credential=...) (from "
                "azure.ai.inference, or azure.ai.inference.aio for async def)"
            )
        if not is_async:
            return ChatCompletionsClient(endpoint, AzureKeyCredential(key))
        # imported here, as async clients are the rarer kind; the engine closes an async
        # default client (its aiohttp session) with its loop
        from azure.ai.inference.aio import ChatCompletionsClient as AsyncChatCompletionsClient

        return AsyncChatCompletionsClient(endpoint, AzureKeyCredential(key))

    client_names = (
        "an azure.ai.inference.ChatCompletionsClient or an "
        "azure.ai.inference.aio.ChatCompletionsClient"
    )

    def create(self, client: ChatCompletionsClient) -> Callable[..., object]:
        return client.complete

    def create_async(self, client: AsyncChatCompletionsClient) -> Callable[..., Awaitable[object]]:
        return client.complete

    def apply_timeout(self, request: Request, seconds: float) -> None:
        # azure-core's per-request transport options: connecting, and each read (a stream's
        # too); complete() hands them to the pipeline
        request.setdefault("connection_timeout", seconds)
        request.setdefault("read_timeout", seconds)

    def apply_output(self, request: Request, output: OutputFormat) -> None:
        if output.mode == "json":
            request["response_format"] = "json_object"
            return
        # complete() takes its own models for these, not chat-completions dicts; making one
        # copies the schema through the SDK's serializer (~30 us), so it is made once per
        # output (the SDK only reads it)
        built = output.built.get(self.name)
        if built is None:
            built = output.built[self.name] = _output_argument(output)
        request["tool_choice" if output.mode == "tool" else "response_format"] = built

    def refusal(self, raw: ChatCompletions) -> str | None:
        choices = raw.get("choices")
        refusal = choices[0].get("message", {}).get("refusal") if choices else None
        return refusal if isinstance(refusal, str) and refusal else None

    streams_refusals: ClassVar[bool] = True

    def chunk_refusal(self, chunk: StreamingChatCompletionsUpdate) -> str | None:
        choices: list[_Choice] | None = _fields(chunk).get("choices")
        given = _fields(choices[0]).get("delta") if choices else None
        refusal = _fields(given).get("refusal") if given else None
        return refusal if isinstance(refusal, str) and refusal else None

    def decode_response(self, raw: ChatCompletions) -> Decoded:
        choices = raw.get("choices")
        if not choices:  # nothing to read: the engine says so
            return Decoded("", [], _usage(raw.get("usage")), [], raw.get("model"), raw.get("id"))
        message = choices[0]["message"]
        records = [
            ToolCallRecord(c["id"], c["function"]["name"], c["function"]["arguments"], c)
            for c in message.get("tool_calls") or ()
        ]
        content: str = message.get("content") or ""
        reasons = [r for c in choices if (r := c.get("finish_reason")) is not None]
        return Decoded(
            content, records, _usage(raw.get("usage")), reasons, raw.get("model"), raw.get("id")
        )

    def usage_of(self, raw: ChatCompletions, decoded: Decoded) -> CompletionsUsage:
        # the attribute builds the SDK's CompletionsUsage (the mapping may hold plain JSON)
        return raw.usage

    def completion_from_json(self, completion: CompletionJSON) -> ChatCompletions:
        return ChatCompletions(completion)

    def decode_chunk(self, chunk: StreamingChatCompletionsUpdate) -> Delta:
        # the SDK's models are mappings whose get() runs Python code for every read; their
        # keys view's mapping is the dict underneath, read at C speed (read-only)
        fields = _fields(chunk)
        choices: list[_Choice] | None = fields.get("choices")
        usage = _usage(fields.get("usage"))
        if not choices:
            return Delta("", NO_TOOL_DELTAS, usage, None, fields.get("model"), fields.get("id"))
        choice: _Choice = _fields(choices[0])
        given = choice.get("delta")
        delta: _DeltaJSON = _fields(given) if given else {}
        content = delta.get("content")
        calls = delta.get("tool_calls")
        finish = choice.get("finish_reason")
        if type(content) is str and content and not calls and finish is None and usage is None:
            # most chunks
            return plain_delta(self.chunk_class, content, fields.get("model"), fields.get("id"))
        return Delta(
            content or "",
            tuple(_piece(c, i) for i, c in enumerate(calls)) if calls else NO_TOOL_DELTAS,
            usage,
            finish,
            fields.get("model"),
            fields.get("id"),
        )


def _fields(model: Mapping[str, object]) -> Any:
    """The mapping under one of the SDK's models (or a plain dict): JSON, read into the
    shapes above."""
    mapping = getattr(model.keys(), "mapping", None)
    return mapping if mapping is not None else model


ADAPTER = AzureAdapter()
