"""Developer sessions: tests, lint, typecheck, examples, benchmarks, the lock.

Every session but ``tests_latest`` installs the versions pinned in ``requirements-lock.txt``
(exported from ``uv.lock``), the same ones CI and the README's test command install."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.reuse_existing_virtualenvs = True

LOCK = ("-c", "requirements-lock.txt")
"""pip constraints: every dependency at the version known green."""


def _install(session: nox.Session, *args: str) -> None:
    session.install(*LOCK, *args)


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite (as CI runs it), on the locked versions."""
    _install(session, "-e", ".[all,dev]")
    session.run("pytest", "-n", "2", "-q", *session.posargs)


@nox.session
def tests_latest(session: nox.Session) -> None:
    """The suite on the newest releases the extras' ranges allow (no lock): run it before
    regenerating the lock and now and then, to catch an SDK release that breaks us before a
    user does."""
    session.install("--upgrade", "--upgrade-strategy", "eager", "-e", ".[all,dev]")
    session.run("pip", "list", "--format", "freeze", silent=False)
    session.run("pytest", "-n", "2", "-q", *session.posargs)


@nox.session
def lock(session: nox.Session) -> None:
    """Regenerate ``uv.lock`` and its pip export ``requirements-lock.txt``; ``-- --upgrade``
    moves every pin to the newest release the ranges allow (run ``tests_latest`` first)."""
    session.install("uv")
    session.run("uv", "lock", *session.posargs)
    session.run(
        "uv",
        "export",
        "--frozen",
        "--no-hashes",
        "--all-extras",
        "--no-emit-project",
        "--quiet",
        "-o",
        "requirements-lock.txt",
    )


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: lint and format check."""
    _install(session, "ruff")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """pyright, strict on mirascope/, against this session's interpreter."""
    _install(session, "-e", ".[all,dev]")
    python = session.run("python", "-c", "import sys; print(sys.executable)", silent=True)
    session.run("pyright", "--pythonpath", str(python).strip())


@nox.session
def examples(session: nox.Session) -> None:
    """The demo, then the guide's examples, against the fake servers."""
    _install(session, "-e", ".[all,dev]")
    session.run("python", "examples/demo.py")
    session.run("pytest", "-n", "2", "-q", "-m", "guide", "tests/guide", *session.posargs)


INSTRUCTOR = "instructor==1.17.0"
"""Installed without its dependencies: it pins jiter<0.15, which openai 3.x's jiter>=0.16
excludes (it runs on the newer jiter); its other needs come with the ``all`` extra."""


@nox.session
def bench(session: nox.Session) -> None:
    """Everything ``benchmarks/`` measures: the overhead over the raw SDKs (three runs,
    medians), the peers, the sweeps; writes benchmarks/results.json, benchmarks/RESULTS.md
    and the charts in docs/img/perf/. ``-- --quick`` for a smaller run (then pass your own
    ``--markdown``/``--charts`` paths to keep the published ones)."""
    _install(session, "-e", ".[all,dev,bench]")
    session.install("--no-deps", INSTRUCTOR)
    args = session.posargs or [
        "--repeat=3",
        "--import-runs=5",
        "--markdown=benchmarks/RESULTS.md",
        "--charts=docs/img/perf",
    ]
    session.run("python", "benchmarks/run.py", *args)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site with warnings as errors (``-- serve`` to preview it)."""
    _install(session, "-e", ".[docs]")
    if session.posargs[:1] == ["serve"]:
        session.run("mkdocs", "serve", *session.posargs[1:])
    else:
        session.run("mkdocs", "build", "--strict", *session.posargs)


@nox.session
def docs_check(session: nox.Session) -> None:
    """Build the site strictly, then check in headless Chromium that the provider tabs fit
    (no scrolling tab strip, every label visible) on a few pages at 1280 and 390 px wide.

    Needs Debian's Chromium (``apt-get install chromium``): playwright drives it, and
    downloads no browser. ``-- --page tools/ --width 800 --screenshots DIR`` to choose."""
    import tempfile

    _install(session, "-e", ".[docs]", "playwright")
    with tempfile.TemporaryDirectory(prefix="docs-check-") as tmp:
        site = f"{tmp}/site"
        session.run(
            "mkdocs", "build", "--strict", "--site-dir", site, env={"NO_MKDOCS_2_WARNING": "1"}
        )
        session.run("python", "docs/hooks/check_tabs.py", site, *session.posargs)
