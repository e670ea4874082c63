"""Requests a vendor would not serve: a path it does not have (404) and a body that is not
JSON (400), answered with the vendor's own error body, so that the SDK raises its own
NotFound / BadRequest error. Such requests are recorded but leave the script alone."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from mirascope.testing import (
    Answer,
    FakeAnthropic,
    FakeAzure,
    FakeBedrock,
    FakeCohere,
    FakeGemini,
    FakeGoogle,
    FakeMistral,
    FakeOpenAI,
    FakeServer,
    FakeVertex,
    Reply,
)

Check = Callable[[httpx.Response], None]


def _openai_404(response: httpx.Response) -> None:
    path = response.request.url.path
    assert response.json() == {
        "error": {
            "message": f"Invalid URL ({response.request.method} {path})",
            "type": "invalid_request_error",
            "param": None,
            "code": "unknown_url",
        }
    }


def _openai_400(response: httpx.Response) -> None:
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert error["param"] is None and error["code"] is None
    assert "could not parse the JSON body" in error["message"]


def _anthropic(kind: str) -> Check:
    def check(response: httpx.Response) -> None:
        body = response.json()
        assert body["type"] == "error"
        assert body["error"]["type"] == kind and body["error"]["message"]
        assert body["request_id"] == response.headers["request-id"]

    return check


def _mistral_404(response: httpx.Response) -> None:
    assert response.json() == {"detail": "Not Found"}  # the router's, not the API's object


def _mistral_400(response: httpx.Response) -> None:
    body = response.json()
    assert body["object"] == "error" and body["type"] == "invalid_request_error"
    assert body["message"]


def _cohere(response: httpx.Response) -> None:
    body = response.json()
    assert set(body) == {"id", "message"} and body["message"]


def _azure(code: str) -> Check:
    def check(response: httpx.Response) -> None:
        error = response.json()["error"]
        assert error["code"] == code and error["message"]

    return check


def _google(status: str) -> Check:
    def check(response: httpx.Response) -> None:
        error = response.json()["error"]
        assert error["code"] == response.status_code
        assert error["status"] == status and error["message"]

    return check


def _bedrock(error_type: str) -> Check:
    def check(response: httpx.Response) -> None:
        # botocore takes the name from this header (up to the colon), the message from the body
        assert response.headers["x-amzn-ErrorType"].split(":")[0] == error_type
        assert response.json()["message"]

    return check


@dataclass
class Case:
    make: Callable[[], FakeServer]
    served: str
    """A path the fake serves (POST)."""
    unknown: str
    """A path of the vendor's API that the fake does not serve."""
    not_found: Check
    bad_json: Check


CASES = {
    "openai": Case(FakeOpenAI, "/v1/chat/completions", "/v1/embeddings", _openai_404, _openai_400),
    "openai.responses": Case(
        FakeOpenAI, "/v1/responses", "/v1/responses/compact", _openai_404, _openai_400
    ),
    "groq": Case(
        lambda: FakeOpenAI(groq=True),
        "/openai/v1/chat/completions",
        "/openai/v1/embeddings",
        _openai_404,
        _openai_400,
    ),
    "anthropic": Case(
        FakeAnthropic,
        "/v1/messages",
        "/v1/messages/count_tokens",
        _anthropic("not_found_error"),
        _anthropic("invalid_request_error"),
    ),
    "mistral": Case(
        FakeMistral,
        "/v1/chat/completions",
        "/v1/fim/completions",
        _mistral_404,
        _mistral_400,
    ),
    "cohere": Case(FakeCohere, "/v2/chat", "/v2/embed", _cohere, _cohere),
    "azure": Case(
        FakeAzure, "/chat/completions", "/embeddings", _azure("NotFound"), _azure("Bad Request")
    ),
    "gemini": Case(
        FakeGemini,
        "/v1beta/models/gemini-2.5-flash:generateContent",
        "/v1beta/models/gemini-2.5-flash:countTokens",
        _google("NOT_FOUND"),
        _google("INVALID_ARGUMENT"),
    ),
    "vertex": Case(
        FakeVertex,
        "/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-flash"
        ":generateContent",
        "/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-flash"
        ":countTokens",
        _google("NOT_FOUND"),
        _google("INVALID_ARGUMENT"),
    ),
    "google": Case(
        FakeGoogle,
        "/v1beta1/publishers/google/models/gemini-2.5-flash:streamGenerateContent",
        "/v1beta/models/gemini-2.5-flash:countTokens",
        _google("NOT_FOUND"),
        _google("INVALID_ARGUMENT"),
    ),
    "bedrock": Case(
        FakeBedrock,
        "/model/amazon.nova-lite-v1%3A0/converse",
        "/model/amazon.nova-lite-v1%3A0/invoke",
        _bedrock("UnknownOperationException"),
        _bedrock("SerializationException"),
    ),
}

_servers: dict[str, FakeServer] = {}


@pytest.fixture(scope="module", autouse=True)
def _stop_servers() -> Iterator[None]:
    yield
    for server in _servers.values():
        server.stop()
    _servers.clear()


def _server(name: str) -> FakeServer:
    if name not in _servers:
        _servers[name] = CASES[name].make().start()
    return _servers[name]


@pytest.fixture(params=sorted(CASES))
def case(request: pytest.FixtureRequest) -> tuple[Case, FakeServer]:
    server = _server(request.param)
    server.reset()
    return CASES[request.param], server


def test_unknown_path_is_a_404(case: tuple[Case, FakeServer]) -> None:
    spec, server = case
    response = httpx.post(server.url + spec.unknown, json={"model": "m"})
    assert response.status_code == 404
    spec.not_found(response)


def test_other_method_is_a_404(case: tuple[Case, FakeServer]) -> None:
    spec, server = case
    response = httpx.get(server.url + spec.served)
    assert response.status_code == 404
    spec.not_found(response)


@pytest.mark.parametrize("body", [b"{not json", b"", b"[1, 2]"], ids=["broken", "empty", "array"])
def test_body_not_a_json_object_is_a_400(case: tuple[Case, FakeServer], body: bytes) -> None:
    spec, server = case
    headers = {"Content-Type": "application/json"}
    response = httpx.post(server.url + spec.served, content=body, headers=headers)
    assert response.status_code == 400
    spec.bad_json(response)


def test_refusals_are_recorded_and_leave_the_script(case: tuple[Case, FakeServer]) -> None:
    spec, server = case
    server.enqueue(Reply(status=503, error_message="kept for the real call"))
    httpx.post(server.url + spec.unknown, json={})
    httpx.post(server.url + spec.served, content=b"{not json")
    response = httpx.post(server.url + spec.served, json={"messages": []})
    assert response.status_code == 503
    assert "kept for the real call" in response.text
    assert [r.path for r in server.requests] == [spec.unknown, spec.served, spec.served]


def test_a_raw_reply_answers_any_request(case: tuple[Case, FakeServer]) -> None:
    spec, server = case
    server.enqueue(Reply(raw=Answer(200, {"Content-Type": "text/plain"}, b"as recorded")))
    response = httpx.post(server.url + spec.unknown, content=b"{not json")
    assert (response.status_code, response.text) == (200, "as recorded")
    assert httpx.post(server.url + spec.unknown, json={}).status_code == 404


# -- the SDKs raise their own errors ------------------------------------------------------


def test_openai_sdk() -> None:
    import openai

    client = openai.OpenAI(base_url=_server("openai").url + "/v1", api_key="k", max_retries=0)
    with pytest.raises(openai.NotFoundError) as caught:
        client.post("/embeddings", body={"model": "gpt-4o-mini"}, cast_to=httpx.Response)
    assert caught.value.code == "unknown_url"
    with pytest.raises(openai.NotFoundError):
        client.models.list()
    with pytest.raises(openai.BadRequestError):
        client.post("/chat/completions", content=b"{not json", cast_to=httpx.Response)


def test_groq_sdk() -> None:
    import groq

    client = groq.Groq(base_url=_server("groq").url, api_key="k", max_retries=0)
    with pytest.raises(groq.NotFoundError):
        client.post("/openai/v1/embeddings", body={}, cast_to=httpx.Response)
    with pytest.raises(groq.BadRequestError):
        client.post("/openai/v1/chat/completions", content=b"{not", cast_to=httpx.Response)


def test_anthropic_sdk() -> None:
    import anthropic

    client = anthropic.Anthropic(base_url=_server("anthropic").url, api_key="k", max_retries=0)
    with pytest.raises(anthropic.NotFoundError) as caught:
        client.messages.count_tokens(
            model="claude-sonnet-4-20250514", messages=[{"role": "user", "content": "hi"}]
        )
    assert caught.value.type == "not_found_error"
    with pytest.raises(anthropic.BadRequestError):
        client.post("/v1/messages", content=b"{not json", cast_to=httpx.Response)


def test_mistral_sdk() -> None:
    from mistralai import Mistral, models

    client = Mistral(api_key="k", server_url=_server("mistral").url)
    with pytest.raises(models.SDKError) as caught:
        client.fim.complete(model="codestral-latest", prompt="def f():")
    assert caught.value.status_code == 404


def test_cohere_sdk() -> None:
    import cohere
    from cohere.errors import NotFoundError

    client = cohere.ClientV2(api_key="k", base_url=_server("cohere").url)
    with pytest.raises(NotFoundError) as caught:
        client.embed(texts=["hi"], model="embed-v4.0", input_type="search_document")
    assert caught.value.body["message"]


def test_azure_sdk() -> None:
    from azure.ai.inference import ChatCompletionsClient
    from azure.core.credentials import AzureKeyCredential
    from azure.core.exceptions import ResourceNotFoundError

    client = ChatCompletionsClient(_server("azure").url, AzureKeyCredential("k"))
    with pytest.raises(ResourceNotFoundError, match="Resource not found"):
        client.get_model_info()  # GET /info


def _google_rest_client(client_class: Any, name: str) -> Any:
    from google.auth.credentials import AnonymousCredentials

    options = {"api_endpoint": _server(name).url}
    return client_class(
        transport="rest", client_options=options, credentials=AnonymousCredentials()
    )


def test_gemini_and_vertex_sdks() -> None:
    from google.ai.generativelanguage_v1beta import GenerativeServiceClient
    from google.api_core.exceptions import NotFound
    from google.cloud.aiplatform_v1 import PredictionServiceClient

    gemini = _google_rest_client(GenerativeServiceClient, "gemini")
    with pytest.raises(NotFound, match="Method not found"):
        gemini.count_tokens(model="models/gemini-2.5-flash", contents=[])
    vertex = _google_rest_client(PredictionServiceClient, "vertex")
    with pytest.raises(NotFound, match="Method not found"):
        vertex.predict(endpoint="projects/p/locations/us-central1/endpoints/e", instances=[])


def test_google_genai_sdk() -> None:
    from google import genai
    from google.genai import errors

    backends: list[dict[str, Any]] = [{"api_key": "k"}, {"vertexai": True, "api_key": "k"}]
    for options in backends:
        client = genai.Client(**options, http_options={"base_url": _server("google").url})
        with pytest.raises(errors.ClientError, match="Method not found") as caught:
            client.models.count_tokens(model="gemini-2.5-flash", contents="hi")
        assert (caught.value.code, caught.value.status) == (404, "NOT_FOUND")
        client.close()


def test_bedrock_sdk() -> None:
    import boto3
    from botocore.exceptions import ClientError

    client: Any = boto3.client(
        "bedrock-runtime",
        endpoint_url=_server("bedrock").url,
        region_name="us-east-1",
        aws_access_key_id="AKIAFAKE",
        aws_secret_access_key="fake",
    )
    with pytest.raises(ClientError) as caught:
        client.invoke_model(modelId="amazon.nova-lite-v1:0", body=b"{}")
    error: Any = caught.value.response.get("Error")
    assert error["Code"] == "UnknownOperationException"
    assert caught.value.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404
