"""What ``mirascope.retries`` costs to import and exports, and the error without tenacity."""

from __future__ import annotations

import subprocess
import sys

import mirascope.retries as retries


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_import_loads_no_sdk_pydantic_or_tenacity() -> None:
    result = _run(
        "import sys\n"
        "before = set(sys.modules)\n"
        "from mirascope.retries import is_retryable, retry_after\n"
        "new = set(sys.modules) - before\n"
        "heavy = ('pydantic', 'tenacity', 'openai', 'anthropic', 'google', 'botocore', 'httpx')\n"
        "print(sorted(m for m in new if m.split('.')[0] in heavy))"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_call_without_retries_never_imports_them() -> None:
    result = _run(
        "import sys\n"
        "from mirascope.core import openai\n"
        "@openai.call('gpt-4o-mini')\n"
        "def recommend() -> str:\n"
        "    return 'hi'\n"
        "print('mirascope.retries' in sys.modules)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_all_names_resolve() -> None:
    for name in retries.__all__:
        assert getattr(retries, name) is not None, name
    assert dir(retries) == sorted(retries.__all__)
    from mirascope.retries import tenacity

    assert set(tenacity.__all__) == {"collect_errors", "retry", "wait_retry_after"}


def test_missing_extra_names_the_install_command() -> None:
    result = _run(
        "import sys\n"
        "sys.modules['tenacity'] = None  # as if the extra were not installed\n"
        "from mirascope.retries.tenacity import collect_errors\n"
    )
    assert result.returncode != 0
    assert 'pip install "mirascope[tenacity]"' in result.stderr
    assert "MissingExtraError" in result.stderr
