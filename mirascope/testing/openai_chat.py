"""Fake of OpenAI's chat-completions API (also the wire of Groq, LiteLLM's OpenAI route
and other OpenAI-compatible servers): JSON answers and SSE streams, shaped as the real
API answers (see shared recordings). It serves OpenAI's Responses API too
(``openai_responses``), as the real server does beside chat completions."""

from __future__ import annotations

import itertools
import json
from typing import Any, ClassVar

from . import openai_responses
from ._chat_completions import ChatCompletionsFake, StreamUsage
from ._server import JSON_HEADERS, SSE_HEADERS, Answer, RecordedRequest, Reply, Usage
from .openai_batch import OpenAIBatches

_ids = itertools.count(1)


class FakeOpenAI(ChatCompletionsFake):
    """``OpenAI(base_url=server.url + "/v1", api_key="test")`` talks to this; with
    ``groq=True``, ``Groq(base_url=server.url, api_key="test")`` (Groq's dialect)."""

    vendor = "openai"
    routes = (
        r"/v1/chat/completions",
        r"/openai/v1/chat/completions",  # Groq's SDK, given the server's bare URL
        r"/openai/deployments/[^/]+/chat/completions",  # AzureOpenAI clients
        *openai_responses.ROUTES,
    )
    default_model = "gpt-4o-mini"
    api_hosts = ("api.openai.com",)
    stream_content_type = SSE_HEADERS["Content-Type"]
    opening_content_with_calls = None
    closing_content = None
    envelope: ClassVar[dict[str, Any]] = {
        "service_tier": "default",
        "system_fingerprint": "fp_fake",
    }

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, groq: bool = False) -> None:
        super().__init__(host, port)
        self.batches = OpenAIBatches(self)
        """The Batch API (files and batches): ``polls``, ``expire``, the jobs made."""
        self.extensions.append(self.batches)
        self.groq = groq
        """Answer as Groq does: ``x_groq`` metadata, and streams that always end with usage
        in their last chunk (Groq's SDK has no ``stream_options``)."""

    def response_headers(self) -> dict[str, str]:
        return {**JSON_HEADERS, "x-request-id": f"req_{next(_ids)}"}

    def user_text(self, request: RecordedRequest) -> str:
        if openai_responses.is_responses(request):
            return openai_responses.user_text(request)
        return super().user_text(request)

    def respond(self, request: RecordedRequest, reply: Reply, headers: dict[str, str]) -> Answer:
        if openai_responses.is_responses(request):
            return openai_responses.respond(self, request, reply, headers)
        return super().respond(request, reply, headers)

    def error(self, status: int, message: str, code: str | None = None) -> Answer:
        kind = "invalid_request_error" if status < 500 else "server_error"
        body = {"error": {"message": message, "type": kind, "param": None, "code": code}}
        return Answer(status, self.response_headers(), json.dumps(body).encode())

    def not_found(self, request: RecordedRequest) -> Answer:
        where = f"{request.method} {request.path.split('?', 1)[0]}"
        return self.error(404, f"Invalid URL ({where})", "unknown_url")

    def not_json(self, request: RecordedRequest) -> Answer:
        return self.error(
            400,
            "We could not parse the JSON body of your request. (HINT: This likely means you "
            "aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, "
            "but what was sent was not valid JSON.)",
        )

    # -- OpenAI's dialect ----------------------------------------------------------------
    def completion_id(self) -> str:
        return f"chatcmpl-fake{next(_ids)}"

    def stream_usage(self, body: dict[str, Any]) -> StreamUsage:
        if self.groq:  # as recorded: usage rides on the last chunk
            return "last"
        options: dict[str, Any] = body.get("stream_options") or {}
        return "after" if options.get("include_usage") else None

    def usage_json(self, usage: Usage) -> dict[str, Any]:
        cached = usage.cached or 0
        details = {"prompt_tokens_details": {"cached_tokens": cached, "audio_tokens": 0}}
        return {**super().usage_json(usage), **details}

    def message_json(self, text: str, calls: list[dict[str, Any]]) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": text or None}
        message.update(refusal=None, annotations=[])
        if calls:
            message["tool_calls"] = calls
        return message

    def choice_extras(self, streamed: bool) -> dict[str, Any]:
        return {"logprobs": None}

    def completion_json(
        self, cid: str, model: str, choice: dict[str, Any], usage: dict[str, Any]
    ) -> dict[str, Any]:
        completion = super().completion_json(cid, model, choice, usage)
        if self.groq:
            completion["x_groq"] = {"id": f"req_fake{next(_ids)}"}
        return completion

    def chunk_json(
        self, head: dict[str, Any], choice: dict[str, Any] | None, usage: dict[str, Any] | None
    ) -> dict[str, Any]:
        chunk = super().chunk_json(head, choice, usage)
        chunk.setdefault("usage", None)  # OpenAI writes it in every chunk, null until the end
        if self.groq and usage is not None:
            chunk["x_groq"] = {"id": f"req_fake{next(_ids)}", "usage": usage}
        return chunk
