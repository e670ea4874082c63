"""``profile_self.py --features``: its functions get the answers they are meant to time
(the book, as text or validated), and a call without a feature runs none of its code (the
claim "0 us when unused", which the benchmark reports and this keeps true).

In-process against the benchmarks' own fake for the providers served over HTTP; Gemini
and Vertex AI talk gRPC, whose TLS roots are read from the environment once per process
(another test's fake may have set them), so they run through ``profile_self.py`` itself, in
its own processes, with one call per block."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import pytest

from benchmarks._fake import STRUCTURED_BOOK, make
from benchmarks._features import FEATURES, Book, entered, features, unused_code
from benchmarks.cases import BENCHES
from mirascope.core._engine.clients import reset_default_clients

ROOT = Path(__file__).resolve().parents[2]
GRPC = ("gemini", "vertex")
HTTP = [name for name in BENCHES if name not in GRPC]


def _expect(name: str, got: Any) -> None:
    """What each function hands back: the book validated, or its JSON as text."""
    if name in ("strict", "json", "tool", "partials"):
        assert isinstance(got, Book)
        assert got.model_dump() == STRUCTURED_BOOK
        return
    text = got[0] if name == "cost" else got
    assert json.loads(text) == STRUCTURED_BOOK
    if name == "cost":
        assert got[1] is None or (isinstance(got[1], float) and got[1] > 0)


@pytest.mark.parametrize("name", HTTP)
@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_features_read_the_book_and_plain_calls_run_no_feature_code(
    name: str, is_async: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = make(name).start()
    try:
        bench = BENCHES[name]({"url": fake.url})
        for key, value in bench.environ().items():
            monkeypatch.setenv(key, value)
        reset_default_clients()
        bench.setup()

        async def run() -> dict[str, list[str]]:
            async with AsyncExitStack() as stack:
                client: Any = None
                if bench.custom_client and is_async:
                    client = await bench.aclient(stack)
                elif bench.custom_client:
                    client = bench.client()
                    close = getattr(client, "close", None)
                    if close is not None:
                        stack.callback(close)
                found = features(bench, client, is_async=is_async)

                async def once(feature: str) -> Any:
                    out = found[feature].fn()
                    return await out if is_async else out

                expected = set(FEATURES)
                if name in ("anthropic", "bedrock"):  # no JSON-schema mode
                    expected.discard("strict")
                assert set(found) == expected | {"call", "stream"}
                for feature in found:
                    _expect(feature, await once(feature))
                with entered() as seen:
                    await once("call")
                    await once("stream")
                return unused_code(seen)

        ran = asyncio.run(run())
        assert ran == {feature: [] for feature in ran}
        assert set(ran) == {"response_model", "llm.call", "retry", "limiter", "cost"}
    finally:
        reset_default_clients()
        fake.stop()


def test_grpc_providers_through_profile_self() -> None:
    argv = [sys.executable, "-W", "ignore", "benchmarks/profile_self.py", "--features"]
    argv += ["--rows", f"--providers={','.join(GRPC)}", "--calls=1", "--rounds=1"]
    done = subprocess.run(
        argv,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rows = [json.loads(line[4:]) for line in done.stdout.splitlines() if line.startswith("ROW ")]
    for name in GRPC:
        mine = [r for r in rows if r["provider"] == name]
        unused = [r for r in mine if r["kind"] == "feature unused"]
        assert [r["mode"] for r in unused] == ["sync", "async"]
        assert all(codes == [] for r in unused for codes in r["code"].values())
        measured = {(r["feature"], r["mode"]) for r in mine if r["kind"] == "feature"}
        assert measured == {(f, m) for f in FEATURES for m in ("sync", "async")}
        assert {r["output_mode"] for r in mine if r.get("feature") == "partials"} == {"strict"}
