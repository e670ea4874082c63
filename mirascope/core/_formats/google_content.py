"""Google's generateContent shape, which the Gemini API (``google-generativeai``), Vertex
AI (``vertexai.generative_models``) and ``google-genai`` (either backend) all speak:
``Content``/``Part`` messages, function declarations, ``function_call``/``function_response``
parts, ``usage_metadata`` and finish reasons.

No SDK import: requests are built as the plain dicts all three SDKs accept (proto field
names, which google-genai's models take too), and the two older SDKs' responses are read
from the protobuf messages under their wrappers, by field name, so their look-alike message
classes decode the same way (google-genai's pydantic responses are read in its adapter)."""

from __future__ import annotations

import base64
import functools
import math
import re
from abc import abstractmethod
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar, cast

from .._engine.adapter import Adapter, CallPlan, ClientClasses, DefaultModels, Request
from .._engine.assemble import arguments_dict
from .._engine.records import (
    NO_TOOL_DELTAS,
    Decoded,
    Delta,
    ToolCallDelta,
    ToolCallRecord,
    plain_delta,
)
from ..base._narrow import is_str_dict
from ..base.errors import EmptyPromptError, InvalidCallError, ToolArgumentsError, unsupported_part
from ..base.messages import (
    GOOGLE_SIGNATURE,
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
from ..base.tool import BaseTool
from ..base.usage import Usage

if TYPE_CHECKING:
    from typing_extensions import NotRequired, TypedDict, TypeIs

    from .._engine.output import OutputFormat
    from .._engine.schemas import JsonValue, Schema
    from ..base.messages import VendorMessage

    # what requests are built of, in the proto field names all three SDKs take

    class BlobDict(TypedDict):
        mime_type: str
        data: bytes

    class FileDataDict(TypedDict):
        mime_type: str
        file_uri: str

    class FunctionCallDict(TypedDict):
        name: str
        args: Mapping[str, object]
        id: NotRequired[str]  # google-genai's messages only

    class FunctionResponseDict(TypedDict):
        name: str
        response: dict[str, str]
        id: NotRequired[str]

    class PartDict(TypedDict, total=False):
        text: str
        thought: bool
        thought_signature: bytes | str  # bytes in a request, base64 in a response's dict
        inline_data: BlobDict
        file_data: FileDataDict
        function_call: FunctionCallDict
        function_response: FunctionResponseDict

    class ContentDict(TypedDict):
        role: str
        parts: list[PartDict]

    class SchemaDict(TypedDict, total=False):
        """Google's ``Schema``: the OpenAPI subset its function declarations take."""

        type: str
        nullable: bool
        enum: list[str]
        description: JsonValue  # as the JSON schema has it (so too the counts below)
        format: str
        items: SchemaDict
        properties: dict[str, SchemaDict]
        required: list[JsonValue]
        min_items: JsonValue
        max_items: JsonValue

    class FunctionDeclarationDict(TypedDict):
        name: str
        description: str
        parameters: NotRequired[SchemaDict]

    class ToolDict(TypedDict):
        function_declarations: list[FunctionDeclarationDict]

    class CandidateDict(TypedDict):
        index: int
        content: ContentDict
        finish_reason: NotRequired[str]

    class ResponseDict(TypedDict):
        """A whole ``GenerateContentResponse``, as the SDKs' readers take it."""

        candidates: list[CandidateDict]
        model_version: str
        usage_metadata: NotRequired[object]  # a dict (protobuf), or google-genai's model
        response_id: NotRequired[str]


USER = "user"
MODEL = "model"


# -- messages ------------------------------------------------------------------------------
def _image(part: ImagePart) -> PartDict:
    if part.url is not None:
        if part.url.startswith("data:"):
            header, _, data = part.url.partition(",")
            mime = header[5:].split(";")[0] or part.media_type
            return {"inline_data": {"mime_type": mime, "data": base64.b64decode(data)}}
        return {"file_data": {"mime_type": part.media_type, "file_uri": part.url}}
    return {"inline_data": {"mime_type": part.media_type, "data": part.image or b""}}


def _file(url: str, fallback: str) -> PartDict:
    # the API asks for the file's type: the URL's extension tells it, else the usual kind
    import mimetypes  # only for URL parts

    mime = mimetypes.guess_type(url)[0] or fallback
    return {"file_data": {"mime_type": mime, "file_uri": url}}


def _media(part: object, provider: str) -> PartDict:
    """An image, audio or document part: bytes inline, URLs as ``file_data`` (the API
    fetches ``gs://`` and http(s) URIs itself)."""
    if isinstance(part, ImagePart):
        return _image(part)
    if isinstance(part, ImageURLPart):
        return _file(part.url, "image/jpeg")
    if isinstance(part, AudioURLPart):
        return _file(part.url, "audio/mpeg")
    if isinstance(part, AudioPart):
        data = base64.b64decode(part.audio) if isinstance(part.audio, str) else part.audio
        return {"inline_data": {"mime_type": part.media_type, "data": data}}
    if isinstance(part, DocumentPart):
        return {"inline_data": {"mime_type": part.media_type, "data": part.document}}
    raise unsupported_part(provider, part)


def _result(part: ToolResultPart, call_ids: bool) -> PartDict:
    # the API asks for an object: "output" holds a function's result, "error" its failure
    key = "error" if part.is_error else "output"
    response: FunctionResponseDict = {"name": part.name, "response": {key: part.content}}
    if call_ids and part.id:
        response["id"] = part.id
    return {"function_response": response}


def _signed_part(parts: list[PartDict]) -> PartDict:
    # where Gemini signs a turn: its first function call, else its last part not a thought
    calls = [p for p in parts if "function_call" in p]
    return calls[0] if calls else ([p for p in parts if not p.get("thought")] or parts)[-1]


def sign(parts: list[PartDict], signature: str) -> None:
    """Put Gemini's thought signature back where it came (as bytes, for a request)."""
    data = base64.b64decode(signature[len(GOOGLE_SIGNATURE) :])
    _signed_part(parts)["thought_signature"] = data


def _parts(
    message: BaseMessageParam, provider: str, call_ids: bool = False, thoughts: bool = False
) -> list[PartDict]:
    content = message.content
    if isinstance(content, str):
        return [{"text": content}]
    out: list[PartDict] = []
    signature: str | None = None
    for part in content:
        if isinstance(part, TextPart):
            if part.text:
                out.append({"text": part.text})
        elif isinstance(part, ToolCallPart):
            call: FunctionCallDict = {"name": part.name, "args": part.args}
            if call_ids and part.id:
                call["id"] = part.id
            out.append({"function_call": call})
        elif isinstance(part, ToolResultPart):
            out.append(_result(part, call_ids))
        elif isinstance(part, ThinkingPart):
            # Gemini's own (google-genai's messages have the fields) goes back as it came;
            # another vendor's, or an unsigned summary, is left out
            mine = part.signature is not None and part.signature.startswith(GOOGLE_SIGNATURE)
            if thoughts and mine:
                signature = signature or part.signature
                if part.thinking:
                    out.append({"text": part.thinking, "thought": True})
        else:
            out.append(_media(part, provider))
    # a message of empty text parts only is sent as the empty text it is (as a str is),
    # not as no parts, which the SDKs refuse with a bare TypeError
    out = out or [{"text": ""}]
    if signature is not None:
        sign(out, signature)
    return out


def encode_messages(
    messages: Sequence[BaseMessageParam | VendorMessage],
    provider: str = "gemini",
    *,
    call_ids: bool = False,
    thoughts: bool = False,
) -> tuple[list[PartDict] | None, list[ContentDict | VendorMessage]]:
    """Neutral messages to (system instruction parts, contents). System messages become
    the system instruction; assistant turns are ``model`` turns; tool results go back in
    one ``user`` turn per run of consecutive results. Vendor objects pass through.
    ``call_ids``: send function calls and responses with their ids (google-genai's
    messages have the field; the older SDKs' protobuf messages do not); ``thoughts``: send
    Gemini's own thought summaries and signatures back (google-genai's have the fields)."""
    system: list[PartDict] | None = None
    contents: list[ContentDict | VendorMessage] = []
    results: list[PartDict] | None = None  # the open run of tool results
    for m in messages:
        if not isinstance(m, BaseMessageParam):
            contents.append(m)
            results = None
            continue
        role = m.role
        if role == "system":
            system = (system or []) + _parts(m, provider, call_ids)
            continue
        content = m.content
        if isinstance(content, str):  # the common case, kept cheap
            contents.append(
                {"role": MODEL if role == "assistant" else USER, "parts": [{"text": content}]}
            )
            results = None
            continue
        parts = _parts(m, provider, call_ids, thoughts)
        if role == "tool" or (parts and all("function_response" in p for p in parts)):
            if results is None:
                results = []
                contents.append({"role": USER, "parts": results})
            results.extend(parts)
            continue
        results = None
        if parts:
            contents.append({"role": MODEL if role == "assistant" else USER, "parts": parts})
    return system, contents


def system_only(provider: str) -> EmptyPromptError:
    """The error for a prompt of system messages only, which Google's API cannot answer."""
    return EmptyPromptError(
        f"{provider}: the prompt holds only a system message, and Google's API needs at "
        "least one user message to answer"
    )


# -- tools ---------------------------------------------------------------------------------
_FORMATS = frozenset({"date-time", "enum", "int32", "int64", "float", "double"})
"""The formats the API accepts; JSON-schema formats beyond these (uri, uuid...) are dropped."""


def _node(value: JsonValue, where: str) -> Schema:
    if not isinstance(value, dict):
        raise TypeError(f"{where}: a JSON schema node is an object, not {value!r}")
    return value


def _schema(node: Schema, defs: Schema, where: str) -> SchemaDict:
    ref = node.get("$ref")
    if ref is not None:
        target = defs[str(ref).rsplit("/", 1)[-1]]
        out = _schema(_node(target, where), defs, where)
        if "description" in node:
            out["description"] = node["description"]
        return out
    any_of = node.get("anyOf")
    if isinstance(any_of, list):
        options = [_node(o, where) for o in any_of]
        options = [o for o in options if o.get("type") != "null"]
        if len(options) != 1:
            raise TypeError(
                f"{where}: Google's function schemas cannot express a union of several "
                "types; use one type (Optional[X] is fine)"
            )
        out = _schema(options[0], defs, where)
        if len(options) < len(any_of):
            out["nullable"] = True
        if "description" in node:
            out["description"] = node["description"]
        return out
    out: SchemaDict = {}
    kind = node.get("type")
    if isinstance(kind, list):  # ["string", "null"]: pydantic writes anyOf, others may not
        kinds = [k for k in kind if k != "null"]
        if len(kinds) != 1:
            raise TypeError(f"{where}: Google's function schemas cannot express {kind}")
        if len(kinds) < len(kind):
            out["nullable"] = True
        kind = kinds[0]
    enum = node.get("enum")
    if "const" in node:
        out["enum"] = [str(node["const"])]
    elif isinstance(enum, list):
        out["enum"] = [str(v) for v in enum]
    if kind is None and "enum" in out:
        kind = "string"
    if kind is not None:
        out["type"] = str(kind).upper()
    if "enum" in out and out.get("type") not in (None, "STRING"):
        out["type"] = "STRING"  # the API takes string enums only
    if "description" in node:
        out["description"] = node["description"]
    fmt = node.get("format")
    if isinstance(fmt, str) and fmt in _FORMATS:
        out["format"] = fmt
    if "items" in node:
        out["items"] = _schema(_node(node["items"], where), defs, where)
    properties = node.get("properties")
    if isinstance(properties, dict) and properties:
        out["properties"] = {
            name: _schema(_node(value, where), defs, f"{where}.{name}")
            for name, value in properties.items()
        }
        required = node.get("required")
        if isinstance(required, list) and required:
            out["required"] = list(required)
    if "minItems" in node:
        out["min_items"] = node["minItems"]
    if "maxItems" in node:
        out["max_items"] = node["maxItems"]
    return out


@functools.cache  # once per tool class; the encodings are shared, never mutated
def function_declaration(tool: type[BaseTool]) -> FunctionDeclarationDict:
    """A tool as a function declaration: ``name``, ``description`` and ``parameters`` in the
    OpenAPI subset Google's Schema takes (upper-case types, ``nullable``, no ``$ref``,
    titles or defaults)."""
    schema: Schema = tool.parameters_schema()
    declaration: FunctionDeclarationDict = {
        "name": tool.tool_name(),
        "description": tool.tool_description(),
    }
    if schema.get("properties"):
        # an OBJECT without properties is refused by the API: leave parameters out
        defs = schema.get("$defs")
        name = tool.tool_name()
        declaration["parameters"] = _schema(schema, _node(defs, name) if defs else {}, name)
    return declaration


# -- credentials -------------------------------------------------------------------------

_GOOGLE_CLOUD_RUNTIMES = (
    "GCE_METADATA_HOST",  # a metadata server named (also an emulator's)
    "GCE_METADATA_ROOT",
    "GCE_METADATA_IP",
    "K_SERVICE",  # Cloud Run services and Cloud Functions
    "CLOUD_RUN_JOB",
    "FUNCTION_TARGET",
    "GAE_APPLICATION",  # App Engine
    "APPENGINE_RUNTIME",
)


def google_default_credentials_found() -> bool:
    """Whether Google's Application Default Credentials may be found, as far as can be told
    without the network: ``GOOGLE_APPLICATION_CREDENTIALS``, gcloud's ADC file, or a Google
    Cloud machine or runtime (whose metadata server google.auth would ask)."""
    import os

    if os.environ.get("GOOGLE_APPLICATION_CREDENTIALS"):
        return True
    from google.auth import _cloud_sdk
    from google.auth.compute_engine import _metadata

    if os.path.isfile(_cloud_sdk.get_application_default_credentials_path()):
        return True
    if any(os.environ.get(name) for name in _GOOGLE_CLOUD_RUNTIMES):
        return True
    # google.auth pings the metadata server (the network), then reads this file (Linux)
    return bool(_metadata.detect_gce_residency_linux())


# -- responses -----------------------------------------------------------------------------
# Both SDKs wrap protobuf messages in proto-plus, whose attribute access converts values on
# every read (hundreds of microseconds for a small response); the adapters hand over the
# protobuf message underneath, read here directly. Each access to a nested message makes a
# Python object, so a chunk's fields are read once each, and what depends only on the
# message's type (which fields it has, the finish reasons' names) is learnt once per type.

if TYPE_CHECKING:
    # the protobuf messages (generated at runtime, unknown to a type checker) as read here:
    # google.ai.generativelanguage's and Vertex AI's look-alike GenerateContentResponse

    class _EnumValue(Protocol):
        @property
        def name(self) -> str: ...
        @property
        def number(self) -> int: ...

    class _EnumDescriptor(Protocol):
        @property
        def values(self) -> Sequence[_EnumValue]: ...

    class _Field(Protocol):
        @property
        def message_type(self) -> _Descriptor: ...
        @property
        def enum_type(self) -> _EnumDescriptor: ...

    class _Descriptor(Protocol):
        @property
        def fields_by_name(self) -> Mapping[str, _Field]: ...

    class _Message(Protocol):
        @property
        def DESCRIPTOR(self) -> _Descriptor: ...  # noqa: N802 (protobuf's name)
        def HasField(self, field_name: str, /) -> bool: ...  # noqa: N802

    class ValueMessage(Protocol):  # google.protobuf.Value
        def WhichOneof(self, oneof_group: str, /) -> str | None: ...  # noqa: N802
        @property
        def string_value(self) -> str: ...
        @property
        def number_value(self) -> float: ...
        @property
        def bool_value(self) -> bool: ...
        @property
        def struct_value(self) -> StructMessage: ...
        @property
        def list_value(self) -> ListValueMessage: ...

    class StructMessage(Protocol):  # google.protobuf.Struct
        @property
        def fields(self) -> Mapping[str, ValueMessage]: ...

    class ListValueMessage(Protocol):  # google.protobuf.ListValue
        @property
        def values(self) -> Sequence[ValueMessage]: ...

    class FunctionCallMessage(_Message, Protocol):
        @property
        def id(self) -> str: ...  # Vertex AI's and newer Gemini API's only
        @property
        def name(self) -> str: ...
        @property
        def args(self) -> StructMessage: ...

    class PartMessage(_Message, Protocol):
        @property
        def text(self) -> str: ...
        @property
        def function_call(self) -> FunctionCallMessage: ...
        @property
        def thought(self) -> bool: ...  # Vertex AI's only (as thought_signature)
        @property
        def thought_signature(self) -> bytes: ...

    class _Content(Protocol):
        @property
        def parts(self) -> Sequence[PartMessage]: ...

    class CandidateMessage(_Message, Protocol):
        @property
        def content(self) -> _Content: ...
        @property
        def finish_reason(self) -> int: ...
        @property
        def finish_message(self) -> str: ...  # Vertex AI's only

    class UsageMessage(_Message, Protocol):
        @property
        def prompt_token_count(self) -> int: ...
        @property
        def candidates_token_count(self) -> int: ...
        @property
        def cached_content_token_count(self) -> int: ...

    class ResponseMessage(_Message, Protocol):
        """A protobuf ``GenerateContentResponse``."""

        @property
        def candidates(self) -> Sequence[CandidateMessage]: ...
        @property
        def usage_metadata(self) -> UsageMessage: ...
        @property
        def model_version(self) -> str: ...
        @property
        def response_id(self) -> str: ...  # Vertex AI's only


def protobuf(message: object) -> ResponseMessage:
    """The protobuf message under a proto-plus one, its ``_pb`` attribute (read as an
    attribute: ``type(message).pb(message)`` costs four times as much, and reading the
    object's ``__dict__`` makes CPython build it a dict, which lives as long as the object:
    the SDKs keep every chunk of a stream)."""
    pb: ResponseMessage = cast(Any, message)._pb
    return pb


_MAX_CONFIGS = 16
"""Generation configs kept per output: one per distinct set of the user's settings (a
function whose settings change on every call keeps the first few, and makes the rest)."""

_PLAIN = (str, int, float, bool, type(None))


def _settings_key(config: Mapping[str, object]) -> tuple[tuple[str, str], ...] | None:
    """The user's ``generation_config`` as a key: each setting's repr, where the value is
    plain data (a number, a string, a list of them) that its repr fully says; None for any
    other value (an SDK object), whose config is then made on every call."""
    key: list[tuple[str, str]] = []
    for name, value in config.items():
        if isinstance(value, (list, tuple)):
            items = cast(Sequence[object], value)
            if not all(type(item) in _PLAIN for item in items):
                return None
            key.append((name, f"{type(items).__name__}{[repr(i) for i in items]}"))
        elif type(value) in _PLAIN:
            key.append((name, repr(value)))
        else:
            return None
    return tuple(sorted(key))


class _Shape:
    """What a response message's type says: which of the fields the two APIs do not share
    its messages have, and its finish reasons' names (the APIs number them apart)."""

    __slots__ = ("call_id", "finish_message", "finish_names", "response_id", "thought")

    def __init__(self, response: ResponseMessage) -> None:
        described = response.DESCRIPTOR.fields_by_name
        candidate = described["candidates"].message_type.fields_by_name
        part = candidate["content"].message_type.fields_by_name["parts"].message_type
        parts = part.fields_by_name
        values = candidate["finish_reason"].enum_type.values
        self.finish_names: dict[int, str] = {v.number: v.name for v in values}
        self.response_id = "response_id" in described
        self.finish_message = "finish_message" in candidate
        self.thought = "thought" in parts
        self.call_id = "id" in parts["function_call"].message_type.fields_by_name


_shapes: dict[type, _Shape] = {}


def _shape(response: ResponseMessage) -> _Shape:
    shape = _shapes.get(type(response))
    if shape is None:
        shape = _shapes[type(response)] = _Shape(response)
    return shape


def _finish(candidate: CandidateMessage, shape: _Shape) -> str | None:
    reason = candidate.finish_reason
    if not reason:  # FINISH_REASON_UNSPECIFIED: still going
        return None
    return shape.finish_names.get(reason) or str(reason)


def decode_usage(response: ResponseMessage) -> Usage | None:
    """The response's ``usage_metadata`` as ``Usage``; None when it carries none."""
    if not response.HasField("usage_metadata"):
        return None
    usage = response.usage_metadata
    return Usage(
        usage.prompt_token_count,
        usage.candidates_token_count,
        usage.cached_content_token_count or None,
        usage,
    )


def _read(response: ResponseMessage, shape: _Shape) -> tuple[str, list[ToolCallRecord], str | None]:
    candidates = response.candidates
    if not candidates:
        return "", [], None
    candidate = candidates[0]
    texts: list[str] = []
    calls: list[ToolCallRecord] = []
    # thoughts (Vertex AI's parts have the field) are not the reply's text
    thoughts = shape.thought
    for part in candidate.content.parts:
        if part.HasField("function_call"):
            call = part.function_call
            call_id = call.id if shape.call_id else ""
            calls.append(ToolCallRecord(call_id, call.name, _args(call), call))
        elif part.text and not (thoughts and part.thought):
            texts.append(part.text)
    finish = _finish(candidate, shape)
    if finish == MALFORMED and not calls:
        # only Vertex AI's messages have the field; google-generativeai 0.8's lack it, so
        # its users see the finish reason alone
        message = candidate.finish_message if shape.finish_message else None
        calls.append(malformed_call(message, candidate))
    return "".join(texts), calls, finish


MALFORMED = "MALFORMED_FUNCTION_CALL"
_MALFORMED_PREFIX = "Malformed function call:"
# the tool the model meant, in the texts the API quotes: "call:default_api:name{...}",
# "call:name {...}", "print(default_api.name(...))", "name(arg=...)"
_CALLED = re.compile(r"(?:print\()?(?:call:)?(?:default_api[.:])?([A-Za-z_][\w.-]*)\s*[({]")


def malformed_call(message: str | None, raw: object) -> ToolCallRecord:
    """A call the API refused as malformed (finish reason ``MALFORMED_FUNCTION_CALL``, no
    call), as a record whose arguments are the text the model wrote, quoted in the
    candidate's ``finish_message`` (never valid JSON), so reading the tool raises
    ``ToolArgumentsError`` carrying that text. Without such a message nothing says which
    tool or with what: that raises ``ToolArgumentsError`` at once, rather than passing off
    whatever text came before as the answer."""
    if not message or not message.startswith(_MALFORMED_PREFIX):
        raise ToolArgumentsError(
            "the model called a tool with arguments the API could not parse (finish "
            f"reason {MALFORMED}); this SDK passes on neither the tool's name nor what "
            "the model wrote",
            tool_name="",
            raw=None,
        )
    text = message[len(_MALFORMED_PREFIX) :].strip()
    match = _CALLED.match(text)
    return ToolCallRecord("", match.group(1) if match else "", text, raw)


def _args(call: FunctionCallMessage) -> dict[str, object]:
    # ``args`` is a protobuf Struct: read back as plain JSON values, as protobuf's
    # json_format.MessageToDict reads it (numbers as floats), at half its cost
    return {name: _value(value) for name, value in call.args.fields.items()}


def _value(value: ValueMessage) -> object:
    kind = value.WhichOneof("kind")
    if kind == "string_value":
        return value.string_value
    if kind == "number_value":
        number = value.number_value
        if not math.isfinite(number):  # JSON has no inf or nan (json_format refuses too)
            raise ValueError(f"a tool argument is {number}, which JSON cannot carry")
        return number
    if kind == "bool_value":
        return value.bool_value
    if kind == "struct_value":
        return {name: _value(item) for name, item in value.struct_value.fields.items()}
    if kind == "list_value":
        return [_value(item) for item in value.list_value.values]
    return None  # null_value, or no value set


def _response_id(response: ResponseMessage, shape: _Shape) -> str | None:
    return (response.response_id or None) if shape.response_id else None


def decode(response: ResponseMessage) -> Decoded:
    """A generateContent response (a protobuf message; first candidate) to the neutral
    record. Function calls keep their protobuf ``FunctionCall`` as ``raw``. (Without a
    candidate, the finish reasons are empty: a blocked prompt shows in the response's
    ``prompt_feedback``.)"""
    shape = _shape(response)
    text, calls, finish = _read(response, shape)
    return Decoded(
        text,
        calls,
        decode_usage(response),
        [finish] if finish else [],
        response.model_version or None,
        _response_id(response, shape),
    )


def call_deltas(calls: Sequence[ToolCallRecord]) -> tuple[ToolCallDelta, ...]:
    """A chunk's function calls as deltas: Google streams each call whole, so each is
    complete (``done``)."""
    if not calls:
        return NO_TOOL_DELTAS
    return tuple(
        ToolCallDelta(n, c.id, c.name, c.arguments, done=True, raw=c.raw)
        for n, c in enumerate(calls)
    )


def text_first(
    wrapped: str, thoughts: bool = False
) -> tuple[Callable[[Any, Any], Delta], Callable[[Any, Any], Delta | str]]:
    """A ``GenerativeModel`` adapter's ``decode_chunk`` and ``decode_text_chunk``: most
    chunks are one text part and the usage so far; the text reader reads the text alone in
    one call (the usage is left unread: ``usage_in_text_chunks``, read off the stream's last
    chunk when asked for), ``decode_chunk`` makes it a plain chunk (``plain_delta``) with
    its usage; the rest go to ``decode_chunk``.

    ``wrapped``: the field of the SDK's chunk that holds its proto-plus message (whose
    ``_pb`` is the protobuf one, read as ``protobuf`` reads it); ``thoughts``: the SDK's
    parts carry thought signatures to read (Vertex AI's)."""
    shapes = _shapes
    message_of = attrgetter(f"{wrapped}._pb")  # both reads in one call
    # the message class whose parts hold no thought to look for (google-generativeai's),
    # once seen: its text parts are read with no shape looked up
    thoughtless: list[type | None] = [None]

    def decode_text(self: Adapter[Any, Any, Any, Any], chunk: Any) -> Delta | str:
        # each read of a protobuf field costs: on the caches the gRPC SDK leaves cold,
        # the fewest reads that tell a text alone are a good part of a chunk's cost
        response: ResponseMessage = message_of(chunk)
        try:
            candidate = response.candidates[0]
        except IndexError:  # no candidate: decode_chunk says what the chunk holds
            return decode_chunk(response, thoughts)
        # a finish reason comes once, on the last chunk: decode_chunk reads it
        if not candidate.finish_reason:
            parts = candidate.content.parts
            if len(parts) == 1:
                part = parts[0]
                text = part.text  # a text part holds no call (one field's two options)
                if text:
                    if response.__class__ is thoughtless[0]:
                        return text
                    shape = shapes.get(response.__class__) or _shape(response)
                    if not shape.thought and not thoughts:
                        thoughtless[0] = response.__class__
                    if not (
                        (shape.thought and part.thought) or (thoughts and part.thought_signature)
                    ):
                        return text
        return decode_chunk(response, thoughts)

    def decode(self: Adapter[Any, Any, Any, Any], chunk: Any) -> Delta:
        decoded = decode_text(self, chunk)
        if decoded.__class__ is not str:
            return cast(Delta, decoded)
        response: ResponseMessage = message_of(chunk)
        shape = shapes.get(response.__class__) or _shape(response)
        return plain_delta(
            self.chunk_class,
            cast(str, decoded),
            response.model_version or None,
            _response_id(response, shape),
            decode_usage(response),
        )

    return decode, decode_text


def decode_chunk(response: ResponseMessage, thoughts: bool = False) -> Delta:
    """One streamed generateContent chunk (a protobuf message) to the neutral delta.
    Google streams each function call whole, so each is a complete (``done``) delta.
    ``thoughts``: read the thought summary and signature (Vertex AI's parts have them)."""
    shape = _shapes.get(type(response)) or _shape(response)
    candidates = response.candidates
    if candidates:
        candidate = candidates[0]
        parts = candidate.content.parts
        if len(parts) == 1:
            part = parts[0]
            text = part.text
            # most chunks: one text part, read here, not through _read (its list, join and
            # calls are a good part of what a chunk costs); a text part holds no call (the
            # two are one field's options)
            if text:
                reason = candidate.finish_reason
                finish = (shape.finish_names.get(reason) or str(reason)) if reason else None
                if finish != MALFORMED:
                    usage = None  # decode_usage, inline (a call fewer on every chunk)
                    if response.HasField("usage_metadata"):
                        counts = response.usage_metadata
                        usage = Usage(
                            counts.prompt_token_count,
                            counts.candidates_token_count,
                            counts.cached_content_token_count or None,
                            counts,
                        )
                    model = response.model_version or None
                    response_id = (response.response_id or None) if shape.response_id else None
                    thought = shape.thought and part.thought
                    signed = part.thought_signature if thoughts else None
                    if not thought and not signed:
                        return Delta(text, NO_TOOL_DELTAS, usage, finish, model, response_id)
                    thinking = ""
                    if thought:  # a thought summary is not the reply's text
                        thinking, text = (text if thoughts else ""), ""
                    return Delta(
                        text,
                        NO_TOOL_DELTAS,
                        usage,
                        finish,
                        model,
                        response_id,
                        thinking=thinking,
                        signature=_signature(signed) if signed else None,
                    )
    text, calls, finish = _read(response, shape)
    delta = Delta(
        text,
        call_deltas(calls),
        decode_usage(response),
        finish,
        response.model_version or None,
        _response_id(response, shape),
    )
    if thoughts:
        delta.thinking, delta.signature = read_thoughts(response)
    return delta


def _signature(signed: bytes) -> str:
    return GOOGLE_SIGNATURE + base64.b64encode(signed).decode()


def read_thoughts(response: ResponseMessage) -> tuple[str, str | None]:
    """The first candidate's thought summary and thought signature (``google:<base64>``),
    from a protobuf response whose parts have both fields (Vertex AI's; the Gemini API's
    in google-generativeai have neither). Gemini signs a turn once: its first function
    call, or its last part."""
    candidates = response.candidates
    if not candidates:
        return "", None
    texts: list[str] = []
    signature: str | None = None
    for part in candidates[0].content.parts:
        if part.thought:
            texts.append(part.text)
        if signature is None and part.thought_signature:
            signature = _signature(part.thought_signature)
    return "".join(texts), signature


def put_thoughts(parts: list[PartDict], thinking: Sequence[tuple[str, str | None]]) -> None:
    """Put a streamed turn's reasoning into the parts of its whole response: the thought
    summary first, the signature where Gemini puts it (``sign``)."""
    summary = "".join(text for text, _ in thinking)
    if summary:
        parts.insert(0, {"text": summary, "thought": True})
    signature = next((s for _, s in thinking if s is not None), None)
    if signature is not None and parts:
        # base64, as a response's JSON writes the bytes (what the SDKs' readers take)
        _signed_part(parts)["thought_signature"] = signature[len(GOOGLE_SIGNATURE) :]


def response_dict(streamed: Decoded, plan: CallPlan) -> ResponseDict:
    """A whole generateContent response (protobuf field names) holding what a stream
    delivered; its usage is the last one the stream reported, field for field."""
    parts: list[PartDict] = [{"text": streamed.content}] if streamed.content else []
    for r in streamed.tool_calls:
        call: FunctionCallDict = {"name": r.name, "args": arguments_dict(r.arguments)}
        if r.id:
            call["id"] = r.id
        parts.append({"function_call": call})
    candidate: CandidateDict = {"index": 0, "content": {"role": "model", "parts": parts}}
    if streamed.finish_reasons:
        candidate["finish_reason"] = streamed.finish_reasons[-1]
    response: ResponseDict = {
        "candidates": [candidate],
        "model_version": streamed.model or plan.model,
    }
    usage = streamed.usage
    if usage is not None and usage.raw is not None:
        from google.protobuf import json_format  # the older SDKs' protobuf usage

        response["usage_metadata"] = json_format.MessageToDict(
            usage.raw, preserving_proto_field_name=True
        )
    if streamed.id:
        response["response_id"] = streamed.id
    return response


# -- the adapter both share ------------------------------------------------------------------
ModelT = TypeVar("ModelT")
RawT = TypeVar("RawT")
ChunkT = TypeVar("ChunkT")


def _is_defaults(client: ModelT | DefaultModels[ModelT]) -> TypeIs[DefaultModels[ModelT]]:
    return type(client) is DefaultModels


class GenerativeModelAdapter(Adapter[ModelT, ModelT, RawT, ChunkT]):
    """An SDK whose client is a ``GenerativeModel``: it names the model, holds its default
    settings and serves sync (``generate_content``) and async (``generate_content_async``)
    calls alike. Subclasses say how their SDK takes tools, a system instruction, and where
    its response keeps the protobuf message."""

    def client_classes(self) -> ClientClasses:
        # the model classes (one serves both kinds), and the default models made per name
        classes = super().client_classes()
        return classes._replace(both=(*classes.both, DefaultModels))

    usage_in_text_chunks = True
    thoughts: ClassVar[bool] = False
    """Whether the SDK's messages carry thoughts (``Part.thought``, ``thought_signature``):
    read as the reasoning, and Gemini's own sent back in the history."""

    @abstractmethod
    def default_client(self, *, is_async: bool) -> DefaultModels[ModelT]: ...

    @abstractmethod
    def tools(self, tools: tuple[type[BaseTool], ...]) -> object:
        """The ``tools`` argument of ``generate_content`` (cache it per set of tools)."""

    @abstractmethod
    def with_system(self, model: ModelT, system: list[PartDict], is_async: bool) -> ModelT:
        """A model like ``model`` carrying this system instruction (``generate_content``
        takes none: it is a setting of the model); ``model`` itself stays as it was."""

    wrapped: ClassVar[str]
    """The attribute of the SDK's response object that holds its proto-plus message (the
    one its properties read)."""

    def protobuf(self, response: RawT | ChunkT) -> ResponseMessage:
        """The protobuf ``GenerateContentResponse`` under the SDK's response object."""
        return protobuf(getattr(response, self.wrapped))

    def call_params(self, params: Mapping[str, object]) -> Mapping[str, object]:
        """The call params as ``generate_content`` keyword arguments."""
        return params

    def build_request(self, plan: CallPlan, *, stream: bool) -> Request:
        """``kwargs``: the arguments of ``generate_content``; ``system``: the system
        instruction its model must carry (see ``resolve_client``)."""
        system, contents = encode_messages(plan.messages, self.name, thoughts=self.thoughts)
        if not contents:  # the SDK would raise a bare TypeError
            raise system_only(self.name)
        kwargs: dict[str, object] = {"contents": contents}
        if plan.tools:
            kwargs["tools"] = self.tools(plan.tools)
        if plan.call_params:
            kwargs.update(self.call_params(plan.call_params))
        if stream:
            kwargs["stream"] = True
        return {"system": system, "kwargs": kwargs}

    output_modes: ClassVar[frozenset[str]] = frozenset({"strict", "json"})

    def vendor_schema(self, schema: Schema) -> Schema:
        from .._engine.schemas import google_schema

        return google_schema(schema)

    def apply_output(self, request: Request, output: OutputFormat) -> None:
        kwargs: dict[str, object] = request["kwargs"]
        built = output.built
        if output.mode == "tool":
            tool_config = built.get((self.name, "tool"))
            if tool_config is None:
                tool_config = self.forced_tool(output.name)
                if not isinstance(tool_config, dict):  # an SDK may consume a dict: not kept
                    built[self.name, "tool"] = tool_config
            kwargs["tool_config"] = tool_config
            return
        config = kwargs.get("generation_config")
        if config is not None and not is_str_dict(config):
            raise InvalidCallError(
                f"{self.name}: pass generation_config as a dict to use it with "
                "response_model or json_mode (they add response_mime_type and "
                "response_schema to it)"
            )
        # the SDK's config (Vertex AI: a GenerationConfig, the schema converted to protobuf,
        # 30 to 170 us) is made once per output and the user's settings, as they read
        key = (self.name, _settings_key(config)) if config else (self.name, "")
        made = built.get(key)
        if made is None:
            merged: dict[str, object] = {
                **(config or {}),
                "response_mime_type": "application/json",
            }
            if output.mode == "strict":
                merged["response_schema"] = output.schema
            made = self.generation_config(merged)
            if key[1] is not None and len(built) < _MAX_CONFIGS:
                built[key] = made
        kwargs["generation_config"] = made

    def forced_tool(self, name: str) -> object:
        """The ``tool_config`` that makes the model call the tool ``name``."""
        return {"function_calling_config": {"mode": "ANY", "allowed_function_names": [name]}}

    def generation_config(self, config: dict[str, object]) -> object:
        """The ``generation_config`` argument for these settings."""
        return config

    def resolve_client(self, plan: CallPlan, request: Request) -> ModelT:
        """The ``GenerativeModel`` to call: the user's, or the default one for the plan's
        model, with the request's system instruction (a setting of the model)."""
        client: ModelT | DefaultModels[ModelT] = plan.client
        model = client.model(plan.model) if _is_defaults(client) else client
        system: list[PartDict] | None = request["system"]
        return self.with_system(model, system, plan.is_async) if system else model

    def resolve_client_async(self, plan: CallPlan, request: Request) -> ModelT:
        return self.resolve_client(plan, request)  # one model class serves both kinds

    # the SDKs type generate_content each their own way (Vertex AI's returns a union of a
    # response and an iterable of them): the subclasses' type arguments say what comes back

    def send(self, client: ModelT, request: Request) -> RawT:
        model: Any = client
        return model.generate_content(**request["kwargs"])

    async def send_async(self, client: ModelT, request: Request) -> RawT:
        model: Any = client
        return await model.generate_content_async(**request["kwargs"])

    def open_stream(self, client: ModelT, request: Request) -> Iterator[ChunkT]:
        model: Any = client
        return model.generate_content(**request["kwargs"])

    async def open_stream_async(self, client: ModelT, request: Request) -> AsyncIterator[ChunkT]:
        model: Any = client
        return await model.generate_content_async(**request["kwargs"])

    def decode_response(self, raw: RawT) -> Decoded:
        response = self.protobuf(raw)
        decoded = decode(response)
        if self.thoughts:
            thought, signature = read_thoughts(response)
            if thought or signature is not None:
                decoded.thinking = ((thought, signature),)
        return decoded

    def decode_chunk(self, chunk: ChunkT, /) -> Delta:
        # each subclass's is text_first(...) for its SDK: this one serves any other
        return decode_chunk(self.protobuf(chunk), self.thoughts)

    def chunk_usage(self, chunk: ChunkT, /) -> Usage | None:
        return decode_usage(self.protobuf(chunk))

    def usage_of(self, raw: RawT, decoded: Decoded) -> object:
        # the SDK's own (proto-plus) usage message, read only when asked for
        return getattr(raw, "usage_metadata", None)

    def call_kwargs(self, request: Request) -> Request:
        # the system instruction is a setting of the model, not an argument of the call
        return request["kwargs"]

    def assemble_response(self, streamed: Decoded, plan: CallPlan) -> RawT:
        response = response_dict(streamed, plan)
        if streamed.thinking:
            put_thoughts(response["candidates"][0]["content"]["parts"], streamed.thinking)
        return self.response_from_dict(response, plan.is_async)

    @abstractmethod
    def response_from_dict(self, response: ResponseDict, is_async: bool) -> RawT:
        """The SDK's response object for a generateContent response (protobuf field names),
        of the class a sync or async call returns."""
