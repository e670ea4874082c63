"""LiteLLM: ``@litellm.call(model="gpt-4o-mini")`` through ``litellm.completion`` and
``litellm.acompletion``. Needs ``mirascope[litellm]``.

LiteLLM has no client object: ``client=`` is refused, and each model's provider is
configured through LiteLLM's own environment variables (for OpenAI models
``OPENAI_API_KEY`` and ``OPENAI_BASE_URL`` or ``OPENAI_API_BASE``).

Importing this module does not import litellm, which is slow to import and fetches its
model cost map from the network unless ``LITELLM_LOCAL_MODEL_COST_MAP`` is "True": the
first call imports it, after setting that variable to "True" if it is unset (so the
bundled cost map is used and no request leaves for it; set it to "False" beforehand to
keep LiteLLM's download)."""

import importlib.util

from .._engine.extras import missing_extra

if importlib.util.find_spec("litellm") is None:  # pragma: no cover - venv without the extra
    raise missing_extra("litellm", ImportError("No module named 'litellm'"))

from .._engine.decorator import CallFactory
from ._adapter import ADAPTER
from ._types import (
    AsyncLiteLLMDynamicConfig,
    LiteLLMCallParams,
    LiteLLMCallResponse,
    LiteLLMCallResponseChunk,
    LiteLLMDynamicConfig,
    LiteLLMStream,
    LiteLLMTool,
    NoClient,
)

# no params_type: litellm.completion takes **kwargs and hands each backend its own
# parameters, so unknown call params are litellm's to judge, not ours
call = CallFactory[LiteLLMCallResponse, LiteLLMStream, NoClient, LiteLLMCallParams](
    ADAPTER, LiteLLMCallResponse, LiteLLMStream
)
"""Decorate a prompt function to call any model LiteLLM reaches (there is no ``client``)."""

__all__ = [
    "AsyncLiteLLMDynamicConfig",
    "LiteLLMCallParams",
    "LiteLLMCallResponse",
    "LiteLLMCallResponseChunk",
    "LiteLLMDynamicConfig",
    "LiteLLMStream",
    "LiteLLMTool",
    "call",
]
