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

from ._server import Answer, FakeServer, RecordedRequest, Reply, ToolCall, split_text

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


def _tool_input(call: ToolCall) -> Any:
    # a raw string that is not JSON stays a string (a model that broke its arguments)
    if isinstance(call.arguments, dict):
        return call.arguments
    try:
        return json.loads(call.arguments)
    except ValueError:
        return call.arguments


class FakeBedrock(FakeServer):
    """``boto3.client("bedrock-runtime", endpoint_url=server.url, ...)`` talks to this."""

    vendor = "bedrock"

    def user_text(self, request: RecordedRequest) -> str:
        body: dict[str, Any] = request.json or {}
        for message in reversed(body.get("messages") or []):
            if message.get("role") != "user":
                continue
            blocks: list[dict[str, Any]] = message.get("content") or []
            texts = [b["text"] for b in blocks if "text" in b]
            if texts:
                return "".join(texts)
        return ""

    def render(self, request: RecordedRequest, reply: Reply) -> Answer:
        request_id = str(uuid.uuid4())
        headers = {"x-amzn-RequestId": request_id, "Connection": "keep-alive", **reply.headers}
        if reply.status != 200:
            error_type = _ERROR_TYPES.get(reply.status, "InternalServerException")
            headers["Content-Type"] = "application/json"
            headers["x-amzn-ErrorType"] = (
                f"{error_type}:http://internal.amazon.com/coral/com.amazon.bedrock/"
            )
            body = json.dumps({"message": reply.error_message}).encode()
            return Answer(reply.status, headers, body)
        text = (
            self.echo(request)
            if reply.text is None and not reply.tool_calls
            else (reply.text or "")
        )
        if reply.empty:
            text, reply = "", replace(reply, tool_calls=[])
        input_tokens = reply.input_tokens if reply.input_tokens is not None else 12
        output_tokens = (
            reply.output_tokens if reply.output_tokens is not None else max(1, len(text.split()))
        )
        usage = {
            "inputTokens": input_tokens,
            "outputTokens": output_tokens,
            "totalTokens": input_tokens + output_tokens,
        }
        stop = "tool_use" if reply.tool_calls else "end_turn"
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
                events = itertools.chain(itertools.islice(events, 2), [broken])
            return Answer(200, headers, events=events)
        headers["Content-Type"] = "application/json"
        if reply.malformed:
            return Answer(200, headers, b'{"output": {"message": {"content": [')
        content: list[dict[str, Any]] = [{"text": text}] if text else []
        content.extend(
            {
                "toolUse": {
                    "toolUseId": call.id or f"tooluse_fake{next(_ids)}",
                    "name": call.name,
                    "input": _tool_input(call),
                }
            }
            for call in reply.tool_calls
        )
        response = {
            "metrics": {"latencyMs": 42},
            "output": {"message": {"content": content, "role": "assistant"}},
            "stopReason": stop,
            "usage": {
                **usage,
                "cacheReadInputTokenCount": 0,
                "cacheReadInputTokens": 0,
                "cacheWriteInputTokenCount": 0,
                "cacheWriteInputTokens": 0,
            },
        }
        return Answer(200, headers, json.dumps(response).encode())

    def _events(self, text: str, reply: Reply, stop: str, usage: dict[str, int]) -> Iterator[bytes]:
        n = itertools.count()
        yield event("messageStart", {"role": "assistant"}, next(n))
        index = 0
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
            args = call.arguments_json()
            half = len(args) // 2
            for part in (args[:half], args[half:]):
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
