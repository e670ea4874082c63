"""Vertex AI's Gemini models through ``vertexai.generative_models.GenerativeModel``; what
it shares with Gemini (the generateContent shape, the adapter around a
``GenerativeModel``) is in ``_formats/google_content.py``. Default models are made per
event loop for async calls (the engine keeps them so), as each keeps the async SDK client
it made."""

from __future__ import annotations

import copy
import functools
import os
from typing import Any

from vertexai.generative_models import (
    FunctionDeclaration,
    GenerationResponse,
    GenerativeModel,
    Image,
    Part,
    Tool,
)

# the base of vertexai's GenerativeModel and of its preview namespace's
from vertexai.generative_models._generative_models import _GenerativeModel  # pyright: ignore[reportPrivateUsage]

from .._engine.adapter import CallPlan, DefaultModels, Request
from .._formats import google_content
from .._formats.google_content import GenerativeModelAdapter
from ..base.errors import MissingCredentialsError
from ..base.tool import BaseTool

_PUBLISHER_PREFIX = "publishers/google/models/"


@functools.cache  # once per set of tools; shared, never mutated
def _tool_list(tools: tuple[type[BaseTool], ...]) -> list[Tool]:
    declarations: list[FunctionDeclaration] = []
    for tool in tools:
        declaration = google_content.function_declaration(tool)
        declarations.append(
            FunctionDeclaration(
                name=declaration["name"],
                description=declaration["description"],
                parameters=dict(declaration.get("parameters", {})),
            )
        )
    return [Tool(function_declarations=declarations)]


def _check_credentials() -> None:
    # the SDK's sources: vertexai.init(...), then Application Default Credentials (and the
    # project they name); the SDK would look for both over the network (the metadata
    # server) before failing, so what is knowable offline is checked first
    from google.cloud.aiplatform import initializer

    config: Any = initializer.global_config
    if config._api_key:  # express mode: a key alone
        return
    adc = google_content.google_default_credentials_found()
    if config._credentials is None and not adc:
        raise MissingCredentialsError(
            "vertex's default client found no credentials: set GOOGLE_APPLICATION_CREDENTIALS "
            "(a key file) or run `gcloud auth application-default login`, or call "
            "vertexai.init(project=..., credentials=...); a client passed to the call (a "
            "GenerativeModel) uses the same process-wide configuration"
        )
    project = (
        config._project
        or os.environ.get("GOOGLE_CLOUD_PROJECT")
        or os.environ.get("CLOUD_ML_PROJECT_ID")
    )
    if not project and not adc:
        raise MissingCredentialsError(
            "vertex's default client found no project: set GOOGLE_CLOUD_PROJECT, or call "
            "vertexai.init(project=...)"
        )


class _WithDeadline:
    """A vertexai prediction client whose content calls carry a deadline (the gapic
    methods' own ``timeout``); anything else is the client's."""

    __slots__ = ("_seconds", "_service")

    def __init__(self, service: Any, seconds: float) -> None:
        self._service = service
        self._seconds = seconds

    def generate_content(self, *args: object, **kwargs: object) -> object:
        return self._service.generate_content(*args, timeout=self._seconds, **kwargs)

    def stream_generate_content(self, *args: object, **kwargs: object) -> object:
        return self._service.stream_generate_content(*args, timeout=self._seconds, **kwargs)

    def __getattr__(self, name: str) -> object:
        return getattr(self._service, name)


class VertexAdapter(
    GenerativeModelAdapter[_GenerativeModel, GenerationResponse, GenerationResponse]
):
    name = "vertex"
    client_names = "a vertexai.generative_models.GenerativeModel"
    thoughts = True  # Vertex AI's Part has thought and thought_signature
    wrapped = "_raw_response"
    decode_chunk, decode_text_chunk = google_content.text_first(wrapped, thoughts)

    def default_client(self, *, is_async: bool) -> DefaultModels[_GenerativeModel]:
        """One ``GenerativeModel(model)`` per model name, on the SDK's configuration
        (``vertexai.init(...)``, ``GOOGLE_CLOUD_PROJECT``, Application Default Credentials)."""
        _check_credentials()
        return DefaultModels("vertex", GenerativeModel)

    def model_of(self, client: object, model: str) -> str:
        if isinstance(client, _GenerativeModel):
            name: str = client._model_name  # pyright: ignore[reportPrivateUsage]
            return name.removeprefix(_PUBLISHER_PREFIX)
        return model

    def tools(self, tools: tuple[type[BaseTool], ...]) -> list[Tool]:
        return _tool_list(tools)

    def with_system(
        self, model: _GenerativeModel, system: list[google_content.PartDict], is_async: bool
    ) -> _GenerativeModel:
        # a shallow copy keeps the caller's model (its settings); the model's SDK client is
        # made first (a cached property), so that the copy shares it rather than making one
        getattr(model, "_prediction_async_client" if is_async else "_prediction_client")
        derived = copy.copy(model)
        texts: list[str | Image | Part] = [p["text"] for p in system if "text" in p]
        derived._system_instruction = texts  # pyright: ignore[reportPrivateUsage]
        return derived

    def apply_timeout(self, request: Request, seconds: float) -> None:
        # generate_content takes no timeout: resolve_client gives the model one
        request["timeout"] = seconds

    def resolve_client(self, plan: CallPlan, request: Request) -> _GenerativeModel:
        model = super().resolve_client(plan, request)
        seconds = request.get("timeout")
        if seconds is None:
            return model
        # the deadline goes on the SDK's gRPC call, through a copy of the model whose
        # prediction client adds it (vertexai passes none of its own)
        name = "_prediction_async_client" if plan.is_async else "_prediction_client"
        service = getattr(model, name)  # made on the model (cached), so the copy shares it
        derived = copy.copy(model)
        vars(derived)[name] = _WithDeadline(service, seconds)
        return derived

    def forced_tool(self, name: str) -> object:
        from vertexai.generative_models import ToolConfig

        calling = ToolConfig.FunctionCallingConfig
        return ToolConfig(
            function_calling_config=calling(mode=calling.Mode.ANY, allowed_function_names=[name])
        )

    def generation_config(self, config: dict[str, Any]) -> object:
        # (the settings are GenerationConfig's keyword arguments, each typed its own way)
        from vertexai.generative_models import GenerationConfig

        return GenerationConfig(**config)

    def response_from_dict(
        self, response: google_content.ResponseDict, is_async: bool
    ) -> GenerationResponse:
        return GenerationResponse.from_dict(dict(response))

    def close_client(self, client: _GenerativeModel | DefaultModels[_GenerativeModel]) -> None:
        """Sync default models keep their SDK clients until the process ends."""

    async def close_client_async(
        self, client: _GenerativeModel | DefaultModels[_GenerativeModel]
    ) -> None:
        """Close the async SDK clients the default models of a closing event loop made."""
        for model in client.models() if isinstance(client, DefaultModels) else (client,):
            # a cached property: present only if the model made its async client
            if "_prediction_async_client" in vars(model):
                await model._close_async_client()  # pyright: ignore[reportPrivateUsage]


ADAPTER = VertexAdapter()
