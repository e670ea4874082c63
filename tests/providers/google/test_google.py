"""Google (google-genai) specifics: real recorded exchanges replayed through the SDK and the
requests rebuilt as the real client sent them, default clients that outlive the garbage
collector, Vertex AI mode (a project's paths and express mode), the config mapping,
thoughts, call ids, streams opened at the call, and the async default's aiohttp errors."""

from __future__ import annotations

import asyncio
import copy
import gc
import gzip
import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from google import genai
from google.genai import errors, types
from google.oauth2.credentials import Credentials

from mirascope.core import (
    BaseTool,
    ClientKindError,
    EmptyPromptError,
    Messages,
    MissingCredentialsError,
    ToolArgumentsError,
    google,
    reset_default_clients,
)
from mirascope.core._engine.clients import default_clients_created
from mirascope.core._engine.records import Delta
from mirascope.core.base.messages import BaseMessageParam, TextPart, ThinkingPart
from mirascope.core.base.usage import Usage
from mirascope.core.google._adapter import ADAPTER as GOOGLE
from mirascope.testing import Answer, FakeGoogle, Reply, ToolCall

from ..._data import recording

MODEL = "gemini-2.5-flash"
SECRET_PROMPT = (
    "Please retrieve the secrets associated with each of these passwords: mellon,radiance"
)
_ENVIRONMENT = (
    "GOOGLE_API_KEY",
    "GEMINI_API_KEY",
    "GOOGLE_GENAI_USE_VERTEXAI",
    "GOOGLE_GENAI_USE_ENTERPRISE",
    "GOOGLE_CLOUD_PROJECT",
    "GOOGLE_CLOUD_LOCATION",
    "GOOGLE_GEMINI_BASE_URL",
    "GOOGLE_VERTEX_BASE_URL",
)


def secret_retrieval_tool(password: str) -> str:
    """A tool that requires a password to retrieve a secret."""
    return {"mellon": "Welcome to Moria!", "radiance": "Life before Death"}[password]


class FormatBook(BaseTool):
    """Format a book."""

    title: str
    author: str


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeGoogle]:
    with FakeGoogle() as server:
        yield server  # type: ignore[misc]


@pytest.fixture
def server(fake: FakeGoogle, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGoogle]:
    """The fake, with the default client pointed at it (the Gemini API)."""
    fake.reset()
    for name in _ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GOOGLE_API_KEY", "test-key")
    monkeypatch.setenv("GOOGLE_GEMINI_BASE_URL", fake.url)
    reset_default_clients()
    yield fake
    reset_default_clients()


def _path(server: FakeGoogle, n: int = -1) -> str:
    return server.requests[n].path.split("?", 1)[0]


# -- recorded real exchanges (google-genai 1.31 against the Gemini API) ---------------------


def _recorded(name: str) -> list[dict[str, Any]]:
    import yaml  # a dev dependency: missing, the test fails rather than skips

    out: list[dict[str, Any]] = []
    for interaction in yaml.safe_load(recording("gemini", name).read_text())["interactions"]:
        body = interaction["response"]["body"]["string"]
        if isinstance(body, bytes):
            body = gzip.decompress(body).decode()
        request = interaction["request"]
        out.append({"uri": request["uri"], "request": json.loads(request["body"]), "body": body})
    return out


def _sse_objects(body: str) -> list[dict[str, Any]]:
    return [json.loads(b.strip()[len("data:") :]) for b in body.split("\r\n\r\n") if b.strip()]


def _expected(objects: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]], dict[str, Any]]:
    text, calls = "", []
    for o in objects:
        for part in o["candidates"][0]["content"]["parts"]:
            text += part.get("text", "")
            if "functionCall" in part:
                calls.append(part["functionCall"]["args"])
    return text, calls, objects[-1]["usageMetadata"]


@pytest.mark.parametrize(
    "name", ["mirascope_v2__test_call__sync.yaml", "mirascope_v2__test_call_with_tools__sync.yaml"]
)
@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_recorded_responses_decode(server: FakeGoogle, name: str, is_async: bool) -> None:
    for exchange in _recorded(name):
        answer = Answer(200, {"Content-Type": "application/json"}, exchange["body"].encode())
        server.enqueue(Reply(raw=answer))
        if is_async:

            async def call_async() -> str:
                return "replay"

            fn = google.call(MODEL, tools=[secret_retrieval_tool])(call_async)
            response = asyncio.run(fn())
        else:

            def call() -> str:
                return "replay"

            response = google.call(MODEL, tools=[secret_retrieval_tool])(call)()
        recorded = json.loads(exchange["body"])
        text, calls, usage = _expected([recorded])
        assert response.content == text
        assert response.input_tokens == usage["promptTokenCount"]
        assert response.output_tokens == usage["candidatesTokenCount"]
        assert response.finish_reasons == [recorded["candidates"][0]["finishReason"]]
        assert response.model == recorded["modelVersion"]
        assert response.id == recorded["responseId"]
        assert [t.args for t in response.tools or []] == calls
        assert [t.call() for t in response.tools or []] == [
            secret_retrieval_tool(**c) for c in calls
        ]


@pytest.mark.parametrize(
    "name",
    ["mirascope_v2__test_call__stream.yaml", "mirascope_v2__test_call_with_tools__stream.yaml"],
)
def test_recorded_streams_decode(server: FakeGoogle, name: str) -> None:
    for exchange in _recorded(name):
        objects = _sse_objects(exchange["body"])
        events = [exchange["body"].encode()]
        answer = Answer(200, {"Content-Type": "text/event-stream"}, events=events)
        server.enqueue(Reply(raw=answer))

        @google.call(MODEL, stream=True, tools=[secret_retrieval_tool])
        def call() -> str:
            return "replay"

        stream = call()
        pairs = list(stream)
        text, calls, usage = _expected(objects)
        assert stream.content == text
        texts = [_expected([o])[0] for o in objects]
        assert [c.content for c, _ in pairs if c.content] == [t for t in texts if t]
        assert [t.args for _, t in pairs if t is not None] == calls
        assert stream.output_tokens == usage["candidatesTokenCount"]
        assert stream.finish_reasons == ["STOP"]
        assert server.requests[-1].path.endswith(":streamGenerateContent?alt=sse")


def _without_titles(value: Any) -> Any:
    # pydantic's property titles, which the recorded client sent and mirascope leaves out
    if isinstance(value, dict):
        return {k: _without_titles(v) for k, v in value.items() if k != "title"}
    if isinstance(value, list):
        return [_without_titles(v) for v in value]
    return value


@pytest.mark.parametrize("history_from", ["sdk_content", "message_param"])
def test_requests_match_the_recorded_real_ones(server: FakeGoogle, history_from: str) -> None:
    """The recorded tool conversation, rebuilt: each request we send is the one the real
    client sent. The model's turn goes back as the SDK's own content or as the neutral
    ``message_param``, thought signature included either way (Gemini 3 requires it)."""
    first, second = _recorded("mirascope_v2__test_call_with_tools__sync.yaml")
    history: list[Any] = [
        Messages.System("Use parallel tool calling."),
        Messages.User(SECRET_PROMPT),
    ]

    @google.call(MODEL, tools=[secret_retrieval_tool])
    def call(history: list[Any]) -> google.GoogleDynamicConfig:
        return {"messages": history}

    server.enqueue(Reply(raw=Answer(200, {}, first["body"].encode())), Reply(text="done"))
    response = call(history)
    tools = response.tools or []
    assert [t.args for t in tools] == [{"password": "mellon"}, {"password": "radiance"}]
    model_turn: Any = response.message_param
    if history_from == "sdk_content":
        candidates = response.response.candidates
        assert candidates is not None
        model_turn = candidates[0].content
    history += [model_turn, *response.tool_message_params([(t, t.call()) for t in tools])]
    call(history)
    for sent, recorded in zip(server.requests, (first["request"], second["request"]), strict=True):
        assert sent.path == f"/v1beta/models/{MODEL}:generateContent"
        assert _without_titles(sent.json) == _without_titles(recorded)


# -- clients and the garbage collector --------------------------------------------------------


def test_default_client_survives_the_garbage_collector(server: FakeGoogle) -> None:
    """google-genai closes a Client's connections when the Client is collected: the default
    client is the Client itself, kept, so calls after a collection still work (keeping
    only what it hands out, ``client.models``, would not)."""

    @google.call(MODEL)
    def recommend(genre: str) -> str:
        return f"Recommend a {genre} book"

    first = recommend("fantasy")
    gc.collect()
    second = recommend("mystery")
    assert first.content == "Recommend a fantasy book"
    assert second.content == "Recommend a mystery book"
    assert second.plan.client is first.plan.client
    assert isinstance(first.plan.client, genai.Client)
    # the trap this avoids, for the record: the SDK's own behaviour
    models = genai.Client().models
    gc.collect()
    with pytest.raises(RuntimeError, match="client has been closed"):
        models.generate_content(model=MODEL, contents="hi")


def test_async_default_client_survives_the_garbage_collector(server: FakeGoogle) -> None:
    @google.call(MODEL)
    async def recommend(genre: str) -> str:
        return f"Recommend a {genre} book"

    async def main() -> list[str]:
        first = await recommend("fantasy")
        gc.collect()
        second = await recommend("mystery")
        assert second.plan.client is first.plan.client
        return [first.content, second.content]

    assert asyncio.run(main()) == ["Recommend a fantasy book", "Recommend a mystery book"]


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_a_client_made_per_call_lives_while_its_stream_runs(
    server: FakeGoogle, is_async: bool
) -> None:
    """A Client made inside the prompt function is referenced by nothing of the caller's:
    the call keeps it until its stream is done, collections mid-stream notwithstanding."""
    server.enqueue(Reply(text="one two three four five"))
    options: dict[str, Any] = {"api_key": "per-call", "http_options": {"base_url": server.url}}

    def config() -> google.GoogleDynamicConfig:
        return {"messages": [Messages.User("hi")], "client": genai.Client(**options)}

    async def config_async() -> google.AsyncGoogleDynamicConfig:
        return {"messages": [Messages.User("hi")], "client": genai.Client(**options)}

    if is_async:
        fn = google.call(MODEL, stream=True)(config_async)

        async def consume() -> list[str]:
            stream = await fn()
            out: list[str] = []
            async for chunk, _ in stream:
                gc.collect()
                out.append(chunk.content)
            await stream.plan.client.aio.aclose()
            return out

        texts = asyncio.run(consume())
    else:
        stream = google.call(MODEL, stream=True)(config)()
        texts = []
        for chunk, _ in stream:
            gc.collect()
            texts.append(chunk.content)
    assert "".join(texts) == "one two three four five"
    assert server.requests[-1].headers["x-goog-api-key"] == "per-call"
    assert not default_clients_created("google")


def test_client_kinds(server: FakeGoogle) -> None:
    client = genai.Client(api_key="k", http_options={"base_url": server.url})
    with pytest.raises(ClientKindError, match=r"sync function \(def\).*AsyncClient"):

        @google.call(MODEL, client=client.aio)
        def recommend(genre: str) -> str:
            return f"Recommend a {genre} book"

    @google.call(MODEL, client=client)  # a Client serves async def through its .aio
    async def recommend_async(genre: str) -> str:
        return f"Recommend a {genre} book"

    async def main() -> str:
        try:
            return (await recommend_async("fantasy")).content
        finally:
            await client.aio.aclose()

    assert asyncio.run(main()) == "Recommend a fantasy book"
    client.close()


# -- Vertex AI ------------------------------------------------------------------------------

VERTEX_PATH = f"/v1beta1/projects/p/locations/us-central1/publishers/google/models/{MODEL}"


def _vertex_client(server: FakeGoogle) -> genai.Client:
    return genai.Client(
        vertexai=True,
        project="p",
        location="us-central1",
        credentials=Credentials(token="vertex-token"),
        http_options={"base_url": server.url},
    )


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_vertex_project_paths(server: FakeGoogle, is_async: bool) -> None:
    client = _vertex_client(server)
    book = {"title": "Dune", "author": "Frank Herbert"}
    server.enqueue(
        Reply(text="Hello"),
        Reply(text="one two three"),
        Reply(tool_calls=[ToolCall("FormatBook", book)]),
    )
    if is_async:
        call = google.call(MODEL, client=client)
        stream = google.call(MODEL, client=client, stream=True)
        tool = google.call(MODEL, client=client, tools=[FormatBook])

        async def prompt_async() -> str:
            return "hi"

        async def main() -> tuple[str, str, Any]:
            try:
                answer = (await call(prompt_async)()).content
                streamed = await stream(prompt_async)()
                async for _ in streamed:
                    pass
                return answer, streamed.content, (await tool(prompt_async)()).tool
            finally:
                await client.aio.aclose()

        answer, streamed_text, made = asyncio.run(main())
    else:

        def prompt() -> str:
            return "hi"

        answer = google.call(MODEL, client=client)(prompt)().content
        streamed = google.call(MODEL, client=client, stream=True)(prompt)()
        streamed_text = "".join(c.content for c, _ in streamed)
        made = google.call(MODEL, client=client, tools=[FormatBook])(prompt)().tool
    client.close()
    assert (answer, streamed_text) == ("Hello", "one two three")
    assert isinstance(made, FormatBook) and made.title == "Dune"
    assert [_path(server, n) for n in range(3)] == [
        f"{VERTEX_PATH}:generateContent",
        f"{VERTEX_PATH}:streamGenerateContent",
        f"{VERTEX_PATH}:generateContent",
    ]
    assert {r.headers["authorization"] for r in server.requests} == {"Bearer vertex-token"}


def test_vertex_express_mode_default_client(
    server: FakeGoogle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``GOOGLE_GENAI_USE_VERTEXAI=true`` with an API key alone: express mode, whose path
    names no project."""
    monkeypatch.setenv("GOOGLE_GENAI_USE_VERTEXAI", "true")
    monkeypatch.setenv("GOOGLE_VERTEX_BASE_URL", server.url)
    reset_default_clients()

    @google.call(MODEL)
    def recommend(genre: str) -> str:
        return f"Recommend a {genre} book"

    response = recommend("fantasy")
    assert response.content == "Recommend a fantasy book"
    assert response.plan.client.vertexai is True
    assert _path(server) == f"/v1beta1/publishers/google/models/{MODEL}:generateContent"
    assert server.requests[-1].headers["x-goog-api-key"] == "test-key"


def test_vertex_mode_without_credentials(
    server: FakeGoogle, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    from google.auth.compute_engine import _metadata

    monkeypatch.setattr(_metadata, "detect_gce_residency_linux", lambda: False)
    monkeypatch.setenv("HOME", str(tmp_path))  # no gcloud ADC file
    monkeypatch.delenv("CLOUDSDK_CONFIG", raising=False)
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    monkeypatch.delenv("GOOGLE_API_KEY")
    monkeypatch.setenv("GOOGLE_GENAI_USE_VERTEXAI", "1")
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "p")

    @google.call(MODEL)
    def recommend(genre: str) -> str:
        return f"Recommend a {genre} book"

    with pytest.raises(MissingCredentialsError) as info:
        recommend("fantasy")
    message = str(info.value)
    assert "GOOGLE_GENAI_USE_VERTEXAI" in message and "GOOGLE_APPLICATION_CREDENTIALS" in message
    assert "genai.Client(vertexai=True" in message
    assert not server.requests


def test_vertex_keeps_what_a_malformed_call_wrote(server: FakeGoogle) -> None:
    """Arguments that are not JSON: the API answers MALFORMED_FUNCTION_CALL, quoting what the
    model wrote in ``finishMessage``, which google-genai keeps from Vertex AI (and drops
    from the Gemini API: see the fault matrix)."""
    client = _vertex_client(server)
    server.enqueue(Reply(tool_calls=[ToolCall("FormatBook", '{"title": "Dune", ')]))
    response = google.call(MODEL, client=client, tools=[FormatBook])(lambda: "hi")()
    client.close()
    assert response.finish_reasons == ["MALFORMED_FUNCTION_CALL"]
    with pytest.raises(ToolArgumentsError) as info:
        _ = response.tool
    assert info.value.tool_name == "FormatBook"
    assert info.value.raw == 'call:default_api:FormatBook{"title": "Dune",'


# -- the request -----------------------------------------------------------------------------


def test_config_dict_with_system_and_tools(server: FakeGoogle) -> None:
    config: types.GenerateContentConfigDict = {
        "temperature": 0.2,
        "system_instruction": "replaced by the prompt's",
        "tools": [{"google_search": {}}],
    }
    before = copy.deepcopy(config)

    @google.call(MODEL, tools=[FormatBook], call_params={"config": config})
    def recommend(genre: str) -> Messages.Type:
        return [Messages.System("Be brief."), Messages.User(f"Recommend a {genre} book")]

    recommend("fantasy")
    body = server.requests[-1].json
    assert body["systemInstruction"] == {"role": "user", "parts": [{"text": "Be brief."}]}
    assert body["generationConfig"] == {"temperature": 0.2}
    assert body["tools"][0] == {"googleSearch": {}}
    assert body["tools"][1]["functionDeclarations"][0]["name"] == "FormatBook"
    assert config == before  # the caller's dict is left as it was


def test_config_object(server: FakeGoogle) -> None:
    config = types.GenerateContentConfig(max_output_tokens=50, stop_sequences=["END"])

    @google.call(MODEL, tools=[FormatBook], call_params={"config": config})
    def recommend(genre: str) -> str:
        return f"Recommend a {genre} book"

    recommend("fantasy")
    recommend("mystery")  # the same object, still untouched
    body = server.requests[-1].json
    assert body["generationConfig"] == {"maxOutputTokens": 50, "stopSequences": ["END"]}
    assert [t["functionDeclarations"][0]["name"] for t in body["tools"]] == ["FormatBook"]
    assert config.tools is None and config.system_instruction is None

    @google.call(MODEL, call_params={"config": config})
    def plain(genre: str) -> str:
        return f"Recommend a {genre} book"

    plain("fantasy")  # nothing to add: the object goes as it is
    assert server.requests[-1].json["generationConfig"] == {
        "maxOutputTokens": 50,
        "stopSequences": ["END"],
    }
    assert "tools" not in server.requests[-1].json


def test_a_prompt_of_system_messages_only(server: FakeGoogle) -> None:
    @google.call(MODEL)
    def only_system() -> Messages.Type:
        return [Messages.System("You are terse.")]

    with pytest.raises(EmptyPromptError, match="google: the prompt holds only a system message"):
        only_system()
    assert not server.requests


# -- the answer ------------------------------------------------------------------------------


def _answer(*parts: dict[str, Any], finish: str = "STOP") -> Reply:
    body = {
        "candidates": [
            {"content": {"role": "model", "parts": list(parts)}, "finishReason": finish}
        ],
        "usageMetadata": {
            "promptTokenCount": 5,
            "candidatesTokenCount": 3,
            "cachedContentTokenCount": 2,
            "thoughtsTokenCount": 9,
        },
        "modelVersion": MODEL,
        "responseId": "r-1",
    }
    return Reply(raw=Answer(200, {"Content-Type": "application/json"}, json.dumps(body).encode()))


def test_thoughts_are_not_the_answer(server: FakeGoogle) -> None:
    server.enqueue(_answer({"text": "Let me think...", "thought": True}, {"text": "Hoot"}))
    response = google.call(MODEL)(lambda: "Name an owl")()
    assert response.content == "Hoot"
    assert (response.input_tokens, response.output_tokens) == (5, 3)
    assert response.cached_tokens == 2


SIGNATURE = "c2lnbmF0dXJlIG9mIGdlbWluaQ=="  # base64, as the API writes thoughtSignature


def test_thought_summaries_and_signatures_make_the_round_trip(server: FakeGoogle) -> None:
    """A thought summary (``include_thoughts``) is the response's reasoning; the signature
    on the answer's last part goes back on that part, the summary as the thought it was."""
    thought = {"text": "Owls are nocturnal.", "thought": True}
    server.enqueue(_answer(thought, {"text": "Hoot", "thoughtSignature": SIGNATURE}))

    config = types.GenerateContentConfig(
        thinking_config=types.ThinkingConfig(include_thoughts=True)
    )

    @google.call(MODEL, call_params={"config": config})
    def chat(history: list[Any]) -> google.GoogleDynamicConfig:
        return {"messages": history}

    response = chat([Messages.User("Name an owl")])
    assert response.content == "Hoot" and response.thinking == "Owls are nocturnal."
    assert response.message_param == BaseMessageParam(
        role="assistant",
        content=[
            ThinkingPart(thinking="Owls are nocturnal.", signature="google:" + SIGNATURE),
            TextPart(text="Hoot"),
        ],
    )
    # the SDK writes the nested config's fields by their proto names, which the API takes
    assert server.requests[0].json["generationConfig"]["thinkingConfig"] == {
        "include_thoughts": True
    }
    chat([Messages.User("Name an owl"), response.message_param, Messages.User("Another")])
    assert server.requests[-1].json["contents"][1] == {
        "role": "model",
        "parts": [thought, {"text": "Hoot", "thoughtSignature": SIGNATURE}],
    }


@pytest.mark.parametrize("stream", [False, True], ids=["call", "stream"])
def test_a_signature_without_a_summary_goes_back_on_its_call(
    server: FakeGoogle, stream: bool
) -> None:
    """Gemini 3 signs its function calls whether or not it sends thoughts: the reasoning is
    then empty, and the signature goes back on the call it came on (the first)."""
    calls = [
        {"functionCall": {"name": "FormatBook", "args": {"title": "Dune", "author": "Herbert"}}},
        {"functionCall": {"name": "FormatBook", "args": {"title": "Emma", "author": "Austen"}}},
    ]
    server.enqueue(_answer({**calls[0], "thoughtSignature": SIGNATURE}, calls[1]))

    def prompt(history: list[Any]) -> google.GoogleDynamicConfig:
        return {"messages": history}

    chat: Any = google.call(MODEL, tools=[FormatBook], stream=stream)(prompt)
    history: list[Any] = [Messages.User("Two books?")]
    if stream:
        response = chat(history)
        list(response)
        turn = response.message_param
        assert response.thinking == ""
        constructed = response.construct_call_response().response.candidates[0].content
        assert constructed.parts[0].thought_signature == b"signature of gemini"
        assert constructed.parts[1].thought_signature is None
    else:
        response = chat(history)
        turn = response.message_param
        assert response.thinking == ""
        tools = response.tools
        assert [t.title for t in tools] == ["Dune", "Emma"]
    assert turn.content[0] == ThinkingPart(thinking="", signature="google:" + SIGNATURE)
    server.enqueue(Reply(text="Enjoy."))
    google.call(MODEL, tools=[FormatBook])(lambda h: {"messages": h})([*history, turn])
    assert server.requests[-1].json["contents"][1]["parts"] == [
        {**calls[0], "thoughtSignature": SIGNATURE},
        calls[1],
    ]


def test_function_call_ids_go_back_with_their_results(server: FakeGoogle) -> None:
    call = {"id": "call-7", "name": "FormatBook", "args": {"title": "Dune", "author": "Herbert"}}
    server.enqueue(_answer({"functionCall": call}), Reply(text="Enjoy."))

    @google.call(MODEL, tools=[FormatBook])
    def chat(history: list[Any]) -> google.GoogleDynamicConfig:
        return {"messages": history}

    history: list[Any] = [Messages.User("A book?")]
    response = chat(history)
    tool = response.tool
    assert isinstance(tool, FormatBook) and tool.tool_call_id == "call-7"
    history += [response.message_param, *response.tool_message_params([(tool, "Dune")])]
    assert chat(history).content == "Enjoy."
    contents = server.requests[-1].json["contents"]
    assert contents[1]["parts"][0]["functionCall"]["id"] == "call-7"
    assert contents[2]["parts"][0]["functionResponse"] == {
        "id": "call-7",
        "name": "FormatBook",
        "response": {"output": "Dune"},
    }


# -- streams and errors ----------------------------------------------------------------------


def test_a_refused_stream_raises_at_the_call(server: FakeGoogle) -> None:
    """google-genai sends a stream's request when its first chunk is asked for; mirascope
    opens it at the call, as every provider does."""
    stream = google.call(MODEL, stream=True)

    def prompt() -> str:
        return "hi"

    async def prompt_async() -> str:
        return "hi"

    server.enqueue(Reply(status=400, error_message="bad model"))
    with pytest.raises(errors.ClientError, match="bad model"):
        stream(prompt)()

    async def main() -> None:
        await stream(prompt_async)()

    server.enqueue(Reply(status=400, error_message="bad model"))
    with pytest.raises(errors.ClientError, match="bad model"):
        asyncio.run(main())
    assert len(server.requests) == 2


def test_async_default_client_errors_are_aiohttps(
    server: FakeGoogle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default async client goes over aiohttp when it is installed: its transport
    errors reach the caller as aiohttp raised them (the fault matrix's async cells use
    httpx, through a client of the suite's own)."""
    import aiohttp

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("GOOGLE_GEMINI_BASE_URL", f"http://127.0.0.1:{port}")
    reset_default_clients()

    @google.call(MODEL)
    async def recommend() -> str:
        return "hi"

    with pytest.raises(aiohttp.ClientConnectorError):
        asyncio.run(recommend())

    monkeypatch.setenv("GOOGLE_GEMINI_BASE_URL", server.url)
    reset_default_clients()
    server.enqueue(Reply(text="one two three four five six", cut_after=3))

    @google.call(MODEL, stream=True)
    async def streamed() -> str:
        return "hi"

    received: list[str] = []

    async def consume() -> None:
        stream = await streamed()
        async for chunk, _ in stream:
            received.append(chunk.content)

    with pytest.raises(aiohttp.ClientPayloadError):
        asyncio.run(consume())
    assert "".join(received) == "one two three"


# -- the chunk reader: a text chunk the short way, any other through decode_more ----------

_PART_TEXT: dict[str, Any] = {"text": "Hi"}
_GENAI_USAGE = {"prompt_token_count": 7, "candidates_token_count": 2}


def _genai_chunk(parts: list[dict[str, Any]], **candidate: object) -> types.GenerateContentResponse:
    return types.GenerateContentResponse.model_validate(
        {
            "candidates": [{"content": {"role": "model", "parts": parts}, **candidate}],
            "usage_metadata": _GENAI_USAGE,
            "model_version": "gemini-x",
            "response_id": "r-1",
        }
    )


def _fields(delta: Delta) -> tuple[object, ...]:
    usage = delta.common_usage
    return (
        delta.content,
        delta.tool_calls,
        usage,
        None if usage is None else usage.raw,
        delta.finish_reason,
        delta.model,
        delta.id,
        delta.thinking,
        delta.signature,
    )


def test_a_text_chunk_is_a_plain_delta_with_what_decode_more_reads() -> None:
    chunk = _genai_chunk([_PART_TEXT])
    short = GOOGLE.decode_chunk(chunk)
    assert type(short) is GOOGLE.chunk_class  # the stream's chunk class, made as such
    assert _fields(short) == _fields(GOOGLE.decode_more(chunk))
    assert (short.content, short.model, short.id) == ("Hi", "gemini-x", "r-1")
    assert short.common_usage == Usage(7, 2, None)
    assert short.common_usage is not None and short.common_usage.raw is chunk.usage_metadata


@pytest.mark.parametrize(
    ("parts", "candidate"),
    [
        ([_PART_TEXT], {"finish_reason": "STOP"}),
        ([_PART_TEXT, {"text": "there"}], {}),
        ([{"function_call": {"name": "f", "args": {}}}], {}),
        ([{"text": "hmm", "thought": True}], {}),
        ([{"text": "Hi", "thought_signature": "c2ln"}], {}),
        ([{"text": ""}], {}),
    ],
    ids=["finish", "two parts", "call", "thought", "signed", "empty text"],
)
def test_any_other_chunk_is_read_by_decode_more(
    parts: list[dict[str, Any]], candidate: dict[str, object]
) -> None:
    chunk = _genai_chunk(parts, **candidate)
    delta = GOOGLE.decode_chunk(chunk)
    assert type(delta) is Delta
    assert _fields(delta) == _fields(GOOGLE.decode_more(chunk))
