"""Google's Gemini models through ``google-genai``: ``client.models.generate_content`` on a
``genai.Client`` (the Gemini API, or Vertex AI with ``vertexai=True``), ``client.aio`` for
async. Messages and tool schemas are the generateContent shape Gemini and Vertex AI share
(``_formats/google_content.py``); responses are google-genai's pydantic models, read here
by attribute."""

from __future__ import annotations

import base64
import functools
import itertools
import os
from collections.abc import AsyncIterator, Awaitable, Iterator
from typing import TYPE_CHECKING

from google.genai.client import AsyncClient, Client

from .._engine.adapter import Adapter, CallPlan, ClientClasses, Request
from .._engine.records import Decoded, Delta, ToolCallRecord, plain_delta
from .._formats import google_content
from ..base._narrow import is_items, is_str_dict
from ..base.errors import MissingCredentialsError
from ..base.messages import GOOGLE_SIGNATURE
from ..base.tool import BaseTool
from ..base.usage import Usage

if TYPE_CHECKING:
    from google.genai.types import GenerateContentResponse
    from typing_extensions import Self

    from .._engine.output import OutputFormat
    from .._engine.schemas import Schema


# -- the default client ----------------------------------------------------------------------


def _flag(name: str) -> bool | None:
    value = os.environ.get(name)
    return None if value is None else value.lower() in ("true", "1")


def _vertex_mode() -> bool:
    # as the SDK decides it for a Client() made without arguments
    enterprise = _flag("GOOGLE_GENAI_USE_ENTERPRISE")
    return bool(enterprise if enterprise is not None else _flag("GOOGLE_GENAI_USE_VERTEXAI"))


def _check_credentials() -> None:
    """Raise ``MissingCredentialsError`` where ``genai.Client()`` would find nothing to
    authenticate with (the SDK would raise a ``ValueError`` for the Gemini API, and for
    Vertex AI ask Google's metadata server over the network before failing)."""
    env = os.environ
    api_key = env.get("GOOGLE_API_KEY") or env.get("GEMINI_API_KEY")
    if not _vertex_mode():
        if api_key:
            return
        raise MissingCredentialsError(
            "google's default client found no API key: set GOOGLE_API_KEY (or "
            "GEMINI_API_KEY) for the Gemini API, or GOOGLE_GENAI_USE_VERTEXAI=true with "
            "GOOGLE_CLOUD_PROJECT and GOOGLE_CLOUD_LOCATION for Vertex AI; or pass "
            "client=genai.Client(api_key=...) to the call"
        )
    # a project or location in the environment wins over a key there: ADC are then needed
    project_mode = env.get("GOOGLE_CLOUD_PROJECT") or env.get("GOOGLE_CLOUD_LOCATION")
    if not project_mode and (api_key or env.get("GOOGLE_VERTEX_BASE_URL")):
        return  # express mode (a key alone), or a gateway that authenticates on its own
    if google_content.google_default_credentials_found():
        return
    raise MissingCredentialsError(
        "google's default client is set for Vertex AI (GOOGLE_GENAI_USE_VERTEXAI) and found "
        "no credentials: set GOOGLE_API_KEY for Vertex AI express mode, or set up "
        "Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, or `gcloud auth "
        "application-default login`) with GOOGLE_CLOUD_PROJECT and GOOGLE_CLOUD_LOCATION; "
        "or pass client=genai.Client(vertexai=True, project=..., location=..., "
        "credentials=...) to the call"
    )


# -- requests --------------------------------------------------------------------------------


@functools.cache  # once per set of tools; shared, never mutated (the SDK copies what it sends)
def _tools(tools: tuple[type[BaseTool], ...]) -> list[google_content.ToolDict]:
    return [{"function_declarations": [google_content.function_declaration(t) for t in tools]}]


def _fields(given: object, what: str) -> dict[str, object]:
    """A config the caller gave, as a dict: a dict's copy, or the fields a pydantic model
    of the SDK's (``GenerateContentConfig``, ``HttpOptions``) was given, values untouched."""
    if given is None:
        return {}
    if is_str_dict(given):
        return dict(given)
    from pydantic import BaseModel  # google-genai's types are pydantic models

    if isinstance(given, BaseModel):
        return {name: getattr(given, name) for name in given.model_fields_set}
    raise TypeError(f"google: pass {what} as a dict or google-genai's {what} type, not {given!r}")


def _config(
    given: object,
    system: list[google_content.PartDict] | None,
    tools: list[google_content.ToolDict] | None,
) -> dict[str, object]:
    """The caller's ``config`` with the prompt's system instruction and the call's tools
    (added to the caller's own tools). The caller's object is left as it was."""
    config = _fields(given, "config")
    if system:
        config["system_instruction"] = {"role": google_content.USER, "parts": system}
    if tools:
        theirs = config.get("tools")
        config["tools"] = [*theirs, *tools] if is_items(theirs) and theirs else tools
    return config


# -- responses -------------------------------------------------------------------------------


def _usage(response: GenerateContentResponse) -> Usage | None:
    usage = response.usage_metadata
    if usage is None:
        return None
    cached = usage.cached_content_token_count
    return Usage(usage.prompt_token_count, usage.candidates_token_count, cached or None, usage)


_Read = tuple[str, list[ToolCallRecord], str | None, str, str | None]
"""What one response (or stream chunk) holds: text, calls, finish reason, thought summary,
thought signature (``google:<base64>``; Gemini signs a turn once: its first function call,
or its last part)."""


def _read(response: GenerateContentResponse) -> _Read:
    candidates = response.candidates
    if not candidates:
        return "", [], None, "", None
    candidate = candidates[0]
    texts: list[str] = []
    thoughts: list[str] = []
    calls: list[ToolCallRecord] = []
    signature: str | None = None
    content = candidate.content
    parts = content.parts if content is not None else None
    if parts:
        for part in parts:
            signed = part.thought_signature
            if signed is not None and signature is None:
                signature = GOOGLE_SIGNATURE + base64.b64encode(signed).decode()
            call = part.function_call
            if call is not None:
                calls.append(ToolCallRecord(call.id or "", call.name or "", call.args or {}, call))
            elif part.thought:  # a thought summary (include_thoughts): not the reply's text
                if part.text:
                    thoughts.append(part.text)
            elif part.text:
                texts.append(part.text)
    reason = candidate.finish_reason
    finish: str | None = None
    if reason is not None:
        finish = reason.value  # the SDK's FinishReason, a str enum ("STOP")
        if finish == "FINISH_REASON_UNSPECIFIED":
            finish = None
    if finish == google_content.MALFORMED and not calls:
        calls.append(google_content.malformed_call(candidate.finish_message, candidate))
    return "".join(texts), calls, finish, "".join(thoughts), signature


def decode(response: GenerateContentResponse) -> Decoded:
    """A ``GenerateContentResponse`` (first candidate) to the neutral record; function calls
    keep the SDK's ``FunctionCall`` as ``raw``; thought summaries and the thought signature
    are its reasoning. Without a candidate (a blocked prompt: see ``prompt_feedback``)
    nothing is read."""
    text, calls, finish, thought, signature = _read(response)
    return Decoded(
        text,
        calls,
        _usage(response),
        [finish] if finish else [],
        response.model_version,
        response.response_id,
        ((thought, signature),) if thought or signature is not None else (),
    )


# -- streams ---------------------------------------------------------------------------------
# google-genai sends a stream's request when its iterator is first advanced; mirascope opens
# it at the call, as for every other provider, so that a refused request raises there.


class _Opened(itertools.chain["GenerateContentResponse"]):
    """An SDK stream whose first chunk was read to open it: that chunk, then the rest,
    chained in C (no call of Python code per chunk)."""

    __slots__ = ("_rest",)

    def __new__(
        cls, first: GenerateContentResponse | None, rest: Iterator[GenerateContentResponse]
    ) -> Self:
        # first is None: the stream had nothing (chunks are never None)
        opened = super().__new__(cls, () if first is None else (first,), rest)
        opened._rest = rest
        return opened

    def close(self) -> None:
        close = getattr(self._rest, "close", None)
        if close is not None:
            close()


async def _ready(chunk: GenerateContentResponse) -> GenerateContentResponse:
    return chunk


class _OpenedAsync:
    """An async SDK stream whose first chunk was read to open it. ``__anext__`` hands on
    the SDK stream's own awaitable (a coroutine of its own per chunk would cost more)."""

    __slots__ = ("_first", "_next", "_rest")

    def __init__(
        self,
        first: GenerateContentResponse | None,
        rest: AsyncIterator[GenerateContentResponse],
    ) -> None:
        self._first = first
        self._rest = rest
        self._next = rest.__anext__

    def __aiter__(self) -> _OpenedAsync:
        return self

    def __anext__(self) -> Awaitable[GenerateContentResponse]:
        first = self._first
        if first is not None:
            self._first = None
            return _ready(first)
        return self._next()

    async def aclose(self) -> None:
        aclose = getattr(self._rest, "aclose", None)
        if aclose is not None:
            await aclose()


class GoogleAdapter(
    Adapter[Client, AsyncClient, "GenerateContentResponse", "GenerateContentResponse"]
):
    name = "google"
    client_names = "a google.genai Client (or its .aio, an AsyncClient, for async def)"
    usage_in_text_chunks = True

    def default_client(self, *, is_async: bool) -> Client:
        """``genai.Client()``, configured from the environment as the SDK reads it (kept by
        the engine for as long as it is the default: a ``Client`` closes its connections
        when it is garbage-collected)."""
        _check_credentials()
        return Client()

    def client_classes(self) -> ClientClasses:
        # a Client serves async calls too, through its .aio
        return ClientClasses(async_=(AsyncClient,), both=(Client,))

    def build_request(self, plan: CallPlan, *, stream: bool) -> Request:
        """The keyword arguments of ``generate_content`` (and ``generate_content_stream``)."""
        system, contents = google_content.encode_messages(
            plan.messages, self.name, call_ids=True, thoughts=True
        )
        if not contents:
            raise google_content.system_only(self.name)
        request: Request = {"model": plan.model, "contents": contents}
        given = plan.call_params.get("config") if plan.call_params else None
        tools = _tools(plan.tools) if plan.tools else None
        if system or tools:
            request["config"] = _config(given, system, tools)
        elif given is not None:
            request["config"] = given
        return request

    output_modes = frozenset({"strict", "json"})

    def vendor_schema(self, schema: Schema) -> Schema:
        # response_json_schema takes JSON schema itself; references are inlined (a
        # recursive model, which cannot be, falls back to a forced tool call)
        from .._engine.schemas import inline_refs

        return inline_refs(schema)

    def apply_output(self, request: Request, output: OutputFormat) -> None:
        config = _config(request.get("config"), None, None)
        if output.mode == "tool":
            calling = {"mode": "ANY", "allowed_function_names": [output.name]}
            config["tool_config"] = {"function_calling_config": calling}
        else:
            config["response_mime_type"] = "application/json"
            if output.mode == "strict":
                config["response_json_schema"] = output.schema
        request["config"] = config

    def apply_timeout(self, request: Request, seconds: float) -> None:
        # google-genai's per-request option, in milliseconds: config.http_options.timeout
        config = _config(request.get("config"), None, None)
        options = _fields(config.get("http_options"), "http_options")
        if options.get("timeout") is None:  # a timeout given in the SDK's own terms stays
            config["http_options"] = {**options, "timeout": max(1, round(seconds * 1000))}
            request["config"] = config

    def assemble_response(self, streamed: Decoded, plan: CallPlan) -> GenerateContentResponse:
        from dataclasses import replace

        from google.genai import types

        # the shared builder writes protobuf usage; google-genai's is a pydantic model
        data = google_content.response_dict(replace(streamed, usage=None), plan)
        if streamed.thinking:
            google_content.put_thoughts(
                data["candidates"][0]["content"]["parts"], streamed.thinking
            )
        usage = streamed.usage
        if usage is not None and usage.raw is not None:
            data["usage_metadata"] = usage.raw
        return types.GenerateContentResponse.model_validate(data)

    def resolve_client_async(self, plan: CallPlan, request: Request) -> AsyncClient:
        """A ``Client``'s ``.aio`` (the ``Client`` itself stays in the plan, alive while the
        call and its stream last), or the ``AsyncClient`` given."""
        client: Client | AsyncClient = plan.client
        return client.aio if isinstance(client, Client) else client

    def send(self, client: Client, request: Request) -> GenerateContentResponse:
        return client.models.generate_content(**request)

    async def send_async(self, client: AsyncClient, request: Request) -> GenerateContentResponse:
        return await client.models.generate_content(**request)

    def open_stream(self, client: Client, request: Request) -> Iterator[GenerateContentResponse]:
        stream = client.models.generate_content_stream(**request)
        return _Opened(next(stream, None), stream)

    async def open_stream_async(
        self, client: AsyncClient, request: Request
    ) -> AsyncIterator[GenerateContentResponse]:
        stream = await client.models.generate_content_stream(**request)
        try:
            first = await stream.__anext__()
        except StopAsyncIteration:
            first = None
        return _OpenedAsync(first, stream)

    def decode_response(self, raw: GenerateContentResponse) -> Decoded:
        return decode(raw)

    def decode_chunk(self, chunk: GenerateContentResponse) -> Delta:
        """One streamed ``GenerateContentResponse``: a text chunk (``decode_text_chunk``)
        becomes a plain chunk (``plain_delta``) with its usage so far; the rest go to
        ``decode_more``."""
        decoded = self.decode_text_chunk(chunk)
        if isinstance(decoded, str):
            return plain_delta(
                self.chunk_class, decoded, chunk.model_version, chunk.response_id, _usage(chunk)
            )
        return decoded

    def chunk_usage(self, chunk: GenerateContentResponse) -> Usage | None:
        return _usage(chunk)

    def decode_text_chunk(self, chunk: GenerateContentResponse) -> Delta | str:
        """Most chunks are one text part and the usage so far: the text alone, read in this
        one call (the usage is left unread: ``usage_in_text_chunks``); the rest go to
        ``decode_more``."""
        candidates = chunk.candidates
        if candidates:
            candidate = candidates[0]
            content = candidate.content
            parts = content.parts if content is not None else None
            # a finish reason comes once, on the last chunk: decode_more reads it
            if parts is not None and len(parts) == 1 and candidate.finish_reason is None:
                part = parts[0]
                text = part.text
                if (
                    text
                    and part.function_call is None
                    and part.thought_signature is None
                    and not part.thought
                ):
                    return text
        return self.decode_more(chunk)

    def decode_more(self, chunk: GenerateContentResponse) -> Delta:
        """A chunk that is more than a piece of text: a function call (Google streams each
        whole, so each is a complete, ``done``, delta), a thought summary or signature (which
        closes the reasoning), the finish reason."""
        text, calls, finish, thought, signature = _read(chunk)
        return Delta(
            text,
            google_content.call_deltas(calls),
            _usage(chunk),
            finish,
            chunk.model_version,
            chunk.response_id,
            thinking=thought,
            signature=signature,
        )

    def close_client(self, client: Client) -> None:
        client.close()

    async def close_client_async(self, client: Client | AsyncClient) -> None:
        """A default async client is a ``Client`` of its own event loop: close both sides
        (its async connections while the loop still runs)."""
        if isinstance(client, AsyncClient):
            await client.aclose()
            return
        await client.aio.aclose()
        client.close()


ADAPTER = GoogleAdapter()
