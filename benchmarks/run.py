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
- 1,000 concurrent async calls through the default clients (calls/s, mirascope/raw), in a
  fresh process per side and round (a settling burst, then 3 measured, full collections
  between them, not inside), and the peak resident memory the bursts added;
- import times in fresh processes (median): ``mirascope.core``, and each provider module
  against its bare SDK;
- what each feature adds to the plain call (``profile_self.py --features``: response
  models, partial models per chunk, ``llm.call``, retries, a ``RateLimit``, ``cost``).

Nothing is asserted: the targets are printed as met or missed. Results go to
benchmarks/results.json (gitignored) so that runs can be compared; ``--markdown
benchmarks/RESULTS.md`` writes the tables the README and the docs show."""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shlex
import statistics
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
CHUNK_MORE_US = 1.0
"""What one chunk more may cost (the slope of the stream sweep): issue #17's item 3."""
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
    "repeat": 1,
}
QUICK = {
    "budget": 0.2,
    "self_calls": 40,
    "min_blocks": 5,
    "rounds": 1,
    "burst": 200,
    "inline": True,  # bursts in the worker: no memory figure
    "import_runs": 1,
    "repeat": 1,
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


def _check(
    target: str,
    value: float,
    limit: float,
    se: float = 0.0,
    *,
    low: bool = True,
    cost: bool = False,
):
    """A target: ``met`` if the value is on the right side of the limit; ``noise`` if it
    is not, but by less than two standard errors (a shared machine cannot tell). A
    ``cost`` below zero is no cost: mirascope cannot do less than the raw SDK when both
    send the same request and read the same data, so the raw baseline does more than it
    should (``baseline``), and the target is not counted as met."""
    negative = cost and value < 0
    met = not negative and (value <= limit if low else value >= limit)
    noise = not met and not negative and se > 0
    noise = noise and (value - 2 * se <= limit if low else value + 2 * se >= limit)
    return {
        "target": target,
        "value": round(value, 2),
        "se": round(se, 2),
        "limit": limit,
        "met": met,
        "within_noise": noise,
        "baseline_suspect": negative,
    }


def judge(row: dict[str, Any]) -> list[dict[str, Any]]:
    """The targets a row speaks to."""
    kind, case = row["kind"], row["case"]
    out: list[dict[str, Any]] = []
    variants = [v for v in ("custom", "default") if f"{v}_net_us" in row]
    for v in variants:
        if kind in ("call", "tool"):
            target = f"{case} {v}: <= {PER_CALL_US:g} us/call over raw"
            value, se = row[f"{v}_net_us"], row[f"{v}_net_se_us"]
            out.append(_check(target, value, PER_CALL_US, se, cost=True))
        elif kind == "stream":
            target = f"{case} {v}: <= {PER_CHUNK_US:g} us/chunk over raw"
            value, se = row[f"{v}_net_per_chunk_us"], row[f"{v}_net_per_chunk_se_us"]
            out.append(_check(target, value, PER_CHUNK_US, se, cost=True))
    if len(variants) == 2:
        gap, se = row["default_minus_custom_self_us"], row["default_minus_custom_self_se_us"]
        limit = DEFAULT_VS_CUSTOM_US
        if kind == "stream":
            gap, se, limit = gap / row["chunks"], se / row["chunks"], PER_CHUNK_US / 5
        unit = "us/chunk" if kind == "stream" else "us"
        target = f"{case}: default client as fast as custom (gap <= {limit:g} {unit})"
        out.append(_check(target, gap, limit, se))
    if kind == "chunk cost":
        target = f"{case}: <= {CHUNK_MORE_US:g} us"
        value, se = row["per_chunk_us"], row["per_chunk_se_us"]
        out.append(_check(target, value, CHUNK_MORE_US, se, cost=True))
    if kind == "throughput":
        target = f"{case}: mirascope/raw >= {THROUGHPUT}"
        out.append(_check(target, row["mirascope_over_raw"], THROUGHPUT, low=False))
    if kind == "check":
        check = _check(f"{row['provider']}: same request and reading on both sides", 0, 0)
        check["met"] = row["same"]
        out.append(check)
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
    suspect = [c for c in checks if c.get("baseline_suspect")]
    missed = [c for c in checks if not c["met"] and not c["within_noise"] and c not in suspect]
    noisy = [c for c in checks if c["within_noise"]]
    parts = ["BASELINE? " + "; ".join(_short(c) for c in suspect)] if suspect else []
    parts += ["MISS " + "; ".join(_short(c) for c in missed)] if missed else []
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


def _public_note(row: dict[str, Any]) -> str:
    """For a bench with two baselines: the figures against the SDK's public accessors."""
    if row.get("baseline") != "direct":
        return ""
    per_chunk = row["kind"] == "stream"
    cells = []
    for v in ("custom", "default"):
        key = f"{v}_net_public_per_chunk_us" if per_chunk else f"{v}_net_public_us"
        if key in row:
            cells.append(f"{v} {row[key]:+.1f}" if per_chunk else f"{v} {row[key]:+.0f}")
    return "  [vs the SDK's accessors: " + ", ".join(cells) + (" /chunk]" if per_chunk else "]")


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
            verdict=verdict + _public_note(row),
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
    if kind == "check":
        what = (
            "same request, same reading" if row["same"] else "DIFFERS: " + ", ".join(row["diffs"])
        )
        return line(provider, "like for like", "", "", "", verdict=what)
    if kind == "peer":
        mira = f"{row['cpu_us']:.0f} us = {row['cpu_over_raw']:.2f}x"
        return line(row["library"], row["case"], f"{row['raw_cpu_us']:.0f} us", "-", mira)
    if kind == "peer throughput":
        mira = f"{row['calls_per_s']:.0f}/s = {row['over_raw']:.2f}x"
        return line(row["library"], row["case"].replace(" async calls", " at once"), "", "-", mira)
    if kind == "peer request":
        notes = []
        for case, found in row["cases"].items():
            differs = ", ".join(found["request_differs"]) or "same request"
            same = "same reading" if found["same_reading"] else "OTHER READING"
            notes.append(f"{case}: {differs}; {same}")
        return line(row["library"], "request", "", "", "", verdict=" | ".join(notes))
    if kind == "sweep":
        return line(
            provider,
            row["case"],
            f"{row['raw_self_us']:.0f} us",
            "-",
            f"{row['net_us']:+.0f}+-{row['net_se_us']:.0f} us",
        )
    if kind == "chunk cost":
        return line(
            provider,
            row["case"],
            "-",
            "-",
            f"{row['per_chunk_us']:+.2f}+-{row['per_chunk_se_us']:.2f} us "
            f"(+{row['per_stream_us']:.0f} us per stream)",
            verdict=verdict,
        )
    if kind == "feature":
        unit = "/chunk" if row["per_chunk"] else " us"
        fits = "fits" if row["fits"] else f"OVER {row['budget_us']:g}{unit} with the plain call"
        return line(
            provider,
            f"{row['feature']} {row['mode']}",
            f"{row['base_us']:.1f}{unit}",
            "-",
            f"{row['added_us']:+.2f}{unit}",
            verdict=fits,
        )
    if kind == "feature unused":
        ran = [f"{f}: {', '.join(c)}" for f, c in row["code"].items() if c]
        what = "plain call runs no feature's code" if not ran else "RAN " + "; ".join(ran)
        return line(provider, row["case"], "", "", "", verdict=what)
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
    """The SDK alone, the provider module alone, the module after the SDK (what it adds:
    the figure the target speaks to, free of the SDK's own variance), and then the first
    use of its ``call`` (what loads on first use: the engine, and pydantic where the SDK
    does not load it). Without ``alone``, the module's own time is not measured."""
    sdk, ours = BENCHES[name].sdk_import, f"from mirascope.core import {name}"
    first_use = f"{name}.call"
    if "." in name:  # a provider's submodule (openai.responses), with its parent
        ours = f"import mirascope.core.{name}"
        first_use = f"mirascope.core.{name}.call"
    sequences = [[sdk, ours, first_use], [ours]] if alone else [[sdk, ours, first_use]]
    times = import_times(sequences, runs)
    [sdk_s, extra_s, call_s] = times[0]
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
            "first_call_attribute_ms": round(call_s * 1000, 1),
            "pydantic_loaded_by_import": bool(modules_after(f"{sdk}; {ours}", ["pydantic.main"])),
        }
    )


def check_rows(name: str, emit: Any) -> None:
    """``benchmarks/_check.py``: both sides send the same request and read the same data."""
    out = subprocess.run(
        [sys.executable, "-W", "ignore", "-m", "benchmarks._check", name],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    rows = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    if not rows:
        emit({"provider": name, "case": "check", "kind": "error", "error": out.stderr[-3000:]})
        return
    diffs = {r["case"]: r["diffs"] for r in rows if not r["same"]}
    emit(
        {
            "provider": name,
            "case": "like for like",
            "kind": "check",
            "same": not diffs,
            "cases": [r["case"] for r in rows],
            "diffs": diffs,
        }
    )


def subprocess_rows(module: str, args: list[str], emit: Any, label: str) -> None:
    """Rows of ``python -m <module> <args>``, handed to ``emit`` as they come."""
    cmd = [sys.executable, "-W", "ignore", "-m", module, *args]
    with tempfile.TemporaryFile("w+") as errors:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errors, text=True, cwd=ROOT)
        assert proc.stdout is not None
        for out in proc.stdout:
            if out.startswith("ROW "):
                emit(json.loads(out[4:]))
        if proc.wait() != 0:
            errors.seek(0)
            emit(
                {"provider": label, "case": module, "kind": "error", "error": errors.read()[-3000:]}
            )


# -- repeats -----------------------------------------------------------------------------

CPU_KINDS = ("call", "tool", "stream")


def merge_runs(runs: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """One row per case: every number the median of the runs' (the standard errors too);
    the headline figures keep each run's value (``<key>_runs``) for min and max."""
    if len(runs) == 1:
        return runs[0]
    merged: list[dict[str, Any]] = []
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for rows in runs:
        for row in rows:
            if row["kind"] in CPU_KINDS:
                groups.setdefault((row["provider"], row["case"]), []).append(row)
            else:
                merged.append(row)
    for rows in groups.values():
        row = dict(rows[0])
        row.pop("checks", None)
        for key, value in rows[0].items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                values = [r[key] for r in rows if key in r]
                row[key] = round(statistics.median(values), 2)
                if "_net" in key and "_se_" not in key:
                    row[f"{key}_runs"] = values
        row["runs"] = len(rows)
        merged.append(row)
    return merged


# -- markdown ----------------------------------------------------------------------------

FLAG = "⚠"


def _cell_value(row: dict[str, Any], side: str, suffix: str = "") -> tuple[float, float] | None:
    per_chunk = row.get(f"{side}_net{suffix}_per_chunk_us")
    if per_chunk is not None:
        return per_chunk, row[f"{side}_net{suffix}_per_chunk_se_us"]
    net = row.get(f"{side}_net{suffix}_us")
    return None if net is None else (net, row[f"{side}_net{suffix}_se_us"])


def _us(row: dict[str, Any], side: str, suffix: str = "") -> str:
    """A ``+self`` cell; a negative figure is never shown as a cost: it flags the baseline."""
    found = _cell_value(row, side, suffix)
    if found is None:
        return "-"
    value, _ = found
    if value < 0:
        return FLAG
    text = f"{value:+.1f}" if row["kind"] == "stream" else f"{value:+.0f}"
    runs = row.get(f"{side}_net{suffix}_per_chunk_us_runs") or row.get(
        f"{side}_net{suffix}_us_runs"
    )
    if runs and row["kind"] != "stream":
        text += f" ({min(runs):.0f}..{max(runs):.0f})"
    elif runs:
        text += f" ({min(runs):.1f}..{max(runs):.1f})"
    return text


def _negatives(rows: list[dict[str, Any]], suffix: str) -> list[str]:
    """The negative figures, by provider: every one where there are few, else a range."""
    found: dict[str, list[tuple[str, float, float]]] = {}
    total: dict[str, int] = {}
    for row in rows:
        for side in ("custom", "default"):
            cell = _cell_value(row, side, suffix)
            if cell is None:
                continue
            total[row["provider"]] = total.get(row["provider"], 0) + 1
            if cell[0] < 0:
                where = f"{row['case']} {side}" + (" /chunk" if row["kind"] == "stream" else "")
                found.setdefault(row["provider"], []).append((where, cell[0], cell[1]))
    out = []
    for provider, cells in found.items():
        if len(cells) <= 2:
            for where, value, se in cells:
                noise = ", within two standard errors of 0" if value + 2 * se >= 0 else ""
                out.append(f"{provider} {where} {value:+g}{noise}")
        else:
            values = [v for _, v, _ in cells]
            out.append(
                f"{provider}: {len(cells)} of {total[provider]} figures, "
                f"{max(values):+g} to {min(values):+g}"
            )
    return out


CASE_ORDER = ("call sync", "call async", "tool sync", "tool async", "stream sync", "stream async")


def _cpu_table(by_provider: dict[str, dict[str, dict[str, Any]]], suffix: str) -> list[str]:
    out = [
        "| provider | call sync | call async | tool sync | tool async | stream sync /chunk "
        "| stream async /chunk |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for provider, found in by_provider.items():
        cells = []
        for case in CASE_ORDER:
            row = found.get(case)
            if row is None:
                cells.append("-")
            else:
                cells.append(f"{_us(row, 'custom', suffix)} / {_us(row, 'default', suffix)}")
        out.append(f"| {provider} | " + " | ".join(cells) + " |")
    return out


def markdown(result: dict[str, Any]) -> str:
    """The run as markdown tables (kept in the repository: the README and the docs'
    performance page show it; the page shows the charts itself, as links from this file
    would not resolve there)."""
    rows: list[dict[str, Any]] = result["rows"]
    cpu: dict[str, dict[str, dict[str, Any]]] = {}
    others: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rows:
        if row["kind"] in CPU_KINDS:
            cpu.setdefault(row["provider"], {})[row["case"]] = row
        else:
            others.setdefault(row["provider"], {})[row["case"]] = row
    machine, targets = result["machine"], result["targets"]
    repeat = result["settings"].get("repeat", 1)
    checks = [r for r in rows if r["kind"] == "check"]
    unequal = [r["provider"] for r in checks if not r["same"]]
    out = [
        f"`{result['command']}`, {result['started']}, {result['seconds']} s, Python "
        f"{machine['python']}, {machine['cpus']} CPUs, load average "
        f"{machine['load_before'][0]} -> {machine['load_after'][0]}. Targets met: "
        f"{targets['met']} of {targets['total']} ({len(targets['missed_within_noise'])} more "
        f"within two standard errors; {len(targets['baseline_suspect'])} negative figures "
        "flagged).",
        "",
        (
            f"Like for like (`benchmarks/_check.py`): {len(checks)} providers checked, the "
            "raw SDK and mirascope send the same request body and read the same text, token "
            "counts and finish reason in every case"
            + (f", except {', '.join(unequal)}." if unequal else ".")
        )
        if checks
        else "Like for like: not checked in this run.",
        "",
        *[line for note in result.get("notes", []) for line in (note, "")],
        "mirascope's own CPU per call over the raw SDK's (`+self`: microseconds, time inside "
        "the SDK excluded on both sides; streams: per chunk), with the user's client / "
        "mirascope's default client, against the cheapest raw read (Gemini, Vertex AI: the "
        "protobuf message under the SDK's wrappers; Google: the candidate's parts under "
        "`response.text`; Azure: the mappings under its models; LiteLLM's stream chunks: "
        "the dicts under their pydantic extras; elsewhere the SDK's own accessors)"
        + (f"; median of {repeat} runs (min..max)" if repeat > 1 else "")
        + ":",
        "",
        *_cpu_table(cpu, ""),
    ]
    flagged = _negatives([r for f in cpu.values() for r in f.values()], "")
    if flagged:
        out += [
            "",
            f"{FLAG}: negative, so not a cost: mirascope cannot do less than a raw call that "
            "sends the same request and reads the same data, so this raw baseline does work "
            "it should not (" + "; ".join(flagged) + ").",
        ]
    public = {
        p: f for p, f in cpu.items() if any(r.get("baseline") == "direct" for r in f.values())
    }
    if public:
        below = _negatives([r for f in public.values() for r in f.values()], "_public")
        out += [
            "",
            "The same against the SDK's public accessors (Gemini, Vertex AI: `response.text`, "
            "`usage_metadata`, `candidates[0].finish_reason`, proto-plus converting on every "
            "read; Google: `response.text`, which dumps every part looking for non-text ones, "
            "and `response.function_calls`; Azure: its models' attributes, deserialized on "
            "every read; LiteLLM: its chunks' attributes, through pydantic's `__getattr__`):",
            "",
            *_cpu_table(public, "_public"),
        ]
        if below:
            out += [
                "",
                f"{FLAG}: negative, so not a cost: reading through these accessors costs the "
                "raw side more than mirascope's whole call, which is why the figure of record "
                "is against the direct read (" + "; ".join(below) + ").",
            ]
        out += [
            "",
            "Self CPU per call (streams: per chunk) of each side: the raw SDK through its "
            "public accessors / the raw SDK's direct read / mirascope (the user's client; "
            "LiteLLM, which has none: the default one):",
            "",
            "| provider | call sync | call async | tool sync | tool async | stream sync /chunk "
            "| stream async /chunk |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for provider, found in public.items():
            cells = []
            for case in CASE_ORDER:
                row = found.get(case)
                if row is None:
                    cells.append("-")
                    continue
                per = row.get("chunks") or 1
                mira = row.get("custom_self_us", row.get("default_self_us"))
                values = [row["raw_self_us"], row["direct_self_us"], mira]
                fmt = "{:.1f}" if per > 1 else "{:.0f}"
                cells.append(" / ".join("-" if v is None else fmt.format(v / per) for v in values))
            out.append(f"| {provider} | " + " | ".join(cells) + " |")
    out += [
        "",
        "Throughput of 1,000 concurrent async calls through the default clients (3 measured "
        "bursts per process after a settling one; Python's full collections run between "
        "bursts, not inside them, as where one lands is the collector's phase, not the code: "
        "the young collections per burst, which follow what each side allocates, are beside "
        "it as mirascope/raw), peak memory those calls added, and import times (fresh "
        'processes, median; "adds" = the provider module imported after its SDK; "`call` '
        'adds" = the first use of `<provider>.call` after that: the engine, and pydantic '
        "where the SDK does not load it):",
        "",
        "| provider | raw calls/s | mirascope/raw | young GCs mirascope/raw | peak RSS raw "
        "| mirascope/raw | SDK import | module adds | `call` adds |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for provider, found in others.items():
        if provider in ("core", "peers") or (provider not in cpu and "import" not in found):
            continue
        burst = next((r for r in found.values() if r["kind"] == "throughput"), None)
        memory = next((r for r in found.values() if r["kind"] == "memory"), None)
        imp = found.get("import")
        cells = [
            f"{burst['raw_calls_per_s']:.0f} | {burst['mirascope_over_raw']:.2f}x | "
            + _young_ratio(burst)
            if burst
            else "- | - | -",
            f"{memory['raw_kib'] / 1024:.1f} MiB | {memory['mirascope_over_raw']:.2f}x"
            if memory
            else "- | -",
            f"{imp['sdk_ms']:.0f} ms | {imp['extra_ms']:.0f} ms | "
            f"{imp['first_call_attribute_ms']:.0f} ms"
            if imp
            else "- | - | -",
        ]
        out.append(f"| {provider} | " + " | ".join(cells) + " |")
    core = others.get("core", {}).get("import mirascope.core")
    if core is not None:
        loaded = ", ".join(core["sdk_modules_loaded"]) or "no SDK"
        out += ["", f"`import mirascope.core`: {core['mirascope_ms']:.0f} ms ({loaded})."]
    out += _peers_markdown(rows)
    out += _chunk_cost_markdown(rows)
    out += _sweeps_markdown(rows)
    out += _features_markdown(rows)
    return "\n".join(out) + "\n"


def _young_ratio(burst: dict[str, Any]) -> str:
    """Young collections per burst, mirascope over raw (medians of the runs' samples)."""
    found = burst.get("samples_young_collections") or {}
    sides = [[x for x in found.get(side, []) if x is not None] for side in ("mirascope", "raw")]
    if not all(sides):
        return "-"
    mirascope, raw = (statistics.median(x) for x in sides)
    return f"{mirascope / raw:.2f}x" if raw else "-"


def _chunk_cost_markdown(rows: list[dict[str, Any]]) -> list[str]:
    """The stream sweep's line per provider: what a chunk more costs, what a stream costs
    once."""
    found = {(r["provider"], r["mode"]): r for r in rows if r["kind"] == "chunk cost"}
    if not found:
        return []
    out = [
        "",
        "Per chunk, as the stream grows (`benchmarks/sweeps.py`: `+self` of streams of about "
        "13, 53, 203 and 803 chunks, the user's client, against the cheapest raw read; the "
        "least-squares line through them): what one chunk more costs, +- its standard "
        "error, and what a stream costs once however long it is (opening it, its first and "
        "last chunks, closing it), in microseconds. The stream columns of the first table "
        f"are the 53-chunk stream's `+self` spread over its chunks, so they hold both. "
        f"Target: a chunk more within {CHUNK_MORE_US:g} us. Each point's timed blocks run "
        "with Python's cyclic collector paused, after a collection: the SDKs that make "
        "garbage cycles (Mistral's, LiteLLM's, the Google family's) set one off every few "
        "chunks, wherever an allocation crosses the threshold, so it fell now in one "
        "side's own code, now in the other's, milliseconds in a line fitted in "
        "microseconds. What the collector costs each side is counted apart, running: the "
        "last column, young collections per call of the longest stream, sync, mirascope / raw.",
        "",
        "| provider | per chunk sync | per chunk async | per stream sync | per stream async "
        "| young collections |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for provider in dict.fromkeys(p for p, _ in found):
        cells: list[str] = []
        for key, fmt in (("per_chunk_us", "{:+.2f}"), ("per_stream_us", "{:+.0f}")):
            for mode in ("sync", "async"):
                r = found.get((provider, mode))
                if r is None:
                    cells.append("-")
                elif key == "per_chunk_us":
                    met = all(c["met"] for c in r["checks"])
                    se = f" +-{r['per_chunk_se_us']:.2f}"
                    cells.append(fmt.format(r[key]) + se + ("" if met else " ⚠"))
                else:
                    cells.append(fmt.format(r[key]))
        young = (found.get((provider, "sync")) or {}).get("young_gcs")
        cells.append(f"{young['mirascope']:g} / {young['raw']:g}" if young else "-")
        out.append(f"| {provider} | " + " | ".join(cells) + " |")
    return out


def _peers_markdown(rows: list[dict[str, Any]]) -> list[str]:
    peer = [r for r in rows if r["kind"] == "peer"]
    if not peer:
        return []
    libraries = list(dict.fromkeys(r["library"] for r in peer))
    cases = list(dict.fromkeys(r["case"] for r in peer))
    burst = {r["library"]: r for r in rows if r["kind"] == "peer throughput"}
    burst_case = next(iter(burst.values()))["case"] if burst else ""
    out = [
        "",
        "Peers on the same OpenAI fake, the same call (a text answer) and the same structured "
        "call (the model calls `FormatBook`; each library hands back the validated "
        "arguments), each reading the text or arguments, token counts and finish reason: "
        "client CPU per call (the whole call, SDK included) as a ratio to the raw OpenAI "
        f"SDK's in the same alternating blocks, and the throughput of {burst_case} (text) "
        "as a ratio to the raw SDK's:",
        "",
        "| library | " + " | ".join(cases) + (f" | {burst_case}/s" if burst else "") + " |",
        "|---|" + "---:|" * (len(cases) + (1 if burst else 0)),
    ]
    below: list[str] = []
    for library in libraries:
        found = {r["case"]: r for r in peer if r["library"] == library}
        cells = []
        for c in cases:
            ratio = found[c]["cpu_over_raw"] if c in found else None
            if ratio is None:
                cells.append("-")
            elif ratio < 1 and library != "raw":
                below.append(f"{library} {c} {ratio:.2f}x")
                cells.append(f"{FLAG} {ratio:.2f}x")
            else:
                cells.append(f"{ratio:.2f}x")
        if burst:
            b = burst.get(library)
            cells.append(f"{b['over_raw']:.2f}x" if b else "-")
        out.append(f"| {library} | " + " | ".join(cells) + " |")
    if below:
        out += [
            "",
            f"{FLAG}: below 1, which no library on top of the SDK can be: the whole call's CPU "
            "(HTTP, the fake's answer, the SDK) varies from block to block by more than this "
            "library adds (" + "; ".join(below) + "); mirascope's own cost is `+self` above.",
        ]
    raw = next((r for r in peer if r["library"] == "raw" and r["case"] == cases[0]), None)
    if raw is not None:
        out += ["", f"raw OpenAI SDK: {raw['raw_cpu_us']:.0f} us CPU per {cases[0]}."]
    requests = [r for r in rows if r["kind"] == "peer request"]
    notes = []
    for r in requests:
        parts = []
        for case, found in r["cases"].items():
            differs = found["request_differs"]
            if differs:
                parts.append(f"{case}: " + ", ".join(f"`{d}`" for d in differs))
            if not found["same_reading"]:
                parts.append(f"{case}: read other data")
            elif not found.get("same_finish", True):
                parts.append(f"{case}: finish reason spelled `{found['reading'][3]}`")
        notes.append(f"{r['library']}: " + ("; ".join(parts) if parts else "the same request"))
    if notes:
        out += ["", "Requests compared with the raw SDK's: " + ". ".join(notes) + "."]
    return out


def _sweeps_markdown(rows: list[dict[str, Any]]) -> list[str]:
    sweep = [r for r in rows if r["kind"] == "sweep" and r.get("mode", "sync") == "sync"]
    if not sweep:
        return []
    out = [
        "",
        "Growth (`benchmarks/sweeps.py`, sync, the user's client, against the cheapest raw "
        "read): `+self` in microseconds per call as the stream gets longer (words echoed, "
        "about one chunk each), as the prompt carries more earlier messages, and as the call "
        "offers more tools:",
        "",
    ]
    for name in dict.fromkeys(r["sweep"] for r in sweep):
        points = sorted({r["x"] for r in sweep if r["sweep"] == name})
        out += [
            f"| {name} | " + " | ".join(str(x) for x in points) + " |",
            "|---|" + "---:|" * len(points),
        ]
        for provider in dict.fromkeys(r["provider"] for r in sweep if r["sweep"] == name):
            found = {r["x"]: r for r in sweep if r["sweep"] == name and r["provider"] == provider}
            cells = []
            for x in points:
                r = found.get(x)
                cells.append(
                    "-" if r is None else (FLAG if r["net_us"] < 0 else f"{r['net_us']:+.0f}")
                )
            out.append(f"| {provider} | " + " | ".join(cells) + " |")
        out.append("")
    return out[:-1]


def _plain_self(rows: list[dict[str, Any]]) -> dict[tuple[str, str, str], float]:
    """``+self`` of each provider's plain call and stream (per chunk), sync and async: with
    the user's client (LiteLLM, which has none: the default one)."""
    out: dict[tuple[str, str, str], float] = {}
    for row in rows:
        if row["kind"] not in ("call", "stream"):
            continue
        suffix = "_per_chunk_us" if row["kind"] == "stream" else "_us"
        value = row.get(f"custom_net{suffix}", row.get(f"default_net{suffix}"))
        if value is not None and value >= 0:  # a negative one flags the raw baseline
            kind, mode = row["case"].split()
            out[(row["provider"], kind, mode)] = value
    return out


def _features_markdown(rows: list[dict[str, Any]]) -> list[str]:
    """What each feature adds to the plain call (``profile_self.py --features``)."""
    from benchmarks._features import FEATURES, LABELS

    found = [r for r in rows if r["kind"] == "feature"]
    if not found:
        return []
    by = {(r["provider"], r["feature"], r["mode"]): r for r in found}
    providers = list(dict.fromkeys(r["provider"] for r in found))
    first = found[0]

    def cell(provider: str, feature: str, value: str) -> str:
        got = [by.get((provider, feature, m)) for m in ("sync", "async")]
        if not any(got):
            return "-"
        fmt = "{:+.2f}" if value == "added_us" and feature == "partials" else "{:+.1f}"
        if value == "base_us":
            fmt = "{:.1f}"
        return " / ".join("-" if r is None else fmt.format(r[value]) for r in got)

    out = [
        "",
        "Cost of each feature (`python benchmarks/profile_self.py --features`): microseconds "
        "of mirascope's own CPU each feature adds to the plain call of the same provider "
        "(streams: per chunk), sync / async, over replayed SDK answers (no SDK, no I/O, warm "
        f"caches), the median of {first['rounds']} paired blocks of {first['calls']} calls, "
        "base and feature alternating; the plain call's and plain stream's own cost beside. "
        "Response models in each output mode the provider has (strict: its JSON-schema mode; "
        "json; tool: a forced tool call); partial models: a structured stream in the "
        "provider's default mode against a plain stream of the same length; retry: "
        "`mirascope.retries.tenacity.retry` with `is_retryable` and `wait_retry_after`, "
        "not triggered; `RateLimit` (requests, tokens, concurrency) that never waits; cost: "
        "the first read of `response.cost`:",
        "",
        "| provider | plain call | "
        + " | ".join(LABELS[f] for f in FEATURES)
        + " | plain stream /chunk |",
        "|---|---:|" + "---:|" * len(FEATURES) + "---:|",
    ]
    for provider in providers:
        cells = [
            cell(provider, "limiter", "base_us"),
            *(cell(provider, f, "added_us") for f in FEATURES),
            cell(provider, "partials", "base_us"),
        ]
        out.append(f"| {provider} | " + " | ".join(cells) + " |")
    plain = _plain_self(rows)
    over: list[str] = []
    for r in found:
        base = plain.get((r["provider"], "stream" if r["per_chunk"] else "call", r["mode"]))
        total = (r["base_us"] if base is None else base) + r["added_us"]
        if total > r["budget_us"]:
            unit = "/chunk" if r["per_chunk"] else " us"
            over.append(f"{r['provider']} {r['label']} {r['mode']} ({total:.1f}{unit})")
    against = (
        "this run's `+self` of the plain call (or stream) where the run measured it, else "
        "the plain call's own cost above"
    )
    out += [
        "",
        f"Budget: the plain call plus the feature within +{PER_CALL_US:g} us per call and "
        f"+{PER_CHUNK_US:g} us per chunk over raw, the plain call's part being {against}: "
        + ("every feature fits." if not over else "over: " + ", ".join(over) + "."),
    ]
    unused = [r for r in rows if r["kind"] == "feature unused"]
    ran = [
        f"{r['provider']} {r['mode']}: {f} ({', '.join(c)})"
        for r in unused
        for f, c in r["code"].items()
        if c
    ]
    if unused:
        out += [
            "",
            "Unused, a feature costs nothing: the plain call and stream ran no function of "
            "response models (`output.py`, `partial.py`), `mirascope.llm`, "
            "`mirascope.retries`, the limiter (`limiter.py`, `policy.py`) or "
            "cost (`mirascope.core.costs`, `cost`, `cost_metadata`, `reported_cost`)"
            + (f", except: {'; '.join(ran)}." if ran else f", for {len(unused)} checks."),
        ]
    return out


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
    parser.add_argument(
        "--repeat", type=int, help="runs of every provider's CPU cases (figures: their median)"
    )
    parser.add_argument(
        "--skip",
        default="",
        help="comma-separated parts to leave out: check, peers, sweeps, features",
    )
    parser.add_argument(
        "--sweep-providers", default="openai,anthropic,gemini", help="providers of the sweeps"
    )
    parser.add_argument("--json", default=str(Path(__file__).with_name("results.json")))
    parser.add_argument(
        "--markdown",
        help="also write the tables as markdown (benchmarks/RESULTS.md is the one the README "
        "and the docs show)",
    )
    parser.add_argument("--charts", help="write PNG charts into this folder (needs matplotlib)")
    args = parser.parse_args()
    settings = dict(QUICK if args.quick else FULL)
    for key in settings:
        if getattr(args, key, None) is not None:
            settings[key] = getattr(args, key)
    names = [n for n in args.providers.split(",") if n] or [n for n in BENCHES if _available(n)]
    unknown = [n for n in names if n not in BENCHES]
    if unknown:
        parser.error(f"unknown provider(s) {unknown}; known: {', '.join(BENCHES)}")
    skip = {s for s in args.skip.split(",") if s}
    if skip - {"check", "peers", "sweeps", "features"}:
        parser.error(f"--skip takes check, peers, sweeps, features; not {sorted(skip)}")

    started = time.time()
    load_before = os.getloadavg()
    rows: list[dict[str, Any]] = []

    def emit(row: dict[str, Any]) -> None:
        row["checks"] = judge(row)
        rows.append(row)
        print(format_row(row), flush=True)

    print(
        "client CPU per call; custom/default = mirascope with the user's / its default client: "
        "+self = its own CPU over the raw case's\n(SDK time excluded; streams per chunk; the "
        "cheapest raw read where there are two), e2e = whole-call CPU difference +- std error."
        "\nTargets: +50 us/call, +5 us/chunk; a negative figure flags the raw baseline.\n"
    )
    print(line(*(name for name, _ in COLUMNS), verdict="targets"))
    compile_package()
    core_import_row(names, settings["import_runs"], emit)
    if "check" not in skip:
        for name in names:
            check_rows(name, emit)
    seconds: dict[str, float] = {}
    runs: list[list[dict[str, Any]]] = []
    repeat = settings["repeat"]
    for r in range(repeat):
        if repeat > 1:
            print(f"\n-- run {r + 1} of {repeat}")
        this_run: list[dict[str, Any]] = []
        last = r == repeat - 1

        def collect(row: dict[str, Any], this_run: list[dict[str, Any]] = this_run) -> None:
            if repeat == 1:
                emit(row)
            else:
                row["checks"] = judge(row)
                print(format_row(row), flush=True)
            this_run.append(row)

        for name in names:
            t = time.time()
            run_settings = settings if last else {**settings, "burst": 0}
            run_worker(name, run_settings, collect)
            if last:
                provider_import_row(name, settings["import_runs"], collect, alone=not args.quick)
            seconds[name] = round(seconds.get(name, 0.0) + time.time() - t, 1)
        runs.append(this_run)
    if repeat > 1:
        print(f"\n-- medians of {repeat} runs")
        for row in merge_runs(runs):
            emit(row)
    if "peers" not in skip:
        if all(importlib.util.find_spec(m) for m in ("instructor", "pydantic_ai")):
            peer_args = [
                f"--budget={settings['budget'] * 4}",
                f"--burst={min(settings['burst'], 200) or 0}",
                f"--rounds={max(settings['rounds'], 3)}",
                f"--min-blocks={settings['min_blocks']}",
            ]
            subprocess_rows("benchmarks.peers", peer_args, emit, "peers")
        else:
            print('peers: skipped (pip install -e ".[bench]" and instructor, see README)')
    if "sweeps" not in skip:
        # the stream sweep for every provider (its slope is the per-chunk target), the
        # history and tools sweeps for a few
        growth = set(args.sweep_providers.split(","))
        for name in names:
            calls = 40 if args.quick else 150
            which = "stream,history,tools" if name in growth else "stream"
            sweep_args = [name, f"--calls={calls}", f"--sweeps={which}", "--modes=sync,async"]
            subprocess_rows("benchmarks.sweeps", sweep_args, emit, name)
    if "features" not in skip:
        feature_args = ["--features", "--rows", f"--providers={','.join(names)}"]
        feature_args += ["--calls=100", "--rounds=5"] if args.quick else []
        subprocess_rows("benchmarks.profile_self", feature_args, emit, "features")

    checks = [c for r in rows for c in r["checks"]]
    suspect = [c for c in checks if c.get("baseline_suspect")]
    missed = [c for c in checks if not c["met"] and c not in suspect]
    noisy = [c for c in missed if c["within_noise"]]
    load_after = os.getloadavg()
    elapsed = time.time() - started
    print(
        f"\n{len(checks) - len(missed) - len(suspect)}/{len(checks)} targets met, {len(noisy)} "
        f"missed within noise (2 std errors), {len(missed) - len(noisy)} missed, "
        f"{len(suspect)} negative (the raw baseline is suspect)"
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
            "met": len(checks) - len(missed) - len(suspect),
            "missed_within_noise": noisy,
            "missed": [c for c in missed if not c["within_noise"]],
            "baseline_suspect": suspect,
        },
        "rows": rows,
    }
    Path(args.json).write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {args.json}")
    if args.charts:
        from benchmarks._charts import write_all

        for path in write_all(result, Path(args.charts)):
            print(f"wrote {path}")
    if args.markdown:
        Path(args.markdown).write_text(markdown(result))
        print(f"wrote {args.markdown}")


if __name__ == "__main__":
    main()
