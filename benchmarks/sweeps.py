"""How mirascope's own cost grows with the size of a call, for one provider, in a process
of its own: ``python -m benchmarks.sweeps <provider> [--calls N]``.

Three sweeps, each against the raw SDK sending the same request and reading the same data
(the cheapest raw read, as in ``run.py``), with the user's client (the default one where
the provider has no client object), sync:

- ``stream``: the stream case with prompts of 10 to 800 words (the fake echoes one word per
  chunk), so streams of about that many chunks;
- ``history``: the call case after 0 to 64 earlier messages (user and assistant turns);
- ``tools``: the tool case offering 1 to 64 tools (``FormatBook`` and look-alikes).

Prints one ``ROW {json}`` per point: both sides' self CPU per call (time inside the SDK
excluded, as ``+self`` in ``run.py``) and mirascope's paired difference."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
from functools import partial
from typing import Any

from benchmarks._harness import Paired, SDKTimer, fake_server, self_sync
from benchmarks._worker import timed
from benchmarks.cases import BENCHES, PROMPT, Bench, mirascope_calls, raw_calls

POINTS: dict[str, tuple[int, ...]] = {
    "stream": (10, 50, 200, 800),
    "history": (0, 4, 16, 64),
    "tools": (1, 4, 16, 64),
}
CASE = {"stream": "stream", "history": "call", "tools": "tool"}
US = 1e6


def configure(bench: Bench, sweep: str, x: int) -> None:
    """Set the bench's knob for this point (the others at their defaults)."""
    bench.prompt, bench.history, bench.n_tools = PROMPT, [], 1
    bench._tools = None
    if sweep == "stream":
        words = PROMPT.split()
        bench.prompt = " ".join(words[i % len(words)] for i in range(x))
    elif sweep == "history":
        bench.history = [
            ("user" if i % 2 == 0 else "assistant", f"Turn {i}: " + PROMPT) for i in range(x)
        ]
    else:
        bench.n_tools = x


def point(bench: Bench, timer: SDKTimer, adapter: Any, sweep: str, x: int, calls: int) -> None:
    configure(bench, sweep, x)
    case = CASE[sweep]
    client = bench.client() if bench.custom_client else None
    raw_client = client if client is not None else bench.client()
    raw = raw_calls(bench, raw_client, is_async=False, direct=bench.direct)[case]
    mira = mirascope_calls(bench, client, is_async=False)[case]
    reading = raw()
    chunks = reading.chunks or 1
    # the raw side is routed through the probe under the name "raw" (direct or not)
    variants: dict[str, Any] = {
        "raw": (raw, partial(timed, bench, timer, adapter, "raw")),
        "mirascope": (mira, partial(timed, bench, timer, adapter, "custom")),
    }
    per_call = max(1, calls // chunks) if sweep == "stream" else calls
    block = max(1, per_call // 10)
    selfs = self_sync(timer, variants, max(5, per_call // block), block)
    net = Paired.of(selfs["mirascope"], selfs["raw"])
    row = {
        "provider": bench.name,
        "kind": "sweep",
        "sweep": sweep,
        "case": f"{sweep} {x}",
        "x": x,
        "baseline": "direct" if bench.direct else "raw",
        "client": "custom" if client is not None else "default",
        "raw_self_us": round(statistics.median(selfs["raw"]) * US, 1),
        "mirascope_self_us": round(statistics.median(selfs["mirascope"]) * US, 1),
        "net_us": round(net.median * US, 1),
        "net_se_us": round(net.se * US, 1),
    }
    if sweep == "stream":
        row["chunks"] = reading.chunks
        row["net_per_chunk_us"] = round(net.median * US / chunks, 2)
    print("ROW " + json.dumps(row), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("provider", choices=sorted(BENCHES))
    parser.add_argument(
        "--calls", type=int, default=150, help="per point and side (streams: chunks x 20)"
    )
    parser.add_argument("--sweeps", default=",".join(POINTS))
    args = parser.parse_args()
    with fake_server(args.provider) as server:
        bench = BENCHES[args.provider](server)
        os.environ.update(bench.environ())
        bench.setup()
        adapter = importlib.import_module(f"mirascope.core.{bench.name}._adapter").ADAPTER
        timer = SDKTimer()
        timer.calibrate()
        for sweep in args.sweeps.split(","):
            for x in POINTS[sweep]:
                calls = args.calls * 20 if sweep == "stream" else args.calls
                point(bench, timer, adapter, sweep, x, calls)


if __name__ == "__main__":
    main()
