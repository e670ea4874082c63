"""OpenAI chat completions through the ``openai`` SDK."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable

import openai
from openai.types.chat import ChatCompletion, ChatCompletionChunk

from .._engine.records import Decoded, Delta
from .._formats.openai_chat import (
    ChatCompletionsAdapter,
    CompletionJSON,
    decode_completion,
    decode_completion_chunk,
)
from ..base._narrow import is_str_dict
from ..base.errors import MissingCredentialsError


class OpenAIAdapter(
    ChatCompletionsAdapter[openai.OpenAI, openai.AsyncOpenAI, ChatCompletion, ChatCompletionChunk]
):
    name = "openai"

    def default_client(self, *, is_async: bool) -> openai.OpenAI | openai.AsyncOpenAI:
        # the SDK's own sources for a client made with no arguments
        if not os.environ.get("OPENAI_API_KEY") and os.environ.get("OPENAI_ADMIN_KEY") is None:
            raise MissingCredentialsError(
                "openai's default client found no API key: set OPENAI_API_KEY (or "
                "OPENAI_ADMIN_KEY), or pass client=OpenAI(api_key=...) (AsyncOpenAI for "
                "async def) to the call"
            )
        return openai.AsyncOpenAI() if is_async else openai.OpenAI()

    client_names = "an openai.OpenAI or openai.AsyncOpenAI client (or their Azure variants)"

    def create(self, client: openai.OpenAI) -> Callable[..., object]:
        return client.chat.completions.create

    def create_async(self, client: openai.AsyncOpenAI) -> Callable[..., Awaitable[object]]:
        return client.chat.completions.create

    def completion_from_json(self, completion: CompletionJSON) -> ChatCompletion:
        return ChatCompletion.model_validate(completion)

    # an answer in audio (modalities=["text", "audio"]) has no text content: its
    # transcript is the text of the reply

    def decode_response(self, raw: ChatCompletion) -> Decoded:
        decoded = decode_completion(raw)
        if not decoded.content and raw.choices:
            audio = raw.choices[0].message.audio
            if audio is not None and audio.transcript:
                decoded.content = audio.transcript
        return decoded

    def decode_more(self, chunk: ChatCompletionChunk) -> Delta:
        delta = decode_completion_chunk(chunk)
        if not delta.content and chunk.choices:
            audio = audio_delta(chunk)
            transcript = audio.get("transcript") if audio else None
            if isinstance(transcript, str):
                delta.content = transcript
        return delta


def audio_delta(chunk: ChatCompletionChunk) -> dict[str, object] | None:
    """The audio piece of a chunk (an undeclared field, which the SDK keeps among the
    delta's own)."""
    if not chunk.choices:
        return None
    audio: object = vars(chunk.choices[0].delta).get("audio")
    if audio is None:
        return None
    # a model in SDK releases that declare it, a plain dict in those that do not
    return audio if is_str_dict(audio) else vars(audio)


ADAPTER = OpenAIAdapter()
