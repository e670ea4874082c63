"""Gemini through ``google-generativeai``'s ``GenerativeModel``; what it shares with Vertex
AI (the generateContent shape, the adapter around a ``GenerativeModel``) is in
``_formats/google_content.py``."""

from __future__ import annotations

import copy
import functools
import os
from collections.abc import Mapping
from typing import Any

import google.generativeai.client as genai_client
from google.generativeai import protos
from google.generativeai.generative_models import GenerativeModel
from google.generativeai.types import (
    AsyncGenerateContentResponse,
    GenerateContentResponse,
)
from google.generativeai.types.content_types import FunctionLibrary

from .._engine.adapter import DefaultModels, Request
from .._formats import google_content
from .._formats.google_content import GenerativeModelAdapter
from ..base._narrow import is_str_dict, is_str_mapping
from ..base.errors import MissingCredentialsError
from ..base.tool import BaseTool

Response = GenerateContentResponse | AsyncGenerateContentResponse


@functools.cache  # once per set of tools; shared, never mutated
def _library(tools: tuple[type[BaseTool], ...]) -> FunctionLibrary:
    declarations = [google_content.function_declaration(t) for t in tools]
    return FunctionLibrary(tools=[{"function_declarations": declarations}])


def _default_models(*, is_async: bool) -> DefaultModels[GenerativeModel]:
    if not is_async:
        return DefaultModels("gemini", GenerativeModel)
    service: object = None

    def make(name: str) -> GenerativeModel:
        # The SDK shares one async (gRPC) client per process, bound to the event loop that
        # first used it; default clients live per event loop (the engine keeps them so), so
        # the models of each get their own, made from the SDK's configuration.
        nonlocal service
        if service is None:
            # (make_client's parameter is untyped)
            manager: Any = genai_client._client_manager  # pyright: ignore[reportPrivateUsage]
            service = manager.make_client("generative_async")
        model = GenerativeModel(name)
        model._async_client = service  # pyright: ignore[reportPrivateUsage]
        return model

    return DefaultModels("gemini", make)


def _check_credentials() -> None:
    # the SDK's sources, as it would read them: what genai.configure() was given (it reads
    # the environment's key when it runs, and runs on the first request if never called),
    # then Application Default Credentials, which it would look for over the network
    manager = genai_client._client_manager  # pyright: ignore[reportPrivateUsage]
    config = manager.client_config
    env_key = os.environ.get("GEMINI_API_KEY") or os.environ.get("GOOGLE_API_KEY")
    if config:
        options: object = config.get("client_options")
        given = getattr(options, "api_key", None) or getattr(options, "credentials_file", None)
        if given or config.get("credentials") is not None:
            return
    elif env_key:
        return
    if google_content.google_default_credentials_found():
        return
    stale = (
        " (genai.configure() ran before it was set, and reads it only then: call "
        "genai.configure(api_key=...) again)"
        if config and env_key
        else ""
    )
    raise MissingCredentialsError(
        f"gemini's default client found no credentials: set GOOGLE_API_KEY{stale}, or "
        "call genai.configure(api_key=...), or set up Application Default Credentials "
        "(GOOGLE_APPLICATION_CREDENTIALS); a client passed to the call (a GenerativeModel) "
        "uses the same process-wide configuration"
    )


class GeminiAdapter(GenerativeModelAdapter[GenerativeModel, Response, GenerateContentResponse]):
    name = "gemini"
    client_names = "a google.generativeai.GenerativeModel"
    wrapped = "_result"
    decode_chunk, decode_text_chunk = google_content.text_first(wrapped)

    def default_client(self, *, is_async: bool) -> DefaultModels[GenerativeModel]:
        """One ``GenerativeModel(model)`` per model name, on the SDK's configuration
        (``GOOGLE_API_KEY`` or ``GEMINI_API_KEY``, ``genai.configure(...)``)."""
        _check_credentials()
        return _default_models(is_async=is_async)

    def model_of(self, client: object, model: str) -> str:
        if isinstance(client, GenerativeModel):
            return client.model_name.removeprefix("models/")
        return model

    def tools(self, tools: tuple[type[BaseTool], ...]) -> FunctionLibrary:
        return _library(tools)

    def with_system(
        self, model: GenerativeModel, system: list[google_content.PartDict], is_async: bool
    ) -> GenerativeModel:
        # a shallow copy keeps the caller's model (its settings and SDK clients)
        derived = copy.copy(model)
        derived._system_instruction = protos.Content(  # pyright: ignore[reportPrivateUsage]
            role=google_content.USER, parts=[protos.Part(p) for p in system]
        )
        return derived

    def call_params(self, params: Mapping[str, object]) -> Mapping[str, object]:
        tool_config = params.get("tool_config")
        if is_str_dict(tool_config):
            # the SDK rewrites a tool_config dict in place: leave the caller's as given
            return {**params, "tool_config": dict(tool_config)}
        return params

    def apply_timeout(self, request: Request, seconds: float) -> None:
        # generate_content's request_options: the gRPC (or REST) call's deadline
        kwargs: dict[str, object] = request["kwargs"]
        given = kwargs.get("request_options")
        options: dict[str, object] = dict(given) if is_str_mapping(given) else {}
        if options.get("timeout") is None:
            options["timeout"] = seconds
            kwargs["request_options"] = options

    def response_from_dict(self, response: google_content.ResponseDict, is_async: bool) -> Response:
        # ignore_unknown_fields: the response_id, which some versions of the API lack
        message = protos.GenerateContentResponse(response, ignore_unknown_fields=True)
        kind = AsyncGenerateContentResponse if is_async else GenerateContentResponse
        return kind.from_response(message)

    def close_client(self, client: GenerativeModel | DefaultModels[GenerativeModel]) -> None:
        """Sync default models use the SDK's shared client: nothing of theirs to close."""

    async def close_client_async(
        self, client: GenerativeModel | DefaultModels[GenerativeModel]
    ) -> None:
        """Close the async SDK client the default models of a closing event loop share."""
        from google.ai.generativelanguage import GenerativeServiceAsyncClient

        services: dict[int, GenerativeServiceAsyncClient] = {}
        for model in client.models() if isinstance(client, DefaultModels) else (client,):
            service: object = getattr(model, "_async_client", None)
            if isinstance(service, GenerativeServiceAsyncClient):
                services[id(service)] = service
        for service in services.values():
            await service.transport.close()


ADAPTER = GeminiAdapter()
