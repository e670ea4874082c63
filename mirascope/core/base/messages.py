"""Provider-neutral messages: the one shape every prompt style becomes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, TypeAlias, TypeGuard

from pydantic import BaseModel, ConfigDict


class TextPart(BaseModel):
    """A piece of text inside a message."""

    model_config = ConfigDict(frozen=True, defer_build=True)
    type: Literal["text"] = "text"
    text: str


class ImagePart(BaseModel):
    """An image inside a message, as raw bytes (``url`` is kept for older code; v1's
    ``ImageURLPart`` is the URL form)."""

    model_config = ConfigDict(frozen=True, defer_build=True)
    type: Literal["image"] = "image"
    media_type: str = "image/png"
    image: bytes | None = None
    url: str | None = None
    detail: str | None = None
    """How closely the model looks (OpenAI's ``"low"``/``"high"``/``"auto"``)."""


class ImageURLPart(BaseModel):
    """An image the vendor fetches itself: an ``http(s)://`` or ``gs://`` URL."""

    model_config = ConfigDict(frozen=True, defer_build=True)
    type: Literal["image_url"] = "image_url"
    url: str
    detail: str | None = None


class AudioPart(BaseModel):
    """Audio inside a message: raw bytes, or a base64 string."""

    model_config = ConfigDict(frozen=True, defer_build=True)
    type: Literal["audio"] = "audio"
    media_type: str
    audio: bytes | str


class AudioURLPart(BaseModel):
    """Audio at a URL."""

    model_config = ConfigDict(frozen=True, defer_build=True)
    type: Literal["audio_url"] = "audio_url"
    url: str


class DocumentPart(BaseModel):
    """A document (a PDF) inside a message, as raw bytes."""

    model_config = ConfigDict(frozen=True, defer_build=True)
    type: Literal["document"] = "document"
    media_type: str = "application/pdf"
    document: bytes


class CacheControlPart(BaseModel):
    """Marks the part before it as a prompt-cache breakpoint (Anthropic's
    ``cache_control``); other providers refuse it."""

    model_config = ConfigDict(frozen=True, defer_build=True)
    type: Literal["cache_control"] = "cache_control"
    cache_type: str = "ephemeral"


GOOGLE_SIGNATURE = "google:"
"""How a ``ThinkingPart.signature`` written by Gemini (the google and vertex providers)
begins: its thought signature follows, base64-encoded, so that no other vendor is sent it."""
OPENAI_SIGNATURE = "openai:"
"""How a ``ThinkingPart.signature`` of OpenAI's Responses API begins: the reasoning item's
id and encrypted content follow (JSON), so that the item goes back to that API alone."""


def claude_signed(signature: str | None) -> TypeGuard[str]:
    """Whether a ``ThinkingPart.signature`` is Claude's (Anthropic, Bedrock): signed, and
    not marked as another vendor's."""
    return signature is not None and not signature.startswith((GOOGLE_SIGNATURE, OPENAI_SIGNATURE))


class ThinkingPart(BaseModel):
    """The model's reasoning before its answer (part of an assistant message). Sent back
    only to the vendor that wrote it (Anthropic, Bedrock, Google and Vertex AI, OpenAI's
    Responses API: ``signature`` proves it is unaltered; Google's begins ``google:`` and
    goes back on the turn's first function call, OpenAI's begins ``openai:`` and goes back
    as the reasoning item it came in); other vendors' requests leave it out."""

    model_config = ConfigDict(frozen=True, defer_build=True)
    type: Literal["thinking"] = "thinking"
    thinking: str
    signature: str | None = None


class ToolCallPart(BaseModel):
    """A tool call the model made (part of an assistant message)."""

    model_config = ConfigDict(frozen=True, defer_build=True)
    type: Literal["tool_call"] = "tool_call"
    id: str
    name: str
    args: dict[str, Any]


class ToolResultPart(BaseModel):
    """The result of running a tool, sent back to the model."""

    model_config = ConfigDict(frozen=True, defer_build=True)
    type: Literal["tool_result"] = "tool_result"
    id: str
    name: str
    content: str
    is_error: bool = False


ContentPart: TypeAlias = (
    TextPart
    | ImagePart
    | ImageURLPart
    | AudioPart
    | AudioURLPart
    | DocumentPart
    | CacheControlPart
    | ThinkingPart
    | ToolCallPart
    | ToolResultPart
)


class BaseMessageParam(BaseModel):
    """One message of a conversation: a role and its content (text or parts)."""

    # schemas are built on first use, not at import (pydantic's build is most of the
    # import time for SDKs that do not load pydantic themselves)
    model_config = ConfigDict(defer_build=True)

    role: str
    content: str | Sequence[ContentPart]

    def text(self) -> str:
        """The message's text, with non-text parts left out."""
        if isinstance(self.content, str):
            return self.content
        return "".join(p.text for p in self.content if isinstance(p, TextPart))


VendorMessage: TypeAlias = object
"""A vendor's own message (a dict of its wire shape, or its SDK's message object): passed
through to the SDK untouched, so nothing reads it before narrowing it."""

MessagesType: TypeAlias = "str | BaseMessageParam | Sequence[BaseMessageParam | VendorMessage]"
"""What a prompt function may return: text, one message, or a list of messages (ours or
the vendor's own, which pass through untouched)."""

Role: TypeAlias = Literal["system", "user", "assistant", "tool"]


class Messages:
    """Builders for messages by role: ``Messages.User("...")``; ``Messages.Type`` is what a
    prompt function may return."""

    Type: TypeAlias = "MessagesType"

    @staticmethod
    def System(content: str | Sequence[ContentPart]) -> BaseMessageParam:  # noqa: N802
        """A system message."""
        return BaseMessageParam(role="system", content=content)

    @staticmethod
    def User(content: str | Sequence[ContentPart]) -> BaseMessageParam:  # noqa: N802
        """A user message."""
        return BaseMessageParam(role="user", content=content)

    @staticmethod
    def Assistant(content: str | Sequence[ContentPart]) -> BaseMessageParam:  # noqa: N802
        """An assistant message."""
        return BaseMessageParam(role="assistant", content=content)
