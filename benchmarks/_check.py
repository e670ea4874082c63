"""Like for like: each case sent once through the raw SDK (both baselines) and through
mirascope (the user's client and the default one), against an in-process fake that keeps
what it received; the request bodies must be equal, and so must what each side read.

    python -m benchmarks._check <provider>     # one JSON line per case; exit 1 on a mismatch

``run.py`` runs it for every provider before measuring and reports a mismatch next to
the figures it would make meaningless."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from contextlib import AsyncExitStack
from typing import Any

from benchmarks._fake import make
from benchmarks.cases import BENCHES, KINDS, Bench, Reading, mirascope_calls, raw_calls


def _plain(reading: Reading) -> list[Any]:
    value = reading.value
    if hasattr(value, "model_dump"):
        value = value.model_dump()
    finish = str(getattr(reading.finish, "value", reading.finish))  # str enums as their value
    return [value, reading.input_tokens, reading.output_tokens, finish]


def _sides(bench: Bench, client: Any, is_async: bool) -> dict[str, dict[str, Any]]:
    sides = {"public": raw_calls(bench, client, is_async=is_async)}
    if bench.direct:
        sides["direct"] = raw_calls(bench, client, is_async=is_async, direct=True)
    if bench.custom_client:
        sides["custom"] = mirascope_calls(bench, client, is_async=is_async)
    sides["default"] = mirascope_calls(bench, None, is_async=is_async)
    return sides


def _row(provider: str, case: str, results: dict[str, Any]) -> dict[str, Any]:
    diffs = compare(results)
    return {"provider": provider, "case": case, "same": not diffs, "diffs": diffs}


def compare(results: dict[str, tuple[dict[str, Any], list[Any]]]) -> dict[str, Any]:
    """Every side's request and reading against the raw public side's."""
    ref_request, ref_reading = results["public"]
    diffs: dict[str, Any] = {}
    for side, (request, reading) in results.items():
        if side == "public":
            continue
        if request != ref_request:
            diffs[f"{side} request"] = {"raw": ref_request, side: request}
        if reading != ref_reading:
            diffs[f"{side} reading"] = {"raw": ref_reading, side: reading}
    return diffs


def _last(server: Any) -> dict[str, Any]:
    request = server.requests[-1]
    return {"method": request.method, "path": request.path.split("?")[0], "body": request.json}


def check(provider: str, configure: Any = None) -> list[dict[str, Any]]:
    server = make(provider)
    server.record = True
    server.start()
    rows: list[dict[str, Any]] = []
    try:
        info = {"url": server.url}
        for extra in ("grpc_endpoint", "ca_file"):
            value = getattr(server, extra, None)
            if value is not None:
                info[extra] = str(value)
        bench = BENCHES[provider](info)
        if configure is not None:
            configure(bench)
        os.environ.update(bench.environ())
        bench.setup()

        sides = _sides(bench, bench.client(), False)
        for kind in KINDS:
            results = {}
            for side, calls in sides.items():
                reading = calls[kind]()
                results[side] = (_last(server), _plain(reading))
            rows.append(_row(provider, f"{kind} sync", results))

        async def async_part() -> None:
            async with AsyncExitStack() as stack:
                sides = _sides(bench, await bench.aclient(stack), True)
                for kind in KINDS:
                    results = {}
                    for side, calls in sides.items():
                        reading = await calls[kind]()
                        results[side] = (_last(server), _plain(reading))
                    rows.append(_row(provider, f"{kind} async", results))

        asyncio.run(async_part())
    finally:
        server.stop()
    return rows


def main() -> None:
    rows = check(sys.argv[1])
    for row in rows:
        print(json.dumps(row), flush=True)
    sys.exit(0 if all(r["same"] for r in rows) else 1)


if __name__ == "__main__":
    main()
