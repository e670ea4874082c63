"""LiteLLM through ``litellm.completion`` / ``litellm.acompletion`` (OpenAI's shape in and
out). The "client" is the litellm module itself, imported on the first call."""

from __future__ import annotations

import os
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Any

from .._engine.adapter import ClientKind
from .._formats.openai_chat import ChatCompletionsAdapter

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


ADAPTER = LiteLLMAdapter()
