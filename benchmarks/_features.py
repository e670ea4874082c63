"""The features of ``profile_self.py --features``: each one the plain call (or plain stream)
of a provider with one feature added, as a user writes it, beside the plain call itself.

Every function here sends the same prompt, which carries ``benchmarks._fake.STRUCTURED``:
the fake answers it with one book as JSON (about 50 words, as the echo of the other cases
is), so the plain call and the structured ones decode an answer of the same size, and the
difference is what the feature adds. What each side reads: the plain call its ``content``;
a structured call its model; a stream each chunk's ``content`` (a structured stream: each
partial model, then ``output``); ``cost`` the plain call's ``content`` and ``cost``.

``unused_code`` lists the code of each feature a plain call runs without it: none is the
claim "0 us when unused", checked rather than timed."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any, NamedTuple

from pydantic import BaseModel

from benchmarks._fake import STRUCTURED
from benchmarks.cases import PROMPT, Bench

FEATURE_PROMPT = f"{PROMPT} {STRUCTURED}"


class Book(BaseModel):
    """A book: the features' response model (the fake's ``STRUCTURED_BOOK``)."""

    title: str
    author: str
    plot: str


class Feature(NamedTuple):
    """One variant: the function (a coroutine function's result for async), what it is
    compared with, and whether it is measured per chunk."""

    fn: Callable[[], Any]
    base: str
    per_chunk: bool = False
    mode: str = ""
    """The output mode a response model is asked in (the provider's default for streams)."""


BASES = ("call", "stream")
CALL_FEATURES = ("strict", "json", "tool", "llm.call", "retry", "limiter", "cost")
STREAM_FEATURES = ("partials",)
FEATURES = CALL_FEATURES + STREAM_FEATURES
LABELS = {
    "strict": "response_model strict",
    "json": "response_model json",
    "tool": "response_model tool",
    "llm.call": "llm.call",
    "retry": "retry (not triggered)",
    "limiter": "RateLimit (no wait)",
    "cost": "response.cost (1st read)",
    "partials": "partial models /chunk",
}


def _policy() -> dict[str, Any]:
    """A retry policy as the docs write one (mirascope's ``retry`` with the vendor's
    retryable errors and its Retry-After), never triggered here."""
    import tenacity

    from mirascope.retries import is_retryable
    from mirascope.retries.tenacity import wait_retry_after

    return {
        "retry": tenacity.retry_if_exception(is_retryable),
        "wait": wait_retry_after(),
        "stop": tenacity.stop_after_attempt(3),
    }


def features(bench: Bench, client: Any, *, is_async: bool) -> dict[str, Feature]:
    """The bases (``call``, ``stream``) and every feature the provider has, bound to
    ``client`` (None: the default client)."""
    from mirascope import llm
    from mirascope.core import RateLimit
    from mirascope.llm._registry import PROVIDER_TABLE
    from mirascope.retries.tenacity import retry

    provider: Any = importlib.import_module(f"mirascope.core.{bench.name}")
    llm_call: Any = llm.call  # the provider's name is a str here, not its literal
    model, prompt = bench.model, FEATURE_PROMPT
    adapter = importlib.import_module(f"mirascope.core.{bench.name}._adapter").ADAPTER
    modes = ["strict"] if "strict" in adapter.output_modes else []
    modes += ["json", "tool"]
    default_mode = "strict" if "strict" in modes else "tool"  # what no output_mode asks
    # every kind of limit, none ever reached: the cost of counting, not of waiting
    huge = RateLimit(requests=10**9, tokens=10**12, concurrency=10**6)

    def decorate(call: Any, **options: Any) -> Any:
        if is_async:

            async def prompt_async() -> str:
                return prompt

            return call(model, client=client, **options)(prompt_async)

        def prompt_sync() -> str:
            return prompt

        return call(model, client=client, **options)(prompt_sync)

    plain = decorate(provider.call)
    # every provider llm.call names (a bench outside its table gets "-")
    has_llm = bench.name in PROVIDER_TABLE
    via_llm = decorate(lambda *a, **k: llm_call(bench.name, *a, **k)) if has_llm else None
    limited = decorate(provider.call, limiter=huge)
    retried = retry(**_policy())(decorate(provider.call))
    stream = decorate(provider.call, stream=True)
    structured = {m: decorate(provider.call, response_model=Book, output_mode=m) for m in modes}
    partials = decorate(provider.call, response_model=Book, stream=True)

    out: dict[str, Feature] = {}
    if is_async:

        def read_async(fn: Any) -> Callable[[], Any]:
            async def run() -> Any:
                return (await fn()).content

            return run

        async def cost_async() -> Any:
            response = await plain()
            return response.content, response.cost

        async def stream_async() -> Any:
            parts: list[str] = []
            opened = await stream()
            async for chunk, _ in opened:
                parts.append(chunk.content)
            return "".join(parts)

        async def partials_async() -> Any:
            opened = await partials()
            async for _ in opened:
                pass
            return opened.output

        out["call"] = Feature(read_async(plain), "")
        out["stream"] = Feature(stream_async, "", per_chunk=True)
        for m, fn in structured.items():
            out[m] = Feature(fn, "call", mode=m)
        if via_llm is not None:
            out["llm.call"] = Feature(read_async(via_llm), "call")
        out["retry"] = Feature(read_async(retried), "call")
        out["limiter"] = Feature(read_async(limited), "call")
        out["cost"] = Feature(cost_async, "call")
        out["partials"] = Feature(partials_async, "stream", True, default_mode)
        return out

    def read(fn: Any) -> Callable[[], Any]:
        return lambda: fn().content

    def cost_sync() -> Any:
        response = plain()
        return response.content, response.cost

    def stream_sync() -> Any:
        return "".join(chunk.content for chunk, _ in stream())

    def partials_sync() -> Any:
        opened = partials()
        for _ in opened:
            pass
        return opened.output

    out["call"] = Feature(read(plain), "")
    out["stream"] = Feature(stream_sync, "", per_chunk=True)
    for m, fn in structured.items():
        out[m] = Feature(fn, "call", mode=m)
    if via_llm is not None:
        out["llm.call"] = Feature(read(via_llm), "call")
    out["retry"] = Feature(read(retried), "call")
    out["limiter"] = Feature(read(limited), "call")
    out["cost"] = Feature(cost_sync, "call")
    out["partials"] = Feature(partials_sync, "stream", True, default_mode)
    return out


# -- the code of each feature, which a call without it must not run -----------------------

FEATURE_CODE: dict[str, Callable[[str, str], bool]] = {
    "response_model": lambda path, name: path.endswith(("_engine/partial.py", "_engine/output.py")),
    "llm.call": lambda path, name: "/mirascope/llm/" in path,
    "retry": lambda path, name: "/mirascope/retries/" in path,
    "limiter": lambda path, name: path.endswith(("_engine/limiter.py", "_engine/policy.py")),
    "cost": lambda path, name: (
        "/mirascope/core/costs/" in path
        or ("/mirascope/" in path and name in ("cost", "cost_metadata", "reported_cost"))
    ),
}
"""mirascope's code of each feature, by file and function. Only mirascope's: an SDK may use
tenacity itself (google-genai does, for its own retries)."""


@contextmanager
def entered() -> Iterator[set[tuple[str, str]]]:
    """The Python functions (file, name) entered inside the block, through
    ``sys.setprofile`` (which sees the frames of coroutines resumed in this thread too)."""
    seen: set[tuple[str, str]] = set()

    def profile(frame: FrameType, event: str, arg: object) -> None:
        if event == "call":
            code = frame.f_code
            seen.add((code.co_filename.replace("\\", "/"), code.co_name))

    sys.setprofile(profile)
    try:
        yield seen
    finally:
        sys.setprofile(None)


def unused_code(seen: set[tuple[str, str]]) -> dict[str, list[str]]:
    """Per feature, the functions of its code among ``seen`` (empty: none ran)."""
    return {
        feature: sorted(
            f"{path.rsplit('/', 2)[-1]}:{name}" for path, name in seen if test(path, name)
        )
        for feature, test in FEATURE_CODE.items()
    }
