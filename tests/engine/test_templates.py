"""Templates, parts and v1's vocabulary without any provider: bare template calls, format
specs, media sources, BasePrompt, toolkits, merge_decorators, tools."""

from __future__ import annotations

import asyncio
import base64
import pickle
from pathlib import Path
from typing import Any, ClassVar

import pytest
from pydantic import ValidationError

from mirascope.core import (
    AudioPart,
    AudioURLPart,
    BaseMessageParam,
    BasePrompt,
    BaseTool,
    BaseToolKit,
    CacheControlPart,
    DocumentPart,
    ImagePart,
    ImageURLPart,
    MediaError,
    PromptTemplateError,
    TemplateFormatError,
    TextPart,
    ToolArgumentsError,
    merge_decorators,
    metadata,
    openai,
    prompt_template,
    toolkit_tool,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"x"
JPEG = b"\xff\xd8\xff\xe0" + b"x"
MP3 = b"ID3\x03" + b"x"
PDF = b"%PDF-1.7" + b"x"


def test_bare_template_call_returns_messages() -> None:
    @prompt_template("SYSTEM: You are a {role}.\nUSER: Recommend a {genre} book")
    def recommend(genre: str, role: str = "librarian"): ...

    assert recommend("fantasy") == [
        BaseMessageParam(role="system", content="You are a librarian."),
        BaseMessageParam(role="user", content="Recommend a fantasy book"),
    ]
    assert recommend.__name__ == "recommend"


def test_bare_async_template_call_uses_computed_fields() -> None:
    @prompt_template("Recommend a {genre} book by {author}")
    async def recommend(genre: str):  # no annotation: may return computed fields
        return {"computed_fields": {"author": "Le Guin"}}

    assert asyncio.run(recommend("fantasy")) == [
        BaseMessageParam(role="user", content="Recommend a fantasy book by Le Guin")
    ]


def test_computed_fields_without_annotation_accepted_by_call() -> None:
    @openai.call("gpt-4o-mini")
    @prompt_template("Recommend a {genre} book by {author}")
    def recommend(genre: str):
        return {"computed_fields": {"author": "Le Guin"}}

    assert callable(recommend)  # decoration no longer refuses {author}


def test_list_and_lists_specs() -> None:
    @prompt_template("Books:\n{books:list}\n\nGroups:\n{groups:lists}")
    def prompt(books: list[str], groups: list[list[str]]): ...

    (message,) = prompt(["Dune", "Emma"], [["a", "b"], ["c"]])
    assert message.content == "Books:\nDune\nEmma\n\nGroups:\na\nb\n\nc"


@pytest.mark.parametrize(
    "template, value, needs",
    [("{x:list}", "abc", "':list' needs a list"), ("{x:lists}", ["a"], "list of lists")],
)
def test_list_spec_of_wrong_value(template: str, value: Any, needs: str) -> None:
    @prompt_template(template)
    def prompt(x: Any): ...

    with pytest.raises(TemplateFormatError, match=needs):
        prompt(value)


def test_text_image_audio_document_and_part_specs(tmp_path: Path) -> None:
    image_file = tmp_path / "cat.png"
    image_file.write_bytes(PNG)

    @prompt_template(
        """
        USER:
        {intro:text} {notes:texts}
        {url:image(detail=high)} {path:image} {pics:images}
        {clip:audio} {link:audio} {doc:document} {extra:parts} {:cache_control(type=ephemeral)}
        """
    )
    def prompt(
        intro: str,
        notes: list[str],
        url: str,
        path: str,
        pics: list[Any],
        clip: bytes,
        link: str,
        doc: bytes,
        extra: list[Any],
    ): ...

    (message,) = prompt(
        "Hi",
        ["a", "b"],
        "https://x.example/cat.jpg",
        str(image_file),
        [JPEG, f"data:image/png;base64,{base64.b64encode(PNG).decode()}"],
        MP3,
        "gs://bucket/clip.wav",
        PDF,
        [TextPart(text="tail")],
    )
    assert message.content == [
        TextPart(text="Hi"),
        TextPart(text="a"),
        TextPart(text="b"),
        ImageURLPart(url="https://x.example/cat.jpg", detail="high"),
        ImagePart(media_type="image/png", image=PNG),
        ImagePart(media_type="image/jpeg", image=JPEG),
        ImagePart(media_type="image/png", image=PNG),
        AudioPart(media_type="audio/mp3", audio=MP3),
        AudioURLPart(url="gs://bucket/clip.wav"),
        DocumentPart(media_type="application/pdf", document=PDF),
        TextPart(text="tail"),
        CacheControlPart(cache_type="ephemeral"),
    ]


def test_empty_media_leaves_no_part() -> None:
    @prompt_template("Look {img:image} {imgs:images}")
    def prompt(img: Any, imgs: Any): ...

    assert prompt(None, []) == [BaseMessageParam(role="user", content="Look")]


@pytest.mark.parametrize(
    "spec, value, match",
    [
        ("image", b"not an image", "not PNG, JPEG"),
        ("audio", b"not audio", "not WAV, MP3"),
        ("document", b"not a pdf", "not a PDF"),
        ("image", "/no/such/file.png", "could not read an image"),
    ],
)
def test_unreadable_media(spec: str, value: Any, match: str) -> None:
    @prompt_template(f"{{x:{spec}}}")
    def prompt(x: Any): ...

    with pytest.raises(MediaError, match=match):
        prompt(value)


def test_images_spec_needs_a_list() -> None:
    @prompt_template("{x:images}")
    def prompt(x: Any): ...

    with pytest.raises(TemplateFormatError, match="needs a list"):
        prompt(PNG)


def test_messages_placeholder_needs_a_list() -> None:
    @prompt_template("MESSAGES: {history}\nUSER: {q}")
    def prompt(history: Any, q: str): ...

    with pytest.raises(TemplateFormatError, match="needs a list of messages"):
        prompt("not a list", "q")


def test_role_marks_inline_as_v1() -> None:
    @prompt_template("SYSTEM: Be brief. USER: Hi {name}")
    def prompt(name: str): ...

    assert [(m.role, m.content) for m in prompt("Ann")] == [
        ("system", "Be brief."),
        ("user", "Hi Ann"),
    ]


def test_escaped_braces_are_not_parts() -> None:
    @prompt_template("Use {{x:image}} literally, {y}")
    def prompt(y: str): ...

    assert prompt("ok") == [BaseMessageParam(role="user", content="Use {x:image} literally, ok")]


def test_part_spec_without_name() -> None:
    with pytest.raises(TemplateFormatError, match="names no argument"):
        prompt_template("{:image}")


def test_template_placeholder_missing_for_bare_call() -> None:
    @prompt_template("Hi {name}")
    def prompt(other: str):
        return None

    with pytest.raises(PromptTemplateError, match=r"\{name\}"):
        prompt("x")


@prompt_template("Recommend a {genre} book")
@metadata({"tags": {"v1"}})
class Recommend(BasePrompt):
    genre: str


def test_base_prompt_str_dump_and_messages() -> None:
    prompt = Recommend(genre="fantasy")
    assert str(prompt) == "Recommend a fantasy book"
    assert prompt.message_params() == [
        BaseMessageParam(role="user", content="Recommend a fantasy book")
    ]
    assert prompt.dump() == {
        "metadata": {"tags": {"v1"}},
        "prompt": "Recommend a fantasy book",
        "template": "Recommend a {genre} book",
        "inputs": {"genre": "fantasy"},
    }


def test_base_prompt_dynamic_config_computed_fields() -> None:
    @prompt_template("SYSTEM: Be {tone}.\nUSER: {question}")
    class Ask(BasePrompt):
        question: str

        def dynamic_config(self) -> dict[str, Any]:
            return {"computed_fields": {"tone": "brief"}}

    assert str(Ask(question="Why?")) == "SYSTEM: Be brief.\nUSER: Why?"


def test_base_prompt_without_template() -> None:
    class Bare(BasePrompt):
        x: int

    with pytest.raises(TypeError, match="has no template"):
        Bare(x=1).message_params()


def test_merge_decorators_order_and_once() -> None:
    calls: list[str] = []

    def tag(label: str) -> Any:
        def decorator(fn: Any) -> Any:
            calls.append(label)

            def wrapped(*args: Any) -> Any:
                return f"{label}({fn(*args)})"

            return wrapped

        return decorator

    merged = merge_decorators(tag("outer"), tag("middle"), tag("inner"))

    @merged()
    def fn() -> str:
        return "x"

    assert fn() == "outer(middle(inner(x)))"
    assert calls == ["inner", "middle", "outer"]
    fn()
    assert calls == ["inner", "middle", "outer"]  # not re-applied per call


def test_toolkit_refusals() -> None:
    with pytest.raises(TypeError, match="no @toolkit_tool method"):

        class Empty(BaseToolKit):
            x: int

    with pytest.raises(TypeError, match="without a docstring"):

        class NoDoc(BaseToolKit):
            @toolkit_tool
            def act(self) -> str:
                return ""

    with pytest.raises(TypeError, match="no field or attribute 'missing'"):

        class BadRef(BaseToolKit):
            @toolkit_tool
            def act(self) -> str:
                """Uses {self.missing}."""
                return ""


def test_tool_vocabulary() -> None:
    class Lookup(BaseTool):
        """Look a record up."""

        __custom_name__: ClassVar[str] = "lookup_record"
        id: int  # pyright: ignore[reportIncompatibleMethodOverride] (a field named id keeps its value)

    tool = Lookup.from_arguments('{"id": 7}', tool_call_id="call_1", raw=None)
    assert tool.id == 7 and tool.tool_call_id == "call_1"
    assert Lookup._name() == Lookup.tool_name() == "lookup_record"
    assert Lookup.tool_schema() == {
        "name": "lookup_record",
        "description": "Look a record up.",
        "parameters": {
            "properties": {"id": {"title": "Id", "type": "integer"}},
            "required": ["id"],
            "type": "object",
        },
    }

    class Plain(BaseTool):
        title: str

    plain = Plain.from_arguments('{"title": "x"}', tool_call_id="call_2", raw=None)
    assert plain.id == "call_2"
    assert Plain(title="y").id == ""
    assert openai.OpenAITool.tool_schema()["type"] == "function"  # the vendor's encoding


def test_tool_arguments_error_is_a_validation_error() -> None:
    class Book(BaseTool):
        title: str

    with pytest.raises(ValidationError) as info:
        Book.from_arguments('{"title": 3}', tool_call_id="c", raw=None)
    error = info.value
    assert isinstance(error, ToolArgumentsError)
    assert error.raw == '{"title": 3}' and error.tool_name == "Book"
    assert [e["type"] for e in error.errors()] == ["string_type"]
    assert "fail validation" in str(error)
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.raw, str(copy)) == (ToolArgumentsError, error.raw, str(error))
