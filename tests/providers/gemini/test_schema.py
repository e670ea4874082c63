"""Tools as Google function declarations: pydantic's JSON schema mapped onto the OpenAPI
subset Google's ``Schema`` takes, and accepted by the SDK's own types."""

from __future__ import annotations

from enum import Enum
from typing import Literal

import pytest
from google.generativeai.types.content_types import FunctionLibrary
from pydantic import BaseModel, Field

from mirascope.core import BaseTool
from mirascope.core._formats.google_content import function_declaration


class Genre(Enum):
    FANTASY = "fantasy"
    SCIFI = "scifi"


class Author(BaseModel):
    name: str
    born: int | None = None


class Shelve(BaseTool):
    """Put books on a shelf."""

    titles: list[str] = Field(description="The books' titles", min_length=1)
    author: Author
    genre: Genre
    mood: Literal["calm", "lively"] = "calm"
    rating: float | None = None
    url: str = Field(json_schema_extra={"format": "uri"})


class NoArguments(BaseTool):
    """Ring the bell."""


class Union(BaseTool):
    value: int | str


def test_declaration_uses_googles_schema_subset() -> None:
    declaration = function_declaration(Shelve)
    assert declaration["name"] == "Shelve"
    assert declaration["description"] == "Put books on a shelf."
    assert declaration.get("parameters") == {
        "type": "OBJECT",
        "properties": {
            "titles": {
                "type": "ARRAY",
                "description": "The books' titles",
                "items": {"type": "STRING"},
                "min_items": 1,
            },
            "author": {
                "type": "OBJECT",
                "properties": {
                    "name": {"type": "STRING"},
                    "born": {"type": "INTEGER", "nullable": True},
                },
                "required": ["name"],
            },
            "genre": {"type": "STRING", "enum": ["fantasy", "scifi"]},
            "mood": {"type": "STRING", "enum": ["calm", "lively"]},
            "rating": {"type": "NUMBER", "nullable": True},
            "url": {"type": "STRING"},  # formats the API does not know are left out
        },
        "required": ["titles", "author", "genre", "url"],
    }
    assert function_declaration(Shelve) is declaration  # built once per class


def test_the_sdk_accepts_the_declarations() -> None:
    library = FunctionLibrary(
        tools=[{"function_declarations": [function_declaration(Shelve),
                                          function_declaration(NoArguments)]}]
    )  # fmt: skip
    (tool,) = library.to_proto()
    shelve, bell = tool.function_declarations
    assert shelve.parameters.properties["author"].properties["born"].nullable
    assert "parameters" not in bell  # an OBJECT without properties is refused by the API


def test_unions_are_refused_clearly() -> None:
    with pytest.raises(TypeError, match=r"Union\.value: .*cannot express a union"):
        function_declaration(Union)
