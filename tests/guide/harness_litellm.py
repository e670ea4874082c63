from __future__ import annotations

from .harness_openai import OpenAIHarness


class LiteLLMHarness(OpenAIHarness):
    """litellm sends the guide's "gpt-4o-mini" to OpenAI's API at OPENAI_BASE_URL, so the
    OpenAI fake and environment serve; its first call imports litellm with
    LITELLM_LOCAL_MODEL_COST_MAP=True (no cost-map download)."""

    tab = "LiteLLM"
    module = "litellm"
    custom_client = False  # the guide: "Not Supported"
