"""The public surface: what `import mirascope.core` costs and exports, and the error a
missing extra gives."""

from __future__ import annotations

import subprocess
import sys

import mirascope.core as core

SDKS = (
    "openai",
    "anthropic",
    "mistralai",
    "google",
    "groq",
    "cohere",
    "litellm",
    "azure",
    "vertexai",
    "boto3",
    "botocore",
    "aiobotocore",
)


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_import_core_loads_no_sdk_and_no_pydantic() -> None:
    result = _run(
        "import sys\n"
        "before = set(sys.modules)  # .pth files may preload namespace packages\n"
        "import mirascope.core\n"
        "new = set(sys.modules) - before\n"
        f"print(sorted(m for m in new if m.split('.')[0] in {SDKS!r} + ('pydantic',)))"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_all_names_resolve() -> None:
    for name in core.__all__:
        if name in core.PROVIDERS:
            continue  # each loads its SDK; covered by the provider suites
        assert getattr(core, name) is not None, name
    assert set(core.PROVIDERS) <= set(core.__all__)


def test_base_all_is_complete() -> None:
    from mirascope.core import base

    public = {n for n in vars(base) if not n.startswith("_") and n[0].isupper()}
    public |= {"prompt_template"}
    assert public - {"annotations"} <= set(base.__all__)


def test_missing_extra_names_the_install_command() -> None:
    result = _run(
        "import sys\n"
        "sys.modules['openai'] = None  # as if the extra were not installed\n"
        "from mirascope.core import openai\n"
    )
    assert result.returncode != 0
    assert 'pip install "mirascope[openai]"' in result.stderr
    assert "MissingExtraError" in result.stderr


def test_import_mirascope_and_llm_load_no_sdk_and_no_pydantic() -> None:
    result = _run(
        "import sys\n"
        "before = set(sys.modules)\n"
        "import mirascope\n"
        "from mirascope import llm\n"
        "llm.call, llm.context, llm.override, llm.CallResponse, llm.Stream, llm.Provider\n"
        "mirascope.Provider, mirascope.core.LocalProvider\n"
        "new = set(sys.modules) - before\n"
        f"print(sorted(m for m in new if m.split('.')[0] in {SDKS!r} + ('pydantic',)))"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_lazy_provider_modules_load_call_on_first_use() -> None:
    # their SDKs load neither pydantic nor anything of the engine, so importing the module
    # must not either; the first use of ``call`` does
    for provider in ("gemini", "vertex", "azure", "bedrock"):
        result = _run(
            "import sys, warnings\n"
            "warnings.simplefilter('ignore')\n"
            f"import mirascope.core.{provider} as module\n"
            "loaded = lambda: sorted(m for m in ('pydantic.main', 'mirascope.core._engine')"
            " if m in sys.modules)\n"
            "print(loaded())\n"
            "module.call\n"
            "print(loaded())\n"
        )
        assert result.returncode == 0, (provider, result.stderr)
        assert result.stdout.splitlines() == [
            "[]",
            "['mirascope.core._engine', 'pydantic.main']",
        ], provider


V1_TOP_LEVEL = {
    # Mirascope v1's ``mirascope/__init__.py`` names that exist here
    "BaseDynamicConfig",
    "BaseMessageParam",
    "BaseTool",
    "ImagePart",
    "LocalProvider",
    "Messages",
    "Provider",
    "TextPart",
    "ToolCallPart",
    "ToolResultPart",
    "__version__",
    "core",
    "prompt_template",
    # and ``from mirascope import llm``
    "llm",
    "retries",
}


def test_top_level_names() -> None:
    import mirascope

    assert set(mirascope.__all__) == V1_TOP_LEVEL
    for name in mirascope.__all__:
        assert getattr(mirascope, name) is not None, name
    assert mirascope.BaseTool is core.BaseTool
    assert mirascope.prompt_template is core.prompt_template
    assert mirascope.Provider is core.Provider
    assert sorted(dir(mirascope)) == sorted(mirascope.__all__)


def test_llm_names() -> None:
    from mirascope import llm
    from mirascope.core.base import BaseCallResponseChunk, BaseTool

    for name in llm.__all__:
        assert getattr(llm, name) is not None, name
    assert llm.CallResponseChunk is BaseCallResponseChunk
    assert llm.Tool is BaseTool
    assert sorted(dir(llm)) == sorted(llm.__all__)


def test_provider_names_agree() -> None:
    """The ``Provider`` literal, ``core.PROVIDERS`` and the llm registry name the same
    providers (add a row to each for a new one); ``openai.responses`` is llm's name for
    OpenAI's second API, a module inside ``core.openai``."""
    from typing import get_args

    from mirascope.llm._registry import PROVIDER_TABLE, LocalProvider, Provider

    assert set(get_args(Provider)) == {*core.PROVIDERS, "openai.responses"}
    assert set(PROVIDER_TABLE) == set(get_args(Provider)) | set(get_args(LocalProvider))


def test_import_batch_loads_no_sdk_and_no_pydantic() -> None:
    result = _run(
        "import sys\n"
        "before = set(sys.modules)\n"
        "from mirascope import batch\n"
        "new = set(sys.modules) - before\n"
        f"print(sorted(m for m in new if m.split('.')[0] in {SDKS!r} + ('pydantic',)))"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_batch_names_resolve() -> None:
    from mirascope import batch

    for name in batch.__all__:
        assert getattr(batch, name) is not None, name
    assert sorted(dir(batch)) == sorted(batch.__all__)
