"""Print the fault matrix (what the user sees, provider x fault) as a markdown table.

    MIRASCOPE_FAULT_MATRIX=/tmp/faults.jsonl pytest tests/contract/test_faults.py -p no:asyncio
    python -m tests.contract.fault_matrix /tmp/faults.jsonl

Each cell names the exception the caller gets (the vendor SDK's own, or mirascope's in
bold); "sync / async" when the two differ."""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

FAULT_ORDER = [
    "HTTP 400",
    "HTTP 401",
    "HTTP 429",
    "HTTP 500",
    "HTTP 503",
    "timeout",
    "connection refused",
    "stream cut mid-way",
    "stream cut after a tool call",
    "malformed JSON body",
    "malformed stream event",
    "garbled event mid-stream",
    "tool args not JSON",
    "tool args fail validation",
    "tool args not JSON (stream)",
    "tool args fail validation (stream)",
    "empty response",
    "empty stream",
]


def short(seen: str) -> str:
    """``openai.RateLimitError``, ``botocore.ReadTimeoutError``, ``**EmptyResponseError**``."""
    if seen == "no error":
        return "*no error*"
    module, _, name = seen.rpartition(".")
    if module.startswith("mirascope"):
        return f"**{name}**"
    return f"{module.split('.')[0]}.{name}"


def table(lines: list[dict[str, object]]) -> str:
    seen: dict[tuple[str, str], dict[bool, set[str]]] = defaultdict(lambda: defaultdict(set))
    for line in lines:
        key = (str(line["fault"]), str(line["provider"]))
        seen[key][bool(line["async"])].add(short(str(line["seen"])))
    providers = sorted({p for _, p in seen})
    faults = [f for f in FAULT_ORDER if any((f, p) in seen for p in providers)]
    faults += sorted({f for f, _ in seen} - set(faults))
    rows = ["| fault | " + " | ".join(providers) + " |", "|---" * (len(providers) + 1) + "|"]
    for fault in faults:
        cells: list[str] = []
        for provider in providers:
            by_kind = seen.get((fault, provider))
            if not by_kind:
                cells.append("-")
                continue
            sync = ", ".join(sorted(by_kind.get(False, set())))
            async_ = ", ".join(sorted(by_kind.get(True, set())))
            if sync == async_ or not async_ or not sync:
                cells.append(sync or async_)
            else:
                cells.append(f"{sync} / {async_}")
        rows.append(f"| {fault} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    text = Path(argv[1]).read_text()
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    print(table(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
