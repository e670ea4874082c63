"""mkdocs hook: each provider's API page, generated from the code.

A line ``<!-- api:provider mirascope.core.<provider> -->`` on a page becomes, before
markdown is rendered:

- the module's docstring (a mkdocstrings ``:::`` entry without members);
- a ``call`` section: the signature of ``CallFactory.__call__`` with the provider's types
  put in for the factory's type variables (read from the ``call = CallFactory[...]``
  subscription in the provider's ``__init__.py``), a table of the parameters (name, type,
  description from the ``Args:`` of ``__call__``'s docstring, default), and a table of what
  the decorated function returns, from the overloads of ``CallFactory.__call__`` and of
  ``CallDecorator.__call__`` (``def`` / ``async def``);
- a mkdocstrings ``:::`` entry for every other name of the module's ``__all__``: call
  params, dynamic configs, response, chunk, stream and tool first, then the rest (a
  submodule there, such as ``openai.responses``, gets a heading: it has its own page).

Everything is read statically with griffe (which mkdocstrings uses too), so the site builds
without the vendor SDKs installed, and a parameter or overload added to ``CallFactory``
shows up on every provider page by itself. A parameter without a description in the
docstring is reported as a warning, which fails ``mkdocs build --strict``."""

from __future__ import annotations

import ast
import html
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import griffe

log = logging.getLogger("mkdocs.hooks.api_reference")

_PLACEHOLDER = re.compile(r"^<!--\s*api:provider\s+(?P<module>[\w.]+)\s*-->\s*$")
_DECORATOR = "mirascope.core._engine.decorator"
_BASE = "mirascope.core.base"
# names shown as written (not by their full path) when they come from these modules
_PLAIN_MODULES = ("typing", "typing_extensions", "collections", "builtins", "types")
# the order of a provider's public names on its page (by the end of the name); others follow
_ORDER = (
    lambda n: n.endswith("CallParams"),
    lambda n: n.endswith("DynamicConfig") and not n.startswith("Async"),
    lambda n: n.endswith("DynamicConfig") and n.startswith("Async"),
    lambda n: n.endswith("CallResponse"),
    lambda n: n.endswith("CallResponseChunk"),
    lambda n: n.endswith("Stream"),
    lambda n: n.endswith("Tool"),
)

Part = tuple[str, "str | None"]
"""A piece of a rendered type: its text, and the identifier it links to (if any)."""


class _Code:
    """The griffe view of ``mirascope.core`` (loaded once per build)."""

    def __init__(self, root: Path) -> None:
        self.loader = griffe.GriffeLoader(search_paths=[str(root)], docstring_parser="google")
        self.core = self.loader.load("mirascope.core")
        self.loader.resolve_aliases(implicit=False, external=False)
        self.decorator: Any = self.loader.modules_collection[_DECORATOR]
        self._imports: dict[str, dict[str, str]] = {}

    def get(self, path: str) -> Any | None:
        try:
            return self.loader.modules_collection[path]
        except (KeyError, griffe.AliasResolutionError, griffe.CyclicAliasError):
            return None

    def first_import(self, module: Any, name: str) -> str | None:
        """Where ``module``'s source first imports ``name`` from (in line order), so that a
        name imported under ``if TYPE_CHECKING:`` and again in a fallback branch is shown
        with the path type checkers see."""
        if module.path not in self._imports:
            found: dict[str, str] = {}
            tree = ast.parse(Path(module.filepath).read_text())
            nodes = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
            for node in sorted(nodes, key=lambda n: n.lineno):
                for alias in node.names:
                    local = alias.asname or alias.name.split(".")[0]
                    if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                        found.setdefault(local, f"{node.module}.{alias.name}")
                    elif isinstance(node, ast.Import):
                        found.setdefault(local, alias.name if alias.asname else local)
            self._imports[module.path] = found
        return self._imports[module.path].get(name)


@dataclass
class _Page:
    """What one provider page needs: its module, public names and type substitutions."""

    code: _Code
    module: Any
    public: dict[str, str]
    """Canonical path of a documented object -> the identifier it is documented under."""
    subst: dict[str, Any]
    """Type variable name -> the expression to show instead."""


# -- rendering types --------------------------------------------------------------------


def _parts(expr: Any, page: _Page) -> Iterator[Part]:
    if isinstance(expr, str):
        yield (expr, None)
    elif isinstance(expr, griffe.ExprName):
        yield from _name(expr, page)
    elif isinstance(expr, griffe.ExprAttribute):
        yield from _external(expr.canonical_path, str(expr))
    elif isinstance(expr, griffe.ExprBinOp) and expr.operator == "|":
        # a union: ``Never`` members drop out (LiteLLM's client type is ``Never``)
        sides = [list(_parts(expr.left, page)), list(_parts(expr.right, page))]
        sides = [s for s in sides if "".join(t for t, _ in s) != "Never"] or sides[:1]
        for n, side in enumerate(sides):
            if n:
                yield (" | ", None)
            yield from side
    else:
        for child in expr.iterate(flat=False):
            yield from _parts(child, page)


def _external(path: str, written: str) -> Iterator[Part]:
    module = path.rpartition(".")[0]
    if not module or module.split(".")[0] in _PLAIN_MODULES or module.startswith("collections"):
        yield (written.rpartition(".")[2], None)
    else:
        yield (path, None)


def _name(expr: Any, page: _Page) -> Iterator[Part]:
    if expr.name in page.subst and _is_typevar(expr):
        yield from _parts(page.subst[expr.name], page)
        return
    path = expr.canonical_path
    if not path.startswith("mirascope."):
        yield from _external(path, expr.name)
        return
    obj = page.code.get(path)
    target = _target(obj)
    if target is not None and target.path in page.public:
        yield (expr.name, page.public[target.path])
    elif (
        target is not None
        and target.is_attribute
        and target.value is not None
        and not isinstance(target.value, griffe.ExprCall)  # a TypeVar(...), a ParamSpec(...)
    ):
        # a private type alias (``AnthropicClient = Anthropic | ...``): show what it means
        yield from _parts(_expression(target.value, target.parent), page)
    elif obj is not None and obj.is_alias and target is None:
        # imported from outside mirascope
        parent = obj.parent
        yield from _external(page.code.first_import(parent, obj.name) or obj.target_path, obj.name)
    else:
        yield (expr.name, None)


def _is_typevar(expr: Any) -> bool:
    """Whether ``expr`` names a type variable of the decorator module (not some other
    ``ResponseT`` that happens to share the name)."""
    return expr.canonical_path.startswith(_DECORATOR + ".")


def _target(obj: Any) -> Any | None:
    if obj is None:
        return None
    if not obj.is_alias:
        return obj
    try:
        return obj.final_target
    except (griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None


def _expression(value: Any, parent: Any) -> Any:
    """An expression from griffe; a quoted annotation (``"a.B | C"``) parsed in the scope of
    the module that wrote it."""
    if isinstance(value, str) and value[:1] in "'\"":
        return griffe.get_expression(ast.parse(ast.literal_eval(value), mode="eval").body, parent)
    return value


def _text(expr: Any, page: _Page) -> str:
    return "".join(text for text, _ in _parts(expr, page))


def _html(expr: Any, page: _Page) -> str:
    """The type as inline HTML for a table cell, mirascope's own types linked."""
    out: list[str] = []
    for text, ident in _parts(expr, page):
        text = html.escape(text).replace("|", "&#124;")
        out.append(f'<autoref identifier="{ident}">{text}</autoref>' if ident else text)
    return f"<code>{''.join(out)}</code>"


def _md(text: str) -> str:
    """Docstring text (reStructuredText literals) as one markdown line fit for a table."""
    text = " ".join(text.split()).replace("``", "`")
    return text.replace("|", "\\|")


# -- the page -------------------------------------------------------------------------


def _page(code: _Code, module_path: str) -> _Page:
    module = code.get(module_path)
    if module is None or "call" not in module.members:
        raise ValueError(f"api:provider {module_path}: no such module with a `call`")
    public: dict[str, str] = {}
    for source in (code.get(_BASE), module):
        for name in source.exports or []:
            target = _target(source[name])
            if target is not None:
                public.setdefault(target.path, f"{source.path}.{name}")
    factory = code.decorator["CallFactory"]
    value = module["call"].value
    subscript = getattr(value, "function", value)
    if not (
        isinstance(subscript, griffe.ExprSubscript)
        and subscript.canonical_path == factory.path
        and isinstance(subscript.slice, griffe.ExprTuple)
    ):
        raise ValueError(f"{module_path}.call is not written as CallFactory[...](...): {value}")
    typevars = _type_params(factory)
    args = [_expression(arg, module) for arg in subscript.slice.elements]
    if len(typevars) != len(args):
        raise ValueError(f"{module_path}.call: CallFactory[{len(args)} types], {typevars}")
    return _Page(code, module, public, dict(zip(typevars, args, strict=True)))


def _type_params(cls: Any) -> list[str]:
    """The type variables of a generic class, from its ``Generic[...]``/``Protocol[...]``."""
    for base in cls.bases:
        if isinstance(base, griffe.ExprSubscript) and base.canonical_path in (
            "typing.Generic",
            "typing.Protocol",
        ):
            inner = base.slice
            return [
                str(n) for n in (inner.elements if isinstance(inner, griffe.ExprTuple) else [inner])
            ]
    raise ValueError(f"{cls.path}: no Generic[...] or Protocol[...] base")


def _signature(page: _Page, function: Any) -> str:
    lines = ["call("]
    star = False
    for p in function.parameters:
        if p.name == "self":
            continue
        if p.kind is griffe.ParameterKind.keyword_only and not star:
            lines.append("    *,")
            star = True
        default = f" = {p.default}" if p.default is not None else ""
        lines.append(f"    {p.name}: {_text(p.annotation, page)}{default},")
    return "\n".join([*lines, ")"])


def _descriptions(function: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for section in function.docstring.parsed if function.docstring else []:
        if section.kind is griffe.DocstringSectionKind.parameters:
            found |= {p.name: p.description for p in section.value}
    return found


def _parameters(page: _Page, function: Any) -> list[str]:
    described = _descriptions(function)
    rows = ["| Name | Type | Description | Default |", "|---|---|---|---|"]
    for p in function.parameters:
        if p.name == "self":
            continue
        description = described.get(p.name, "")
        if not description:
            log.warning(f"CallFactory.__call__: parameter {p.name!r} has no description")
        type_text = _text(p.annotation, page)
        if type_text == "None":  # the provider's type for it is Never: e.g. LiteLLM's client
            description = _never_reason(p.annotation, page) or "takes nothing but `None` here"
        default = f"`{p.default}`" if p.default is not None else "*required*"
        rows.append(
            f"| `{p.name}` | {_html(p.annotation, page)} | {_md(description)} | {default} |"
        )
    return rows


def _never_reason(annotation: Any, page: _Page) -> str | None:
    """The docstring of the provider's alias that stands for ``Never`` (``NoClient``)."""
    for name in annotation.iterate(flat=True):
        if isinstance(name, griffe.ExprName) and name.name in page.subst:
            arg = page.subst[name.name]
            if isinstance(arg, griffe.ExprName):
                target = _target(page.code.get(arg.canonical_path))
                if target is not None and target.docstring:
                    return target.docstring.value
    return None


def _condition(overload: Any, implementation: Any, page: _Page) -> str:
    """What selects an overload: its parameters typed otherwise than the implementation's."""
    declared = {p.name: p for p in implementation.parameters}
    found: list[str] = []
    for p in overload.parameters:
        if p.name == "self" or (
            p.name in declared and str(p.annotation) == str(declared[p.name].annotation)
        ):
            continue
        ann = p.annotation
        literal = (
            isinstance(ann, griffe.ExprSubscript)
            and ann.canonical_path in ("typing.Literal", "typing_extensions.Literal")
            and not isinstance(ann.slice, griffe.ExprTuple)
        )
        if literal or str(ann) == "None":
            value = str(ann.slice) if literal else "None"
            note = " (default)" if p.default is not None and str(p.default) == value else ""
            found.append(f"`{p.name}={value}`{note}")
        else:
            found.append(f"`{p.name}`: {_html(ann, page)}")
    return ", ".join(found) or "any arguments"


def _unwrap(expr: Any, name: str) -> Any | None:
    """``X`` of ``name[..., X]`` (the last type argument), else None."""
    if isinstance(expr, griffe.ExprSubscript) and expr.canonical_path.rpartition(".")[2] == name:
        inner = expr.slice
        return inner.elements[-1] if isinstance(inner, griffe.ExprTuple) else inner
    return None


def _returns(page: _Page, function: Any) -> list[str]:
    """One row per overload of ``CallFactory.__call__`` and of ``CallDecorator.__call__``."""
    protocol = page.code.decorator["CallDecorator"]
    (protocol_var,) = _type_params(protocol)
    # ``def`` before ``async def``, whatever the order of the protocol's overloads
    kinds = sorted(
        protocol.overloads["__call__"],
        key=lambda kind: "Coroutine" in str(kind.parameters["fn"].annotation),
    )
    rows = [
        "| Prompt function | Decorated with | Calling the decorated function |",
        "|---|---|---|",
    ]
    for overload in function.overloads or [function]:
        condition = _condition(overload, function, page)
        result = _unwrap(overload.returns, "CallDecorator")
        if result is None:  # not a CallDecorator: say what it is
            rows.append(f"| any | {condition} | {_html(overload.returns, page)} |")
            continue
        for kind in kinds:
            is_async = "Coroutine" in str(kind.parameters["fn"].annotation)
            out = _unwrap(kind.returns, "Callable")
            awaited = _unwrap(out, "Coroutine") if out is not None else None
            shown = awaited if awaited is not None else out
            sub = _Page(page.code, page.module, page.public, {**page.subst, protocol_var: result})
            call = "`await f(...)`" if awaited is not None else "`f(...)`"
            returns = (
                f"{call} gives {_html(shown, sub)}"
                if shown is not None
                else _html(kind.returns, sub)
            )
            rows.append(f"| `{'async def' if is_async else 'def'}` | {condition} | {returns} |")
    return rows


def _order(names: list[str]) -> list[str]:
    def rank(name: str) -> int:
        return next((n for n, rule in enumerate(_ORDER) if rule(name)), len(_ORDER))

    return sorted(names, key=rank)  # stable: the others keep the order of __all__


def provider_reference(code: _Code, module_path: str) -> str:
    """The markdown that replaces ``<!-- api:provider <module_path> -->``."""
    page = _page(code, module_path)
    function = code.decorator["CallFactory"]["__call__"]
    call = page.module["call"]
    intro = call.docstring.value if call.docstring else ""
    out = [
        f"::: {module_path}",
        "    options:",
        "      show_root_heading: false",
        "      members: false",
        "",
        f"## call {{: #{module_path}.call }}",
        "",
        _md(intro),
        "",
        "```python",
        _signature(page, function),
        "```",
        "",
        "**Parameters:**",
        "",
        *_parameters(page, function),
        "",
        "**Returns:** a decorator for a prompt function. The decorated function takes the "
        "prompt function's arguments; calling it gives:",
        "",
        *_returns(page, function),
        "",
    ]
    members = page.module.members
    names = [n for n in page.module.exports or [] if n != "call"]
    # a submodule with a ``call`` of its own (openai.responses) has a page of its own
    submodules = [n for n in names if n in members and members[n].is_module]
    for name in submodules:
        out += [
            f"## {name} {{: #{module_path}.{name} }}",
            "",
            f"`{module_path}.{name}`: a module of its own, with its own `call` and types "
            "(see its page).",
            "",
        ]
    for name in _order([n for n in names if n not in submodules]):
        out += [
            f"::: {module_path}.{name}",
            "    options:",
            "      show_root_full_path: false",
            "",
        ]
    return "\n".join(out)


_code: _Code | None = None


def on_pre_build(config: Any) -> None:
    """mkdocs event: read the code anew on each build (``mkdocs serve`` rebuilds)."""
    global _code
    _code = None


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """mkdocs event: expand the ``api:provider`` placeholders of the page."""
    global _code
    if "api:provider" not in markdown:
        return markdown
    lines = markdown.splitlines()
    for n, line in enumerate(lines):
        match = _PLACEHOLDER.match(line.strip())
        if match:
            if _code is None:
                _code = _Code(Path(config["docs_dir"]).resolve().parent)
            lines[n] = provider_reference(_code, match.group("module"))
    return "\n".join(lines) + "\n"
