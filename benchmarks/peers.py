"""mirascope beside its peers, in one run, on the same OpenAI fake: the raw OpenAI SDK,
mirascope, instructor, pydantic-ai and LiteLLM each make the same call (a text answer) and
the same structured call (the model calls ``FormatBook``; each library hands back the
validated arguments), and read the same data (the text or the tool's arguments, token
counts, finish reason).

    python -m benchmarks.peers [--budget S] [--burst N] [--rounds R]

Prints ``ROW {json}`` lines (``run.py --peers`` collects them): for each library and case,
the client CPU per call (whole call: each library's work plus the SDK's), as a ratio to the
raw SDK's in the same alternating blocks, and the throughput of ``--burst`` concurrent async
calls as a ratio to the raw SDK's. Before measuring, each library's request is sent once to
an in-process fake that keeps it, and the differences from the raw SDK's request body are
reported (instructor and pydantic-ai choose their own ``tool_choice``; the raw SDK and
mirascope send the same one as instructor here, so that three of them send one request).

Needs ``pip install -e ".[bench]"`` (instructor, pydantic-ai-slim[openai], matplotlib)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._fake import make
from benchmarks._harness import block_order, burst, fake_server
from benchmarks.cases import PROMPT, BookArgs, FormatBook, OpenAIBench, Reading

MODEL = "gpt-4o-mini"
CASES = ("call", "tool")
TOOL_CHOICE = {"type": "function", "function": {"name": "FormatBook"}}
"""What instructor sends to force its tool; the raw SDK and mirascope send it too."""
LIBRARIES = ("raw", "mirascope", "instructor", "pydantic-ai", "litellm")


class FormatBookArgs(BookArgs):
    """Format a book."""


FormatBookArgs.__name__ = "FormatBook"  # instructor names the tool after the class


def _messages() -> Any:
    return [{"role": "user", "content": PROMPT}]


def _tools() -> list[dict[str, Any]]:
    return [
        {
            "type": "function",
            "function": {
                "name": "FormatBook",
                "description": "Format a book.",
                "parameters": FormatBook.parameters_schema(),
            },
        }
    ]


_TOOLS = _tools()
_oai = OpenAIBench({"url": ""})  # its readers only


def _completion_reading(completion: Any, value: Any) -> Reading:
    choice, usage = completion.choices[0], completion.usage
    return Reading(value, usage.prompt_tokens, usage.completion_tokens, choice.finish_reason)


# -- each library's calls ---------------------------------------------------------------------


def raw_calls(client: Any, aclient: Any) -> dict[str, Callable[[], Any]]:
    create, acreate = client.chat.completions.create, aclient.chat.completions.create

    def tool_request() -> dict[str, Any]:
        return {"tools": _TOOLS, "tool_choice": TOOL_CHOICE}

    async def acall() -> Reading:
        return _oai.read(await acreate(model=MODEL, messages=_messages()))

    async def atool() -> Reading:
        return _oai.read_tool(await acreate(model=MODEL, messages=_messages(), **tool_request()))

    return {
        "call sync": lambda: _oai.read(create(model=MODEL, messages=_messages())),
        "tool sync": lambda: _oai.read_tool(
            create(model=MODEL, messages=_messages(), **tool_request())
        ),
        "call async": acall,
        "tool async": atool,
    }


def mirascope_calls(client: Any, aclient: Any) -> dict[str, Callable[[], Any]]:
    from mirascope.core import openai

    params: Any = {"tool_choice": TOOL_CHOICE}

    @openai.call(MODEL, client=client)
    def s_call() -> str:
        return PROMPT

    @openai.call(MODEL, client=client, tools=[FormatBook], call_params=params)
    def s_tool() -> str:
        return PROMPT

    @openai.call(MODEL, client=aclient)
    async def a_call() -> str:
        return PROMPT

    @openai.call(MODEL, client=aclient, tools=[FormatBook], call_params=params)
    async def a_tool() -> str:
        return PROMPT

    def read(response: Any, value: Any) -> Reading:
        finish = response.finish_reasons
        return Reading(value, response.input_tokens, response.output_tokens, finish[0])

    def call_sync() -> Reading:
        r = s_call()
        return read(r, r.content)

    def tool_sync() -> Reading:
        r = s_tool()
        return read(r, r.tool)

    async def call_async() -> Reading:
        r = await a_call()
        return read(r, r.content)

    async def tool_async() -> Reading:
        r = await a_tool()
        return read(r, r.tool)

    return {
        "call sync": call_sync,
        "tool sync": tool_sync,
        "call async": call_async,
        "tool async": tool_async,
    }


def instructor_calls(client: Any, aclient: Any) -> dict[str, Callable[[], Any]]:
    """Text through ``response_model=None`` (instructor hands back the SDK's completion);
    structured output through ``create_with_completion`` (the model and the completion
    its usage is read from)."""
    import instructor

    sync: Any = instructor.from_openai(client)
    asyn: Any = instructor.from_openai(aclient)

    def call_sync() -> Reading:
        completion = sync.chat.completions.create(
            model=MODEL, messages=_messages(), response_model=None
        )
        return _oai.read(completion)

    def tool_sync() -> Reading:
        book, completion = sync.chat.completions.create_with_completion(
            model=MODEL, messages=_messages(), response_model=FormatBookArgs
        )
        return _completion_reading(completion, book)

    async def call_async() -> Reading:
        completion = await asyn.chat.completions.create(
            model=MODEL, messages=_messages(), response_model=None
        )
        return _oai.read(completion)

    async def tool_async() -> Reading:
        book, completion = await asyn.chat.completions.create_with_completion(
            model=MODEL, messages=_messages(), response_model=FormatBookArgs
        )
        return _completion_reading(completion, book)

    return {
        "call sync": call_sync,
        "tool sync": tool_sync,
        "call async": call_async,
        "tool async": tool_async,
    }


def pydantic_ai_calls(client: Any, aclient: Any) -> dict[str, Callable[[], Any]]:
    """pydantic-ai's ``Agent`` over the same async OpenAI client (it takes no sync one: its
    sync calls, ``run_sync``, run the async ones in an event loop of its own); structured
    output as a tool named ``FormatBook``."""
    from pydantic_ai import Agent, ToolOutput
    from pydantic_ai.models.openai import OpenAIChatModel
    from pydantic_ai.providers.openai import OpenAIProvider

    model = OpenAIChatModel(MODEL, provider=OpenAIProvider(openai_client=aclient))
    text_agent = Agent(model)
    tool_agent = Agent(model, output_type=ToolOutput(FormatBookArgs, name="FormatBook"))

    def read(result: Any) -> Reading:
        usage = result.usage()
        finish = result.response.finish_reason
        return Reading(result.output, usage.input_tokens, usage.output_tokens, finish)

    async def call_async() -> Reading:
        return read(await text_agent.run(PROMPT))

    async def tool_async() -> Reading:
        return read(await tool_agent.run(PROMPT))

    return {
        "call sync": lambda: read(text_agent.run_sync(PROMPT)),
        "tool sync": lambda: read(tool_agent.run_sync(PROMPT)),
        "call async": call_async,
        "tool async": tool_async,
    }


def litellm_calls(client: Any, aclient: Any) -> dict[str, Callable[[], Any]]:
    """LiteLLM routes ``gpt-4o-mini`` to OpenAI's API, here through the same OpenAI client
    (its ``client=`` argument), as the others."""
    import litellm

    def tool_request() -> dict[str, Any]:
        return {"tools": _TOOLS, "tool_choice": TOOL_CHOICE}

    async def call_async() -> Reading:
        completion = await litellm.acompletion(model=MODEL, messages=_messages(), client=aclient)
        return _oai.read(completion)

    async def tool_async() -> Reading:
        completion = await litellm.acompletion(
            model=MODEL, messages=_messages(), client=aclient, **tool_request()
        )
        return _oai.read_tool(completion)

    def call_sync() -> Reading:
        return _oai.read(litellm.completion(model=MODEL, messages=_messages(), client=client))

    def tool_sync() -> Reading:
        completion = litellm.completion(
            model=MODEL, messages=_messages(), client=client, **tool_request()
        )
        return _oai.read_tool(completion)

    return {
        "call sync": call_sync,
        "tool sync": tool_sync,
        "call async": call_async,
        "tool async": tool_async,
    }


MAKERS: dict[str, Callable[[Any, Any], dict[str, Callable[[], Any]]]] = {
    "raw": raw_calls,
    "mirascope": mirascope_calls,
    "instructor": instructor_calls,
    "pydantic-ai": pydantic_ai_calls,
    "litellm": litellm_calls,
}


def _environ(url: str) -> dict[str, str]:
    return {
        "OPENAI_BASE_URL": url + "/v1",
        "OPENAI_API_KEY": "sk-bench",
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
    }


def _clients(url: str) -> tuple[Any, Any]:
    import openai

    return (
        openai.OpenAI(base_url=url + "/v1", api_key="sk-bench"),
        openai.AsyncOpenAI(base_url=url + "/v1", api_key="sk-bench"),
    )


def _plain(reading: Reading) -> list[Any]:
    value = reading.value
    if hasattr(value, "model_dump"):
        value = value.model_dump()
    return [value, reading.input_tokens, reading.output_tokens, reading.finish]


# -- the request check -------------------------------------------------------------------------


def _body_diff(raw: dict[str, Any], other: dict[str, Any]) -> list[str]:
    """What ``other`` sends differently from the raw SDK, by top-level key."""
    out: list[str] = []
    for key in sorted(set(raw) | set(other)):
        if key not in other:
            out.append(f"no {key}")
        elif key not in raw:
            out.append(f"+{key}={json.dumps(other[key])[:80]}")
        elif raw[key] != other[key]:
            out.append(f"{key} differs")
    return out


def request_check() -> dict[str, Any]:
    """Each library's call and tool request (sync; pydantic-ai's through ``run_sync``),
    compared with the raw SDK's; and whether each read the same data."""
    server = make("openai")
    server.record = True
    server.start()
    found: dict[str, Any] = {}
    try:
        os.environ.update(_environ(server.url))
        client, aclient = _clients(server.url)
        bodies: dict[str, dict[str, Any]] = {}
        readings: dict[str, dict[str, Any]] = {}
        for library, maker in MAKERS.items():
            calls = maker(client, aclient)
            for case in ("call sync", "tool sync"):
                reading = calls[case]()
                bodies.setdefault(case, {})[library] = server.requests[-1].json
                readings.setdefault(case, {})[library] = _plain(reading)
        for case, by_library in bodies.items():
            raw_body, raw_reading = by_library["raw"], readings[case]["raw"]
            for library, body in by_library.items():
                if library == "raw":
                    continue
                found.setdefault(library, {})[case.split()[0]] = {
                    "request_differs": _body_diff(raw_body, body),
                    # finish reasons are compared apart: pydantic-ai spells its own
                    "same_reading": readings[case][library][:3] == raw_reading[:3],
                    "same_finish": readings[case][library][3] == raw_reading[3],
                    "reading": readings[case][library],
                }
        asyncio.run(aclient.close())
    finally:
        server.stop()
    return found


# -- measuring -----------------------------------------------------------------------------------


def emit(row: dict[str, Any]) -> None:
    print("ROW " + json.dumps(row), flush=True)


class HTTPTimer:
    """Counts the CPU spent inside the HTTP exchange (``httpx``'s ``send`` of the OpenAI
    clients every library here goes through): a call's CPU outside it is the library's
    work plus the SDK's (building the request, parsing the answer), without the noisiest
    part, the same for every library."""

    def __init__(self) -> None:
        self.inside = 0.0

    def install(self, client: Any, aclient: Any) -> None:
        http, ahttp = client._client, aclient._client
        send, asend = http.send, ahttp.send

        def timed_send(*args: Any, **kwargs: Any) -> Any:
            t = time.process_time()
            try:
                return send(*args, **kwargs)
            finally:
                self.inside += time.process_time() - t

        async def timed_asend(*args: Any, **kwargs: Any) -> Any:
            t = time.process_time()
            try:
                return await asend(*args, **kwargs)
            finally:
                self.inside += time.process_time() - t

        http.send, ahttp.send = timed_send, timed_asend


def _plan(seconds_per_call: float, n: int, budget: float, min_blocks: int) -> tuple[int, int]:
    block = max(1, min(20, round(0.02 / max(seconds_per_call, 1e-6))))
    blocks = int(budget / (n * block * max(seconds_per_call, 1e-6)))
    return block, max(min_blocks, min(blocks, 300))


def _cpu_rows(
    mode: str, case: str, whole: dict[str, list[float]], outside: dict[str, list[float]], block: int
) -> None:
    for library in whole:

        def ratio(samples: dict[str, list[float]], library: str = library) -> float:
            pairs = zip(samples[library], samples["raw"], strict=True)
            return round(statistics.median(v / r for v, r in pairs), 3)

        emit(
            {
                "provider": "peers",
                "kind": "peer",
                "case": f"{case} {mode}",
                "library": library,
                "cpu_us": round(statistics.median(whole[library]) * 1e6, 1),
                "raw_cpu_us": round(statistics.median(whole["raw"]) * 1e6, 1),
                "cpu_over_raw": ratio(whole),
                "outside_http_us": round(statistics.median(outside[library]) * 1e6, 1),
                "raw_outside_http_us": round(statistics.median(outside["raw"]) * 1e6, 1),
                "outside_http_over_raw": ratio(outside),
                "blocks": len(whole[library]),
                "block_size": block,
            }
        )


def measure_sync(
    variants: dict[str, Callable[[], Any]], timer: HTTPTimer, budget: float, min_blocks: int
) -> tuple[dict[str, list[float]], dict[str, list[float]], int]:
    """Per-call CPU of each library, whole and outside the HTTP exchange, in blocks that
    rotate the libraries' order."""
    for fn in variants.values():
        fn()
        fn()
    t = time.perf_counter()
    variants["raw"]()
    block, blocks = _plan(time.perf_counter() - t, len(variants), budget, min_blocks)
    whole: dict[str, list[float]] = {k: [] for k in variants}
    outside: dict[str, list[float]] = {k: [] for k in variants}
    items = list(variants.items())
    for i in range(blocks):
        for key, fn in block_order(items, i):
            timer.inside = 0.0
            t = time.process_time()
            for _ in range(block):
                fn()
            total = time.process_time() - t
            whole[key].append(total / block)
            outside[key].append((total - timer.inside) / block)
    return whole, outside, block


async def measure_async(
    variants: dict[str, Callable[[], Any]], timer: HTTPTimer, budget: float, min_blocks: int
) -> tuple[dict[str, list[float]], dict[str, list[float]], int]:
    """``measure_sync`` for coroutine functions, one call at a time."""
    for fn in variants.values():
        await fn()
        await fn()
    t = time.perf_counter()
    await variants["raw"]()
    block, blocks = _plan(time.perf_counter() - t, len(variants), budget, min_blocks)
    whole: dict[str, list[float]] = {k: [] for k in variants}
    outside: dict[str, list[float]] = {k: [] for k in variants}
    items = list(variants.items())
    for i in range(blocks):
        for key, fn in block_order(items, i):
            timer.inside = 0.0
            t = time.process_time()
            for _ in range(block):
                await fn()
            total = time.process_time() - t
            whole[key].append(total / block)
            outside[key].append((total - timer.inside) / block)
    return whole, outside, block


async def _async_part(url: str, timer: HTTPTimer, args: argparse.Namespace) -> None:
    # clients of this loop (pydantic-ai's run_sync bound the sync part's to its own)
    client, aclient = _clients(url)
    timer.install(client, aclient)
    calls = {lib: maker(client, aclient) for lib, maker in MAKERS.items()}
    for case in CASES:
        variants = {lib: c[f"{case} async"] for lib, c in calls.items()}
        whole, outside, block = await measure_async(variants, timer, args.budget, args.min_blocks)
        _cpu_rows("async", case, whole, outside, block)
    n = args.burst
    if not n:
        return
    # throughput: n concurrent text calls per library, the libraries in turn, rounds
    # rotating the order; one process, so no memory figure
    rates: dict[str, list[float]] = {lib: [] for lib in calls}
    order = list(calls)
    for lib in order:
        await burst(calls[lib]["call async"], min(n, 25))
    for r in range(args.rounds):
        for lib in order[r % len(order) :] + order[: r % len(order)]:
            rate, _ = await burst(calls[lib]["call async"], n)
            rates[lib].append(rate)
    await aclient.close()
    raw_rate = statistics.median(rates["raw"])
    for lib, values in rates.items():
        emit(
            {
                "provider": "peers",
                "kind": "peer throughput",
                "case": f"{n} async calls",
                "library": lib,
                "calls_per_s": round(statistics.median(values), 1),
                "over_raw": round(statistics.median(values) / raw_rate, 3),
                "samples_calls_per_s": [round(v, 1) for v in values],
            }
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--budget", type=float, default=1.0, help="seconds per case and mode")
    parser.add_argument("--burst", type=int, default=200, help="concurrent calls (0: none)")
    parser.add_argument("--rounds", type=int, default=3, help="bursts per library")
    parser.add_argument("--min-blocks", type=int, default=7)
    args = parser.parse_args()
    for library, cases in request_check().items():
        emit(
            {
                "provider": "peers",
                "kind": "peer request",
                "case": "request",
                "library": library,
                "cases": cases,
            }
        )
    with fake_server("openai") as server:
        url = server["url"]
        os.environ.update(_environ(url))
        client, aclient = _clients(url)
        timer = HTTPTimer()
        timer.install(client, aclient)
        calls = {lib: maker(client, aclient) for lib, maker in MAKERS.items()}
        for case in CASES:
            variants = {lib: c[f"{case} sync"] for lib, c in calls.items()}
            whole, outside, block = measure_sync(variants, timer, args.budget, args.min_blocks)
            _cpu_rows("sync", case, whole, outside, block)
        asyncio.run(_async_part(url, timer, args))


if __name__ == "__main__":
    main()
