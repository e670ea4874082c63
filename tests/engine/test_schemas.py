"""The schema rewrites each vendor's structured-output mode needs."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from pydantic import BaseModel, Field

from mirascope.core._engine.schemas import (
    UnsupportedSchemaError,
    google_schema,
    inline_refs,
    strict_schema,
)


class Author(BaseModel):
    name: str


class Book(BaseModel):
    title: Annotated[str, Field(min_length=1, description="The title")]
    author: Author
    year: int | None = None


class Node(BaseModel):
    children: list[Node] = []


def test_strict_schema_closes_objects_and_requires_every_property() -> None:
    schema = Book.model_json_schema()
    strict: dict[str, Any] = strict_schema(schema)
    assert strict["required"] == ["title", "author", "year"]
    assert strict["additionalProperties"] is False
    assert strict["$defs"]["Author"] == {
        "properties": {"name": {"title": "Name", "type": "string"}},
        "required": ["name"],
        "title": "Author",
        "type": "object",
        "additionalProperties": False,
    }
    # minLength is refused by strict mode: kept for the model in the description
    assert strict["properties"]["title"] == {
        "description": "The title (minLength=1)",
        "title": "Title",
        "type": "string",
    }
    # an optional field stays nullable; its default says nothing once it is required
    assert strict["properties"]["year"] == {
        "anyOf": [{"type": "integer"}, {"type": "null"}],
        "title": "Year",
    }
    assert "minLength" in schema["properties"]["title"]  # the input is left as it was


def test_inline_refs_replaces_references() -> None:
    inlined: dict[str, Any] = inline_refs(Book.model_json_schema())
    assert "$defs" not in inlined
    assert inlined["properties"]["author"]["properties"] == {
        "name": {"title": "Name", "type": "string"}
    }


def test_a_recursive_model_cannot_be_inlined() -> None:
    with pytest.raises(UnsupportedSchemaError, match="Node refers to itself"):
        inline_refs(Node.model_json_schema())


def test_google_schema() -> None:
    google: dict[str, Any] = google_schema(Book.model_json_schema())
    assert google["properties"]["year"] == {"type": "integer", "nullable": True}
    assert google["properties"]["title"] == {
        "type": "string",
        "description": "The title (minLength=1)",
    }
    assert google["properties"]["author"] == {
        "properties": {"name": {"type": "string"}},
        "required": ["name"],
        "type": "object",
    }


def test_google_schema_refuses_unions() -> None:
    class Either(BaseModel):
        value: int | str

    with pytest.raises(UnsupportedSchemaError, match="union"):
        google_schema(Either.model_json_schema())


def test_a_schema_google_cannot_express_falls_back_to_a_tool() -> None:
    from mirascope.core import gemini

    @gemini.call("gemini-2.0-flash", response_model=Node)
    def tree() -> str:
        return "a tree"

    spec: Any = tree.__mirascope_call__  # pyright: ignore[reportFunctionMemberAccess]
    assert spec.output.mode == "tool"
    assert spec.output.tool.tool_name() == "Node"
