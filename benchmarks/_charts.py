"""PNG charts of a run's results (``run.py --charts DIR``; needs matplotlib, in the
``bench`` extra): mirascope's own cost per provider and path, the two baselines where the
SDK's accessors cost more than a direct read, the peers side by side, the sweeps, and
what each feature adds to the plain call.

    python -m benchmarks._charts benchmarks/results.json docs/img/perf   # from a saved run"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

CASES = ("call sync", "call async", "tool sync", "tool async")
STREAMS = ("stream sync", "stream async")
COLORS = ("#4c72b0", "#55a868", "#c44e52", "#8172b2", "#ccb974", "#64b5cd")


def _footer(fig: Any, subtitle: str) -> None:
    """The command and date of the run, wrapped to the figure's width, under the axes."""
    import textwrap

    width = int(fig.get_figwidth() * 17)
    fig.text(
        0.5,
        0.005,
        textwrap.fill(subtitle, width),
        ha="center",
        va="bottom",
        fontsize=7,
        color="grey",
    )


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.size": 9, "axes.spines.top": False, "axes.spines.right": False})
    return plt


def _ticks(labels: list[str]) -> dict[str, Any]:
    """Tick label options: tilted when many names (openai.responses) would overlap."""
    if sum(len(label) for label in labels) > 60:
        return {"rotation": 25, "ha": "right", "rotation_mode": "anchor"}
    return {}


def _cpu_rows(rows: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rows:
        if row["kind"] in ("call", "tool", "stream"):
            out.setdefault(row["provider"], {})[row["case"]] = row
    return out


def _value(row: dict[str, Any] | None, key: str) -> tuple[float, float]:
    if row is None or key not in row:
        return float("nan"), 0.0
    se_key = key.replace("_us", "_se_us")
    return row[key], row.get(se_key, 0.0)


def _flag_negatives(ax: Any, bars: Any, values: list[float]) -> None:
    """A negative figure is no cost but a raw baseline doing more than mirascope: drawn
    hatched and grey, marked "baseline?"."""
    for bar, value in zip(bars, values, strict=True):
        if value < 0:
            bar.set_facecolor("#dddddd")
            bar.set_hatch("///")
            x = bar.get_x() + bar.get_width() / 2
            ax.text(x, 0, "baseline?", ha="center", va="bottom", fontsize=7, rotation=90)


def overhead(result: dict[str, Any], out: Path, subtitle: str) -> Path:
    """+self per provider: per call (call, tool; sync, async) and per stream chunk."""
    plt = _plt()
    by_provider = _cpu_rows(result["rows"])
    providers = list(by_provider)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(max(10, 0.85 * len(providers)), 7.5))
    width = 0.8 / len(CASES)
    for i, case in enumerate(CASES):
        values, errors, client = [], [], []
        for p in providers:
            row = by_provider[p].get(case)
            key = (
                "custom_net_us" if row is not None and "custom_net_us" in row else "default_net_us"
            )
            v, se = _value(row, key)
            values.append(v)
            errors.append(se)
            client.append(key)
        xs = [x + (i - 1.5) * width for x in range(len(providers))]
        bars = top.bar(xs, values, width, yerr=errors, label=case, color=COLORS[i], capsize=2)
        _flag_negatives(top, bars, values)
    top.axhline(50, color="grey", linestyle="--", linewidth=1)
    top.text(len(providers) - 0.5, 51, "target +50 us", ha="right", va="bottom", color="grey")
    top.set_xticks(range(len(providers)), providers, **_ticks(providers))
    top.set_ylabel("us per call")
    top.set_title("mirascope's own CPU per call over the raw SDK (+self)", pad=24)
    top.legend(ncols=4, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    width = 0.8 / len(STREAMS)
    for i, case in enumerate(STREAMS):
        values, errors = [], []
        for p in providers:
            row = by_provider[p].get(case)
            key = "custom_net_per_chunk_us"
            if row is None or key not in row:
                key = "default_net_per_chunk_us"
            v, se = _value(row, key)
            values.append(v)
            errors.append(se)
        xs = [x + (i - 0.5) * width for x in range(len(providers))]
        bars = bottom.bar(
            xs, values, width, yerr=errors, label=case, color=COLORS[i + 4], capsize=2
        )
        _flag_negatives(bottom, bars, values)
    bottom.axhline(5, color="grey", linestyle="--", linewidth=1)
    bottom.text(len(providers) - 0.5, 5.1, "target +5 us", ha="right", va="bottom", color="grey")
    bottom.set_xticks(range(len(providers)), providers, **_ticks(providers))
    bottom.set_ylabel("us per chunk")
    bottom.set_title("... per stream chunk", pad=24)
    bottom.legend(ncols=2, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    for ax in (top, bottom):
        ax.axhline(0, color="black", linewidth=0.8)
    _footer(fig, subtitle)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    path = out / "overhead.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def baselines(result: dict[str, Any], out: Path, subtitle: str) -> Path | None:
    """Self CPU of each side where there are two raw baselines: the SDK's accessors, the
    direct read, and mirascope (custom client), per call."""
    by_provider = {
        p: cases
        for p, cases in _cpu_rows(result["rows"]).items()
        if any(r.get("baseline") == "direct" for r in cases.values())
    }
    if not by_provider:
        return None
    plt = _plt()
    cases = ("call sync", "tool sync", "stream sync")
    # a grid of at most three a row: the page shows the chart at its width
    ncols = min(3, len(by_provider))
    nrows = -(-len(by_provider) // ncols)
    fig, grid = plt.subplots(
        nrows, ncols, figsize=(max(7, 4 * ncols), 3.2 * nrows + 0.9), squeeze=False
    )
    axes = [ax for row in grid for ax in row]
    for ax in axes[len(by_provider) :]:
        ax.set_visible(False)
    sides = (
        ("raw_self_us", "raw, SDK accessors"),
        ("direct_self_us", "raw, direct read"),
        ("custom_self_us", "mirascope"),
    )
    width = 0.8 / len(sides)
    for ax, (provider, rows) in zip(axes, by_provider.items(), strict=False):
        for i, (key, label) in enumerate(sides):
            values = []
            for case in cases:
                row = rows.get(case, {})
                per = row.get("chunks") or 1
                found = key
                if key == "custom_self_us" and key not in row:  # no client object: default
                    found = "default_self_us"
                values.append(row.get(found, float("nan")) / per)
            xs = [x + (i - 1) * width for x in range(len(cases))]
            ax.bar(xs, values, width, label=label, color=COLORS[i])
        ax.set_xticks(range(len(cases)), ["call", "tool", "stream (/chunk)"])
        ax.set_title(provider)
        ax.set_ylabel("self CPU, us")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, ncols=3, loc="upper center", frameon=False, fontsize=8)
    _footer(fig, subtitle)
    top = 1 - 0.45 / fig.get_figheight()
    fig.tight_layout(rect=(0, 0.5 / fig.get_figheight(), 1, top))
    path = out / "baselines.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def peers(result: dict[str, Any], out: Path, subtitle: str) -> Path | None:
    rows = [r for r in result["rows"] if r["kind"] in ("peer", "peer throughput")]
    if not rows:
        return None
    plt = _plt()
    libraries = list(dict.fromkeys(r["library"] for r in rows))
    cases = list(dict.fromkeys(r["case"] for r in rows if r["kind"] == "peer"))
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8), gridspec_kw={"width_ratios": [3, 1]})
    width = 0.8 / len(libraries)
    for i, library in enumerate(libraries):
        found = {r["case"]: r for r in rows if r["kind"] == "peer" and r["library"] == library}
        values = [found[c]["cpu_over_raw"] if c in found else float("nan") for c in cases]
        xs = [x + (i - (len(libraries) - 1) / 2) * width for x in range(len(cases))]
        left.bar(xs, values, width, label=library, color=COLORS[i % len(COLORS)])
    left.axhline(1, color="black", linewidth=0.8)
    left.set_xticks(range(len(cases)), cases)
    left.set_ylabel("client CPU per call / raw SDK's")
    left.set_title("CPU per call (OpenAI fake; lower is better)")
    left.legend(ncols=len(libraries), loc="upper left", frameon=False, fontsize=8)
    burst = [r for r in rows if r["kind"] == "peer throughput"]
    if burst:
        right.bar(
            range(len(burst)),
            [r["over_raw"] for r in burst],
            color=[COLORS[libraries.index(r["library"]) % len(COLORS)] for r in burst],
        )
        right.set_xticks(range(len(burst)), [r["library"] for r in burst], rotation=30)
        right.axhline(1, color="black", linewidth=0.8)
        calls = burst[0]["case"].replace(" async calls", "")
        right.set_title(f"throughput, {calls} calls at once\n(higher is better)", fontsize=9)
        right.set_ylabel("calls/s / raw SDK's")
    _footer(fig, subtitle)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    path = out / "peers.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


SWEEP_LABELS = {
    "stream": ("stream length (words echoed: about one chunk each)", "stream case"),
    "history": ("earlier messages in the prompt", "call case"),
    "tools": ("tools offered", "tool case"),
}


def sweeps(result: dict[str, Any], out: Path, subtitle: str) -> Path | None:
    rows = [r for r in result["rows"] if r["kind"] == "sweep" and r.get("mode", "sync") == "sync"]
    if not rows:
        return None
    plt = _plt()
    names = list(dict.fromkeys(r["sweep"] for r in rows))
    fig, axes = plt.subplots(1, len(names), figsize=(4.2 * len(names), 3.6))
    if len(names) == 1:
        axes = [axes]
    for ax, sweep in zip(axes, names, strict=True):
        providers = list(dict.fromkeys(r["provider"] for r in rows if r["sweep"] == sweep))
        xs_all = sorted({r["x"] for r in rows if r["sweep"] == sweep})
        for i, provider in enumerate(providers):
            points = sorted(
                (r for r in rows if r["sweep"] == sweep and r["provider"] == provider),
                key=lambda r: r["x"],
            )
            position = {x: i for i, x in enumerate(xs_all)}
            ax.errorbar(
                [position[r["x"]] for r in points],
                [r["net_us"] for r in points],
                yerr=[r["net_se_us"] for r in points],
                marker="o",
                label=provider,
                color=COLORS[i % len(COLORS)],
                capsize=2,
            )
        ax.set_xticks(range(len(xs_all)), [str(x) for x in xs_all])
        ax.set_xlabel(SWEEP_LABELS[sweep][0])
        ax.set_ylabel("+self, us per call")
        ax.set_title(f"growth: {sweep} ({SWEEP_LABELS[sweep][1]})")
        ax.axhline(0, color="black", linewidth=0.8)
        ax.legend(frameon=False, fontsize=8)
    _footer(fig, subtitle)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    path = out / "sweeps.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


CLIP_US = 40.0
"""The features chart's axis ends here; a taller bar is cut and labelled with its value."""


def features(result: dict[str, Any], out: Path, subtitle: str) -> Path | None:
    """What each feature adds to the plain call (sync), per provider; below, a stream's
    cost per chunk, plain and with partial models, against the per-chunk budget."""
    from benchmarks._features import CALL_FEATURES, LABELS

    rows = [r for r in result["rows"] if r["kind"] == "feature" and r["mode"] == "sync"]
    if not rows:
        return None
    plt = _plt()
    by = {(r["provider"], r["feature"]): r for r in rows}
    providers = list(dict.fromkeys(r["provider"] for r in rows))
    shown = [f for f in CALL_FEATURES if any((p, f) in by for p in providers)]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(max(11, 0.95 * len(providers)), 7.5))
    width = 0.84 / len(shown)
    colors = (*COLORS, "#8c8c8c", "#e17c05")
    for i, feature in enumerate(shown):
        values = [
            by[(p, feature)]["added_us"] if (p, feature) in by else float("nan") for p in providers
        ]
        xs = [x + (i - (len(shown) - 1) / 2) * width for x in range(len(providers))]
        top.bar(xs, values, width, label=LABELS[feature], color=colors[i % len(colors)])
        for x, value in zip(xs, values, strict=True):
            if value > CLIP_US:  # one outlier would flatten the rest: cut, with its value
                top.text(x, CLIP_US, f"{value:.0f}", ha="center", va="top", fontsize=7, rotation=90)
    added_us = [r["added_us"] for r in rows if r["feature"] in shown]
    if max(added_us) > CLIP_US:
        top.set_ylim(min(0.0, *added_us) - 1, CLIP_US)
    top.axhline(0, color="black", linewidth=0.8)
    top.set_xticks(range(len(providers)), providers, **_ticks(providers))
    top.set_ylabel("us added per call")
    top.set_title("what each feature adds to the plain call (sync, mirascope's own CPU)", pad=34)
    top.legend(ncols=4, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, fontsize=8)
    plain = [by[(p, "partials")]["base_us"] if (p, "partials") in by else 0.0 for p in providers]
    added = [
        by[(p, "partials")]["added_us"] if (p, "partials") in by else float("nan")
        for p in providers
    ]
    xs = list(range(len(providers)))
    bottom.bar(xs, plain, 0.6, label="plain stream", color=COLORS[0])
    bottom.bar(xs, added, 0.6, bottom=plain, label="+ partial models", color=COLORS[2])
    bottom.axhline(5, color="grey", linestyle="--", linewidth=1)
    bottom.text(len(providers) - 0.5, 5.1, "budget 5 us", ha="right", va="bottom", color="grey")
    bottom.set_xticks(xs, providers, **_ticks(providers))
    bottom.set_ylabel("us per chunk")
    bottom.set_title("a structured stream per chunk (sync, mirascope's own CPU)", pad=24)
    bottom.legend(ncols=2, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    _footer(fig, subtitle)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    path = out / "features.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def write_all(result: dict[str, Any], out: Path) -> list[Path]:
    """Every chart the run has data for, into ``out``; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    subtitle = f"{result['command']}  ({result['started']}, {result['machine']['cpus']} CPUs)"
    if result.get("notes"):
        subtitle += "; some rows from other runs: see RESULTS.md"
    made = [
        overhead(result, out, subtitle),
        baselines(result, out, subtitle),
        peers(result, out, subtitle),
        sweeps(result, out, subtitle),
        features(result, out, subtitle),
    ]
    return [p for p in made if p is not None]


if __name__ == "__main__":
    for written in write_all(json.loads(Path(sys.argv[1]).read_text()), Path(sys.argv[2])):
        print(f"wrote {written}")
