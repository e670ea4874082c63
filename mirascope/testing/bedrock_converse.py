"""Fake of Amazon Bedrock's Converse API (``bedrock-runtime``): JSON answers for
``converse`` and the AWS binary event stream for ``converse-stream``, shaped as the real
service answers (see shared recordings), so botocore's and aiobotocore's own parsers read
them. Point a client at it with ``endpoint_url=server.url`` (or the environment variable
``AWS_ENDPOINT_URL_BEDROCK_RUNTIME``) and any fake AWS keys; requests are not verified."""

from __future__ import annotations

import itertools
import json
import struct
import uuid
from binascii import crc32
from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import unquote

from ._server import (
    FAKE_SIGNATURE,
    Answer,
    FakeServer,
    RecordedRequest,
    Reply,
    last_user_text,
    split_text,
    usage_of,
    with_broken_event,
)

_ids = itertools.count(1)

EVENTSTREAM_TYPE = "application/vnd.amazon.eventstream"

_ERROR_TYPES = {
    400: "ValidationException",
    401: "UnrecognizedClientException",  # AWS's answer to a bad key (with 403, mostly)
    403: "AccessDeniedException",
    404: "ResourceNotFoundException",
    408: "ModelTimeoutException",
    424: "ModelErrorException",
    429: "ThrottlingException",
    500: "InternalServerException",
    503: "ServiceUnavailableException",
}

# real events carry a random-length padding field "p" (hides the payload length)
_PADDING = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def _header(name: str, value: str) -> bytes:
    """One string header: name length (1 byte), name, type 7 (string), value length
    (2 bytes), value."""
    key, text = name.encode(), value.encode()
    return struct.pack("!B", len(key)) + key + struct.pack("!BH", 7, len(text)) + text


def encode_event(headers: dict[str, str], payload: bytes) -> bytes:
    """One message of the AWS event-stream encoding: prelude (total length, headers
    length), prelude CRC32, headers, payload, message CRC32 (all big-endian)."""
    head = b"".join(_header(k, v) for k, v in headers.items())
    prelude = struct.pack("!II", 12 + len(head) + len(payload) + 4, len(head))
    message = prelude + struct.pack("!I", crc32(prelude)) + head + payload
    return message + struct.pack("!I", crc32(message))


def event(event_type: str, body: dict[str, Any], n: int = 0) -> bytes:
    """A ``:message-type: event`` message with a JSON payload, as Converse streams them."""
    payload = {**body, "p": _PADDING[: 1 + (n * 7) % len(_PADDING)]}
    return encode_event(
        {
            ":event-type": event_type,
            ":content-type": "application/json",
            ":message-type": "event",
        },
        json.dumps(payload, separators=(",", ":")).encode(),
    )


class FakeBedrock(FakeServer):
    """``boto3.client("bedrock-runtime", endpoint_url=server.url, ...)`` talks to this."""

    vendor = "bedrock"
    routes = (r"/model/[^/]+/converse", r"/model/[^/]+/converse-stream")

    def user_text(self, request: RecordedRequest) -> str:
        body: dict[str, Any] = request.json or {}
        return last_user_text(body.get("messages"))

    def response_headers(self) -> dict[str, str]:
        return {"x-amzn-RequestId": str(uuid.uuid4()), "Connection": "keep-alive"}

    def error(self, status: int, message: str, error_type: str | None = None) -> Answer:
        # botocore reads the error's name from this header, its message from the body
        error_type = error_type or _ERROR_TYPES.get(status, "InternalServerException")
        headers = self.response_headers()
        headers["Content-Type"] = "application/json"
        headers["x-amzn-ErrorType"] = (
            f"{error_type}:http://internal.amazon.com/coral/com.amazon.bedrock/"
        )
        return Answer(status, headers, json.dumps({"message": message}).encode())

    # Smithy's framework errors, which its REST-JSON protocol tests expect of any service:
    # UnknownOperationException (404) for no matching operation, SerializationException
    # (400) for a body that is not JSON
    def not_found(self, request: RecordedRequest) -> Answer:
        return self.error(404, "Unknown operation", "UnknownOperationException")

    def not_json(self, request: RecordedRequest) -> Answer:
        return self.error(400, "The request body is not valid JSON", "SerializationException")

    def respond(self, request: RecordedRequest, reply: Reply, headers: dict[str, str]) -> Answer:
        text = self.reply_text(request, reply)
        if reply.empty:
            text, reply = "", replace(reply, tool_calls=[])
        tokens = usage_of(reply, text)
        usage = {"inputTokens": tokens.input, "outputTokens": tokens.output}
        usage["totalTokens"] = tokens.total
        if tokens.cached is not None:  # Bedrock counts cache reads apart from inputTokens
            usage["cacheReadInputTokens"] = tokens.cached
            usage["totalTokens"] += tokens.cached
        stop = "max_tokens" if reply.truncated else "tool_use" if reply.tool_calls else "end_turn"
        path = unquote(request.path.split("?")[0])
        if path.endswith("/converse-stream"):
            headers["Content-Type"] = EVENTSTREAM_TYPE
            events = self._events(text, reply, stop, usage)
            if reply.malformed:
                broken = encode_event(
                    {
                        ":event-type": "contentBlockDelta",
                        ":content-type": "application/json",
                        ":message-type": "event",
                    },
                    b'{"contentBlockIndex":0,"delta":{"text":',
                )
                events = with_broken_event(events, broken)
            return Answer(200, headers, events=events)
        headers["Content-Type"] = "application/json"
        if reply.malformed:
            return Answer(200, headers, b'{"output": {"message": {"content": [')
        content: list[dict[str, Any]] = []
        if reply.thinking:
            reasoning = {"text": reply.thinking, "signature": FAKE_SIGNATURE}
            content.append({"reasoningContent": {"reasoningText": reasoning}})
        if text:
            content.append({"text": text})
        content.extend(
            {
                "toolUse": {
                    "toolUseId": call.id or f"tooluse_fake{next(_ids)}",
                    "name": call.name,
                    # a raw string that is not JSON stays a string (a model that broke it)
                    "input": call.arguments_value(),
                }
            }
            for call in reply.tool_calls
        )
        response = {
            "metrics": {"latencyMs": 42},
            "output": {"message": {"content": content, "role": "assistant"}},
            "stopReason": stop,
            "usage": {
                "cacheReadInputTokenCount": 0,
                "cacheReadInputTokens": 0,
                "cacheWriteInputTokenCount": 0,
                "cacheWriteInputTokens": 0,
                **usage,
            },
        }
        return Answer(200, headers, json.dumps(response).encode())

    def _events(self, text: str, reply: Reply, stop: str, usage: dict[str, int]) -> Iterator[bytes]:
        n = itertools.count()
        yield event("messageStart", {"role": "assistant"}, next(n))
        index = 0
        if reply.thinking:
            for piece in split_text(reply.thinking, reply.chunk_size):
                delta = {"reasoningContent": {"text": piece}}
                yield event("contentBlockDelta", {"contentBlockIndex": 0, "delta": delta}, next(n))
            delta = {"reasoningContent": {"signature": FAKE_SIGNATURE}}
            yield event("contentBlockDelta", {"contentBlockIndex": 0, "delta": delta}, next(n))
            yield event("contentBlockStop", {"contentBlockIndex": 0}, next(n))
            index = 1
        pieces = split_text(text, reply.chunk_size)
        if pieces:
            # text blocks have no contentBlockStart: deltas open them (as recorded)
            for piece in pieces:
                yield event(
                    "contentBlockDelta",
                    {"contentBlockIndex": index, "delta": {"text": piece}},
                    next(n),
                )
            yield event("contentBlockStop", {"contentBlockIndex": index}, next(n))
            index += 1
        for call in reply.tool_calls:
            yield event(
                "contentBlockStart",
                {
                    "contentBlockIndex": index,
                    "start": {
                        "toolUse": {
                            "name": call.name,
                            "toolUseId": call.id or f"tooluse_fake{next(_ids)}",
                        }
                    },
                },
                next(n),
            )
            for part in call.argument_halves():
                if part:
                    yield event(
                        "contentBlockDelta",
                        {"contentBlockIndex": index, "delta": {"toolUse": {"input": part}}},
                        next(n),
                    )
            yield event("contentBlockStop", {"contentBlockIndex": index}, next(n))
            index += 1
        yield event("messageStop", {"stopReason": stop}, next(n))
        yield event("metadata", {"metrics": {"latencyMs": 42}, "usage": usage}, next(n))
