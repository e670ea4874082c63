"""What a retry policy or a fallback costs a call that succeeds at once, without I/O.

    python benchmarks/retry_overhead.py                 # openai, sync and async
    python benchmarks/retry_overhead.py bedrock --calls 20000
    python benchmarks/retry_overhead.py --all           # every provider

As ``profile_self.py``: one real call through the SDK against the provider's fake records
its answer, then every call replays it, so the loop runs only Python. Each variant wraps the
same decorated call; the figure is its extra CPU time per call over the bare call (best of
several interleaved rounds). The budget: at most 5 us for a configured policy
(``mirascope.retries.tenacity.retry`` with ``is_retryable`` and ``wait_retry_after``, or
``fallback``), and nothing for a call that configures none: such a call runs no code of
``mirascope.retries``, which it does not even import (checked below).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.cases import BENCHES, PROMPT, Bench  # noqa: E402
from benchmarks.profile_self import _Replay, _start_fake  # noqa: E402

BUDGET_US = 5.0
VARIANTS = ("retry", "fallback", "fallback+retry", "tenacity.retry")
"""Wrappers around the call; tenacity's own ``retry`` is shown for comparison (no budget)."""


def _wrapped(call: Callable[..., Any], variant: str, other: str) -> Callable[..., Any]:
    import tenacity

    from mirascope.retries import fallback, is_retryable
    from mirascope.retries.tenacity import retry, wait_retry_after

    policy: dict[str, Any] = {
        "retry": tenacity.retry_if_exception(is_retryable),
        "wait": wait_retry_after(),
        "stop": tenacity.stop_after_attempt(3),
    }
    if variant == "tenacity.retry":
        return tenacity.retry(**policy)(call)
    if variant == "retry":
        return retry(**policy)(call)
    inner = retry(**policy)(call) if variant == "fallback+retry" else call
    plan: Any = {"catch": is_retryable, "provider": other, "model": "fallback-model"}
    return fallback(is_retryable, [plan])(inner)


def _child(provider: str, server: dict[str, str], calls: int, rounds: int, is_async: bool) -> None:
    bench: Bench = BENCHES[provider](server)
    bench.setup()
    _Replay(importlib.import_module(f"mirascope.core.{provider}._adapter").ADAPTER).install()
    module: Any = importlib.import_module(f"mirascope.core.{provider}")
    other = "anthropic" if provider == "openai" else "openai"

    if is_async:

        async def prompt_async() -> str:
            return PROMPT

        call = module.call(bench.model)(prompt_async)
    else:

        def prompt() -> str:
            return PROMPT

        call = module.call(bench.model)(prompt)

    async def timed(fn: Callable[..., Any]) -> float:
        start = time.process_time()
        for _ in range(calls):
            out = fn()
            if is_async:
                await out
        return (time.process_time() - start) / calls * 1e6

    async def run() -> dict[str, float]:
        first = call()  # the one real call: records the SDK's answer
        if is_async:
            await first
        bare_imports_retries = "mirascope.retries" in sys.modules
        fns = {"bare": call, **{v: _wrapped(call, v, other) for v in VARIANTS}}
        best = {name: float("inf") for name in fns}
        for _ in range(rounds):  # interleaved, so that drift hits every variant alike
            for name, fn in fns.items():
                best[name] = min(best[name], await timed(fn))
        best["bare imports mirascope.retries"] = float(bare_imports_retries)
        return best

    print(json.dumps(asyncio.run(run())))


def measure(provider: str, calls: int, rounds: int, is_async: bool) -> dict[str, float]:
    fake, server = _start_fake(provider)
    try:
        env = {**os.environ, **BENCHES[provider](server).environ()}
        argv = [sys.executable, "-m", "benchmarks.retry_overhead", provider]
        argv += ["--calls", str(calls), "--rounds", str(rounds), "--server", json.dumps(server)]
        argv += ["--async"] if is_async else []
        done = subprocess.run(
            argv, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True
        )
        return json.loads(done.stdout.splitlines()[-1])
    finally:
        fake.terminate()
        fake.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("provider", nargs="?", default="openai")
    parser.add_argument("--calls", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--all", action="store_true", help="every provider")
    parser.add_argument("--async", dest="is_async", action="store_true")
    parser.add_argument("--server", help=argparse.SUPPRESS)  # set in the measuring process
    args = parser.parse_args()
    if args.server:
        _child(args.provider, json.loads(args.server), args.calls, args.rounds, args.is_async)
        return
    print(
        "| provider | mode | bare call (us) | " + " | ".join(f"+{v} (us)" for v in VARIANTS) + " |"
    )
    print("|---|---|---:|" + "---:|" * len(VARIANTS))
    over = False
    for provider in BENCHES if args.all else [args.provider]:
        for is_async in (False, True):
            got = measure(provider, args.calls, args.rounds, is_async)
            assert got.pop("bare imports mirascope.retries") == 0.0, "the bare call imported it"
            extra = {v: got[v] - got["bare"] for v in VARIANTS}
            over |= any(extra[v] > BUDGET_US for v in VARIANTS if v != "tenacity.retry")
            cells = " | ".join(f"{extra[v]:+.2f}" for v in VARIANTS)
            mode = "async" if is_async else "sync"
            print(f"| {provider} | {mode} | {got['bare']:.1f} | {cells} |", flush=True)
    print(f"budget {BUDGET_US} us for retry and fallback: {'EXCEEDED' if over else 'met'}")
    sys.exit(1 if over else 0)


if __name__ == "__main__":
    main()
