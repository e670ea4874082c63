"""Anthropic messages through the ``anthropic`` SDK."""

from __future__ import annotations

import base64
import functools
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import TYPE_CHECKING, TypeAlias, cast

import anthropic
from anthropic.lib.bedrock import AnthropicBedrock, AsyncAnthropicBedrock
from anthropic.lib.vertex import AnthropicVertex, AsyncAnthropicVertex
from anthropic.types import (
    InputJSONDelta,
    Message,
    MessageDeltaUsage,
    RawContentBlockDeltaEvent,
    RawContentBlockStartEvent,
    RawContentBlockStopEvent,
    RawMessageDeltaEvent,
    RawMessageStartEvent,
    RawMessageStreamEvent,
    SignatureDelta,
    TextBlock,
    TextDelta,
    ThinkingBlock,
    ThinkingDelta,
    ToolUseBlock,
)
from anthropic.types import Usage as AnthropicUsage

from .._engine.adapter import Adapter, CallPlan, Request
from .._engine.assemble import arguments_dict
from .._engine.records import (
    NO_TOOL_DELTAS,
    Decoded,
    Delta,
    ToolCallDelta,
    ToolCallRecord,
)
from ..base.errors import MissingCredentialsError, unsupported_part
from ..base.messages import (
    BaseMessageParam,
    CacheControlPart,
    ContentPart,
    DocumentPart,
    ImagePart,
    ImageURLPart,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolResultPart,
    VendorMessage,
    claude_signed,
)
from ..base.tool import BaseTool
from ..base.usage import Usage

if TYPE_CHECKING:
    from .._engine.output import OutputFormat

DEFAULT_MAX_TOKENS = 1024
"""``max_tokens`` is required by the API; ``call_params={"max_tokens": ...}`` overrides it."""

_SAMPLING = ("temperature", "top_p", "top_k")
"""Sampling parameters the API still takes but ``messages.create`` (2.x) no longer accepts
as arguments: they travel in ``extra_body``."""

SyncClient: TypeAlias = anthropic.Anthropic | AnthropicVertex | AnthropicBedrock
AsyncClient: TypeAlias = anthropic.AsyncAnthropic | AsyncAnthropicVertex | AsyncAnthropicBedrock

# What is sent is built as plain JSON objects (``dict[str, object]``), not the SDK's param
# TypedDicts: those type media types and the cache type as literals where a part carries any
# string (the API judges it), and a cache breakpoint goes on whichever block precedes it.


def _block(part: ContentPart) -> dict[str, object] | None:
    if isinstance(part, TextPart):
        return {"type": "text", "text": part.text}
    if isinstance(part, ToolResultPart):
        block: dict[str, object] = {
            "type": "tool_result",
            "tool_use_id": part.id,
            "content": part.content,
        }
        if part.is_error:
            block["is_error"] = True
        return block
    if isinstance(part, ToolCallPart):
        return {"type": "tool_use", "id": part.id, "name": part.name, "input": part.args}
    if isinstance(part, ThinkingPart):
        if not claude_signed(part.signature):
            return None  # unsigned, or another vendor's: Claude would refuse it
        return {"type": "thinking", "thinking": part.thinking, "signature": part.signature}
    if isinstance(part, ImagePart | ImageURLPart):
        if part.url is not None:
            source: dict[str, object] = {"type": "url", "url": part.url}
        else:
            assert isinstance(part, ImagePart)
            data = base64.b64encode(part.image or b"").decode()
            source = {"type": "base64", "media_type": part.media_type, "data": data}
        return {"type": "image", "source": source}
    if isinstance(part, DocumentPart):
        data = base64.b64encode(part.document).decode()
        source = {"type": "base64", "media_type": part.media_type, "data": data}
        return {"type": "document", "source": source}
    raise unsupported_part("anthropic", part)


def _blocks(parts: Sequence[ContentPart]) -> list[dict[str, object]]:
    """Content blocks; a ``CacheControlPart`` marks the block before it as a cache
    breakpoint (as v1 did; one that opens a message has no block to mark: refused)."""
    blocks: list[dict[str, object]] = []
    for part in parts:
        if isinstance(part, CacheControlPart):
            if not blocks:
                raise unsupported_part(
                    "anthropic", part, "it marks the part before it, and it opens the message"
                )
            blocks[-1]["cache_control"] = {"type": part.cache_type}
        elif (block := _block(part)) is not None:
            blocks.append(block)
    return blocks


def encode_messages(
    messages: Sequence[BaseMessageParam | VendorMessage],
) -> tuple[list[object], str | list[dict[str, object]] | None]:
    """Neutral messages to (Anthropic messages, system prompt). System messages are lifted
    to ``system``; tool results become ``tool_result`` blocks of a user message (consecutive
    ones merged into one); vendor dicts pass through untouched."""
    out: list[object] = []  # our message dicts, and the vendor's own as they came
    system: list[dict[str, object]] = []
    results: list[dict[str, object]] | None = None  # the open user turn of tool results
    for m in messages:
        if not isinstance(m, BaseMessageParam):
            out.append(m)
            results = None
            continue
        role, content = m.role, m.content
        if role == "system":
            if isinstance(content, str):
                system.append({"type": "text", "text": content})
            else:
                system.extend(_blocks(content))
            continue
        if role == "tool":
            blocks: list[dict[str, object]] = (
                [{"type": "text", "text": content}]
                if isinstance(content, str)
                else _blocks(content)
            )
            if results is None:
                results = blocks
                out.append({"role": "user", "content": results})
            else:
                results.extend(blocks)
            continue
        results = None
        if isinstance(content, str):  # the common case, kept cheap
            out.append({"role": role, "content": content})
        else:
            out.append({"role": role, "content": _blocks(content)})
    if not system:
        return out, None
    # one plain text block (type and text, no cache_control): sent as a string
    if (
        len(system) == 1
        and len(first := system[0]) == 2
        and isinstance(text := first.get("text"), str)
    ):
        return out, text
    return out, system


@functools.cache  # once per tool class; the encodings are shared, never mutated
def encode_tool(tool: type[BaseTool]) -> dict[str, object]:
    """A tool as an Anthropic custom tool (with the ``cache_control`` of its
    ``AnthropicToolConfig``, if any)."""
    encoded: dict[str, object] = {
        "name": tool.tool_name(),
        "description": tool.tool_description(),
        "input_schema": tool.parameters_schema(),
    }
    cache_control = tool.tool_config.get("cache_control")
    if cache_control is not None:
        encoded["cache_control"] = cache_control
    return encoded


def _usage(usage: AnthropicUsage | MessageDeltaUsage) -> Usage:
    return Usage(usage.input_tokens, usage.output_tokens, usage.cache_read_input_tokens, usage)


class AnthropicAdapter(Adapter[SyncClient, AsyncClient, Message, RawMessageStreamEvent]):
    name = "anthropic"

    def default_client(self, *, is_async: bool) -> anthropic.Anthropic | anthropic.AsyncAnthropic:
        client = anthropic.AsyncAnthropic() if is_async else anthropic.Anthropic()
        if client.api_key is None and client.auth_token is None and client.credentials is None:
            # ANTHROPIC_CUSTOM_HEADERS may carry the credential instead
            headers = {name.lower() for name in client.default_headers}
            if not headers & {"authorization", "x-api-key"}:
                # the SDK would fail at the request, naming no environment variable
                raise MissingCredentialsError(
                    "anthropic's default client found no credentials: set ANTHROPIC_API_KEY "
                    "(or ANTHROPIC_AUTH_TOKEN, or an Anthropic profile), or pass "
                    "client=Anthropic(api_key=...) to the call"
                )
        return client

    client_names = (
        "an anthropic.Anthropic or anthropic.AsyncAnthropic client (or their Vertex or "
        "Bedrock variants)"
    )

    def build_request(self, plan: CallPlan, *, stream: bool) -> Request:
        messages, system = encode_messages(plan.messages)
        request: Request = {
            "model": plan.model,
            "max_tokens": DEFAULT_MAX_TOKENS,
            "messages": messages,
        }
        if system is not None:
            request["system"] = system
        if plan.tools:
            request["tools"] = [encode_tool(t) for t in plan.tools]
        params = plan.call_params
        if params:
            request.update(params)
            moved = {k: request.pop(k) for k in _SAMPLING if k in request}
            if moved:
                request["extra_body"] = {**moved, **(request.get("extra_body") or {})}
        if stream:
            request["stream"] = True
        return request

    def apply_timeout(self, request: Request, seconds: float) -> None:
        if request.get("timeout") is None:
            request["timeout"] = seconds

    json_prefill = "{"

    def apply_output(self, request: Request, output: OutputFormat) -> None:
        # Claude has no JSON mode: a response model is a forced tool call, JSON mode an
        # instruction and the answer's first character written for it (in the messages)
        if output.mode == "tool":
            request["tool_choice"] = {"type": "tool", "name": output.name}

    # messages.create() is overloaded on ``stream``, which the request holds

    def send(self, client: SyncClient, request: Request) -> Message:
        return cast(Message, client.messages.create(**request))

    async def send_async(self, client: AsyncClient, request: Request) -> Message:
        return cast(Message, await client.messages.create(**request))

    def open_stream(self, client: SyncClient, request: Request) -> Iterator[RawMessageStreamEvent]:
        return cast(Iterator[RawMessageStreamEvent], client.messages.create(**request))

    async def open_stream_async(
        self, client: AsyncClient, request: Request
    ) -> AsyncIterator[RawMessageStreamEvent]:
        return cast(AsyncIterator[RawMessageStreamEvent], await client.messages.create(**request))

    def decode_response(self, raw: Message) -> Decoded:
        texts: list[str] = []
        records: list[ToolCallRecord] = []
        thinking: list[tuple[str, str | None]] = []
        for block in raw.content:
            if isinstance(block, TextBlock):
                texts.append(block.text)
            elif isinstance(block, ToolUseBlock):
                records.append(ToolCallRecord(block.id, block.name, block.input, block))
            elif isinstance(block, ThinkingBlock):
                thinking.append((block.thinking, block.signature))
        reason = raw.stop_reason
        return Decoded(
            "".join(texts),
            records,
            _usage(raw.usage),
            [reason] if reason is not None else [],
            raw.model,
            raw.id,
            tuple(thinking),
        )

    text_chunks_name_stream = False  # text deltas name no message id or model

    def decode_chunk(self, chunk: RawMessageStreamEvent) -> Delta:
        return self.text_record(self.decode_text_chunk(chunk))

    def decode_text_chunk(self, chunk: RawMessageStreamEvent) -> Delta | str:
        if isinstance(chunk, RawContentBlockDeltaEvent):
            delta = chunk.delta
            if isinstance(delta, TextDelta):
                text = delta.text
                if type(text) is str and text:  # most events
                    return text
                return Delta(text)
            if isinstance(delta, InputJSONDelta):
                return Delta(tool_calls=(ToolCallDelta(chunk.index, arguments=delta.partial_json),))
            if isinstance(delta, ThinkingDelta):
                return Delta(thinking=delta.thinking)
            if isinstance(delta, SignatureDelta):
                return Delta(signature=delta.signature)
            return Delta()  # citations: not text of the reply
        if isinstance(chunk, RawContentBlockStartEvent):
            block = chunk.content_block
            if isinstance(block, ToolUseBlock):
                # input is {} here: the arguments follow as input_json_delta pieces
                args = block.input or None
                piece = ToolCallDelta(chunk.index, block.id, block.name, args, raw=block)
                return Delta(tool_calls=(piece,))
            if isinstance(block, TextBlock):
                return Delta(block.text)
            return Delta()
        if isinstance(chunk, RawContentBlockStopEvent):
            # the accumulator ignores this for blocks that were not tool calls
            return Delta(tool_calls=(ToolCallDelta(chunk.index, done=True),))
        if isinstance(chunk, RawMessageDeltaEvent):
            # usage arrives split: input in message_start, output here
            return Delta(usage=_usage(chunk.usage), finish_reason=chunk.delta.stop_reason)
        if isinstance(chunk, RawMessageStartEvent):
            message = chunk.message
            return Delta("", NO_TOOL_DELTAS, _usage(message.usage), None, message.model, message.id)
        return Delta()  # message_stop

    def assemble_response(self, streamed: Decoded, plan: CallPlan) -> Message:
        blocks: list[dict[str, object]] = [
            {"type": "thinking", "thinking": text, "signature": signature or ""}
            for text, signature in streamed.thinking
        ]
        if streamed.content:
            blocks.append({"type": "text", "text": streamed.content})
        blocks.extend(
            {"type": "tool_use", "id": r.id, "name": r.name, "input": arguments_dict(r.arguments)}
            for r in streamed.tool_calls
        )
        usage = streamed.usage
        raw: object = usage.raw if usage is not None else None
        reasons = streamed.finish_reasons
        return Message.model_validate(
            {
                "id": streamed.id or "",
                "type": "message",
                "role": "assistant",
                "model": streamed.model or plan.model,
                "content": blocks,
                "stop_reason": reasons[-1] if reasons else None,
                "stop_sequence": None,
                # the stream splits it (input at the start, output at the end): merged here
                "usage": {
                    "input_tokens": (usage.input_tokens if usage else None) or 0,
                    "output_tokens": (usage.output_tokens if usage else None) or 0,
                    "cache_read_input_tokens": usage.cached_tokens if usage else None,
                    "cache_creation_input_tokens": getattr(
                        raw, "cache_creation_input_tokens", None
                    ),
                },
            }
        )


ADAPTER = AnthropicAdapter()
