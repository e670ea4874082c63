"""mirascope's overhead over each vendor's raw SDK, measured in one run, against fast local
fakes of the vendors (each in its own process: its CPU is not the client's).

    python benchmarks/run.py                        # every provider, ~10 minutes
    python benchmarks/run.py --quick                # every provider, smaller samples
    python benchmarks/run.py --providers openai,anthropic
    nox -s bench -- --quick

For each provider (in a process of its own) and each case -- a call, a call that offers a
tool (the fake answers with a tool call), a stream (one word per chunk), sync and async --
the raw SDK call and the same call through mirascope with the user's client ("custom") and
with mirascope's default client ("default") run in alternating blocks. Reported:

- ``raw``: client CPU per call of the raw SDK (median of blocks);
- ``+self``: mirascope's own CPU per call over the raw case's own (each side's CPU minus
  its time inside the SDK; the SDK's large, noisy share drops out; streams: per chunk);
- ``e2e``: the whole-call CPU difference (median of paired blocks, +- standard error);
- 1,000 concurrent async calls through the default clients (calls/s, mirascope/raw), each
  burst in a fresh process, and the peak resident memory the burst added;
- import times in fresh processes (median): ``mirascope.core``, and each provider module
  against its bare SDK.

Nothing is asserted: the targets are printed as met or missed. Results go to
benchmarks/results.json (gitignored) so that runs can be compared; ``--markdown
benchmarks/RESULTS.md`` writes the tables the README and the docs show."""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._harness import ROOT, compile_package, import_times, modules_after
from benchmarks.cases import BENCHES

# the targets
PER_CALL_US = 50.0
PER_CHUNK_US = 5.0
DEFAULT_VS_CUSTOM_US = 10.0
THROUGHPUT = 0.95
CORE_IMPORT_MS = 60.0
PROVIDER_IMPORT_MS = 30.0

FULL = {
    "budget": 1.0,
    "self_calls": 160,
    "min_blocks": 7,
    "rounds": 2,
    "burst": 1000,
    "inline": False,
    "import_runs": 3,
}
QUICK = {
    "budget": 0.2,
    "self_calls": 40,
    "min_blocks": 5,
    "rounds": 1,
    "burst": 200,
    "inline": True,  # bursts in the worker: no memory figure
    "import_runs": 1,
}

COLUMNS = (("provider", 16), ("case", 17), ("raw", 10), ("custom", 24), ("default", 24))


def line(*cells: str, verdict: str = "") -> str:
    parts = [
        c.ljust(w) if i < 2 else c.rjust(w)
        for i, (c, (_, w)) in enumerate(zip(cells, COLUMNS, strict=True))
    ]
    return "  ".join(parts) + "  " + verdict


def _available(name: str) -> bool:
    module = f"mirascope.core.{name}"
    return importlib.util.find_spec(module) is not None


# -- verdicts ------------------------------------------------------------------------------


def _check(target: str, value: float, limit: float, se: float = 0.0, *, low: bool = True):
    """A target: ``met`` if the value is on the right side of the limit; ``noise`` if it
    is not, but by less than two standard errors (a shared machine cannot tell)."""
    met = value <= limit if low else value >= limit
    noise = not met and se > 0 and (value - 2 * se <= limit if low else value + 2 * se >= limit)
    return {
        "target": target,
        "value": round(value, 2),
        "se": round(se, 2),
        "limit": limit,
        "met": met,
        "within_noise": noise,
    }


def judge(row: dict[str, Any]) -> list[dict[str, Any]]:
    """The targets a row speaks to."""
    kind, case = row["kind"], row["case"]
    out: list[dict[str, Any]] = []
    variants = [v for v in ("custom", "default") if f"{v}_net_us" in row]
    for v in variants:
        if kind in ("call", "tool"):
            target = f"{case} {v}: <= {PER_CALL_US:g} us/call over raw"
            out.append(_check(target, row[f"{v}_net_us"], PER_CALL_US, row[f"{v}_net_se_us"]))
        elif kind == "stream":
            target = f"{case} {v}: <= {PER_CHUNK_US:g} us/chunk over raw"
            value, se = row[f"{v}_net_per_chunk_us"], row[f"{v}_net_per_chunk_se_us"]
            out.append(_check(target, value, PER_CHUNK_US, se))
    if len(variants) == 2:
        gap, se = row["default_minus_custom_self_us"], row["default_minus_custom_self_se_us"]
        limit = DEFAULT_VS_CUSTOM_US
        if kind == "stream":
            gap, se, limit = gap / row["chunks"], se / row["chunks"], PER_CHUNK_US / 5
        unit = "us/chunk" if kind == "stream" else "us"
        target = f"{case}: default client as fast as custom (gap <= {limit:g} {unit})"
        out.append(_check(target, gap, limit, se))
    if kind == "throughput":
        target = f"{case}: mirascope/raw >= {THROUGHPUT}"
        out.append(_check(target, row["mirascope_over_raw"], THROUGHPUT, low=False))
    if kind == "import" and row["provider"] == "core":
        target = f"import mirascope.core <= {CORE_IMPORT_MS:g} ms, no SDK imported"
        check = _check(target, row["mirascope_ms"], CORE_IMPORT_MS)
        check["met"] = check["met"] and not row["sdk_modules_loaded"]
        out.append(check)
    elif kind == "import":
        target = f"{row['provider']} module <= SDK import + {PROVIDER_IMPORT_MS:g} ms"
        out.append(_check(target, row["extra_ms"], PROVIDER_IMPORT_MS))
    return out


def verdict_text(checks: list[dict[str, Any]]) -> str:
    if not checks:
        return ""
    missed = [c for c in checks if not c["met"] and not c["within_noise"]]
    noisy = [c for c in checks if c["within_noise"]]
    parts = ["MISS " + "; ".join(_short(c) for c in missed)] if missed else []
    if noisy:
        parts.append("noise? " + "; ".join(_short(c) for c in noisy))
    return ", ".join(parts) or "ok"


def _short(check: dict[str, Any]) -> str:
    target, value = check["target"], check["value"]
    if "default client as fast" in target:
        return f"default {value:+g} vs custom"
    for who in ("custom", "default"):
        if f" {who}:" in target:
            return f"{who} {value:g}" + ("/chunk" if "chunk" in target else " us")
    return f"{value:g} (limit {check['limit']:g})"


# -- formatting ----------------------------------------------------------------------------


def _cpu_cell(row: dict[str, Any], v: str) -> str:
    if f"{v}_net_us" not in row:
        return "-"
    e2e = f"e2e {row[f'{v}_overhead_us']:+.0f}+-{row[f'{v}_overhead_se_us']:.0f}"
    if row["kind"] == "stream":
        return f"{row[f'{v}_net_per_chunk_us']:+.1f}/chunk {e2e}"
    return f"{row[f'{v}_net_us']:+.0f}+-{row[f'{v}_net_se_us']:.0f} {e2e}"


def format_row(row: dict[str, Any]) -> str:
    kind, verdict = row["kind"], verdict_text(row["checks"])
    provider = row["provider"]
    if kind in ("call", "tool", "stream"):
        case = row["case"] + (f" x{row['chunks']}" if kind == "stream" else "")
        raw = f"{row['raw_us']:.0f} us"
        return line(
            provider,
            case,
            raw,
            _cpu_cell(row, "custom"),
            _cpu_cell(row, "default"),
            verdict=verdict,
        )
    if kind == "throughput":
        mira = f"{row['mirascope_calls_per_s']:.0f}/s = {row['mirascope_over_raw']:.2f}x"
        return line(
            provider,
            row["case"].replace(" async calls", " at once"),
            f"{row['raw_calls_per_s']:.0f}/s",
            "-",
            mira,
            verdict=verdict,
        )
    if kind == "memory":
        ratio = row["mirascope_over_raw"]
        mira = f"+{row['mirascope_kib'] / 1024:.1f} MiB" + (f" = {ratio:.2f}x" if ratio else "")
        return line(provider, "peak RSS", f"+{row['raw_kib'] / 1024:.1f} MiB", "-", mira)
    if kind == "import":
        if provider == "core":
            loaded = ", ".join(row["sdk_modules_loaded"]) or "no SDK"
            return line(
                "core",
                "import",
                "-",
                "-",
                f"{row['mirascope_ms']:.0f} ms ({loaded})",
                verdict=verdict,
            )
        alone = row["mirascope_ms"]
        mira = (f"{alone:.0f} ms " if alone is not None else "") + f"(adds {row['extra_ms']:.0f})"
        return line(provider, "import", f"{row['sdk_ms']:.0f} ms", "-", mira, verdict=verdict)
    if kind == "error":
        return line(provider, "FAILED", "", "", "", verdict=row["error"].splitlines()[-1][:60])
    return json.dumps(row)


# -- running -------------------------------------------------------------------------------


def run_worker(name: str, settings: dict[str, Any], emit: Any) -> None:
    """One provider's worker process; its rows are handed to ``emit`` as they come."""
    cmd = [
        sys.executable,
        "-W",
        "ignore",
        "-m",
        "benchmarks._worker",
        name,
        f"--budget={settings['budget']}",
        f"--self-calls={settings['self_calls']}",
        f"--rounds={settings['rounds']}",
        f"--burst={settings['burst']}",
        f"--min-blocks={settings['min_blocks']}",
        *(["--inline"] if settings["inline"] else []),
    ]
    with tempfile.TemporaryFile("w+") as errors:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errors, text=True, cwd=ROOT)
        assert proc.stdout is not None
        for out in proc.stdout:
            if out.startswith("ROW "):
                emit(json.loads(out[4:]))
        if proc.wait() != 0:
            errors.seek(0)
            emit(
                {
                    "provider": name,
                    "case": "worker",
                    "kind": "error",
                    "error": errors.read()[-3000:],
                }
            )


def core_import_row(names: list[str], runs: int, emit: Any) -> None:
    sdk_modules = sorted({m for n in names for m in BENCHES[n].sdk_modules})
    [[core]] = import_times([["import mirascope.core"]], runs)
    emit(
        {
            "provider": "core",
            "case": "import mirascope.core",
            "kind": "import",
            "runs": runs,
            "mirascope_ms": round(core * 1000, 1),
            "sdk_modules_loaded": modules_after("import mirascope.core", sdk_modules),
        }
    )


def provider_import_row(name: str, runs: int, emit: Any, *, alone: bool = True) -> None:
    """The SDK alone, the provider module alone, and the module after the SDK (what it
    adds: the figure the target speaks to, free of the SDK's own variance). Without
    ``alone``, the module's own time is taken as the SDK's plus what the module adds."""
    sdk, ours = BENCHES[name].sdk_import, f"from mirascope.core import {name}"
    if "." in name:  # a provider's submodule (openai.responses), with its parent
        ours = f"import mirascope.core.{name}"
    sequences = [[sdk, ours], [ours]] if alone else [[sdk, ours]]
    times = import_times(sequences, runs)
    [sdk_s, extra_s] = times[0]
    module_s = times[1][0] if alone else None
    emit(
        {
            "provider": name,
            "case": "import",
            "kind": "import",
            "runs": runs,
            "sdk_statement": sdk,
            "sdk_ms": round(sdk_s * 1000, 1),
            "mirascope_statement": ours,
            "mirascope_ms": round(module_s * 1000, 1) if module_s is not None else None,
            "extra_ms": round(extra_s * 1000, 1),
        }
    )


def _us(row: dict[str, Any], side: str) -> str:
    per_chunk = row.get(f"{side}_net_per_chunk_us")
    if per_chunk is not None:
        return f"{per_chunk:+.1f}"
    net = row.get(f"{side}_net_us")
    return "-" if net is None else f"{net:+.0f}"


def markdown(result: dict[str, Any]) -> str:
    """The run as one markdown table per figure (kept in the repository: the README and the
    docs' performance page show it)."""
    rows: list[dict[str, Any]] = result["rows"]
    by_provider: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rows:
        by_provider.setdefault(row["provider"], {})[row["case"]] = row
    machine = result["machine"]
    targets = result["targets"]
    out = [
        f"`{result['command']}`, {result['started']}, {result['seconds']} s, Python "
        f"{machine['python']}, {machine['cpus']} CPUs, load average "
        f"{machine['load_before'][0]} -> {machine['load_after'][0]}. Targets met: "
        f"{targets['met']} of {targets['total']} ({len(targets['missed_within_noise'])} more "
        "within two standard errors).",
        "",
        "mirascope's own CPU per call over the raw SDK's (`+self`: microseconds, time inside "
        "the SDK excluded on both sides; streams: per chunk), with the user's client / "
        "mirascope's default client:",
        "",
        "| provider | call sync | call async | tool sync | tool async | stream sync /chunk "
        "| stream async /chunk |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    cases = ["call sync", "call async", "tool sync", "tool async", "stream sync", "stream async"]
    for provider, found in by_provider.items():
        if provider == "core":
            continue
        cells = []
        for case in cases:
            row = found.get(case)
            cells.append("-" if row is None else f"{_us(row, 'custom')} / {_us(row, 'default')}")
        out.append(f"| {provider} | " + " | ".join(cells) + " |")
    out += [
        "",
        "Throughput of 1,000 concurrent async calls through the default clients, peak memory "
        'those calls added, and import times (fresh processes, median; "adds" = the '
        "provider module imported after its SDK):",
        "",
        "| provider | raw calls/s | mirascope/raw | peak RSS raw | mirascope/raw | SDK import "
        "| module adds |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    core = by_provider.get("core", {}).get("import mirascope.core")
    for provider, found in by_provider.items():
        if provider == "core":
            continue
        burst = next((r for r in found.values() if r["kind"] == "throughput"), None)
        memory = next((r for r in found.values() if r["kind"] == "memory"), None)
        imp = found.get("import")
        out.append(
            f"| {provider} | "
            + (
                f"{burst['raw_calls_per_s']:.0f} | {burst['mirascope_over_raw']:.2f}x"
                if burst
                else "- | -"
            )
            + " | "
            + (
                f"{memory['raw_kib'] / 1024:.1f} MiB | {memory['mirascope_over_raw']:.2f}x"
                if memory
                else "- | -"
            )
            + " | "
            + (f"{imp['sdk_ms']:.0f} ms | {imp['extra_ms']:.0f} ms" if imp else "- | -")
            + " |"
        )
    if core is not None:
        loaded = ", ".join(core["sdk_modules_loaded"]) or "no SDK"
        out += ["", f"`import mirascope.core`: {core['mirascope_ms']:.0f} ms ({loaded})."]
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--providers", default="", help="comma-separated (default: all available)")
    parser.add_argument("--quick", action="store_true", help="small samples and 200-call bursts")
    parser.add_argument("--budget", type=float, help="seconds of alternating blocks per case")
    parser.add_argument("--self-calls", type=int, help="self-time calls per variant and case")
    parser.add_argument("--rounds", type=int, help="bursts per side")
    parser.add_argument("--burst", type=int, help="concurrent calls per burst (0: none)")
    parser.add_argument("--import-runs", type=int, help="fresh processes per import statement")
    parser.add_argument("--json", default=str(Path(__file__).with_name("results.json")))
    parser.add_argument(
        "--markdown",
        help="also write the tables as markdown (benchmarks/RESULTS.md is the one the README "
        "and the docs show)",
    )
    args = parser.parse_args()
    settings = dict(QUICK if args.quick else FULL)
    for key in settings:
        if getattr(args, key, None) is not None:
            settings[key] = getattr(args, key)
    names = [n for n in args.providers.split(",") if n] or [n for n in BENCHES if _available(n)]
    unknown = [n for n in names if n not in BENCHES]
    if unknown:
        parser.error(f"unknown provider(s) {unknown}; known: {', '.join(BENCHES)}")

    started = time.time()
    load_before = os.getloadavg()
    rows: list[dict[str, Any]] = []

    def emit(row: dict[str, Any]) -> None:
        row["checks"] = judge(row)
        rows.append(row)
        print(format_row(row), flush=True)

    print(
        "client CPU per call; custom/default = mirascope with the user's / its default client: "
        "+self = its own CPU over the raw case's\n(SDK time excluded; streams per chunk), "
        "e2e = whole-call CPU difference +- std error. Targets: +50 us/call, +5 us/chunk.\n"
    )
    print(line(*(name for name, _ in COLUMNS), verdict="targets"))
    compile_package()
    core_import_row(names, settings["import_runs"], emit)
    seconds: dict[str, float] = {}
    for name in names:
        t = time.time()
        run_worker(name, settings, emit)
        provider_import_row(name, settings["import_runs"], emit, alone=not args.quick)
        seconds[name] = round(time.time() - t, 1)

    checks = [c for r in rows for c in r["checks"]]
    missed = [c for c in checks if not c["met"]]
    noisy = [c for c in missed if c["within_noise"]]
    load_after = os.getloadavg()
    elapsed = time.time() - started
    print(
        f"\n{len(checks) - len(missed)}/{len(checks)} targets met, {len(noisy)} missed within "
        f"noise (2 std errors), {len(missed) - len(noisy)} missed"
    )
    print(
        f"{elapsed:.0f} s; load average {load_before[0]:.1f} -> {load_after[0]:.1f} on "
        f"{os.cpu_count()} CPUs (other processes make every number noisier)"
    )
    command = " ".join(shlex.quote(a) for a in ["python", "benchmarks/run.py", *sys.argv[1:]])
    result = {
        "command": command,
        "settings": settings,
        "providers": names,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(started)),
        "seconds": round(elapsed),
        "seconds_per_provider": seconds,
        "machine": {
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "load_before": [round(x, 2) for x in load_before],
            "load_after": [round(x, 2) for x in load_after],
        },
        "targets": {
            "total": len(checks),
            "met": len(checks) - len(missed),
            "missed_within_noise": noisy,
            "missed": [c for c in missed if not c["within_noise"]],
        },
        "rows": rows,
    }
    Path(args.json).write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {args.json}")
    if args.markdown:
        Path(args.markdown).write_text(markdown(result))
        print(f"wrote {args.markdown}")


if __name__ == "__main__":
    main()
