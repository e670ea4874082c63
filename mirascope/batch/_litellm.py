"""LiteLLM's batch functions (``create_file``, ``create_batch``, ``retrieve_batch``,
``cancel_batch``, ``file_content`` and their ``a``-prefixed async twins), which speak
OpenAI's Batch API. mirascope drives them for models LiteLLM sends to OpenAI; its other
routes need cloud storage (Vertex AI, Bedrock) or have their own mirascope provider."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..core._engine.plan import CallSpec
from ._openai import FILENAME, OpenAIBatch
from ._types import BatchStatus, BatchUnsupportedError
from ._vendor import SDK_OPTIONS, Step, jsonl

ROUTES = frozenset({"openai"})
"""The backends whose batches mirascope sends through LiteLLM."""

ROUTING = ("api_key", "api_base", "base_url", "api_version", "organization")
"""Call params that say where and as whom to send: passed to every batch function."""

LITELLM_OPTIONS = frozenset(
    {*ROUTING, "custom_llm_provider", "num_retries", "max_retries", "timeout", "drop_params"}
)
"""Call params LiteLLM reads itself, which are no part of the request body."""


class LiteLLMBatch(OpenAIBatch):
    sdk_options = SDK_OPTIONS | LITELLM_OPTIONS

    def __init__(self, spec: CallSpec, client: Any) -> None:
        from ..core.litellm._adapter import import_litellm

        self.litellm = import_litellm()
        params = spec.call_params
        model, route, _, _ = self.litellm.get_llm_provider(
            model=spec.model,
            custom_llm_provider=params.get("custom_llm_provider"),
            api_base=params.get("api_base"),
        )
        if route not in ROUTES:
            raise BatchUnsupportedError(
                f"litellm: {spec.model!r} goes to {route}, and mirascope sends batches through "
                "LiteLLM only to OpenAI; batch it with mirascope's own provider for "
                f"{route} where it has one (see the batch docs)"
            )
        super().__init__(spec, client)
        self.route: str = route
        self.model: str = model
        """The model as the backend names it (LiteLLM's route prefix left out)."""
        self.options = {k: params[k] for k in ROUTING if k in params}

    @staticmethod
    def is_azure(client: Any) -> bool:
        return False

    def function(self, name: str) -> Callable[..., Any]:
        return getattr(self.litellm, f"a{name}" if self.is_async else name)

    def parse(self, body: dict[str, Any]) -> Any:
        return self.litellm.ModelResponse(**body)

    def body(self, request: Mapping[str, Any]) -> dict[str, Any]:
        body = super().body(request)
        body["model"] = self.model
        return body

    def submit(self, lines: list[Any], model: str) -> Step[BatchStatus]:
        where = {"custom_llm_provider": self.route, **self.options}
        upload = yield self.function("create_file")(
            file=(FILENAME, jsonl(lines)), purpose="batch", **where
        )
        job = yield self.function("create_batch")(
            completion_window="24h", endpoint=self.url, input_file_id=upload.id, **where
        )
        return self.status_of(job)

    def status(self, job_id: str) -> Step[BatchStatus]:
        where = {"custom_llm_provider": self.route, **self.options}
        return self.status_of((yield self.function("retrieve_batch")(batch_id=job_id, **where)))

    def cancel(self, job_id: str) -> Step[BatchStatus]:
        where = {"custom_llm_provider": self.route, **self.options}
        return self.status_of((yield self.function("cancel_batch")(batch_id=job_id, **where)))

    def file_bytes(self, file_id: str) -> Step[bytes]:
        where = {"custom_llm_provider": self.route, **self.options}
        content = yield self.function("file_content")(file_id=file_id, **where)
        return content.content
