"""JSON schema rewrites for what each vendor's structured-output mode accepts. Pure
functions over plain dicts; the input (pydantic's schema) is never mutated."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any, cast

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


class UnsupportedSchemaError(ValueError):
    """A schema the vendor's native mode cannot express (the engine falls back to a tool)."""


def _note(node: dict[str, Any], moved: dict[str, Any]) -> None:
    """Keep dropped constraints where the model still reads them: in the description."""
    if not moved:
        return
    said = ", ".join(f"{k}={json.dumps(v, default=str)}" for k, v in moved.items())
    description = node.get("description")
    node["description"] = f"{description} ({said})" if description else f"({said})"


def strict_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """OpenAI's strict structured-output form: every object closed
    (``additionalProperties: false``) with every property required, optional fields
    nullable, and keywords strict mode refuses (``default``, ``minLength``...) written into
    the description instead."""
    return cast(dict[str, Any], _strict(schema, _STRICT_KEYWORDS))


def _strict(node: Any, allowed: Collection[str]) -> Any:
    if isinstance(node, list):
        return [_strict(n, allowed) for n in cast(list[Any], node)]
    if not isinstance(node, dict):
        return node
    src = cast(dict[str, Any], node)
    out: dict[str, Any] = {}
    moved: dict[str, Any] = {}
    for key, value in src.items():
        if key == "properties" or key == "$defs":
            out[key] = {k: _strict(v, allowed) for k, v in cast(dict[str, Any], value).items()}
        elif key in ("items", "anyOf"):
            out[key] = _strict(value, allowed)
        elif key == "allOf" and len(cast(list[Any], value)) == 1:
            # pydantic wraps a described $ref in allOf; strict mode takes the $ref itself
            out.update(_strict(cast(list[Any], value)[0], allowed))
        elif key in allowed:
            out[key] = value
        elif key != "default":  # the answer has every field: a default says nothing
            moved[key] = value
    if "properties" in out or src.get("type") == "object":
        props = cast(dict[str, Any], out.setdefault("properties", {}))
        out["required"] = list(props)
        out["additionalProperties"] = False
    _note(out, moved)
    return out


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with every ``$ref`` replaced by its definition (for vendors without
    ``$ref``); a recursive model cannot be inlined and raises ``UnsupportedSchemaError``."""
    defs = cast(dict[str, Any], schema.get("$defs") or {})

    def walk(node: Any, seen: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [walk(n, seen) for n in cast(list[Any], node)]
        if not isinstance(node, dict):
            return node
        src = cast(dict[str, Any], node)
        ref = src.get("$ref")
        if isinstance(ref, str):
            name = ref.rsplit("/", 1)[-1]
            if name in seen:
                raise UnsupportedSchemaError(f"the model {name} refers to itself")
            target = dict(cast(dict[str, Any], defs.get(name, {})))
            target.update({k: v for k, v in src.items() if k != "$ref"})
            return walk(target, (*seen, name))
        return {k: walk(v, seen) for k, v in src.items() if k != "$defs"}

    return cast(dict[str, Any], walk(schema, ()))


def google_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Google's ``response_schema`` form (OpenAPI 3.0 subset): references inlined,
    ``anyOf [X, null]`` as ``nullable``, other keywords written into the description.
    Unions of several types have no equivalent: ``UnsupportedSchemaError``."""
    return cast(dict[str, Any], _google(inline_refs(schema)))


def _google(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    src = dict(cast(dict[str, Any], node))
    nullable = False
    any_of = src.pop("anyOf", None)
    if any_of is not None:
        options = [o for o in cast(list[dict[str, Any]], any_of) if o.get("type") != "null"]
        nullable = len(options) < len(any_of)
        if len(options) != 1:
            raise UnsupportedSchemaError("a union of several types (anyOf)")
        src = {**options[0], **src}
    if "const" in src:
        src["enum"] = [src.pop("const")]
    enum = src.get("enum")
    if enum is not None and not all(isinstance(v, str) for v in cast(list[Any], enum)):
        # Google's enums are strings only: the allowed values go in the description
        src["allowed values"] = src.pop("enum")
    out: dict[str, Any] = {}
    moved: dict[str, Any] = {}
    for key, value in src.items():
        if key == "properties":
            props = cast(dict[str, Any], value)
            out[key] = {k: _google(v) for k, v in props.items()}
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
