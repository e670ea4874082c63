"""The raw floor of a stream chunk: the cheapest direct read of its text, token counts and
finish reason (each bench's ``read_chunk_direct``) over the SDK's own chunks, recorded
once from the fake and replayed from a list, consumed as the raw stream case does.
Microseconds of CPU per chunk: what no wrapper reading the same fields can go below.

    python benchmarks/chunk_floor.py [provider,provider,...] [--calls N]

Set beside ``profile_self.py <provider> stream``: mirascope's own cost per chunk, read the
same way (the table in docs/performance.md)."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._harness import fake_server
from benchmarks.cases import BENCHES, ChunkReading, _consume


def floor(provider: str, calls: int, rounds: int = 5) -> tuple[float, int] | None:
    """Median µs per chunk over ``rounds`` of ``calls`` replays, and the chunks per answer;
    None where the vendor has no client object to record through (LiteLLM)."""
    with fake_server(provider) as server:
        bench = BENCHES[provider](server)
        os.environ.update(bench.environ())
        bench.setup()
        if not bench.custom_client:
            return None
        recorded: list[Any] = []

        def record(chunk: Any) -> ChunkReading:
            recorded.append(chunk)
            return bench.read_chunk_direct(chunk)

        bench.run(bench.client(), "stream", record)
    read = bench.read_chunk_direct
    samples: list[float] = []
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(calls):
            _consume(recorded, read, bench.last_reader(read))
        samples.append((time.process_time() - started) / calls / len(recorded) * 1e6)
    return statistics.median(samples), len(recorded)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("providers", nargs="?", default=",".join(BENCHES))
    parser.add_argument("--calls", type=int, default=3000)
    args = parser.parse_args()
    for provider in args.providers.split(","):
        result = floor(provider, args.calls)
        if result is None:
            print(f"{provider:18} n/a (no client object to record through)", flush=True)
        else:
            print(f"{provider:18} {result[0]:6.2f} us/chunk  ({result[1]} chunks)", flush=True)


if __name__ == "__main__":
    main()
