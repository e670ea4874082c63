"""Media for templates: read bytes from a path or URL, and tell their type from the bytes.

Loaded only when a template uses an image, audio or document spec."""

from __future__ import annotations

from typing import Any, cast

from .errors import MediaError
from .messages import (
    AudioPart,
    AudioURLPart,
    DocumentPart,
    ImagePart,
    ImageURLPart,
)

URL_SCHEMES = ("http://", "https://", "gs://")
"""Sources that stay URLs (the vendor fetches them): ``ImageURLPart`` / ``AudioURLPart``."""

_FETCHED = ("http://", "https://", "data:", "file://")
"""Sources read with urllib (as v1 did) when bytes are needed."""

TIMEOUT = 30.0
"""Seconds allowed to read one URL."""


def load(source: Any, what: str) -> bytes:
    """The bytes of ``source``: bytes as they are, a URL (http(s), ``data:``, ``file://``)
    read with urllib, any other string a local path."""
    if isinstance(source, bytes):
        return source
    if isinstance(source, bytearray | memoryview):
        return bytes(cast(Any, source))
    if not isinstance(source, str):
        raise MediaError(f"{what} must be bytes, a URL or a file path, not {type(source).__name__}")
    try:
        if source.startswith(_FETCHED):
            import urllib.request  # only for URLs

            with urllib.request.urlopen(source, timeout=TIMEOUT) as response:
                return response.read()
        with open(source, "rb") as file:
            return file.read()
    except (OSError, ValueError) as error:
        raise MediaError(f"could not read {what} from {source!r}: {error}") from error


def image_type(data: bytes) -> str:
    """``image/<kind>`` from the file's first bytes."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in (b"heic", b"heix", b"hevc", b"hevx"):
            return "image/heic"
        if brand in (b"mif1", b"msf1", b"heif"):
            return "image/heif"
    raise MediaError(
        "the image is not PNG, JPEG, GIF, WebP, HEIC or HEIF (its first bytes are "
        f"{data[:12]!r}): pass an ImagePart with its media_type instead"
    )


def audio_type(data: bytes) -> str:
    """``audio/<kind>`` from the file's first bytes."""
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "audio/wav"
    if data.startswith(b"ID3") or data[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return "audio/mp3"
    if data.startswith(b"OggS"):
        return "audio/ogg"
    if data.startswith(b"fLaC"):
        return "audio/flac"
    if data[:4] == b"FORM" and data[8:12] in (b"AIFF", b"AIFC"):
        return "audio/aiff"
    if data[:2] in (b"\xff\xf1", b"\xff\xf9"):
        return "audio/aac"
    raise MediaError(
        "the audio is not WAV, MP3, OGG, FLAC, AIFF or AAC (its first bytes are "
        f"{data[:12]!r}): pass an AudioPart with its media_type instead"
    )


def document_type(data: bytes) -> str:
    """``application/pdf``: the one document type v1 reads."""
    if data.startswith(b"%PDF"):
        return "application/pdf"
    raise MediaError(
        f"the document is not a PDF (its first bytes are {data[:8]!r}): pass a "
        "DocumentPart with its media_type instead"
    )


def image_part(source: Any, detail: str | None) -> ImagePart | ImageURLPart:
    """An image from bytes, a path, or a URL (http(s)/gs URLs stay URLs)."""
    if isinstance(source, ImagePart | ImageURLPart):
        return source
    if isinstance(source, str) and source.startswith(URL_SCHEMES):
        return ImageURLPart(url=source, detail=detail)
    data = load(source, "an image")
    return ImagePart(media_type=image_type(data), image=data, detail=detail)


def audio_part(source: Any) -> AudioPart | AudioURLPart:
    """Audio from bytes, a path, or a URL (http(s)/gs URLs stay URLs)."""
    if isinstance(source, AudioPart | AudioURLPart):
        return source
    if isinstance(source, str) and source.startswith(URL_SCHEMES):
        return AudioURLPart(url=source)
    data = load(source, "audio")
    return AudioPart(media_type=audio_type(data), audio=data)


def document_part(source: Any) -> DocumentPart:
    """A document from bytes, a path or a URL (read now, as v1 did)."""
    if isinstance(source, DocumentPart):
        return source
    data = load(source, "a document")
    return DocumentPart(media_type=document_type(data), document=data)
