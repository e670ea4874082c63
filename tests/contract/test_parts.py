"""Multimodal template parts on every provider, sync and async: each part a template makes
is sent in the vendor's own wire shape (the exact body the fake recorded), or refused before
any request with one ``UnsupportedPartError`` naming the provider and the part."""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from mirascope.core import UnsupportedPartError, prompt_template
from mirascope.testing import FakeServer

from .base import ContractProvider
from .test_contract import _call

PNG = b"\x89PNG\r\n\x1a\n" + b"tiny-image"
WAV = b"RIFF\x10\x00\x00\x00WAVEfmt " + b"tiny-audio"
PDF = b"%PDF-1.4\n" + b"tiny-document"
IMAGE_URL = "https://images.example/cat.jpg"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


class _Media(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "audio/wav")
        self.send_header("Content-Length", str(len(WAV)))
        self.end_headers()
        self.wfile.write(WAV)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the stdlib name)
        pass


@pytest.fixture(scope="module")
def audio_url() -> Iterator[str]:
    """A WAV file served on 127.0.0.1 (no test reaches the network)."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Media)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/clip.wav"
    httpd.shutdown()
    httpd.server_close()


# the user message's content, as each vendor's body carries it
def _last_content(body: Any) -> Any:
    return body["messages"][-1]["content"]


def _google_parts(body: Any) -> Any:
    return body["contents"][-1]["parts"]


def _responses_content(body: Any) -> Any:
    return body["input"][-1]["content"]


CONTENT_OF: dict[str, Callable[[Any], Any]] = {
    "gemini": _google_parts,
    "vertex": _google_parts,
    "google": _google_parts,
    "openai.responses": _responses_content,
}

TEXT_OPENAI = {"type": "text", "text": "Look:"}
TEXT_GOOGLE = {"text": "Look:"}
TEXT_BEDROCK = {"text": "Look:"}
TEXT_RESPONSES = {"type": "input_text", "text": "Look:"}
_OPENAI_IMAGE = {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{_b64(PNG)}"}}
_OPENAI_IMAGE_URL = {"type": "image_url", "image_url": {"url": IMAGE_URL}}
_OPENAI_AUDIO = {"type": "input_audio", "input_audio": {"data": _b64(WAV), "format": "wav"}}
_OPENAI_FILE = {
    "type": "file",
    "file": {"file_data": f"data:application/pdf;base64,{_b64(PDF)}", "filename": "document.pdf"},
}
_GOOGLE_IMAGE = {"inlineData": {"mimeType": "image/png", "data": _b64(PNG)}}
_GOOGLE_IMAGE_URL = {"fileData": {"mimeType": "image/jpeg", "fileUri": IMAGE_URL}}
_GOOGLE_AUDIO = {"inlineData": {"mimeType": "audio/wav", "data": _b64(WAV)}}
_GOOGLE_PDF = {"inlineData": {"mimeType": "application/pdf", "data": _b64(PDF)}}
_ANTHROPIC_IMAGE = {
    "type": "image",
    "source": {"type": "base64", "media_type": "image/png", "data": _b64(PNG)},
}
_ANTHROPIC_IMAGE_URL = {"type": "image", "source": {"type": "url", "url": IMAGE_URL}}
_ANTHROPIC_PDF = {
    "type": "document",
    "source": {"type": "base64", "media_type": "application/pdf", "data": _b64(PDF)},
}
AUDIO_URL = "<audio_url>"  # replaced by the served URL
REFUSED = None

# (provider, kind) -> the part as sent after the text part, or REFUSED
EXPECTED: dict[str, dict[str, Any]] = {
    "openai": {
        "image": _OPENAI_IMAGE,
        "image_url": _OPENAI_IMAGE_URL,
        "audio": _OPENAI_AUDIO,
        "audio_url": _OPENAI_AUDIO,  # the API takes no audio URL: downloaded, as v1 did
        "document": _OPENAI_FILE,
    },
    "azure": {
        "image": _OPENAI_IMAGE,
        "image_url": _OPENAI_IMAGE_URL,
        "audio": _OPENAI_AUDIO,
        "audio_url": _OPENAI_AUDIO,
        "document": REFUSED,
    },
    "litellm": {
        "image": _OPENAI_IMAGE,
        "image_url": _OPENAI_IMAGE_URL,
        "audio": _OPENAI_AUDIO,
        "audio_url": _OPENAI_AUDIO,
        "document": _OPENAI_FILE,
    },
    "groq": {
        "image": _OPENAI_IMAGE,
        "image_url": _OPENAI_IMAGE_URL,
        "audio": REFUSED,
        "audio_url": REFUSED,
        "document": REFUSED,
    },
    "mistral": {
        "image": _OPENAI_IMAGE,
        "image_url": _OPENAI_IMAGE_URL,
        "audio": {"type": "input_audio", "input_audio": _b64(WAV)},
        "audio_url": {"type": "input_audio", "input_audio": AUDIO_URL},
        "document": REFUSED,
    },
    "anthropic": {
        "image": _ANTHROPIC_IMAGE,
        "image_url": _ANTHROPIC_IMAGE_URL,
        "audio": REFUSED,
        "audio_url": REFUSED,
        "document": _ANTHROPIC_PDF,
    },
    "gemini": {
        "image": _GOOGLE_IMAGE,
        "image_url": _GOOGLE_IMAGE_URL,
        "audio": _GOOGLE_AUDIO,
        "audio_url": {"fileData": {"mimeType": "audio/x-wav", "fileUri": AUDIO_URL}},
        "document": _GOOGLE_PDF,
    },
    "bedrock": {
        "image": {"image": {"format": "png", "source": {"bytes": _b64(PNG)}}},
        "image_url": REFUSED,  # Converse takes bytes or s3:// locations only
        "audio": REFUSED,
        "audio_url": REFUSED,
        "document": {
            "document": {
                "format": "pdf",
                "name": "document-" + __import__("hashlib").sha1(PDF).hexdigest()[:12],
                "source": {"bytes": _b64(PDF)},
            }
        },
    },
    "xai": {
        "image": _OPENAI_IMAGE,
        "image_url": _OPENAI_IMAGE_URL,
        "audio": REFUSED,
        "audio_url": REFUSED,
        "document": REFUSED,
    },
    "openai.responses": {
        "image": {
            "type": "input_image",
            "image_url": f"data:image/png;base64,{_b64(PNG)}",
            "detail": "auto",
        },
        "image_url": {"type": "input_image", "image_url": IMAGE_URL, "detail": "auto"},
        "audio": REFUSED,  # the Responses API takes no audio input
        "audio_url": REFUSED,
        "document": {
            "type": "input_file",
            "file_data": f"data:application/pdf;base64,{_b64(PDF)}",
            "filename": "document.pdf",
        },
    },
    # the suite's Cohere clients are v1's, whose chat takes text only
    "cohere": dict.fromkeys(("image", "image_url", "audio", "audio_url", "document"), REFUSED),
}
EXPECTED["vertex"] = EXPECTED["gemini"]

SOURCES: dict[str, Any] = {
    "image": PNG,
    "image_url": IMAGE_URL,
    "audio": WAV,
    "audio_url": AUDIO_URL,
    "document": PDF,
}
SPECS = {
    "image": "image",
    "image_url": "image",
    "audio": "audio",
    "audio_url": "audio",
    "document": "document",
}
PART_NAMES = {
    "image": "ImagePart",
    "image_url": "ImageURLPart",
    "audio": "AudioPart",
    "audio_url": "AudioURLPart",
    "document": "DocumentPart",
}


def _text_part(provider: str) -> Any:
    if provider in ("gemini", "vertex", "google"):
        return TEXT_GOOGLE
    if provider == "bedrock":
        return TEXT_BEDROCK
    if provider == "openai.responses":
        return TEXT_RESPONSES
    return TEXT_OPENAI


def _fill(value: Any, url: str) -> Any:
    if value == AUDIO_URL:
        return url
    if isinstance(value, dict):
        return {k: _fill(v, url) for k, v in value.items()}
    return value


def _decorate(module: Any, provider: ContractProvider, spec: str, is_async: bool) -> Any:
    template = f"Look: {{media:{spec}}}"
    if is_async:

        @module.call(provider.model)
        @prompt_template(template)
        async def look_async(media: Any): ...

        return look_async

    @module.call(provider.model)
    @prompt_template(template)
    def look(media: Any): ...

    return look


@pytest.mark.parametrize("kind", list(SOURCES))
def test_media_part(
    provider: ContractProvider,
    server: FakeServer,
    module: Any,
    is_async: bool,
    kind: str,
    audio_url: str,
) -> None:
    fn = _decorate(module, provider, SPECS[kind], is_async)
    source = _fill(SOURCES[kind], audio_url)
    expected = EXPECTED[provider.name][kind]
    if expected is REFUSED:
        with pytest.raises(UnsupportedPartError) as info:
            _call(fn, source)
        assert (info.value.provider, info.value.part) == (provider.name, PART_NAMES[kind])
        assert str(info.value).startswith(f"{provider.name} cannot send a {PART_NAMES[kind]}")
        assert server.requests == []  # refused before anything was sent
        return
    response = _call(fn, source)
    assert response.content == "Look:"  # the fakes echo the text
    content = CONTENT_OF.get(provider.name, _last_content)(server.requests[0].json)
    assert content == [_text_part(provider.name), _fill(expected, audio_url)]


def test_cache_control(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    template = "SYSTEM: Be brief. {:cache_control}\nUSER: Look: {:cache_control} and more"
    if is_async:

        @module.call(provider.model)
        @prompt_template(template)
        async def fn_async(): ...

        fn: Any = fn_async
    else:

        @module.call(provider.model)
        @prompt_template(template)
        def fn(): ...

    if provider.name != "anthropic":
        with pytest.raises(UnsupportedPartError) as info:
            _call(fn)
        assert (info.value.provider, info.value.part) == (provider.name, "CacheControlPart")
        assert server.requests == []
        return
    _call(fn)
    body = server.requests[0].json
    mark = {"type": "ephemeral"}
    assert body["system"] == [{"type": "text", "text": "Be brief.", "cache_control": mark}]
    assert body["messages"] == [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "Look:", "cache_control": mark},
                {"type": "text", "text": "and more"},
            ],
        }
    ]


def _inner_snake_case(part: Any) -> Any:
    """google-genai writes a part's own fields (``mime_type``, ``file_uri``) in snake
    case inside the camel-case part name; the API's JSON parser takes both spellings."""
    if part is None or isinstance(part, str):
        return part
    ((name, fields),) = part.items()
    snake = {"mimeType": "mime_type", "fileUri": "file_uri"}
    return {name: {snake.get(k, k): v for k, v in fields.items()}}


EXPECTED["google"] = {kind: _inner_snake_case(p) for kind, p in EXPECTED["gemini"].items()}
