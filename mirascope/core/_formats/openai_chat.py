"""OpenAI's chat-completions shape, which OpenAI, Groq, LiteLLM and Azure AI all speak.

Pure functions plus ``ChatCompletionsAdapter``, no SDK import: responses are read by
attribute, so any vendor's objects of this shape (openai, groq, litellm pydantic models)
decode the same way."""

from __future__ import annotations

import base64
import functools
import json
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from .._engine.adapter import Adapter, CallPlan
from .._engine.records import NO_TOOL_DELTAS, Decoded, Delta, ToolCallDelta, ToolCallRecord
from ..base.messages import BaseMessageParam, ImagePart, TextPart, ToolCallPart, ToolResultPart
from ..base.tool import BaseTool
from ..base.usage import Usage

if TYPE_CHECKING:
    from .._engine.output import OutputFormat


def _part(part: Any) -> dict[str, Any]:
    if isinstance(part, TextPart):
        return {"type": "text", "text": part.text}
    if isinstance(part, ImagePart):
        if part.url is not None:
            url = part.url
        else:
            data = base64.b64encode(part.image or b"").decode()
            url = f"data:{part.media_type};base64,{data}"
        image: dict[str, Any] = {"url": url}
        if part.detail:
            image["detail"] = part.detail
        return {"type": "image_url", "image_url": image}
    raise TypeError(f"{type(part).__name__} cannot go in a chat-completions content list")


def encode_message(message: BaseMessageParam) -> list[dict[str, Any]]:
    """One neutral message as chat-completions message dicts (tool results fan out)."""
    content = message.content
    if isinstance(content, str):
        return [{"role": message.role, "content": content}]
    calls = [p for p in content if isinstance(p, ToolCallPart)]
    results = [p for p in content if isinstance(p, ToolResultPart)]
    rest = [p for p in content if not isinstance(p, ToolCallPart | ToolResultPart)]
    out: list[dict[str, Any]] = [
        {"role": "tool", "tool_call_id": r.id, "content": r.content} for r in results
    ]
    if calls:
        text = "".join(p.text for p in rest if isinstance(p, TextPart))
        out.append(
            {
                "role": "assistant",
                "content": text or None,
                "tool_calls": [
                    {
                        "id": c.id,
                        "type": "function",
                        "function": {"name": c.name, "arguments": json.dumps(c.args)},
                    }
                    for c in calls
                ],
            }
        )
    elif rest or not results:
        if message.role == "assistant" or message.role == "system":
            # these roles take text only
            out.append(
                {
                    "role": message.role,
                    "content": "".join(p.text for p in rest if isinstance(p, TextPart)),
                }
            )
        else:
            out.append({"role": message.role, "content": [_part(p) for p in rest]})
    return out


def encode_messages(messages: Sequence[BaseMessageParam | Any]) -> list[Any]:
    """Neutral messages to chat-completions dicts; vendor dicts pass through untouched."""
    out: list[Any] = []
    for m in messages:
        if isinstance(m, BaseMessageParam):
            content = m.content
            if isinstance(content, str):  # the common case, kept cheap
                out.append({"role": m.role, "content": content})
            else:
                out.extend(encode_message(m))
        else:
            out.append(m)
    return out


@functools.cache  # once per tool class; the encodings are shared, never mutated
def encode_tool(tool: type[BaseTool]) -> dict[str, Any]:
    """A tool as a chat-completions function tool."""
    return {
        "type": "function",
        "function": {
            "name": tool.tool_name(),
            "description": tool.tool_description(),
            "parameters": tool.parameters_schema(),
        },
    }


def decode_usage(usage: Any) -> Usage | None:
    if usage is None:
        return None
    # pydantic objects keep their fields in __dict__; a getattr that misses costs ~10 us
    fields: dict[str, Any] = getattr(usage, "__dict__", None) or {}
    details = fields.get("prompt_tokens_details")
    detail_fields: dict[str, Any] = getattr(details, "__dict__", None) or {}
    cached = detail_fields.get("cached_tokens")
    return Usage(fields.get("prompt_tokens"), fields.get("completion_tokens"), cached, usage)


def content_text(content: Any) -> str:
    """A message's text: a string, or a list of typed parts (Mistral's reasoning models
    answer so) of which only the text parts count."""
    if isinstance(content, str):
        return content
    if not content:
        return ""
    return "".join(t for p in content if isinstance(t := getattr(p, "text", None), str))


def decode_completion(raw: Any) -> Decoded:
    """A chat completion (first choice) to the neutral record."""
    choices = raw.choices
    if not choices:  # nothing to read: the engine says so
        usage = decode_usage(getattr(raw, "usage", None))
        return Decoded("", [], usage, [], raw.model, raw.id)
    records: list[ToolCallRecord] = []
    message = choices[0].message
    content = content_text(message.content)
    for call in message.tool_calls or ():
        function = call.function
        records.append(ToolCallRecord(call.id, function.name, function.arguments, call))
    reasons = [c.finish_reason for c in choices if c.finish_reason is not None]
    return Decoded(
        content,
        records,
        decode_usage(getattr(raw, "usage", None)),
        reasons,
        raw.model,
        raw.id,
    )


def decode_completion_chunk(chunk: Any) -> Delta:
    """A chat-completion chunk to the neutral delta."""
    usage = getattr(chunk, "usage", None)
    choices = chunk.choices
    if not choices:
        return Delta("", NO_TOOL_DELTAS, decode_usage(usage), None, chunk.model, chunk.id)
    choice = choices[0]
    delta = choice.delta
    if delta is None:
        return chunk_delta(chunk, usage, choice.finish_reason, None, None)
    return chunk_delta(chunk, usage, choice.finish_reason, delta.content, delta.tool_calls)


def chunk_delta(
    chunk: Any, usage: Any, finish_reason: Any, content: Any, calls: Sequence[Any] | None
) -> Delta:
    """The neutral delta of a chunk whose parts were read (each SDK reads them its way)."""
    pieces = NO_TOOL_DELTAS
    if calls:
        pieces = tuple(
            ToolCallDelta(
                c.index,
                c.id,
                c.function.name if c.function else None,
                c.function.arguments if c.function else None,
                raw=c if c.id else None,
            )
            for c in calls
        )
    return Delta(
        content_text(content),
        pieces,
        decode_usage(usage) if usage is not None else None,
        finish_reason,
        chunk.model,
        chunk.id,
    )


def build_request(plan: CallPlan, *, stream: bool, stream_usage: bool = True) -> dict[str, Any]:
    """The keyword arguments of a chat-completions ``create`` call. ``stream_usage`` asks
    for usage in streams through ``stream_options`` (False for SDKs without that parameter)."""
    request: dict[str, Any] = {"model": plan.model, "messages": encode_messages(plan.messages)}
    if plan.tools:
        request["tools"] = [encode_tool(t) for t in plan.tools]
    if plan.call_params:
        request.update(plan.call_params)
    if stream:
        request["stream"] = True
        if stream_usage:
            request.setdefault("stream_options", {"include_usage": True})
    return request


RawT = TypeVar("RawT")
ChunkT = TypeVar("ChunkT")


class ChatCompletionsAdapter(Adapter[RawT, ChunkT]):
    """The shared part of every adapter whose SDK speaks chat completions: subclasses
    supply the name and the clients, and override ``create`` where the SDK's function is
    not ``client.chat.completions.create``."""

    stream_usage: ClassVar[bool] = True
    """Whether to send ``stream_options`` (see ``build_request``)."""

    def create(self, client: Any, *, is_async: bool) -> Callable[..., Any]:
        """The SDK function that sends a request (a coroutine function when async)."""
        return client.chat.completions.create

    def build_request(self, plan: CallPlan, *, stream: bool) -> dict[str, Any]:
        return build_request(plan, stream=stream, stream_usage=self.stream_usage)

    output_modes: ClassVar[frozenset[str]] = frozenset({"strict", "json"})

    def apply_output(self, request: dict[str, Any], output: OutputFormat) -> None:
        if output.mode == "tool":
            request["tool_choice"] = {"type": "function", "function": {"name": output.name}}
        elif output.mode == "strict":
            request["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": output.name, "schema": output.schema, "strict": True},
            }
        else:
            request["response_format"] = {"type": "json_object"}

    def apply_timeout(self, request: dict[str, Any], seconds: float) -> None:
        # the create() argument of the openai, groq and litellm SDKs
        if request.get("timeout") is None:
            request["timeout"] = seconds

    def refusal(self, raw: RawT) -> str | None:
        choices = getattr(raw, "choices", None)
        if not choices:
            return None
        refusal = getattr(getattr(choices[0], "message", None), "refusal", None)
        return refusal if isinstance(refusal, str) and refusal else None

    def send(self, client: Any, request: dict[str, Any]) -> RawT:
        return cast(RawT, self.create(client, is_async=False)(**request))

    async def send_async(self, client: Any, request: dict[str, Any]) -> RawT:
        return cast(RawT, await self.create(client, is_async=True)(**request))

    def open_stream(self, client: Any, request: dict[str, Any]) -> Iterator[ChunkT]:
        return cast(Iterator[ChunkT], self.create(client, is_async=False)(**request))

    async def open_stream_async(
        self, client: Any, request: dict[str, Any]
    ) -> AsyncIterator[ChunkT]:
        return cast(AsyncIterator[ChunkT], await self.create(client, is_async=True)(**request))

    def decode_response(self, raw: RawT) -> Decoded:
        return decode_completion(raw)

    def decode_chunk(self, chunk: ChunkT) -> Delta:
        return decode_completion_chunk(chunk)
