"""Overhead of mirascope over the raw vendor SDK, measured in one run.

    python benchmarks/run.py [--rounds 5] [--calls 200] [--json benchmarks/results.json]

For each case the raw SDK call and the same call through mirascope run against the same
fake server (its own process), interleaved; the table shows client CPU microseconds per
call (median of rounds), the difference and the ratio. Then import times in fresh
processes. Timings are never asserted: these machines are noisy, ratios matter."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._harness import cpu_async, cpu_sync, fake_server, import_time, interleaved
from benchmarks.cases import CASES


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--providers", default=",".join(CASES))
    parser.add_argument("--json", default=str(Path(__file__).with_name("results.json")))
    args = parser.parse_args()
    results: dict[str, Any] = {"calls": args.calls, "rounds": args.rounds, "rows": []}
    print(f"{'case':44} {'raw us':>9} {'mira us':>9} {'diff us':>9} {'ratio':>6}")
    for name in args.providers.split(","):
        bench = CASES[name]()
        with fake_server(bench.vendor) as url:
            os.environ.update(bench.environ(url))
            for case, raw, mira, kind in bench.cases(url):
                n = args.calls
                if kind == "sync":
                    measure = {
                        "raw": lambda r=raw, n=n: cpu_sync(r, n),
                        "mira": lambda m=mira, n=n: cpu_sync(m, n),
                    }
                else:
                    c = args.concurrency if kind == "concurrent" else 1
                    measure = {
                        "raw": lambda r=raw, c=c, n=n: cpu_async(r, n, c),
                        "mira": lambda m=mira, c=c, n=n: cpu_async(m, n, c),
                    }
                medians = interleaved(measure, args.rounds)
                raw_us, mira_us = medians["raw"] * 1e6, medians["mira"] * 1e6
                row = {
                    "provider": name,
                    "case": case,
                    "raw_us": round(raw_us, 1),
                    "mirascope_us": round(mira_us, 1),
                    "overhead_us": round(mira_us - raw_us, 1),
                    "ratio": round(mira_us / raw_us, 3),
                }
                results["rows"].append(row)
                print(
                    f"{name + ' ' + case:44} {raw_us:9.1f} {mira_us:9.1f} "
                    f"{mira_us - raw_us:9.1f} {mira_us / raw_us:6.3f}",
                    flush=True,
                )
    print("\nimport time (fresh process, median of 5)")
    imports = {"import mirascope.core": import_time("import mirascope.core")}
    for name in args.providers.split(","):
        bench = CASES[name]()
        sdk = import_time(bench.sdk_import)
        ours = import_time(f"from mirascope.core import {name}")
        imports[bench.sdk_import] = sdk
        imports[f"from mirascope.core import {name}"] = ours
    for statement, seconds in imports.items():
        print(f"  {statement:44} {seconds * 1000:8.1f} ms")
    results["imports_ms"] = {k: round(v * 1000, 1) for k, v in imports.items()}
    Path(args.json).write_text(json.dumps(results, indent=2))
    print(f"\nwrote {args.json}")


if __name__ == "__main__":
    main()
