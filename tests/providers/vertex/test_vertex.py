"""Vertex AI specifics: the REST transport, sync and async (``rest_asyncio``), the real
recorded response decoded, requests shaped as the recorded one, the preview namespace
(v1beta1), system instructions on a caller's model, errors."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest
import vertexai
from google.api_core import exceptions as google_exceptions
from google.auth.aio.credentials import StaticCredentials
from google.cloud.aiplatform import initializer
from google.oauth2.credentials import Credentials
from pydantic import BaseModel
from vertexai.generative_models import GenerativeModel
from vertexai.preview.generative_models import GenerativeModel as PreviewGenerativeModel

from mirascope.core import BaseTool, Messages, vertex
from mirascope.core._engine.clients import reset_default_clients
from mirascope.testing import Answer, FakeVertex, Reply, ToolCall
from mirascope.testing.google_genai import GRPC_ROOTS_VARIABLE

from ..._data import recording

MODEL_PATH = "projects/test-project/locations/us-central1/publishers/google/models"


class FormatBook(BaseTool):
    """Format a book."""

    title: str
    author: str


@pytest.fixture(scope="module")
def server() -> Iterator[FakeVertex]:
    with FakeVertex() as fake:
        yield fake  # type: ignore[misc]


def _init(endpoint: str, transport: str) -> None:
    vertexai.init(
        project="test-project",
        location="us-central1",
        api_endpoint=endpoint,
        api_transport=transport,
        credentials=Credentials(token="test-token"),
    )


@pytest.fixture
def rest(server: FakeVertex, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeVertex]:
    """The SDK on REST, async included: ``rest_asyncio`` wants async credentials of its own,
    which the SDK takes through ``initializer._set_async_rest_credentials`` (its warning says
    so; without them it falls back to gRPC)."""
    server.reset()
    _init(server.url, "rest")
    monkeypatch.setattr(initializer.global_config, "_async_rest_credentials", None)
    initializer._set_async_rest_credentials(StaticCredentials(token="test-token"))
    reset_default_clients()
    yield server
    reset_default_clients()


@pytest.fixture
def grpc(server: FakeVertex, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeVertex]:
    server.reset()
    monkeypatch.setenv(GRPC_ROOTS_VARIABLE, server.ca_file)
    _init(server.grpc_endpoint, "grpc")
    reset_default_clients()
    yield server
    reset_default_clients()


def test_rest_sync_and_async(rest: FakeVertex) -> None:
    @vertex.call("gemini-1.5-flash", tools=[FormatBook])
    def recommend(genre: str) -> str:
        return f"Recommend a {genre} book"

    @vertex.call("gemini-1.5-flash", stream=True)
    async def recommend_stream(genre: str) -> str:
        return f"Recommend a {genre} book"

    book = {"title": "Dune", "author": "Frank Herbert"}
    rest.enqueue(Reply(tool_calls=[ToolCall("FormatBook", book)]))
    tool = recommend("scifi").tool
    assert isinstance(tool, FormatBook) and tool.args == book

    async def consume() -> tuple[Any, list[str]]:
        stream = await recommend_stream("fantasy")
        return stream, [chunk.content async for chunk, _ in stream]

    stream, pieces = asyncio.run(consume())
    assert pieces == ["Recommend", " a", " fantasy", " book"]
    assert stream.finish_reasons == ["STOP"] and stream.output_tokens == 4
    paths = [r.path for r in rest.requests]
    assert paths[0].startswith(f"/v1/{MODEL_PATH}/gemini-1.5-flash:generateContent?")
    assert paths[1].startswith(f"/v1/{MODEL_PATH}/gemini-1.5-flash:streamGenerateContent?")
    assert all(r.headers["authorization"] == "Bearer test-token" for r in rest.requests)


def _recorded() -> dict[str, Any]:
    import yaml  # a dev dependency: missing, the test fails rather than skips

    path = recording("vertex", "pydantic_ai__test_google_model_vertex_provider.yaml")
    return yaml.safe_load(path.read_text())["interactions"][0]


@pytest.mark.parametrize("transport", ["rest", "grpc"])
def test_recorded_response_decodes(request: pytest.FixtureRequest, transport: str) -> None:
    server: FakeVertex = request.getfixturevalue(transport)
    interaction = _recorded()
    recorded = interaction["response"]["parsed_body"]
    body = json.dumps(recorded).encode()
    server.enqueue(Reply(raw=Answer(200, {"Content-Type": "application/json"}, body)))
    question = interaction["request"]["parsed_body"]

    @vertex.call("gemini-2.0-flash")
    def ask() -> Messages.Type:
        return [
            Messages.System(question["systemInstruction"]["parts"][0]["text"]),
            Messages.User(question["contents"][0]["parts"][0]["text"]),
        ]

    response = ask()
    assert response.content == recorded["candidates"][0]["content"]["parts"][0]["text"]
    assert response.input_tokens == recorded["usageMetadata"]["promptTokenCount"]
    assert response.output_tokens == recorded["usageMetadata"]["candidatesTokenCount"]
    assert response.finish_reasons == ["STOP"]
    assert response.model == recorded["modelVersion"]
    assert response.id == recorded["responseId"]
    sent = server.requests[-1].json
    # the request we send is the recorded one (the SDK adds an empty generationConfig there)
    assert sent["contents"] == question["contents"]
    assert sent["systemInstruction"] == question["systemInstruction"]


def test_preview_models_use_v1beta1(grpc: FakeVertex) -> None:
    model = PreviewGenerativeModel("gemini-1.5-pro")
    response = vertex.call("", client=model)(lambda: "hello")()
    assert response.content == "hello" and response.model == "gemini-1.5-pro"
    assert (
        grpc.requests[-1].path
        == "/google.cloud.aiplatform.v1beta1.PredictionService/GenerateContent"
    )
    assert grpc.requests[-1].json["model"] == f"{MODEL_PATH}/gemini-1.5-pro"


def test_system_instruction_on_a_callers_model(grpc: FakeVertex) -> None:
    model = GenerativeModel("gemini-1.5-pro", generation_config={"temperature": 0.1})

    @vertex.call("", client=model)
    async def librarian(genre: str) -> Messages.Type:
        return [Messages.System("You are a librarian."), Messages.User(f"A {genre} book?")]

    assert asyncio.run(librarian("fantasy")).content == "A fantasy book?"
    body = grpc.requests[-1].json
    assert body["systemInstruction"]["parts"] == [{"text": "You are a librarian."}]
    assert body["generationConfig"]["temperature"] == pytest.approx(0.1)
    assert model._system_instruction is None  # the caller's model is left as it was
    # the copy that carried the instruction used the model's own SDK client
    assert "_prediction_async_client" in vars(model)


def test_errors_are_the_sdks(rest: FakeVertex) -> None:
    rest.enqueue(Reply(status=400, error_message="bad request, scripted"))
    with pytest.raises(google_exceptions.BadRequest, match="bad request, scripted"):
        vertex.call("gemini-1.5-flash")(lambda: "hi")()


class Author(BaseModel):
    name: str
    born: int | None = None


class Shelve(BaseTool):
    """Put a book on a shelf."""

    author: Author
    titles: list[str]


class NoArguments(BaseTool):
    """Ring the bell."""


def test_the_sdk_accepts_the_declarations(grpc: FakeVertex) -> None:
    vertex.call("gemini-1.5-flash", tools=[Shelve, NoArguments])(lambda: "hi")()
    declarations = grpc.requests[-1].json["tools"][0]["functionDeclarations"]
    assert [d["name"] for d in declarations] == ["Shelve", "NoArguments"]
    author = declarations[0]["parameters"]["properties"]["author"]
    assert author["properties"]["born"] == {"type": "INTEGER", "nullable": True}
