"""JSON schema rewrites for what each vendor's structured-output mode accepts. Pure
functions over plain dicts; the input (pydantic's schema) is never mutated."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import TypeAlias

# OpenAI's strict mode: the keywords it accepts (anything else goes into the description)
_STRICT_KEYWORDS = frozenset(
    {
        "type",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "enum",
        "const",
        "anyOf",
        "description",
        "title",
        "$ref",
        "$defs",
        "pattern",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
    }
)

# the OpenAPI 3.0 subset of Google's Schema (generateContent's response_schema)
_GOOGLE_KEYWORDS = frozenset(
    {
        "type",
        "format",
        "description",
        "nullable",
        "enum",
        "properties",
        "required",
        "items",
        "minItems",
        "maxItems",
    }
)
_GOOGLE_FORMATS = frozenset({"enum", "date-time", "int32", "int64", "float", "double"})


JsonValue: TypeAlias = "dict[str, JsonValue] | list[JsonValue] | str | int | float | bool | None"
"""A value of JSON (what ``json.loads`` and pydantic's ``model_json_schema`` give)."""
Schema: TypeAlias = dict[str, JsonValue]
"""A JSON schema (or one node of it)."""


class UnsupportedSchemaError(ValueError):
    """A schema the vendor's native mode cannot express (the engine falls back to a tool)."""


def _note(node: Schema, moved: Schema) -> None:
    """Keep dropped constraints where the model still reads them: in the description."""
    if not moved:
        return
    said = ", ".join(f"{k}={json.dumps(v, default=str)}" for k, v in moved.items())
    description = node.get("description")
    node["description"] = f"{description} ({said})" if description else f"({said})"


def strict_schema(schema: Schema) -> Schema:
    """OpenAI's strict structured-output form: every object closed
    (``additionalProperties: false``) with every property required, optional fields
    nullable, and keywords strict mode refuses (``default``, ``minLength``...) written into
    the description instead."""
    return _strict_object(schema, _STRICT_KEYWORDS)


def _strict(node: JsonValue, allowed: Collection[str]) -> JsonValue:
    if isinstance(node, list):
        return [_strict(n, allowed) for n in node]
    if not isinstance(node, dict):
        return node
    return _strict_object(node, allowed)


def _strict_object(src: Schema, allowed: Collection[str]) -> Schema:
    out: Schema = {}
    moved: Schema = {}
    for key, value in src.items():
        if (key == "properties" or key == "$defs") and isinstance(value, dict):
            out[key] = {k: _strict(v, allowed) for k, v in value.items()}
        elif key in ("items", "anyOf"):
            out[key] = _strict(value, allowed)
        elif key == "allOf" and isinstance(value, list) and len(value) == 1:
            # pydantic wraps a described $ref in allOf; strict mode takes the $ref itself
            only = _strict(value[0], allowed)
            if isinstance(only, dict):
                out.update(only)
        elif key in allowed:
            out[key] = value
        elif key != "default":  # the answer has every field: a default says nothing
            moved[key] = value
    if "properties" in out or src.get("type") == "object":
        props = out.setdefault("properties", {})
        out["required"] = list(props) if isinstance(props, dict) else []
        out["additionalProperties"] = False
    _note(out, moved)
    return out


def inline_refs(schema: Schema) -> Schema:
    """The schema with every ``$ref`` replaced by its definition (for vendors without
    ``$ref``); a recursive model cannot be inlined and raises ``UnsupportedSchemaError``."""
    found = schema.get("$defs")
    defs: Schema = found if isinstance(found, dict) else {}

    def walk(node: JsonValue, seen: tuple[str, ...]) -> JsonValue:
        if isinstance(node, list):
            return [walk(n, seen) for n in node]
        if not isinstance(node, dict):
            return node
        return walk_object(node, seen)

    def walk_object(src: Schema, seen: tuple[str, ...]) -> Schema:
        ref = src.get("$ref")
        if isinstance(ref, str):
            name = ref.rsplit("/", 1)[-1]
            if name in seen:
                raise UnsupportedSchemaError(f"the model {name} refers to itself")
            definition = defs.get(name)
            target: Schema = dict(definition) if isinstance(definition, dict) else {}
            target.update({k: v for k, v in src.items() if k != "$ref"})
            return walk_object(target, (*seen, name))
        return {k: walk(v, seen) for k, v in src.items() if k != "$defs"}

    return walk_object(schema, ())


def google_schema(schema: Schema) -> Schema:
    """Google's ``response_schema`` form (OpenAPI 3.0 subset): references inlined,
    ``anyOf [X, null]`` as ``nullable``, other keywords written into the description.
    Unions of several types have no equivalent: ``UnsupportedSchemaError``."""
    return _google_object(inline_refs(schema))


def _google(node: JsonValue) -> JsonValue:
    return _google_object(node) if isinstance(node, dict) else node


def _google_object(node: Schema) -> Schema:
    src = dict(node)
    nullable = False
    any_of = src.pop("anyOf", None)
    if isinstance(any_of, list):
        options = [o for o in any_of if not (isinstance(o, dict) and o.get("type") == "null")]
        nullable = len(options) < len(any_of)
        only = options[0] if len(options) == 1 else None
        if not isinstance(only, dict):
            raise UnsupportedSchemaError("a union of several types (anyOf)")
        src = {**only, **src}
    if "const" in src:
        src["enum"] = [src.pop("const")]
    enum = src.get("enum")
    if isinstance(enum, list) and not all(isinstance(v, str) for v in enum):
        # Google's enums are strings only: the allowed values go in the description
        src["allowed values"] = src.pop("enum")
    out: Schema = {}
    moved: Schema = {}
    for key, value in src.items():
        if key == "properties" and isinstance(value, dict):
            out[key] = {k: _google(v) for k, v in value.items()}
        elif key == "items":
            out[key] = _google(value)
        elif key == "format" and value not in _GOOGLE_FORMATS:
            moved[key] = value
        elif key in _GOOGLE_KEYWORDS:
            out[key] = value
        elif key not in ("title", "additionalProperties", "default"):
            moved[key] = value
    if isinstance(out.get("type"), list):
        raise UnsupportedSchemaError("a field of several types")
    if nullable:
        out["nullable"] = True
    _note(out, moved)
    return out
