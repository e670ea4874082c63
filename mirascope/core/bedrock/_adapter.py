"""Amazon Bedrock's Converse API through boto3 (sync) and aiobotocore (async).

aiobotocore is imported only when an async call needs it: its import (aiohttp included)
costs more than botocore's, and sync users never need it."""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast, final

from botocore.client import BaseClient

if TYPE_CHECKING:
    import asyncio  # imported by the async path only: boto3 does not load it

    import aiobotocore.client
    from aiobotocore.session import ClientCreatorContext
    from botocore.loaders import Loader

    # the stub packages (dev only) type what botocore builds from the service's JSON model
    from types_aiobotocore_bedrock_runtime.client import (
        BedrockRuntimeClient as AioBedrockRuntimeClient,
    )
    from types_boto3_bedrock_runtime.client import BedrockRuntimeClient
    from types_boto3_bedrock_runtime.literals import DocumentFormatType, ImageFormatType
    from types_boto3_bedrock_runtime.type_defs import (
        ContentBlockOutputTypeDef,
        ContentBlockTypeDef,
        ConverseResponseTypeDef,
        ConverseStreamOutputTypeDef,
        ReasoningTextBlockTypeDef,
        SystemContentBlockTypeDef,
        TokenUsageTypeDef,
        ToolTypeDef,
        ToolUseBlockOutputTypeDef,
    )

    from .._engine.output import OutputFormat
    from ._types import ToolConfiguration
else:
    # botocore makes each service's client class at run time: a bedrock-runtime client is
    # a BaseClient whose service name client_kind checks
    BedrockRuntimeClient = BaseClient

from .._engine.adapter import Adapter, CallPlan, ClientKind, Request
from .._engine.assemble import arguments_dict, usage_dict
from .._engine.extras import missing_extra
from .._engine.records import Decoded, Delta, ToolCallDelta, ToolCallRecord
from ..base.errors import (
    EmptyResponseError,
    InvalidCallError,
    MirascopeError,
    MissingCredentialsError,
    unsupported_part,
)
from ..base.messages import (
    BaseMessageParam,
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

SERVICE = "bedrock-runtime"


class ClientClosedError(MirascopeError, RuntimeError):
    """An async call was given an aiobotocore client whose ``async with`` block ended."""


_CLOSED_MESSAGE = (
    "the aiobotocore bedrock-runtime client given to this call is closed: the `async with "
    'session.create_client("bedrock-runtime")` block that opened it has already ended (or '
    "it was never entered), and aiobotocore cannot send requests through a closed client. "
    "Pass a client that stays open while the call runs -- open it around your calls "
    '(`async with session.create_client("bedrock-runtime") as client: ...`) and hand it '
    'to the function, e.g. as "client" in its dynamic config -- or pass no client to use '
    "mirascope's default async client (opened once per event loop, closed when the loop "
    "shuts down)."
)


_MISSING = object()


def _is_closed(client: object) -> bool:
    """Whether aiobotocore would refuse ``client`` because it was exited (or never entered).

    aiobotocore marks this on the client's HTTP session: the aiohttp session sets
    ``_sessions`` to None outside its context, the httpx one clears ``_entered``. If
    neither attribute is there (another aiobotocore layout) the SDK has its say."""
    endpoint = getattr(client, "_endpoint", None)
    session = getattr(endpoint, "http_session", None)
    if session is None:
        return False
    sessions = getattr(session, "_sessions", _MISSING)
    if sessions is not _MISSING:
        return sessions is None
    return getattr(session, "_entered", True) is False


_shared_loader: list[Loader] = []  # botocore's data loader, once made (see _LoopClient._open)


@final  # so that ``type(client) is _LoopClient`` narrows both ways
class _LoopClient:
    """The default async client of one event loop.

    An aiobotocore client is an async context manager, while the engine asks for default
    clients synchronously (once per running loop). So this holder enters the client on
    first use (concurrent first calls share one opening), and the engine's loop-shutdown
    hook (``close_client_async``) exits it before the loop closes."""

    __slots__ = ("_client", "_context", "_opening")

    def __init__(self) -> None:
        self._client: AioBedrockRuntimeClient | None = None
        self._context: ClientCreatorContext[AioBedrockRuntimeClient] | None = None
        self._opening: asyncio.Future[AioBedrockRuntimeClient] | None = None

    async def get(self) -> AioBedrockRuntimeClient:
        client = self._client
        if client is not None:
            return client
        import asyncio  # loaded already: this runs in its event loop

        opening = self._opening
        if opening is None:
            opening = self._opening = asyncio.ensure_future(self._open())
        # shield: one caller being cancelled must not cancel the others' opening
        return await asyncio.shield(opening)

    async def _open(self) -> AioBedrockRuntimeClient:
        try:
            try:
                from aiobotocore.session import (
                    get_session,
                )
            except ImportError as error:  # pragma: no cover - boto3 without aiobotocore
                raise missing_extra("bedrock", error) from error
            # untyped: the stubs' create_client overloads name services whose stubs are
            # not installed (Unknown); the client it opens is typed below
            session: Any = get_session()
            # a session per loop (its cached credentials may hold loop-bound locks), but
            # one data loader for all: it caches the parsed service model, which makes
            # the next loops' clients several times cheaper to create
            if _shared_loader:
                session.register_component("data_loader", _shared_loader[0])
            else:
                _shared_loader.append(session.get_component("data_loader"))
            _check_credentials(await session.get_credentials())
            context: ClientCreatorContext[AioBedrockRuntimeClient] = session.create_client(SERVICE)
            client = await context.__aenter__()
        except BaseException:
            self._opening = None  # let the next call try again
            raise
        self._context, self._client = context, client
        return client

    async def aclose(self) -> None:
        """Exit the client (if it was opened) and drop everything bound to the loop."""
        context = self._context
        self._client = self._context = self._opening = None
        if context is not None:
            await context.__aexit__(None, None, None)


async def _open_client(
    client: _LoopClient | aiobotocore.client.AioBaseClient,
) -> AioBedrockRuntimeClient:
    if type(client) is _LoopClient:
        return await client.get()
    if _is_closed(client):
        raise ClientClosedError(_CLOSED_MESSAGE)
    # aiobotocore makes the service's class at run time; client_kind checked its service
    return cast("AioBedrockRuntimeClient", client)


def _check_credentials(credentials: object) -> None:
    # botocore's NoCredentialsError ("Unable to locate credentials") names nothing to set;
    # Bedrock API keys (AWS_BEARER_TOKEN_BEDROCK) need no AWS credentials
    if credentials is None and not os.environ.get("AWS_BEARER_TOKEN_BEDROCK"):
        raise MissingCredentialsError(
            "bedrock's default client found no AWS credentials: set AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY (or AWS_PROFILE, or AWS_BEARER_TOKEN_BEDROCK for a "
            "Bedrock API key), or pass a client you configured yourself"
        )


def _check_service(client: Any, kind: ClientKind) -> ClientKind:
    service = client.meta.service_model.service_name
    if service != SERVICE:
        raise InvalidCallError(
            f"expected a {SERVICE!r} client, got a client of {service!r}: create it with "
            f'create_client("{SERVICE}") (boto3.client("{SERVICE}") for sync calls)'
        )
    return kind


# -- requests ------------------------------------------------------------------------

_IMAGE_FORMATS: dict[str, ImageFormatType] = {
    "image/png": "png",
    "image/jpeg": "jpeg",
    "image/jpg": "jpeg",
    "image/gif": "gif",
    "image/webp": "webp",
}
_DOCUMENT_FORMATS: dict[str, DocumentFormatType] = {
    "application/pdf": "pdf",
    "text/csv": "csv",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "text/html": "html",
    "text/plain": "txt",
    "text/markdown": "md",
}


def _image(part: ImagePart | ImageURLPart) -> ContentBlockTypeDef:
    image = part.image if isinstance(part, ImagePart) else None
    url = "" if image is not None else part.url or ""
    if image is None and not url.startswith("s3://"):
        raise unsupported_part(
            "bedrock",
            part,
            f"Converse takes images as bytes or s3:// locations, not {url!r}: pass the "
            "image's bytes",
        )
    if isinstance(part, ImagePart):
        media_type = part.media_type
    else:  # the URL says the format, by its extension
        media_type = "image/" + url.rpartition("/")[2].rpartition(".")[2].lower()
    image_format = _IMAGE_FORMATS.get(media_type)
    if image_format is None:
        where = part.media_type if isinstance(part, ImagePart) else f"{url!r}'s extension"
        raise unsupported_part(
            "bedrock", part, f"Converse takes png, jpeg, gif and webp images, not {where}"
        )
    if image is not None:
        return {"image": {"format": image_format, "source": {"bytes": image}}}
    return {"image": {"format": image_format, "source": {"s3Location": {"uri": url}}}}


def _document(part: DocumentPart) -> ContentBlockTypeDef:
    document_format = _DOCUMENT_FORMATS.get(part.media_type)
    if document_format is None:
        raise unsupported_part("bedrock", part, f"{part.media_type} is not a Converse format")
    # Converse requires a name, distinct within the request: one per content
    name = f"document-{hashlib.sha1(part.document).hexdigest()[:12]}"
    return {
        "document": {"format": document_format, "name": name, "source": {"bytes": part.document}}
    }


def _blocks(parts: Sequence[object]) -> list[ContentBlockTypeDef]:
    blocks: list[ContentBlockTypeDef] = []
    for part in parts:
        if isinstance(part, TextPart):
            blocks.append({"text": part.text})
        elif isinstance(part, ToolCallPart):
            blocks.append(
                {"toolUse": {"toolUseId": part.id, "name": part.name, "input": part.args}}
            )
        elif isinstance(part, ToolResultPart):
            blocks.append(
                {
                    "toolResult": {
                        "toolUseId": part.id,
                        "content": [{"text": part.content}],
                        "status": "error" if part.is_error else "success",
                    }
                }
            )
        elif isinstance(part, ImagePart | ImageURLPart):
            blocks.append(_image(part))
        elif isinstance(part, DocumentPart):
            blocks.append(_document(part))
        elif isinstance(part, ThinkingPart):
            # unsigned, or another vendor's: Converse would refuse it
            signature = part.signature
            if claude_signed(signature):
                text: ReasoningTextBlockTypeDef = {"text": part.thinking, "signature": signature}
                blocks.append({"reasoningContent": {"reasoningText": text}})
        else:
            raise unsupported_part("bedrock", part)
    return blocks


def encode_messages(
    messages: Sequence[BaseMessageParam | VendorMessage],
) -> tuple[list[SystemContentBlockTypeDef], list[VendorMessage]]:
    """Neutral messages to Converse's ``(system, messages)``. System text goes to
    ``system``; ``tool`` messages become user messages of ``toolResult`` blocks; our
    consecutive messages of one role merge into one (Converse wants roles to alternate, and
    all results of one turn's tool calls in one user message). Vendor dicts pass through."""
    system: list[SystemContentBlockTypeDef] = []
    out: list[VendorMessage] = []
    last_role = ""  # the role and blocks of the last message of ours, while it is last
    last: list[ContentBlockTypeDef] | None = None
    for message in messages:
        if not isinstance(message, BaseMessageParam):
            out.append(message)
            last = None
            continue
        role, content = message.role, message.content
        if role == "system":
            text = content if isinstance(content, str) else message.text()
            if text:
                system.append({"text": text})
            continue
        blocks: list[ContentBlockTypeDef] = (
            [{"text": content}] if isinstance(content, str) else _blocks(content)
        )
        if role == "tool":
            role = "user"
        if last is not None and last_role == role:
            last.extend(blocks)
        else:
            last, last_role = blocks, role
            out.append({"role": role, "content": blocks})
    return system, out


@functools.cache  # once per tool class; the encodings are shared, never mutated
def encode_tool(tool: type[BaseTool]) -> ToolTypeDef:
    """A tool as a Converse ``toolSpec``."""
    return {
        "toolSpec": {
            "name": tool.tool_name(),
            "description": tool.tool_description(),
            "inputSchema": {"json": tool.parameters_schema()},
        }
    }


# -- responses -----------------------------------------------------------------------


READ_TIMEOUT_PARAM = "MirascopeReadTimeout"
"""A parameter of ours in a Converse request: the read timeout, which ``_move_timeout``
takes out before botocore validates the parameters."""


def _move_timeout(params: dict[str, object], context: dict[str, object], **_: object) -> None:
    seconds = params.pop(READ_TIMEOUT_PARAM, None)
    if seconds is not None:
        # what botocore's and aiobotocore's HTTP sessions read as this request's read
        # timeout (the connect timeout stays the client's Config)
        context["read_timeout"] = seconds


def _carry_timeout(client: BaseClient) -> None:
    """Have ``client`` move our timeout parameter into the request's context (botocore's
    ``provide-client-params`` event; registering again under the same id does nothing)."""
    client.meta.events.register(
        f"provide-client-params.{SERVICE}", _move_timeout, unique_id=READ_TIMEOUT_PARAM
    )


def _usage(usage: TokenUsageTypeDef | None) -> Usage | None:
    if not usage:
        return None
    return Usage(
        usage.get("inputTokens"),
        usage.get("outputTokens"),
        usage.get("cacheReadInputTokens"),
        usage,
    )


def _tool_record(use: ToolUseBlockOutputTypeDef) -> ToolCallRecord:
    return ToolCallRecord(use.get("toolUseId", ""), use.get("name", ""), use.get("input"), use)


class BedrockAdapter(
    Adapter[
        BedrockRuntimeClient,
        # an aiobotocore client, or the default one of a loop that opens on first use;
        # named, not imported: aiobotocore loads only where an async call needs it
        "_LoopClient | aiobotocore.client.AioBaseClient",
        "ConverseResponseTypeDef",
        "ConverseStreamOutputTypeDef",
    ]
):
    """botocore makes its clients from the service's JSON model at run time; the stub
    packages type them, and Converse's answers (the JSON they hold), for the checker only.
    The answers are read defensively: botocore hands on what it could not parse emptied."""

    name = "bedrock"

    def default_client(self, *, is_async: bool) -> BedrockRuntimeClient | _LoopClient:
        if is_async:
            return _LoopClient()
        import boto3.session

        # a session of our own: boto3's module-level default session is not thread-safe
        # (untyped: the stubs' overloads name services whose stubs are not installed)
        session: Any = boto3.session.Session()
        # the same lookup the client makes when created (cached): no extra cost
        _check_credentials(session.get_credentials())
        return session.client(SERVICE)

    async def close_client_async(
        self, client: _LoopClient | aiobotocore.client.AioBaseClient
    ) -> None:
        if type(client) is _LoopClient:
            await client.aclose()

    client_names = f'a boto3/botocore "{SERVICE}" client (sync) or an aiobotocore one (async)'

    def client_kind(self, client: object) -> ClientKind:
        aio_session = sys.modules.get("aiobotocore.session")
        if aio_session is not None and isinstance(client, aio_session.ClientCreatorContext):
            raise InvalidCallError(
                'got what aiobotocore\'s session.create_client("bedrock-runtime") returns, '
                "a context manager, not the client: pass the client it opens "
                '(`async with session.create_client("bedrock-runtime") as client: ...`)'
            )
        kind = super().client_kind(client)
        return kind if type(client) is _LoopClient else _check_service(client, kind)

    def build_request(self, plan: CallPlan, *, stream: bool) -> Request:
        system, messages = encode_messages(plan.messages)
        request: Request = {"modelId": plan.model, "messages": messages}
        if system:
            request["system"] = system
        if plan.call_params:
            request.update(plan.call_params)
        if plan.tools:
            specs: list[object] = [encode_tool(t) for t in plan.tools]
            config: ToolConfiguration | None = request.get("toolConfig")
            if config:
                # keep the user's toolChoice (and any tools of their own)
                specs.extend(config.get("tools") or ())
                request["toolConfig"] = {**config, "tools": specs}
            else:
                request["toolConfig"] = {"tools": specs}
        return request

    def apply_output(self, request: Request, output: OutputFormat) -> None:
        # Converse has no JSON mode across its models: a response model is a forced tool
        # call, JSON mode an instruction (in the messages)
        if output.mode == "tool":
            config: Mapping[str, object] = request["toolConfig"]
            request["toolConfig"] = {**config, "toolChoice": {"tool": {"name": output.name}}}

    def apply_timeout(self, request: Request, seconds: float) -> None:
        # botocore's timeouts are the client's Config, but it reads a per-request read
        # timeout from the request's context: a parameter of ours carries it there
        request[READ_TIMEOUT_PARAM] = seconds

    def send(self, client: BedrockRuntimeClient, request: Request) -> ConverseResponseTypeDef:
        if READ_TIMEOUT_PARAM in request:
            _carry_timeout(client)
        return client.converse(**request)

    async def send_async(
        self, client: _LoopClient | aiobotocore.client.AioBaseClient, request: Request
    ) -> ConverseResponseTypeDef:
        service = await _open_client(client)
        if READ_TIMEOUT_PARAM in request:
            _carry_timeout(service)
        return await service.converse(**request)

    def open_stream(
        self, client: BedrockRuntimeClient, request: Request
    ) -> Iterator[ConverseStreamOutputTypeDef]:
        if READ_TIMEOUT_PARAM in request:
            _carry_timeout(client)
        stream = client.converse_stream(**request)["stream"]
        # an EventStream is iterable, not an iterator: the engine only iterates it (and
        # closes it, which iter() would not pass on)
        return cast("Iterator[ConverseStreamOutputTypeDef]", stream)

    async def open_stream_async(
        self, client: _LoopClient | aiobotocore.client.AioBaseClient, request: Request
    ) -> AsyncIterator[ConverseStreamOutputTypeDef]:
        service = await _open_client(client)
        if READ_TIMEOUT_PARAM in request:
            _carry_timeout(service)
        response = await service.converse_stream(**request)
        return response["stream"]

    def decode_response(self, raw: ConverseResponseTypeDef) -> Decoded:
        # botocore turns a body it cannot parse into {"message": ...} instead of raising:
        # an answer without its output message is refused rather than read as ""
        output = raw.get("output")
        message = output.get("message") if output else None
        if message is None:
            raise EmptyResponseError(
                "the Converse response has no output message to read (botocore could not "
                "parse the body, or the service sent none); the raw response is in .raw",
                raw=raw,
            )
        texts: list[str] = []
        records: list[ToolCallRecord] = []
        thinking: list[tuple[str, str | None]] = []
        blocks: list[ContentBlockOutputTypeDef] = message.get("content") or []
        for block in blocks:
            if "text" in block:
                texts.append(block["text"])
            elif "toolUse" in block:
                records.append(_tool_record(block["toolUse"]))
            elif "reasoningContent" in block:
                reasoning = block["reasoningContent"].get("reasoningText")
                if reasoning:
                    thinking.append((reasoning.get("text", ""), reasoning.get("signature")))
                else:  # redacted
                    thinking.append(("", None))
        stop = raw.get("stopReason")
        metadata = raw.get("ResponseMetadata")
        return Decoded(
            "".join(texts),
            records,
            _usage(raw.get("usage")),
            [stop] if stop else [],
            None,
            metadata.get("RequestId") if metadata else None,
            tuple(thinking),
        )

    text_chunks_name_stream = False  # text deltas name no request id or model

    def decode_chunk(self, chunk: ConverseStreamOutputTypeDef) -> Delta:
        return self.text_record(self.decode_text_chunk(chunk))

    def decode_text_chunk(self, chunk: ConverseStreamOutputTypeDef) -> Delta | str:
        # botocore passes an event whose payload is not JSON on emptied: a key the
        # event always has may be missing
        event = chunk.get("contentBlockDelta")
        if event is not None:
            if "delta" not in event:
                return Delta(lost=True)
            delta = event["delta"]
            text = delta.get("text")
            if text is not None:
                if type(text) is str and text:  # most events
                    return text
                return Delta(text)
            use = delta.get("toolUse")
            if use is not None:
                key = event.get("contentBlockIndex", 0)
                return Delta("", (ToolCallDelta(key, arguments=use.get("input", "")),))
            reasoning = delta.get("reasoningContent")
            if reasoning is not None:
                return Delta(
                    thinking=reasoning.get("text", ""), signature=reasoning.get("signature")
                )
            return Delta()  # citations: not the reply's text
        event = chunk.get("contentBlockStart")
        if event is not None:
            if "start" not in event:
                return Delta(lost=True)
            use = event["start"].get("toolUse")
            if use is None:
                return Delta()
            key = event.get("contentBlockIndex", 0)
            piece = ToolCallDelta(key, use.get("toolUseId"), use.get("name"), raw=use)
            return Delta("", (piece,))
        event = chunk.get("contentBlockStop")
        if event is not None:
            if "contentBlockIndex" not in event:
                return Delta(lost=True)
            # closes a tool call; for a text block the accumulator ignores it
            return Delta("", (ToolCallDelta(event["contentBlockIndex"], done=True),))
        event = chunk.get("messageStop")
        if event is not None:
            if "stopReason" not in event:
                return Delta(lost=True)
            return Delta(finish_reason=event["stopReason"])
        event = chunk.get("metadata")
        if event is not None:
            return Delta(usage=_usage(event.get("usage")))
        return Delta()  # messageStart

    def assemble_response(self, streamed: Decoded, plan: CallPlan) -> ConverseResponseTypeDef:
        content: list[ContentBlockOutputTypeDef] = []
        for text, signature in streamed.thinking:
            reasoning: ReasoningTextBlockTypeDef = (
                {"text": text} if signature is None else {"text": text, "signature": signature}
            )
            content.append({"reasoningContent": {"reasoningText": reasoning}})
        if streamed.content:
            content.append({"text": streamed.content})
        content.extend(
            {"toolUse": {"toolUseId": r.id, "name": r.name, "input": arguments_dict(r.arguments)}}
            for r in streamed.tool_calls
        )
        reasons = streamed.finish_reasons
        response: dict[str, object] = {
            "output": {"message": {"role": "assistant", "content": content}},
            "stopReason": reasons[-1] if reasons else "end_turn",
        }
        usage = usage_dict(streamed.usage)
        if usage is not None:
            response["usage"] = usage
        if streamed.id:
            response["ResponseMetadata"] = {"RequestId": streamed.id}
        # the keys decode_response reads; a stream has no metrics, trace or HTTP metadata
        # for the rest of what Converse sends
        return cast("ConverseResponseTypeDef", response)


ADAPTER = BedrockAdapter()
