"""``response_model``, ``json_mode`` and ``output_parser`` reach the provider's ``call``
factory only when given (so factories without them keep working); what the factory returns
for them is the user's value and comes back unwrapped, and an output parser is handed the
``llm.CallResponse``. A registry row added by the test (as a new provider adds one) points
at a factory that takes them; its calls still go through OpenAI's SDK to the fake."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pydantic import BaseModel

from mirascope import llm
from mirascope.core import openai
from mirascope.llm import _registry
from mirascope.testing import FakeServer, Reply

STRUCTURED = ("response_model", "json_mode", "output_parser")


class Book(BaseModel):
    title: str


class RecordingFactory:
    """A ``call`` factory that takes the structured-output arguments, records them, and
    otherwise is OpenAI's (its response model reads the reply's text as JSON)."""

    def __init__(self) -> None:
        self.seen: list[dict[str, Any]] = []

    def __call__(self, model: str, **options: Any) -> Callable[[Any], Any]:
        structured = {k: options.pop(k) for k in STRUCTURED if k in options}
        self.seen.append(structured)
        decorator = openai.call(model, **options)
        response_model = structured.get("response_model")
        parser = structured.get("output_parser")

        def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
            made = decorator(fn)
            if response_model is None and parser is None:
                return made

            def run(*args: Any, **kwargs: Any) -> Any:
                response = made(*args, **kwargs)
                value = (
                    response
                    if response_model is None
                    else response_model.model_validate_json(response.content)
                )
                return value if parser is None else parser(value)

            return run

        return decorate


RECORDING = RecordingFactory()


@pytest.fixture
def recording(openai_server: FakeServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setitem(
        _registry.PROVIDER_TABLE, "recording", _registry.ProviderRow(__name__, "RECORDING")
    )
    monkeypatch.setattr(_registry, "_factories", {})
    RECORDING.seen.clear()
    yield "recording"
    RECORDING.seen.clear()


def _prompt(text: str) -> str:
    return text


def test_nothing_forwarded_unless_given(recording: Any) -> None:
    response = llm.call(recording, "m")(_prompt)("hello")
    assert type(response) is llm.CallResponse
    assert RECORDING.seen == [{}]


def test_json_mode(recording: Any) -> None:
    response = llm.call(recording, "m", json_mode=True)(_prompt)("hello")
    assert type(response) is llm.CallResponse
    assert RECORDING.seen == [{"json_mode": True}]


def test_response_model_comes_back_unwrapped(recording: Any, openai_server: FakeServer) -> None:
    openai_server.enqueue(Reply(text='{"title": "Dune"}'))
    book = llm.call(recording, "m", response_model=Book)(_prompt)("hello")
    assert book == Book(title="Dune")
    assert RECORDING.seen == [{"response_model": Book}]


def test_output_parser_gets_the_llm_response(recording: Any) -> None:
    seen: list[Any] = []

    def parse(response: llm.CallResponse) -> int:
        seen.append(response)
        return len(response.content)

    assert llm.call(recording, "m", output_parser=parse)(_prompt)("hello") == 5
    assert [type(r) for r in seen] == [llm.CallResponse]
    assert list(RECORDING.seen[0]) == ["output_parser"]


def test_output_parser_after_a_response_model(recording: Any, openai_server: FakeServer) -> None:
    openai_server.enqueue(Reply(text='{"title": "Dune"}'))
    fn = llm.call(recording, "m", response_model=Book, output_parser=lambda b: b.title.upper())
    assert fn(_prompt)("hello") == "DUNE"


def test_kept_by_override_and_context(recording: Any, openai_server: FakeServer) -> None:
    openai_server.enqueue(Reply(text='{"title": "A"}'), Reply(text='{"title": "B"}'))
    fn = llm.call(recording, "m", response_model=Book)(_prompt)
    assert llm.override(fn, model="other")("x") == Book(title="A")
    with llm.context(model="third"):
        assert fn("y") == Book(title="B")
    assert [r.json["model"] for r in openai_server.requests] == ["other", "third"]
    assert RECORDING.seen == [{"response_model": Book}] * 3  # made, overridden, in context
