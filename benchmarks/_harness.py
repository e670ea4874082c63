"""Measuring tools: the fake server in its own process (its CPU is not ours), client CPU
per call with the raw SDK and mirascope interleaved in small blocks (paired, so that the
machine's drifting load hits both alike), 1,000-call bursts, and fresh-process imports."""

from __future__ import annotations

import asyncio
import functools
import gc
import json
import math
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

BLOCK_WALL_S = 0.02
"""Target wall time of one block of calls: short, so that raw and mirascope blocks
alternate many times and share the machine's load."""


@contextmanager
def fake_server(provider: str) -> Iterator[dict[str, str]]:
    """``python -m benchmarks._fake <provider>`` in a child process; yields its address."""
    proc = subprocess.Popen(
        [sys.executable, "-W", "ignore", "-m", "benchmarks._fake", provider],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the {provider} fake server did not start")
        yield json.loads(line)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# -- statistics ----------------------------------------------------------------------


@dataclass
class Paired:
    """The median of paired differences (variant block minus raw block) and its standard
    error (from the MAD: robust to the load spikes of a shared machine)."""

    median: float
    se: float

    @classmethod
    def of(cls, a: list[float], b: list[float]) -> Paired:
        diffs = [x - y for x, y in zip(a, b, strict=True)]
        med = statistics.median(diffs)
        mad = statistics.median(abs(d - med) for d in diffs)
        return cls(med, 1.2533 * 1.4826 * mad / math.sqrt(len(diffs)))


def summarize(samples: dict[str, list[float]], base: str = "raw") -> dict[str, Any]:
    """Medians per variant (seconds) and each variant's paired difference from ``base``."""
    out: dict[str, Any] = {"median": {k: statistics.median(v) for k, v in samples.items()}}
    out["over"] = {k: Paired.of(v, samples[base]) for k, v in samples.items() if k != base}
    return out


# -- client CPU per call ---------------------------------------------------------------


def block_order(items: list[Any], i: int) -> list[Any]:
    """The variants' order in round ``i``: a fresh permutation each round (seeded, so runs
    repeat), so that no variant always runs first, nor always after the same one. (A
    rotation would keep each variant behind the same neighbour, which then hands it its
    garbage and its cooled caches in every round: a heavy peer made the raw SDK that
    always followed it look 9 % dearer than the libraries on top of it.)"""
    return random.Random(i).sample(items, len(items))


def _plan(seconds_per_call: float, n_variants: int, budget_s: float, min_blocks: int):
    block = max(1, min(50, round(BLOCK_WALL_S / max(seconds_per_call, 1e-6))))
    blocks = int(budget_s / (n_variants * block * max(seconds_per_call, 1e-6)))
    return block, max(min_blocks, min(blocks, 400))


def cpu_sync(
    variants: dict[str, Callable[[], Any]], budget_s: float, min_blocks: int = 7
) -> tuple[dict[str, list[float]], int]:
    """Client CPU seconds per call of each variant, in alternating blocks; returns the
    per-block samples and the block size. The first variant is the reference."""
    for fn in variants.values():  # warm: connections, default clients, caches
        for _ in range(2):
            fn()
    start = time.perf_counter()
    first = next(iter(variants.values()))
    for _ in range(2):
        first()
    block, blocks = _plan((time.perf_counter() - start) / 2, len(variants), budget_s, min_blocks)
    samples: dict[str, list[float]] = {k: [] for k in variants}
    items = list(variants.items())
    gc.collect()
    for i in range(blocks):
        for key, fn in block_order(items, i):
            t = time.process_time()
            for _ in range(block):
                fn()
            samples[key].append((time.process_time() - t) / block)
    return samples, block


async def cpu_async(
    variants: dict[str, Callable[[], Awaitable[Any]]], budget_s: float, min_blocks: int = 7
) -> tuple[dict[str, list[float]], int]:
    """``cpu_sync`` for coroutine functions, awaited one at a time in the running loop."""
    for fn in variants.values():
        for _ in range(2):
            await fn()
    start = time.perf_counter()
    first = next(iter(variants.values()))
    for _ in range(2):
        await first()
    block, blocks = _plan((time.perf_counter() - start) / 2, len(variants), budget_s, min_blocks)
    samples: dict[str, list[float]] = {k: [] for k in variants}
    items = list(variants.items())
    gc.collect()
    for i in range(blocks):
        for key, fn in block_order(items, i):
            t = time.process_time()
            for _ in range(block):
                await fn()
            samples[key].append((time.process_time() - t) / block)
    return samples, block


# -- self time: a call's CPU minus the time inside the SDK ------------------------------------

_clock = time.thread_time
"""This thread's CPU: an SDK's helper threads (litellm's logging) are the SDK's share."""


class Probe:
    """How the raw cases enter the SDK: ``call(fn, ...)``, ``await acall(fn, ...)``, and
    ``iter`` / ``aiter`` around the SDK's stream. This one passes straight through."""

    def call(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    async def acall(self, fn: Callable[..., Awaitable[Any]], /, *args: Any, **kwargs: Any) -> Any:
        return await fn(*args, **kwargs)

    def iter(self, stream: Any) -> Any:
        return stream

    def aiter(self, stream: Any) -> Any:
        return stream


NO_PROBE = Probe()


class SDKTimer(Probe):
    """Counts the CPU spent inside the SDK: the raw cases enter it through this probe, and
    mirascope through its adapter's ``send`` / ``open_stream`` methods, which ``install``
    wraps (instance attributes shadow the methods; ``uninstall`` removes them). A call's
    self time is its CPU minus that: the SDK's large, noisy share drops out, and both
    sides carry the same timing cost per SDK crossing, so their difference is fair."""

    def __init__(self) -> None:
        self.inside = 0.0
        self.crossings = 0
        self.leak = 0.0
        """CPU per crossing that the timing adds outside the timed span (calibrated)."""

    def reset(self) -> None:
        self.inside, self.crossings = 0.0, 0

    def self_time(self, total: float) -> float:
        """``total`` CPU of some calls minus the SDK's share and the timing's own cost."""
        return total - self.inside - self.leak * self.crossings

    # -- the probe, for the raw side
    def call(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        self.crossings += 1
        t = _clock()
        try:
            return fn(*args, **kwargs)
        finally:
            self.inside += _clock() - t

    async def acall(self, fn: Callable[..., Awaitable[Any]], /, *args: Any, **kwargs: Any) -> Any:
        self.crossings += 1
        t = _clock()
        try:
            return await fn(*args, **kwargs)
        finally:
            self.inside += _clock() - t

    def iter(self, stream: Any) -> Any:
        return _TimedIter(stream, self)

    def aiter(self, stream: Any) -> Any:
        return _TimedAsyncIter(stream, self)

    # -- mirascope's side
    @contextmanager
    def installed(self, adapter: Any) -> Iterator[None]:
        """Time ``adapter``'s SDK calls (as the raw side's probe does) while inside."""
        send, send_async = adapter.send, adapter.send_async
        open_stream, open_stream_async = adapter.open_stream, adapter.open_stream_async

        # partials, not wrapper functions: the call reaches the probe as the raw side's
        # does, with no frame (and, async, no coroutine) of the harness's around it to
        # count as mirascope's own time
        timed_send = functools.partial(self.call, send)
        timed_send_async = functools.partial(self.acall, send_async)

        def timed_open_stream(client: Any, request: Any) -> Any:
            return self.iter(self.call(open_stream, client, request))

        async def timed_open_stream_async(client: Any, request: Any) -> Any:
            return self.aiter(await self.acall(open_stream_async, client, request))

        timed = {
            "send": timed_send,
            "send_async": timed_send_async,
            "open_stream": timed_open_stream,
            "open_stream_async": timed_open_stream_async,
        }
        for name, fn in timed.items():
            setattr(adapter, name, fn)
        try:
            yield
        finally:
            for name in timed:
                adapter.__dict__.pop(name, None)

    def calibrate(self, n: int = 20000) -> None:
        """Measure ``leak``: the same timing around a step that costs nothing."""
        it = iter(range(n))
        t = _clock()
        for _ in range(n):
            next(it)
        bare = _clock() - t
        self.reset()
        timed = _TimedIter(iter(range(n)), self)
        t = _clock()
        for _ in range(n):
            next(timed)
        total = _clock() - t
        self.leak = max(0.0, (total - self.inside - bare) / n)
        self.reset()


class _TimedIter:
    __slots__ = ("_it", "_source", "_timer")

    def __init__(self, it: Any, timer: SDKTimer) -> None:
        # the iterator may be another object than the stream (whose close() is asked for)
        self._source, self._it, self._timer = it, iter(it), timer

    def __iter__(self) -> _TimedIter:
        return self

    def __next__(self) -> Any:
        timer = self._timer
        timer.crossings += 1
        t = _clock()
        try:
            return next(self._it)
        finally:
            timer.inside += _clock() - t

    def __getattr__(self, name: str) -> Any:  # close() and the SDK's own attributes
        return getattr(self._source, name)


class _TimedAsyncIter:
    __slots__ = ("_it", "_source", "_timer")

    def __init__(self, it: Any, timer: SDKTimer) -> None:
        self._source, self._it, self._timer = it, it.__aiter__(), timer

    def __aiter__(self) -> _TimedAsyncIter:
        return self

    async def __anext__(self) -> Any:
        timer = self._timer
        timer.crossings += 1
        t = _clock()
        try:
            return await self._it.__anext__()
        finally:
            timer.inside += _clock() - t

    def __getattr__(self, name: str) -> Any:
        return getattr(self._source, name)


def self_sync(
    timer: SDKTimer,
    variants: dict[str, tuple[Callable[[], Any], Callable[[], AbstractContextManager[Any]]]],
    blocks: int,
    block: int,
) -> dict[str, list[float]]:
    """Self CPU seconds per call of each variant, per block, the variants alternating;
    each runs inside its context (which routes its SDK calls through ``timer``)."""
    samples: dict[str, list[float]] = {k: [] for k in variants}
    items = list(variants.items())
    for i in range(blocks):
        for key, (fn, routed) in block_order(items, i):
            with routed():
                fn()  # untimed: the first call after a switch pays for cold caches
                timer.reset()
                t = _clock()
                for _ in range(block):
                    fn()
                samples[key].append(timer.self_time(_clock() - t) / block)
    return samples


async def self_async(
    timer: SDKTimer,
    variants: dict[
        str, tuple[Callable[[], Awaitable[Any]], Callable[[], AbstractContextManager[Any]]]
    ],
    blocks: int,
    block: int,
) -> dict[str, list[float]]:
    """``self_sync`` for coroutine functions."""
    samples: dict[str, list[float]] = {k: [] for k in variants}
    items = list(variants.items())
    for i in range(blocks):
        for key, (fn, routed) in block_order(items, i):
            with routed():
                await fn()
                timer.reset()
                t = _clock()
                for _ in range(block):
                    await fn()
                samples[key].append(timer.self_time(_clock() - t) / block)
    return samples


# -- 1,000 concurrent calls ----------------------------------------------------------------


async def burst(fn: Callable[[], Awaitable[Any]], n: int) -> tuple[float, float]:
    """``n`` calls at once: (calls per second of wall time, client CPU seconds per call)."""
    return await bursts(fn, n, 1)


async def bursts(fn: Callable[[], Awaitable[Any]], n: int, k: int) -> tuple[float, float]:
    """``k`` bursts of ``n`` calls at once, each after a ``gc.collect()`` (not timed):
    (calls per second of wall time, client CPU seconds per call) over all of them."""
    wall = cpu = 0.0
    for _ in range(k):
        gc.collect()
        wall0, cpu0 = time.perf_counter(), time.process_time()
        await asyncio.gather(*(fn() for _ in range(n)))
        wall += time.perf_counter() - wall0
        cpu += time.process_time() - cpu0
    return k * n / wall, cpu / (k * n)


def _status_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def reset_peak_rss() -> int:
    """Start a new peak-RSS window (Linux: ``clear_refs`` 5 resets VmHWM); returns the
    resident KiB now."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        pass  # then VmHWM is the peak since start: close, after a warm-up, to the same
    rss = _status_kib("VmRSS")
    if rss is None:  # not Linux
        import resource

        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss


def peak_rss() -> int:
    """Peak resident KiB since ``reset_peak_rss``."""
    peak = _status_kib("VmHWM")
    if peak is None:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak


# -- imports ---------------------------------------------------------------------------------

IMPORT_ENV = {
    "PATH": os.environ.get("PATH", ""),
    # this checkout's mirascope (an installed one elsewhere would be timed otherwise)
    "PYTHONPATH": str(ROOT),
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",
    "PYTHONDONTWRITEBYTECODE": "1",
    # a checkout run with another one's interpreter (PYTHONPATH=<checkout>) imports its own
    **({"PYTHONPATH": os.environ["PYTHONPATH"]} if os.environ.get("PYTHONPATH") else {}),
}


def compile_package() -> None:
    """Write mirascope's bytecode, as ``pip install`` does for the SDKs: an editable
    checkout under PYTHONDONTWRITEBYTECODE would otherwise be compiled from source in
    every timed process (~15 ms), a cost no installed package pays."""
    import compileall

    import mirascope

    compileall.compile_dir(os.path.dirname(mirascope.__file__), quiet=1)


def import_steps(statements: list[str]) -> list[float]:
    """Seconds a fresh interpreter spends on each statement, run one after the other (a
    step after the SDK's import costs only what it adds)."""
    timed = "; ".join(
        f"t = time.perf_counter(); {s}; out.append(time.perf_counter() - t)" for s in statements
    )
    code = f"import time; out = []; {timed}; print(*out)"
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code],
        capture_output=True,
        text=True,
        env=IMPORT_ENV,
        cwd="/",
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{statements!r} failed: {done.stderr.strip()[-500:]}")
    return [float(x) for x in done.stdout.strip().splitlines()[-1].split()]


def import_times(sequences: list[list[str]], runs: int) -> list[list[float]]:
    """Median seconds of each step of each sequence, a fresh process per sequence and run,
    the sequences interleaved."""
    samples: list[list[list[float]]] = [[[] for _ in seq] for seq in sequences]
    for _ in range(runs):
        for i, seq in enumerate(sequences):
            for j, seconds in enumerate(import_steps(seq)):
                samples[i][j].append(seconds)
    return [[statistics.median(step) for step in seq] for seq in samples]


def modules_after(statement: str, names: list[str]) -> list[str]:
    """Which of ``names`` a fresh interpreter has imported after ``statement``."""
    code = f"import sys; {statement}; print(' '.join(n for n in {names!r} if n in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code],
        capture_output=True,
        text=True,
        env=IMPORT_ENV,
        cwd="/",
        check=True,
    )
    return out.stdout.split()
