"""OpenAI's chat-completions shape, which OpenAI, Groq, LiteLLM and Azure AI all speak.

Pure functions plus ``ChatCompletionsAdapter``, no SDK import: responses are read by
attribute, so any vendor's objects of this shape (openai, groq, litellm pydantic models)
decode the same way."""

from __future__ import annotations

import base64
import functools
import json
from abc import abstractmethod
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol, TypedDict, TypeVar, cast

from typing_extensions import NotRequired

from .._engine.adapter import Adapter, CallPlan, Request
from .._engine.assemble import arguments_json, usage_dict
from .._engine.records import (
    NO_TOOL_DELTAS,
    Decoded,
    Delta,
    ToolCallDelta,
    ToolCallRecord,
)
from ..base._narrow import is_items
from ..base.errors import unsupported_part
from ..base.messages import (
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
    VendorMessage,
)
from ..base.tool import BaseTool
from ..base.usage import Usage

if TYPE_CHECKING:
    from .._engine.output import OutputFormat


@dataclass(frozen=True, slots=True)
class ChatMedia:
    """What one chat-completions vendor takes beyond text and images."""

    provider: str
    audio: Literal["input_audio", "mistral"] | None = "input_audio"
    """``input_audio``: OpenAI's ``{"data", "format"}`` object (WAV or MP3; an audio URL is
    downloaded, as v1 did); ``mistral``: Mistral's base64 string or URL; None: no audio."""
    document: bool = True
    """Whether a ``file`` part (a PDF as a data URL) is accepted."""


OPENAI_MEDIA = ChatMedia("openai")
_AUDIO_FORMATS = {"audio/wav": "wav", "audio/x-wav": "wav", "audio/mp3": "mp3", "audio/mpeg": "mp3"}


def _b64(data: bytes | str) -> str:
    return data if isinstance(data, str) else base64.b64encode(data).decode()


def _input_audio(
    part: AudioPart | AudioURLPart, data: bytes | str, media_type: str, media: ChatMedia
) -> dict[str, object]:
    audio_format = _AUDIO_FORMATS.get(media_type)
    if audio_format is None:
        raise unsupported_part(media.provider, part, f"{media_type}: it takes WAV and MP3 audio")
    return {"type": "input_audio", "input_audio": {"data": _b64(data), "format": audio_format}}


def _part(part: object, media: ChatMedia = OPENAI_MEDIA) -> dict[str, object]:
    if isinstance(part, TextPart):
        return {"type": "text", "text": part.text}
    if isinstance(part, ImagePart | ImageURLPart):
        if part.url is not None:
            url = part.url
        else:
            assert isinstance(part, ImagePart)
            url = f"data:{part.media_type};base64,{_b64(part.image or b'')}"
        image: dict[str, object] = {"url": url}
        if part.detail:
            image["detail"] = part.detail
        return {"type": "image_url", "image_url": image}
    if isinstance(part, AudioPart) and media.audio is not None:
        if media.audio == "mistral":
            return {"type": "input_audio", "input_audio": _b64(part.audio)}
        return _input_audio(part, part.audio, part.media_type, media)
    if isinstance(part, AudioURLPart) and media.audio is not None:
        if media.audio == "mistral":
            return {"type": "input_audio", "input_audio": part.url}
        from ..base import _media  # the API takes no audio URL: v1 downloaded it

        data = _media.load(part.url, "audio")
        return _input_audio(part, data, _media.audio_type(data), media)
    if isinstance(part, DocumentPart) and media.document:
        data_url = f"data:{part.media_type};base64,{_b64(part.document)}"
        return {"type": "file", "file": {"file_data": data_url, "filename": "document.pdf"}}
    raise unsupported_part(media.provider, part)


def encode_message(
    message: BaseMessageParam, media: ChatMedia = OPENAI_MEDIA
) -> list[dict[str, object]]:
    """One neutral message as chat-completions message dicts (tool results fan out)."""
    content = message.content
    if isinstance(content, str):
        return [{"role": message.role, "content": content}]
    calls = [p for p in content if isinstance(p, ToolCallPart)]
    results = [p for p in content if isinstance(p, ToolResultPart)]
    # reasoning goes back only to the vendor that signed it: not in this wire shape
    rest = [p for p in content if not isinstance(p, ToolCallPart | ToolResultPart | ThinkingPart)]
    out: list[dict[str, object]] = [
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
            out.append({"role": message.role, "content": [_part(p, media) for p in rest]})
    return out


def encode_messages(
    messages: Sequence[BaseMessageParam | VendorMessage], media: ChatMedia = OPENAI_MEDIA
) -> list[object]:
    """Neutral messages to chat-completions dicts; vendor dicts pass through untouched.
    ``media`` says which parts beyond text and images the vendor takes (others raise
    ``UnsupportedPartError``)."""
    out: list[object] = []
    for m in messages:
        if isinstance(m, BaseMessageParam):
            content = m.content
            if isinstance(content, str):  # the common case, kept cheap
                out.append({"role": m.role, "content": content})
            else:
                out.extend(encode_message(m, media))
        else:
            out.append(m)
    return out


@functools.cache  # once per tool class; the encodings are shared, never mutated
def encode_tool(tool: type[BaseTool]) -> dict[str, object]:
    """A tool as a chat-completions function tool; ``strict`` in its ``tool_config``
    (``OpenAIToolConfig(strict=True)``) sends the strict form of its schema."""
    parameters = tool.parameters_schema()
    function: dict[str, object] = {
        "name": tool.tool_name(),
        "description": tool.tool_description(),
        "parameters": parameters,
    }
    if tool.tool_config.get("strict"):
        from .._engine.schemas import strict_schema

        function["parameters"] = strict_schema(parameters)
        function["strict"] = True
    return {"type": "function", "function": function}


class _UsageFields(TypedDict, total=False):
    """The fields a chat-completions usage object keeps in ``__dict__``."""

    prompt_tokens: int | None
    completion_tokens: int | None
    prompt_tokens_details: object


class _DetailFields(TypedDict, total=False):
    cached_tokens: int | None


def decode_usage(usage: object) -> Usage | None:
    if usage is None:
        return None
    # pydantic objects keep their fields in __dict__; a getattr that misses costs ~10 us
    fields: _UsageFields = getattr(usage, "__dict__", None) or {}
    details = fields.get("prompt_tokens_details")
    detail_fields: _DetailFields = getattr(details, "__dict__", None) or {}
    cached = detail_fields.get("cached_tokens")
    return Usage(fields.get("prompt_tokens"), fields.get("completion_tokens"), cached, usage)


def content_text(content: object) -> str:
    """A message's text: a string, or a list of typed parts (Mistral's reasoning models
    answer so) of which only the text parts count."""
    if isinstance(content, str):
        return content
    if not content or not is_items(content):
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
    content = delta.content
    calls = delta.tool_calls
    if type(content) is str and not calls and usage is None:
        # most chunks: a piece of text (read here, not through chunk_delta: a call per
        # chunk is a good part of what a chunk costs)
        return Delta(content, NO_TOOL_DELTAS, None, choice.finish_reason, chunk.model, chunk.id)
    return chunk_delta(chunk, usage, choice.finish_reason, content, calls)


def chunk_delta(
    chunk: Any,
    usage: object,
    finish_reason: str | None,
    content: object,
    calls: Sequence[Any] | None,
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
        content if type(content) is str else content_text(content),
        pieces,
        decode_usage(usage) if usage is not None else None,
        finish_reason,
        chunk.model,
        chunk.id,
    )


def _first_refusal(answer: object, part: Literal["message", "delta"]) -> str | None:
    """The refusal in the first choice's message (a response) or delta (a chunk); None
    where there is none (vendors without refusals, or SDKs that wrap the chunk, have no
    such field)."""
    choices = getattr(answer, "choices", None)
    if not choices:
        return None
    refusal = getattr(getattr(choices[0], part, None), "refusal", None)
    return refusal if isinstance(refusal, str) and refusal else None


class _MoreDecoder(Protocol):
    def decode_more(self, chunk: object, /) -> Delta: ...

    def text_record(
        self,
        decoded: Delta | str,
        model: str | None = None,
        id: str | None = None,  # noqa: A002
    ) -> Delta: ...


def text_first(
    wrapped: str | None = None,
    *,
    chunk_extra: str | None = None,
    delta_extra: str | None = None,
    absent: type | None = None,
) -> tuple[Callable[[Any, Any], Delta], Callable[[Any, Any], Delta | str]]:
    """A chat-completions adapter's ``decode_chunk`` and ``decode_text_chunk``: most
    chunks are a piece of text, read in this one call (a call more per chunk would be a
    good part of what a chunk costs); the rest go to the adapter's ``decode_more``. The
    second hands back a text chunk's text alone (the vendors of this wire repeat the
    stream's model and id in every chunk).

    ``wrapped``: the field of the SDK's stream item that holds the chunk, for an SDK that
    wraps it (Mistral's ``CompletionEvent.data``). ``chunk_extra`` / ``delta_extra``: a
    field of the chunk / of its first choice's delta holding a vendor's own data, which a
    text chunk may carry (Groq's ``x_groq``, xAI's pydantic extras): set, the chunk goes
    to ``decode_more``. ``absent``: the class of the SDK's mark of an unset field besides
    None (Mistral's ``Unset``: its truth is a Python call, its type is compared instead;
    pydantic copies the default into each chunk, so not its identity)."""

    def decode_text_chunk(self: _MoreDecoder, chunk: Any) -> Delta | str:
        data = chunk if wrapped is None else getattr(chunk, wrapped)
        choices = data.choices
        if choices:
            choice = choices[0]
            piece = choice.delta
            content = piece.content
            tools = piece.tool_calls
            if (
                type(content) is str
                and content
                and (tools is None or tools.__class__ is absent or not tools)
                and choice.finish_reason is None
                and data.usage is None
                and (chunk_extra is None or not getattr(data, chunk_extra))
                and (delta_extra is None or not getattr(piece, delta_extra))
            ):
                return content
        return self.decode_more(chunk)

    def decode_chunk(self: _MoreDecoder, chunk: Any) -> Delta:
        decoded = decode_text_chunk(self, chunk)
        if isinstance(decoded, str):  # a text chunk: its record, with its model and id
            data = chunk if wrapped is None else getattr(chunk, wrapped)
            return self.text_record(decoded, data.model, data.id)
        return decoded

    return decode_chunk, decode_text_chunk


class FunctionJSON(TypedDict):
    name: str
    arguments: str


class ToolCallJSON(TypedDict):
    id: str
    type: Literal["function"]
    function: FunctionJSON


ReasoningField = Literal["reasoning", "reasoning_content"]
"""The message fields vendors return reasoning in (Groq's; xAI's and LiteLLM's)."""


class MessageJSON(TypedDict):
    role: Literal["assistant"]
    content: str | list[dict[str, object]] | None
    """Text, or (Mistral's reasoning answers) a list of typed content chunks."""
    tool_calls: NotRequired[list[ToolCallJSON]]
    reasoning: NotRequired[str]
    reasoning_content: NotRequired[str]


class ChoiceJSON(TypedDict):
    index: int
    message: MessageJSON
    finish_reason: str


class CompletionJSON(TypedDict):
    """A whole chat completion as JSON: what ``completion_json`` makes of a stream."""

    id: str
    object: Literal["chat.completion"]
    created: int
    model: str
    choices: list[ChoiceJSON]
    usage: NotRequired[dict[str, object]]


def completion_json(
    streamed: Decoded, plan: CallPlan, reasoning_field: ReasoningField | None = None
) -> CompletionJSON:
    """A whole chat completion (JSON) holding what a stream delivered; its reasoning in
    the message's ``reasoning_field`` (the vendor's, where it returns reasoning)."""
    message: MessageJSON = {"role": "assistant", "content": streamed.content or None}
    if reasoning_field is not None and streamed.thinking:
        message[reasoning_field] = "".join(text for text, _ in streamed.thinking)
    if streamed.tool_calls:
        message["tool_calls"] = [
            {
                "id": r.id,
                "type": "function",
                "function": {"name": r.name, "arguments": arguments_json(r.arguments)},
            }
            for r in streamed.tool_calls
        ]
    reasons = streamed.finish_reasons
    completion: CompletionJSON = {
        "id": streamed.id or "",
        "object": "chat.completion",
        "created": 0,
        "model": streamed.model or plan.model,
        "choices": [
            {"index": 0, "message": message, "finish_reason": reasons[0] if reasons else "stop"}
        ],
    }
    usage: dict[str, object] | None = usage_dict(streamed.usage)
    if usage is None and streamed.usage is not None:
        counts = streamed.usage
        usage = {
            "prompt_tokens": counts.input_tokens or 0,
            "completion_tokens": counts.output_tokens or 0,
            "total_tokens": counts.total_tokens or 0,
        }
    if usage is not None:
        completion["usage"] = usage
    return completion


def build_request(
    plan: CallPlan, *, stream: bool, stream_usage: bool = True, media: ChatMedia = OPENAI_MEDIA
) -> Request:
    """The keyword arguments of a chat-completions ``create`` call. ``stream_usage`` asks
    for usage in streams through ``stream_options`` (False for SDKs without that parameter)."""
    messages = encode_messages(plan.messages, media)
    request: Request = {"model": plan.model, "messages": messages}
    if plan.tools:
        request["tools"] = [encode_tool(t) for t in plan.tools]
    if plan.call_params:
        request.update(plan.call_params)
    if stream:
        request["stream"] = True
        if stream_usage:
            request.setdefault("stream_options", {"include_usage": True})
    return request


SyncClientT = TypeVar("SyncClientT")
AsyncClientT = TypeVar("AsyncClientT")
RawT = TypeVar("RawT")
ChunkT = TypeVar("ChunkT")


class ChatCompletionsAdapter(Adapter[SyncClientT, AsyncClientT, RawT, ChunkT]):
    """The shared part of every adapter whose SDK speaks chat completions: subclasses
    supply the name and the clients, and ``create`` and ``create_async``: the SDK's
    functions that send a request (``client.chat.completions.create`` for most)."""

    stream_usage: ClassVar[bool] = True
    """Whether to send ``stream_options`` (see ``build_request``)."""
    media: ClassVar[ChatMedia] = OPENAI_MEDIA
    """The content parts the vendor takes (see ``ChatMedia``)."""
    reasoning_field: ClassVar[ReasoningField | None] = None
    """The message field a stream's whole response keeps its reasoning in (the one the
    vendor answers with); None for a vendor that returns none."""

    @abstractmethod
    def create(self, client: SyncClientT) -> Callable[..., object]:
        """The SDK function that sends a request."""

    @abstractmethod
    def create_async(self, client: AsyncClientT) -> Callable[..., Awaitable[object]]:
        """The SDK coroutine function that sends a request."""

    def build_request(self, plan: CallPlan, *, stream: bool) -> Request:
        return build_request(plan, stream=stream, stream_usage=self.stream_usage, media=self.media)

    output_modes: ClassVar[frozenset[str]] = frozenset({"strict", "json"})

    def apply_output(self, request: Request, output: OutputFormat) -> None:
        if output.mode == "tool":
            request["tool_choice"] = {"type": "function", "function": {"name": output.name}}
        elif output.mode == "strict":
            request["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": output.name, "schema": output.schema, "strict": True},
            }
        else:
            request["response_format"] = {"type": "json_object"}

    def apply_timeout(self, request: Request, seconds: float) -> None:
        # the create() argument of the openai, groq and litellm SDKs
        if request.get("timeout") is None:
            request["timeout"] = seconds

    def refusal(self, raw: RawT) -> str | None:
        return _first_refusal(raw, "message")

    streams_refusals: ClassVar[bool] = True

    def chunk_refusal(self, chunk: ChunkT) -> str | None:
        return _first_refusal(chunk, "delta")

    # the SDKs' create() is overloaded on ``stream``, which the request holds: what it
    # returns is the type arguments' response (or stream of chunks)

    def send(self, client: SyncClientT, request: Request) -> RawT:
        return cast(RawT, self.create(client)(**request))

    async def send_async(self, client: AsyncClientT, request: Request) -> RawT:
        return cast(RawT, await self.create_async(client)(**request))

    def open_stream(self, client: SyncClientT, request: Request) -> Iterator[ChunkT]:
        return cast(Iterator[ChunkT], self.create(client)(**request))

    async def open_stream_async(
        self, client: AsyncClientT, request: Request
    ) -> AsyncIterator[ChunkT]:
        return cast(AsyncIterator[ChunkT], await self.create_async(client)(**request))

    def decode_response(self, raw: RawT) -> Decoded:
        return decode_completion(raw)

    decode_chunk, decode_text_chunk = text_first()

    def decode_more(self, chunk: ChunkT) -> Delta:
        """A chunk that is more than a piece of text (a vendor adds what it sends of its
        own: reasoning, an audio transcript, usage elsewhere)."""
        return decode_completion_chunk(chunk)

    def assemble_response(self, streamed: Decoded, plan: CallPlan) -> RawT:
        return self.completion_from_json(completion_json(streamed, plan, self.reasoning_field))

    def completion_from_json(self, completion: CompletionJSON) -> RawT:
        """The SDK's chat-completion object for this JSON (``assemble_response``)."""
        raise NotImplementedError
