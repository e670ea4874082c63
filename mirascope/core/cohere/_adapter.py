"""Cohere chat through the ``cohere`` SDK. The client's class picks the API: a
``ClientV2``/``AsyncClientV2`` speaks v2 chat (OpenAI-like messages), any other
``Client``/``AsyncClient`` v1 chat (``message`` + ``chat_history``, tool results apart).
Sending, usage and dispatch are shared; the two sections below map each API's shapes."""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

import cohere
from typing_extensions import TypeIs

from .._engine.adapter import Adapter, CallPlan, Request
from .._engine.assemble import arguments_dict, arguments_json, usage_dict
from .._engine.records import (
    NO_TOOL_DELTAS,
    Decoded,
    Delta,
    ToolCallDelta,
    ToolCallRecord,
)
from .._formats import openai_chat
from ..base._narrow import is_items, is_str_dict, is_str_mapping
from ..base.errors import MissingCredentialsError, unsupported_part
from ..base.messages import (
    BaseMessageParam,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolResultPart,
    VendorMessage,
)
from ..base.tool import BaseTool
from ..base.usage import Usage

if TYPE_CHECKING:
    from cohere import (
        ApiMeta,
        ApiMetaBilledUnits,
        ContentDeltaV2ChatStreamResponse,
        MessageEndV2ChatStreamResponse,
        MessageStartV2ChatStreamResponse,
        NonStreamedChatResponse,
        StreamedChatResponse,
        StreamEndStreamedChatResponse,
        TextGenerationStreamedChatResponse,
        ToolCall,
        ToolCallDeltaV2ChatStreamResponse,
        ToolCallEndV2ChatStreamResponse,
        ToolCallsChunkStreamedChatResponse,
        ToolCallsGenerationStreamedChatResponse,
        ToolCallStartV2ChatStreamResponse,
        ToolPlanDeltaV2ChatStreamResponse,
        UsageBilledUnits,
        V2ChatResponse,
        V2ChatStreamResponse,
    )
    from cohere import (
        Usage as CohereUsage,
    )

    from .._engine.output import OutputFormat

    Raw: TypeAlias = NonStreamedChatResponse | V2ChatResponse
    Chunk: TypeAlias = StreamedChatResponse | V2ChatStreamResponse


# The v2 client and types are imported only when asked for (importing them costs more
# than the rest of this module): while their modules are not loaded, nothing is v2.


def _is_v2_client(client: object) -> bool:
    # ClientV2 subclasses Client (and AsyncClientV2 AsyncClient): test for v2 first
    module = sys.modules.get("cohere.client_v2")
    return module is not None and isinstance(client, (module.ClientV2, module.AsyncClientV2))


_v2_response: type[V2ChatResponse] | None = None


def _is_v2_response(raw: Raw) -> TypeIs[V2ChatResponse]:
    global _v2_response
    v2_response = _v2_response
    if v2_response is None:
        module = sys.modules.get("cohere.v2")
        if module is None:
            return False
        # kept: the SDK's lazy attributes import on every read
        v2_response = _v2_response = module.V2ChatResponse
    return isinstance(raw, v2_response)


def _usage(meta: ApiMeta | CohereUsage | None) -> Usage | None:
    """v1's ``ApiMeta`` and v2's ``Usage`` count alike: billed units (what the account is
    charged, preferred) and tokens (what the model read, Cohere's scaffolding included)."""
    if meta is None:
        return None
    counts: list[int | None] = []
    for name in ("input_tokens", "output_tokens"):
        value: float | None = getattr(meta.billed_units, name, None)
        if value is None:
            value = getattr(meta.tokens, name, None)
        counts.append(int(value) if value is not None else None)
    cached = meta.cached_tokens
    return Usage(counts[0], counts[1], int(cached) if cached is not None else None, meta)


# -- v1: message / chat_history / preamble / tool_results ----------------------------------

_V1_ROLES = {"user": "USER", "assistant": "CHATBOT", "system": "SYSTEM", "tool": "TOOL"}
_PY_TYPES = {
    "string": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "null": "None",
    "array": "list",
    "object": "dict",
}


def _v1_call_id(index: int, name: str, parameters: object) -> str:
    """v1 tool calls carry no id: derive one from the call itself, so the same call gets
    the same id in a response, a stream and the history that answers it."""
    # repr of the sorted items, not json.dumps(sort_keys=True): a third of the cost
    items = sorted(parameters.items()) if is_str_dict(parameters) else parameters
    blob = repr(items).encode()
    return f"{name}_{index}_{hashlib.sha1(blob).hexdigest()[:10]}"


def _v1_text(parts: Sequence[object]) -> str:
    for p in parts:
        if not isinstance(p, TextPart | ToolCallPart | ToolResultPart | ThinkingPart):
            raise unsupported_part(
                "cohere",
                p,
                "its v1 chat API (cohere.Client / AsyncClient) takes text only; a "
                "cohere.ClientV2 / AsyncClientV2 client sends images",
            )
    return "".join(p.text for p in parts if isinstance(p, TextPart))


def _v1_result(part: ToolResultPart, calls: dict[str, dict[str, object]]) -> dict[str, object]:
    # a v1 result repeats the call it answers, found by the id we gave that call
    call = calls.get(part.id) or {"name": part.name, "parameters": {}}
    return {"call": call, "outputs": [{"error" if part.is_error else "result": part.content}]}


def _v1_request(messages: Sequence[BaseMessageParam | VendorMessage]) -> Request:
    """Neutral messages as v1's ``preamble``, ``chat_history``, ``message`` (the last user
    turn) and ``tool_results`` (results that end the conversation); vendor messages pass
    through into ``chat_history`` untouched."""
    history: list[object] = []
    preamble: list[str] = []
    calls: dict[str, dict[str, object]] = {}
    last_user: dict[str, object] | None = None
    # the TOOL entries of history, each with its results
    tool_entries: list[tuple[dict[str, object], list[dict[str, object]]]] = []
    for m in messages:
        if not isinstance(m, BaseMessageParam):
            history.append(m)
            continue
        content = m.content
        if isinstance(content, str):
            text, parts = content, ()
        else:
            text, parts = _v1_text(content), content
        role = m.role
        results = [p for p in parts if isinstance(p, ToolResultPart)]
        if results:
            tool_results = [_v1_result(r, calls) for r in results]
            answers: dict[str, object] = {"role": "TOOL", "tool_results": tool_results}
            history.append(answers)
            tool_entries.append((answers, tool_results))
            if not text:
                continue
        if role == "system" and not history:
            preamble.append(text)
            continue
        tool_calls = [p for p in parts if isinstance(p, ToolCallPart)]
        entry: dict[str, object] = {"role": _V1_ROLES.get(role, role.upper()), "message": text}
        if tool_calls:
            v1_calls: list[dict[str, object]] = []
            for c in tool_calls:
                v1_calls.append(call := {"name": c.name, "parameters": c.args})
                calls[c.id] = call
            entry["tool_calls"] = v1_calls
        history.append(entry)
        if role == "user":
            last_user = entry
    request: Request = {"message": ""}
    if last_user is not None and history and history[-1] is last_user:
        history.pop()
        request["message"] = last_user["message"]
    else:
        # results that end the conversation answer the last turn: v1 takes them apart
        results_out: list[dict[str, object]] = []
        while tool_entries and history and history[-1] is tool_entries[-1][0]:
            history.pop()
            results_out[:0] = tool_entries.pop()[1]
        if results_out:
            request["tool_results"] = results_out
    if preamble:
        request["preamble"] = "\n\n".join(preamble)
    if history:
        request["chat_history"] = history
    return request


def _py_type(schema: Mapping[str, object], defs: Mapping[str, object]) -> str:
    """A JSON-schema type as the Python type name v1's parameter definitions expect."""
    ref = schema.get("$ref")
    if isinstance(ref, str):
        found = defs.get(ref.rsplit("/", 1)[-1])
        schema = found if is_str_mapping(found) else {}
    options = schema.get("anyOf") or schema.get("oneOf")
    if options and is_items(options):
        names = [_py_type(o, defs) for o in options if is_str_mapping(o)]
        if len(names) == 2 and "None" in names:
            names.remove("None")
            return f"Optional[{names[0]}]"
        return f"Union[{', '.join(names)}]"
    kind = schema.get("type")
    items = schema.get("items")
    if kind == "array" and is_str_mapping(items):
        return f"List[{_py_type(items, defs)}]"
    values = schema.get("additionalProperties")
    if kind == "object" and is_str_mapping(values):
        return f"Dict[str, {_py_type(values, defs)}]"
    return _PY_TYPES.get(kind, "str") if isinstance(kind, str) else "Any"


@functools.cache  # once per tool class; the encodings are shared, never mutated
def _v1_tool(tool: type[BaseTool]) -> dict[str, object]:
    """A tool as v1's ``parameter_definitions``."""
    schema = tool.parameters_schema()
    defs: dict[str, object] = schema.get("$defs", {})
    required = set(schema.get("required", ()))
    definitions: dict[str, dict[str, object]] = {}
    properties: dict[str, dict[str, object]] = schema["properties"]
    for name, prop in properties.items():
        definition: dict[str, object] = {
            "type": _py_type(prop, defs),
            "required": name in required,
        }
        if prop.get("description"):
            definition["description"] = prop["description"]
        definitions[name] = definition
    return {
        "name": tool.tool_name(),
        "description": tool.tool_description(),
        "parameter_definitions": definitions,
    }


def _v1_records(calls: Sequence[ToolCall] | None) -> list[ToolCallRecord]:
    return [
        ToolCallRecord(_v1_call_id(i, c.name, c.parameters), c.name, c.parameters, c)
        for i, c in enumerate(calls or ())
    ]


def _v1_decoded(raw: NonStreamedChatResponse) -> Decoded:
    reason = raw.finish_reason
    records = _v1_records(raw.tool_calls)
    return Decoded(
        raw.text or "",
        records,
        _usage(raw.meta),
        [reason] if reason is not None else [],
        None,  # v1 responses do not name the model
        raw.response_id,
    )


def _v1_text_delta(
    chunk: TextGenerationStreamedChatResponse | ToolCallsChunkStreamedChatResponse,
) -> Delta | str:
    # a tool-calls-chunk's text is the model's tool plan
    text = chunk.text
    if type(text) is str and text:  # most events: the text alone
        return text
    return Delta(text or "")


def _v1_calls_delta(chunk: ToolCallsGenerationStreamedChatResponse) -> Delta:
    # tool-calls-chunk events stream the arguments, but only this event has them whole,
    # which the call's id is derived from: each call completes here
    return Delta(
        "",
        tuple(
            ToolCallDelta(r.id, r.id, r.name, r.arguments, done=True, raw=r.raw)
            for r in _v1_records(chunk.tool_calls)
        ),
    )


def _v1_end_delta(chunk: StreamEndStreamedChatResponse) -> Delta:
    # the SDK builds events unchecked: a part the answer lacks is None, whatever its type
    response: NonStreamedChatResponse | None = getattr(chunk, "response", None)
    if response is None:
        return Delta("", NO_TOOL_DELTAS, None, chunk.finish_reason)
    return Delta(
        "",
        NO_TOOL_DELTAS,
        _usage(response.meta),
        chunk.finish_reason,
        None,
        response.response_id,
        # the SDK skips a line it cannot parse without a word; the end event repeats the
        # whole text, so the engine can tell that a piece went missing
        whole_text=response.text,
    )


# -- v2: OpenAI-like messages and tools, typed SSE events ----------------------------------


_V2_MEDIA = openai_chat.ChatMedia("cohere", audio=None, document=False)
"""v2 takes text and images (``image_url``) only."""


def _v2_messages(messages: Sequence[BaseMessageParam | VendorMessage]) -> list[VendorMessage]:
    """Neutral messages as v2 messages (OpenAI's shape, but an assistant's words before
    its tool calls go in ``tool_plan``); vendor messages pass through untouched."""
    out: list[VendorMessage] = []
    for m in messages:
        if not isinstance(m, BaseMessageParam):
            out.append(m)
        elif isinstance(m.content, str):
            out.append({"role": m.role, "content": m.content})
        else:
            for encoded in openai_chat.encode_message(m, _V2_MEDIA):
                if "tool_calls" in encoded:
                    text = encoded.pop("content")
                    if text:
                        encoded["tool_plan"] = text
                out.append(encoded)
    return out


def _v2_decoded(raw: V2ChatResponse) -> Decoded:
    message = raw.message
    texts = [message.tool_plan or ""]
    thoughts: list[str] = []
    for item in message.content or ():
        if item.type == "text":
            texts.append(item.text or "")
        elif item.type == "thinking":
            # reasoning models (thinking enabled) answer with these before the text
            thoughts.append(item.thinking or "")
    records = [
        ToolCallRecord(
            c.id,
            (c.function.name if c.function is not None else None) or "",
            c.function.arguments if c.function is not None else None,
            c,
        )
        for c in message.tool_calls or ()
    ]
    reason = raw.finish_reason
    content = "".join(texts)
    thought = "".join(thoughts)
    return Decoded(
        content,
        records,
        _usage(raw.usage),
        [reason] if reason is not None else [],
        None,  # v2 responses do not name the model either
        raw.id,
        ((thought, None),) if thought else (),
    )


def _v2_start(chunk: MessageStartV2ChatStreamResponse) -> Delta:
    return Delta(id=chunk.id)


def _v2_content_delta(chunk: ContentDeltaV2ChatStreamResponse) -> Delta | str:
    # a piece of a text item, or of a thinking item (reasoning models)
    delta = chunk.delta
    message = delta.message if delta is not None else None
    content = message.content if message is not None else None
    if content is None:
        return Delta()
    text = content.text
    if type(text) is str and text and not content.thinking:  # most events: the text alone
        return text
    return Delta(text or "", thinking=content.thinking or "")


def _v2_plan_delta(chunk: ToolPlanDeltaV2ChatStreamResponse) -> Delta:
    delta = chunk.delta
    message = delta.message if delta is not None else None
    return Delta((message.tool_plan if message is not None else None) or "")


def _v2_call_start(chunk: ToolCallStartV2ChatStreamResponse) -> Delta:
    delta = chunk.delta
    message = delta.message if delta is not None else None
    call = message.tool_calls if message is not None else None
    function = call.function if call is not None else None
    return Delta(
        "",
        (
            ToolCallDelta(
                chunk.index or 0,
                call.id if call is not None else None,
                function.name if function is not None else None,
                (function.arguments if function is not None else None) or None,
                raw=call,
            ),
        ),
    )


def _v2_call_delta(chunk: ToolCallDeltaV2ChatStreamResponse) -> Delta:
    delta = chunk.delta
    message = delta.message if delta is not None else None
    call = message.tool_calls if message is not None else None
    function = call.function if call is not None else None
    arguments = function.arguments if function is not None else None
    return Delta("", (ToolCallDelta(chunk.index or 0, arguments=arguments),))


def _v2_call_end(chunk: ToolCallEndV2ChatStreamResponse) -> Delta:
    return Delta("", (ToolCallDelta(chunk.index or 0, done=True),))


def _v2_end(chunk: MessageEndV2ChatStreamResponse) -> Delta:
    delta = chunk.delta
    if delta is None:
        return Delta("", NO_TOOL_DELTAS)
    return Delta("", NO_TOOL_DELTAS, _usage(delta.usage), delta.finish_reason)


# keyed by the SDK's event class names (v1's and v2's differ), not the classes: those
# would import v2's types, which a v1 client never uses
# (each reader takes the one class its key names: no one parameter type fits them all)
_TEXT_CHUNKS: dict[str, Callable[[Any], Delta | str]] = {
    "TextGenerationStreamedChatResponse": _v1_text_delta,  # v1
    "ToolCallsChunkStreamedChatResponse": _v1_text_delta,
    "ContentDeltaV2ChatStreamResponse": _v2_content_delta,  # v2
}
"""The events that carry text, read given the class to make a plain chunk as."""
_CHUNKS: dict[str, Callable[[Any], Delta]] = {
    # v1 (newline-delimited JSON)
    "ToolCallsGenerationStreamedChatResponse": _v1_calls_delta,
    "StreamEndStreamedChatResponse": _v1_end_delta,
    # v2 (server-sent events)
    "MessageStartV2ChatStreamResponse": _v2_start,
    "ToolPlanDeltaV2ChatStreamResponse": _v2_plan_delta,
    "ToolCallStartV2ChatStreamResponse": _v2_call_start,
    "ToolCallDeltaV2ChatStreamResponse": _v2_call_delta,
    "ToolCallEndV2ChatStreamResponse": _v2_call_end,
    "MessageEndV2ChatStreamResponse": _v2_end,
}


class CohereAdapter(Adapter[cohere.Client, cohere.AsyncClient, "Raw", "Chunk"]):
    """Its client types are v1's: ``ClientV2`` and ``AsyncClientV2`` subclass them."""

    name = "cohere"

    def default_client(self, *, is_async: bool) -> cohere.Client | cohere.AsyncClient:
        # the SDK reads CO_API_URL once, at import (a default argument): read it now
        base_url = os.environ.get("CO_API_URL")
        # the SDK's own lookup: without a key it raises an ApiError that reads as an HTTP
        # failure (``headers: None, status_code: None, body: ...``)
        if not os.environ.get("CO_API_KEY", os.environ.get("COHERE_API_KEY")):
            raise MissingCredentialsError(
                "cohere's default client found no API key: set CO_API_KEY, or pass "
                "client=cohere.Client(api_key=...) (cohere.AsyncClient for async def) to "
                "the call"
            )
        return (
            cohere.AsyncClient(base_url=base_url) if is_async else cohere.Client(base_url=base_url)
        )

    client_names = "a cohere.Client, AsyncClient, ClientV2 or AsyncClientV2 client"

    def build_request(self, plan: CallPlan, *, stream: bool) -> Request:
        if _is_v2_client(plan.client):
            request: Request = {"model": plan.model, "messages": _v2_messages(plan.messages)}
            if plan.tools:
                request["tools"] = [openai_chat.encode_tool(t) for t in plan.tools]
        else:
            request = _v1_request(plan.messages)
            request["model"] = plan.model
            if plan.tools:
                request["tools"] = [_v1_tool(t) for t in plan.tools]
        if plan.call_params:
            request.update(plan.call_params)
        return request

    def apply_timeout(self, request: Request, seconds: float) -> None:
        options: dict[str, object] = dict(request.get("request_options") or {})
        if options.get("timeout") is None and options.get("timeout_in_seconds") is None:
            # "timeout" is the SDK's name now; releases before 7.3 read only the older one
            options["timeout"] = options["timeout_in_seconds"] = seconds
            request["request_options"] = options

    output_modes = frozenset({"strict", "json"})

    def vendor_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        from .._engine.schemas import inline_refs

        return inline_refs(schema)

    def apply_output(self, request: Request, output: OutputFormat) -> None:
        v2 = "messages" in request
        if output.mode == "tool":
            if v2:  # the v1 API cannot force a tool: the model is only offered it
                request["tool_choice"] = "REQUIRED"
            return
        response_format: dict[str, object] = {"type": "json_object"}
        if output.mode == "strict":
            response_format["json_schema" if v2 else "schema"] = output.schema
        request["response_format"] = response_format

    # a ClientV2 is a Client whose chat returns v2's types: typed as v1's here, which Raw
    # and Chunk include
    def send(self, client: cohere.Client, request: Request) -> Raw:
        return client.chat(**request)

    async def send_async(self, client: cohere.AsyncClient, request: Request) -> Raw:
        return await client.chat(**request)

    def open_stream(self, client: cohere.Client, request: Request) -> Iterator[Chunk]:
        return client.chat_stream(**request)

    async def open_stream_async(
        self, client: cohere.AsyncClient, request: Request
    ) -> AsyncIterator[Chunk]:
        return client.chat_stream(**request)

    def decode_response(self, raw: Raw) -> Decoded:
        if _is_v2_response(raw):
            return _v2_decoded(raw)
        return _v1_decoded(raw)

    text_chunks_name_stream = False  # text events name no generation id or model

    def decode_chunk(self, chunk: Chunk) -> Delta:
        return self.text_record(self.decode_text_chunk(chunk))

    def decode_text_chunk(self, chunk: Chunk) -> Delta | str:
        kind = type(chunk).__name__
        text = _TEXT_CHUNKS.get(kind)
        if text is not None:  # most events
            return text(chunk)
        decode = _CHUNKS.get(kind)
        return decode(chunk) if decode is not None else Delta()

    def usage_of(self, raw: Raw, decoded: Decoded) -> ApiMetaBilledUnits | UsageBilledUnits | None:
        # the billed units, as v1 mirascope gave them (v1's meta and v2's usage both have)
        usage = raw.usage if _is_v2_response(raw) else raw.meta
        return usage.billed_units if usage is not None else None

    def assemble_response(self, streamed: Decoded, plan: CallPlan) -> Raw:
        reasons = streamed.finish_reasons
        reason = reasons[-1] if reasons else None
        usage = usage_dict(streamed.usage)
        if _is_v2_client(plan.client):
            from cohere.v2 import V2ChatResponse  # loaded with the v2 client

            message: dict[str, object] = {"role": "assistant"}
            content: list[dict[str, object]] = [
                {"type": "thinking", "thinking": text} for text, _ in streamed.thinking
            ]
            if streamed.content:
                content.append({"type": "text", "text": streamed.content})
            if content:
                message["content"] = content
            if streamed.tool_calls:
                message["tool_calls"] = [
                    {
                        "id": r.id,
                        "type": "function",
                        "function": {"name": r.name, "arguments": arguments_json(r.arguments)},
                    }
                    for r in streamed.tool_calls
                ]
            return V2ChatResponse.model_validate(
                {
                    "id": streamed.id or "",
                    "finish_reason": reason,
                    "message": message,
                    "usage": usage,
                }
            )
        return cohere.NonStreamedChatResponse.model_validate(
            {
                "text": streamed.content,
                "response_id": streamed.id,
                "finish_reason": reason,
                "tool_calls": [
                    {"name": r.name, "parameters": arguments_dict(r.arguments)}
                    for r in streamed.tool_calls
                ]
                or None,
                "meta": usage,
            }
        )

    # the SDK's clients close their connection pools on leaving ``with`` (no close())
    def close_client(self, client: cohere.Client) -> None:
        with client:
            pass

    async def close_client_async(self, client: cohere.AsyncClient) -> None:
        async with client:
            pass


ADAPTER = CohereAdapter()
