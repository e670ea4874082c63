"""OpenAI's Responses API (``client.responses.create``) through the ``openai`` SDK: neutral
messages to ``input`` items, function tools in the Responses shape, structured output as
``text.format``, and the reading of responses and of stream events."""

from __future__ import annotations

import base64
import functools
import json
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import TYPE_CHECKING, ClassVar, cast

import openai

from ..._engine.adapter import Adapter, CallPlan, Request
from ..._engine.assemble import arguments_json
from ..._engine.records import (
    NO_TOOL_DELTAS,
    Decoded,
    Delta,
    ToolCallDelta,
    ToolCallRecord,
)
from ...base._narrow import is_items
from ...base.errors import unsupported_part
from ...base.messages import (
    OPENAI_SIGNATURE,
    AudioPart,
    AudioURLPart,
    BaseMessageParam,
    DocumentPart,
    ImagePart,
    ImageURLPart,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolResultPart,
)
from ...base.tool import BaseTool
from ...base.usage import Usage
from .._adapter import ADAPTER as CHAT

if TYPE_CHECKING:
    from openai.types.responses import (
        Response,
        ResponseReasoningItem,
        ResponseStreamEvent,
        ResponseUsage,
    )

    from ..._engine.output import OutputFormat

NAME = "openai.responses"

# -- requests ----------------------------------------------------------------------------------


def _b64(data: bytes | str) -> str:
    return data if isinstance(data, str) else base64.b64encode(data).decode()


def _part(part: object) -> dict[str, object]:
    """A content part of a user (system, developer) message as an input part."""
    if isinstance(part, TextPart):
        return {"type": "input_text", "text": part.text}
    if isinstance(part, ImagePart | ImageURLPart):
        url = part.url
        if url is None:
            assert isinstance(part, ImagePart)
            url = f"data:{part.media_type};base64,{_b64(part.image or b'')}"
        # the API requires a detail level; "auto" is what it picks when asked to choose
        return {"type": "input_image", "image_url": url, "detail": part.detail or "auto"}
    if isinstance(part, DocumentPart):
        data_url = f"data:{part.media_type};base64,{_b64(part.document)}"
        return {"type": "input_file", "file_data": data_url, "filename": "document.pdf"}
    if isinstance(part, AudioPart | AudioURLPart):
        raise unsupported_part(
            NAME, part, "the Responses API takes no audio input: use openai.call for audio"
        )
    raise unsupported_part(NAME, part)


def _assistant_text(parts: Sequence[object]) -> str:
    texts: list[str] = []
    for part in parts:
        if not isinstance(part, TextPart):
            raise unsupported_part(NAME, part, "an assistant message takes text only")
        texts.append(part.text)
    return "".join(texts)


def reasoning_signature(item: ResponseReasoningItem) -> str:
    """A reasoning item's ``ThinkingPart.signature``: ``openai:`` and the JSON of its id
    and, where asked for (``include=["reasoning.encrypted_content"]``), its encrypted
    content: what the API needs to take the item back."""
    kept: dict[str, object] = {"id": item.id}
    if item.encrypted_content:
        kept["encrypted_content"] = item.encrypted_content
    if len(item.summary) > 1:
        # the thinking text joins the summary's parts: their lengths let it go back as
        # the parts it came in
        kept["parts"] = [len(part.text) for part in item.summary]
    return OPENAI_SIGNATURE + json.dumps(kept, separators=(",", ":"))


def reasoning_text(item: ResponseReasoningItem) -> str:
    """A reasoning item's summary (empty unless ``reasoning={"summary": ...}`` asked for
    one): its parts, one paragraph each."""
    return "\n\n".join(part.text for part in item.summary)


def reasoning_item(part: ThinkingPart) -> dict[str, object] | None:
    """A ``ThinkingPart`` this API wrote as the reasoning item it came in (its summary as
    one part); None for another vendor's or an unsigned one, which are not sent."""
    signature = part.signature
    if signature is None or not signature.startswith(OPENAI_SIGNATURE):
        return None
    kept: dict[str, object] = json.loads(signature[len(OPENAI_SIGNATURE) :])
    texts = _summary_parts(part.thinking, kept.pop("parts", None))
    summary = [{"type": "summary_text", "text": text} for text in texts]
    return {"type": "reasoning", **kept, "summary": summary}


def _summary_parts(thinking: str, lengths: object) -> list[str]:
    """The summary's parts again, from the text that joined them as paragraphs; the text
    as one part where it no longer splits so (edited since)."""
    if not thinking:
        return []
    if isinstance(lengths, list):
        texts: list[str] = []
        start = 0
        for length in cast("list[object]", lengths):
            if not isinstance(length, int):
                return [thinking]
            texts.append(thinking[start : start + length])
            start += length + 2
        if "\n\n".join(texts) == thinking:
            return texts
    return [thinking]


def encode_message(message: BaseMessageParam) -> list[dict[str, object]]:
    """One neutral message of parts as input items: tool results become
    ``function_call_output`` items, tool calls ``function_call`` items after the message;
    this API's own reasoning goes first, as the reasoning items it came in (the API wants
    each before the message or call that followed it)."""
    out: list[dict[str, object]] = []
    calls: list[dict[str, object]] = []
    rest: list[object] = []
    for part in message.content:
        if isinstance(part, ThinkingPart):
            item = reasoning_item(part)
            if item is not None:
                out.append(item)
        elif isinstance(part, ToolResultPart):
            out.append({"type": "function_call_output", "call_id": part.id, "output": part.content})
        elif isinstance(part, ToolCallPart):
            arguments = json.dumps(part.args)
            calls.append(
                {
                    "type": "function_call",
                    "call_id": part.id,
                    "name": part.name,
                    "arguments": arguments,
                }
            )
        else:
            rest.append(part)
    if rest or not (out or calls):
        if message.role == "assistant":
            out.append({"role": "assistant", "content": _assistant_text(rest)})
        else:
            out.append({"role": message.role, "content": [_part(p) for p in rest]})
    out.extend(calls)
    return out


def encode_input(messages: Sequence[object]) -> list[object]:
    """Neutral messages as ``input`` items; the vendor's own item dicts pass through."""
    out: list[object] = []
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
def encode_tool(tool: type[BaseTool]) -> dict[str, object]:
    """A tool as a Responses function tool. ``strict`` is always sent (the API's default
    is strict, which most schemas do not meet); ``OpenAIToolConfig(strict=True)`` sends
    the strict form of the schema."""
    parameters = tool.parameters_schema()
    strict = bool(tool.tool_config.get("strict"))
    if strict:
        from ..._engine.schemas import strict_schema

        parameters = strict_schema(parameters)
    return {
        "type": "function",
        "name": tool.tool_name(),
        "description": tool.tool_description(),
        "parameters": parameters,
        "strict": strict,
    }


def build_request(plan: CallPlan, *, stream: bool) -> Request:
    """The keyword arguments of ``responses.create``. Built-in tools given as the call
    param ``tools`` (web search, file search...) are sent after the function tools."""
    request: Request = {"model": plan.model, "input": encode_input(plan.messages)}
    tools = plan.tools
    if tools:
        request["tools"] = [encode_tool(t) for t in tools]
    params = plan.call_params
    if params:
        request.update(params)
        hosted = params.get("tools")
        if tools and is_items(hosted):
            request["tools"] = [*(encode_tool(t) for t in tools), *hosted]
    if stream:
        request["stream"] = True
    return request


# -- answers -----------------------------------------------------------------------------------


def decode_usage(usage: ResponseUsage | None) -> Usage | None:
    if usage is None:
        return None
    # pydantic objects keep their fields in __dict__; a getattr that misses costs ~10 us
    # (the SDK builds its models without validation: a field the API left out is absent)
    fields = usage.__dict__
    details: dict[str, object] = getattr(fields.get("input_tokens_details"), "__dict__", None) or {}
    return Usage(
        _count(fields.get("input_tokens")),
        _count(fields.get("output_tokens")),
        _count(details.get("cached_tokens")),
        usage,
    )


def _count(value: object) -> int | None:
    return value if type(value) is int else None


def finish_reason(raw: Response) -> str | None:
    """Why the answer ended: the reason an incomplete one stopped (``max_output_tokens``,
    ``content_filter``), else its status (``completed``, ``failed``...)."""
    details = raw.incomplete_details
    reason = details.reason if details is not None else None
    return reason or raw.status


def output_text(raw: Response) -> str:
    """The text of every ``output_text`` part of the answer's messages."""
    texts: list[str] = []
    for item in raw.output:
        if item.type == "message":
            texts.extend(p.text for p in item.content if p.type == "output_text")
    return texts[0] if len(texts) == 1 else "".join(texts)


def decode_response(raw: Response) -> Decoded:
    """A ``Response`` to the neutral record: message text, function calls, reasoning items
    (their summaries, signed with what takes them back; other output items, such as a
    built-in tool's call, are the vendor's to read)."""
    texts: list[str] = []
    records: list[ToolCallRecord] = []
    thinking: list[tuple[str, str | None]] = []
    for item in raw.output:
        if item.type == "message":
            texts.extend(p.text for p in item.content if p.type == "output_text")
        elif item.type == "function_call":
            records.append(ToolCallRecord(item.call_id, item.name, item.arguments, item))
        elif item.type == "reasoning":
            thinking.append((reasoning_text(item), reasoning_signature(item)))
    reason = finish_reason(raw)
    return Decoded(
        texts[0] if len(texts) == 1 else "".join(texts),
        records,
        decode_usage(raw.usage),
        [reason] if reason else [],
        raw.model,
        raw.id,
        tuple(thinking),
    )


_STATUSES = frozenset({"completed", "failed", "in_progress", "cancelled", "queued", "incomplete"})


def response_fields(streamed: Decoded, plan: CallPlan) -> dict[str, object]:
    """The fields of a whole ``Response`` holding what a stream delivered: its reasoning
    items, its message text, then its function calls and its usage (the SDK's objects the
    stream carried them in, where it did)."""
    output: list[object] = []
    reasons = streamed.finish_reasons
    reason = reasons[0] if reasons else "completed"
    status = reason if reason in _STATUSES else "incomplete"
    item_status = "incomplete" if status == "incomplete" else "completed"
    for thought, signature in streamed.thinking:  # the reasoning items, first
        item = reasoning_item(ThinkingPart(thinking=thought, signature=signature))
        if item is not None:
            output.append(item)
    if streamed.content:
        text: dict[str, object] = {
            "type": "output_text",
            "text": streamed.content,
            "annotations": [],
        }
        output.append(
            {
                "id": f"msg_{streamed.id or ''}",
                "type": "message",
                "role": "assistant",
                "status": item_status,
                "content": [text],
            }
        )
    for record in streamed.tool_calls:
        if record.raw is not None:  # the item of the call's output_item.done event
            output.append(record.raw)
            continue
        output.append(
            {
                "type": "function_call",
                "call_id": record.id,
                "name": record.name,
                "arguments": arguments_json(record.arguments),
                "status": item_status,
            }
        )
    params = plan.call_params
    response: dict[str, object] = {
        "id": streamed.id or "",
        "object": "response",
        "created_at": 0,
        "status": status,
        "model": streamed.model or plan.model,
        "output": output,
        "parallel_tool_calls": params.get("parallel_tool_calls", True),
        "tool_choice": params.get("tool_choice", "auto"),
        "tools": [encode_tool(t) for t in plan.tools],
    }
    if status == "incomplete":
        response["incomplete_details"] = {"reason": reason}
    counts = streamed.usage
    usage: object = counts.raw if counts is not None else None
    if usage is None and counts is not None:
        usage = {
            "input_tokens": counts.input_tokens or 0,
            "input_tokens_details": {
                "cache_write_tokens": 0,
                "cached_tokens": counts.cached_tokens or 0,
            },
            "output_tokens": counts.output_tokens or 0,
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": counts.total_tokens or 0,
        }
    if usage is not None:
        response["usage"] = usage
    return response


def decode_event(event: ResponseStreamEvent) -> Delta | str:
    """One stream event to the neutral delta. Reasoning streams its summary
    (``reasoning_summary_text.delta``) and closes with its item, whose id (and encrypted
    content) sign it. A function call opens with its item
    (``output_item.added``: call id and name), grows by ``function_call_arguments.delta``
    and closes with its item (``output_item.done``); the last event (``completed``,
    ``incomplete`` or ``failed``) carries the whole response: usage, finish reason and
    the text, against which the streamed text is checked."""
    # ``event.type`` is read in each test (not once into a local) so that pyright narrows
    # the event to its class; the first test takes most events
    if event.type == "response.output_text.delta":
        text = event.delta
        if type(text) is str and text:  # most events: the text alone
            return text
        return Delta(text)
    if event.type == "response.reasoning_summary_text.delta":
        return Delta(thinking=event.delta)
    if event.type == "response.reasoning_summary_part.added":
        # the summary's parts, one paragraph each
        return Delta(thinking="\n\n") if event.summary_index else Delta()
    if event.type == "response.function_call_arguments.delta":
        return Delta("", (ToolCallDelta(event.output_index, arguments=event.delta),))
    if event.type == "response.output_item.added" or event.type == "response.output_item.done":
        done = event.type == "response.output_item.done"
        item = event.item
        if item.type != "function_call":
            if item.type == "reasoning" and done:
                return Delta(signature=reasoning_signature(item))  # the item is whole
            return Delta()
        if done:
            piece = ToolCallDelta(event.output_index, raw=item, done=True)
        else:
            piece = ToolCallDelta(
                event.output_index, item.call_id, item.name, item.arguments, raw=item
            )
        return Delta("", (piece,))
    if (
        event.type == "response.completed"
        or event.type == "response.incomplete"
        or event.type == "response.failed"
    ):
        raw = event.response
        whole = output_text(raw) if event.type != "response.failed" else None
        usage = decode_usage(raw.usage)
        return Delta(
            "", NO_TOOL_DELTAS, usage, finish_reason(raw), raw.model, raw.id, whole_text=whole
        )
    if event.type == "response.created":
        raw = event.response
        return Delta(model=raw.model, id=raw.id)
    return Delta()  # progress, content-part and other items' events carry no text


class OpenAIResponsesAdapter(
    Adapter[openai.OpenAI, openai.AsyncOpenAI, "Response", "ResponseStreamEvent"]
):
    """OpenAI's Responses API on the clients of ``openai.call`` (OpenAI and Azure OpenAI)."""

    name = NAME
    client_names = CHAT.client_names

    def default_client(self, *, is_async: bool) -> openai.OpenAI | openai.AsyncOpenAI:
        return CHAT.default_client(is_async=is_async)

    def build_request(self, plan: CallPlan, *, stream: bool) -> Request:
        return build_request(plan, stream=stream)

    output_modes: ClassVar[frozenset[str]] = frozenset({"strict", "json"})

    def apply_output(self, request: Request, output: OutputFormat) -> None:
        if output.mode == "tool":
            request["tool_choice"] = {"type": "function", "name": output.name}
            return
        if output.mode == "strict":
            schema = output.schema
            fmt = {"type": "json_schema", "name": output.name, "schema": schema, "strict": True}
        else:
            fmt = {"type": "json_object"}
        # a copy: the call params' own ``text`` (verbosity) is the user's dict
        request["text"] = {**(request.get("text") or {}), "format": fmt}

    def refusal(self, raw: Response) -> str | None:
        for item in getattr(raw, "output", None) or ():
            if getattr(item, "type", None) != "message":
                continue
            for part in getattr(item, "content", None) or ():
                if getattr(part, "type", None) != "refusal":
                    continue
                refusal = getattr(part, "refusal", None)
                if isinstance(refusal, str) and refusal:
                    return refusal
        return None

    def apply_timeout(self, request: Request, seconds: float) -> None:
        # the create() argument of the openai SDK, as for chat completions
        if request.get("timeout") is None:
            request["timeout"] = seconds

    # ``create`` is overloaded on ``stream``, which the request holds: each mode names
    # what its overload returns
    def send(self, client: openai.OpenAI, request: Request) -> Response:
        return cast("Response", client.responses.create(**request))

    async def send_async(self, client: openai.AsyncOpenAI, request: Request) -> Response:
        return cast("Response", await client.responses.create(**request))

    def open_stream(self, client: openai.OpenAI, request: Request) -> Iterator[ResponseStreamEvent]:
        return cast("Iterator[ResponseStreamEvent]", client.responses.create(**request))

    async def open_stream_async(
        self, client: openai.AsyncOpenAI, request: Request
    ) -> AsyncIterator[ResponseStreamEvent]:
        return cast("AsyncIterator[ResponseStreamEvent]", await client.responses.create(**request))

    def decode_response(self, raw: Response) -> Decoded:
        return decode_response(raw)

    text_chunks_name_stream = False  # text deltas name no response id or model

    def decode_chunk(self, chunk: ResponseStreamEvent) -> Delta:
        return self.text_record(decode_event(chunk))

    def decode_text_chunk(self, chunk: ResponseStreamEvent) -> Delta | str:
        return decode_event(chunk)

    streams_refusals: ClassVar[bool] = True

    def chunk_refusal(self, chunk: ResponseStreamEvent) -> str | None:
        if chunk.type == "response.refusal.delta":
            return chunk.delta or None
        return None

    def assemble_response(self, streamed: Decoded, plan: CallPlan) -> Response:
        from openai.types.responses import Response

        # built as the SDK builds what it reads off the wire (unvalidated, nested models
        # made): the events' own objects are kept as they came
        return Response.model_construct(None, **response_fields(streamed, plan))


ADAPTER = OpenAIResponsesAdapter()
