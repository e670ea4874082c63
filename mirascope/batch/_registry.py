"""Which providers have a batch API mirascope drives (a row per vendor: the module and
class of its steps, imported on first use), and for the others, why not and what to do.

Keyed by the adapter's name, like ``llm``'s registry: the adapters stay as they are, and
one that subclasses another (``ollama`` over OpenAI's) inherits no batch API its server
lacks. A new vendor adds a ``BatchVendor`` subclass and a row in ``VENDORS``."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from ._types import BatchUnsupportedError

if TYPE_CHECKING:
    from ..core._engine.adapter import AnyAdapter
    from ..core._engine.plan import CallSpec
    from ._vendor import BatchVendor

VENDORS: dict[str, tuple[str, str]] = {
    "openai": ("_openai", "OpenAIBatch"),
    "groq": ("_openai", "GroqBatch"),
    "anthropic": ("_anthropic", "AnthropicBatch"),
    "mistral": ("_mistral", "MistralBatch"),
    "litellm": ("_litellm", "LiteLLMBatch"),
    "google": ("_google", "GoogleBatch"),
}

UNSUPPORTED: dict[str, str] = {
    "gemini": (
        "mirascope's gemini provider runs on google-generativeai, which has no batch API. "
        "Batch Gemini models through the google provider (google-genai): decorate with "
        "@google.call('<model>') and batch that function"
    ),
    "vertex": (
        "Vertex AI batch prediction reads its requests from Cloud Storage or BigQuery and "
        "writes its results there; mirascope does not manage buckets or tables. The batch "
        "docs show the steps (google-cloud-aiplatform's BatchPredictionJob)"
    ),
    "bedrock": (
        "Bedrock batch inference (CreateModelInvocationJob) reads its records from S3 and "
        "writes its results to S3, under an IAM service role; mirascope does not manage "
        "buckets or roles. The batch docs show the steps (boto3's bedrock client)"
    ),
    "cohere": (
        "cohere's SDK has client.batches, which runs over an uploaded dataset "
        "(datasets.create(type='batch-chat-v2-input')) and writes an output dataset, but "
        "Cohere does not document the record format of either, so mirascope cannot read "
        "its results back into responses. Call the function concurrently instead (see the "
        "batch docs)"
    ),
    "azure": (
        "the Azure AI Inference SDK (azure-ai-inference) has no batch API. Azure OpenAI "
        "deployments have OpenAI's: decorate with @openai.call('<deployment>', "
        "client=AzureOpenAI(...)) and batch that function"
    ),
    "xai": (
        "mirascope does not drive a batch API for xAI yet: call the function "
        "concurrently, with a RateLimit"
    ),
}


def check_supported(adapter: AnyAdapter) -> None:
    """Refuse, before anything runs, a provider without a batch API mirascope drives."""
    if adapter.name in VENDORS:
        return
    reason = UNSUPPORTED.get(adapter.name, f"{adapter.name} has no batch API")
    raise BatchUnsupportedError(f"{adapter.name}: no batch jobs: {reason}")


def vendor_for(spec: CallSpec, client: object) -> BatchVendor:
    """The batch steps of the spec's vendor over ``client``."""
    check_supported(spec.adapter)
    module, name = VENDORS[spec.adapter.name]
    vendor_cls: type[BatchVendor] = getattr(
        importlib.import_module(f"{__package__}.{module}"), name
    )
    return vendor_cls(spec, client)
