"""Developer sessions: tests, lint, typecheck, examples, benchmarks."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.reuse_existing_virtualenvs = True


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite (as CI runs it)."""
    session.install("-e", ".[all,dev]")
    session.run("pytest", "-n", "2", "-q", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: lint and format check."""
    session.install("ruff")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """pyright, strict on mirascope/."""
    session.install("-e", ".[all,dev]")
    session.run("pyright")


@nox.session
def examples(session: nox.Session) -> None:
    """The guide's examples and the demo, against the fake servers."""
    session.install("-e", ".[all,dev]")
    session.run("python", "examples/demo.py")
    session.run("pytest", "-n", "2", "-q", "-m", "guide")


@nox.session
def bench(session: nox.Session) -> None:
    """Overhead over the raw SDKs (prints ratios, writes benchmarks/results.json)."""
    session.install("-e", ".[all,dev]")
    session.run("python", "benchmarks/run.py", *session.posargs)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site with warnings as errors (``-- serve`` to preview it)."""
    session.install("-e", ".[docs]")
    if session.posargs[:1] == ["serve"]:
        session.run("mkdocs", "serve", *session.posargs[1:])
    else:
        session.run("mkdocs", "build", "--strict", *session.posargs)
