"""LiteLLM through ``litellm.completion`` / ``litellm.acompletion`` (OpenAI's shape in and
out). The "client" is the litellm module itself, imported on the first call."""

from __future__ import annotations

import os
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

from .._engine.adapter import ClientKind
from .._engine.records import Delta
from .._formats.openai_chat import ChatCompletionsAdapter, chunk_delta, decode_completion_chunk

if TYPE_CHECKING:
    from litellm.types.utils import (  # pyright: ignore[reportMissingTypeStubs]
        ModelResponse,
        ModelResponseStream,
    )
else:  # litellm is not imported until the first call
    ModelResponse = ModelResponseStream = Any


def import_litellm() -> ModuleType:
    """Import litellm, offline: its bundled model cost map unless the user chose otherwise."""
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    import litellm

    return litellm


class LiteLLMAdapter(ChatCompletionsAdapter[ModelResponse, ModelResponseStream]):
    name = "litellm"
    custom_client = False

    def default_client(self, *, is_async: bool) -> ModuleType:
        # the engine keeps this per kind, so the slow import happens once
        return import_litellm()

    def client_kind(self, client: Any) -> ClientKind:
        return "both"

    def create(self, client: Any, *, is_async: bool) -> Callable[..., Any]:
        return client.acompletion if is_async else client.completion

    def close_client(self, client: Any) -> None:
        """Nothing to close: litellm keeps (and closes) its own HTTP clients."""

    def decode_chunk(self, chunk: ModelResponseStream) -> Delta:
        # LiteLLM keeps a chunk's choice and delta fields in pydantic extras, which an
        # attribute read reaches through pydantic's __getattr__ (~1 us each, several per
        # chunk, and a raised AttributeError for an absent usage): read the dicts instead
        fields: Any = chunk.__dict__
        choices: Any = fields.get("choices")
        extra: Any = chunk.__pydantic_extra__
        usage = fields.get("usage") or (extra.get("usage") if extra else None)
        extras: Any = choices[0].__pydantic_extra__ if choices else None
        if not isinstance(extras, dict):
            return decode_completion_chunk(chunk)
        choice = cast(dict[str, Any], extras)
        delta = choice.get("delta")
        parts: Any = getattr(delta, "__pydantic_extra__", None)
        if not parts or "content" not in parts or "tool_calls" not in parts:
            return decode_completion_chunk(chunk)  # another layout: read by attribute
        return chunk_delta(
            chunk, usage, choice.get("finish_reason"), parts.get("content"), parts.get("tool_calls")
        )


ADAPTER = LiteLLMAdapter()
