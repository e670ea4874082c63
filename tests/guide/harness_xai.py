"""The guide's OpenAI examples, rewritten for ``xai`` (the guide has no xAI tab), against
``FakeOpenAI``: the rewrite is mechanical (``from mirascope.core import xai``,
``xai.call("grok-3")``, and the OpenAI SDK's clients pointed at xAI where the OpenAI tab
builds its own). mirascope's default client reads ``XAI_BASE_URL``; the examples' own
clients, built with ``https://api.x.ai/v1`` written in, reach the fake through a local
HTTPS proxy answering for api.x.ai (``FakeServer.proxy_environ``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from mirascope.testing import FakeOpenAI, FakeServer

from .extract import Example
from .harness import Harness

MODEL = "grok-3"
API_HOST = "api.x.ai"
CLIENT = 'AsyncOpenAI(base_url="https://api.x.ai/v1", api_key=os.environ["XAI_API_KEY"])'
# variables that would send HTTPS elsewhere, or past the proxy
_PROXY_OVERRIDES = ("https_proxy", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY")


class XAIHarness(Harness):
    tab = "xAI"
    module = "xai"
    source_tab = "OpenAI"

    @classmethod
    def rewrite(cls, code: str) -> str:
        code = re.sub(r'openai\.call\((model=)?"gpt-4o-mini"', rf'xai.call(\1"{MODEL}"', code)
        code = code.replace("openai.AsyncOpenAIDynamicConfig", "xai.AsyncXAIDynamicConfig")
        code = re.sub(r"^(from mirascope\.core import .*)\bopenai\b", r"\1xai", code, flags=re.M)
        if "AsyncOpenAI()" in code:
            code = "import os\n\n" + code.replace("AsyncOpenAI()", CLIENT)
        assert "openai." not in code and "gpt-" not in code, code
        return code

    def start(self) -> FakeServer:
        return FakeOpenAI().start()

    def environ(self, server: FakeServer) -> dict[str, str]:
        return {
            "XAI_API_KEY": "xai-test",
            "XAI_BASE_URL": server.url + "/v1",
            **server.proxy_environ(API_HOST),
        }

    @contextmanager
    def active(self, server: FakeServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
        for key in _PROXY_OVERRIDES:
            monkeypatch.delenv(key, raising=False)
        with super().active(server, monkeypatch):
            yield

    def check_requests(self, example: Example, server: FakeServer) -> None:
        for request in server.requests:
            assert request.path == "/v1/chat/completions"
            assert request.headers.get("authorization") == "Bearer xai-test"
            assert request.json["model"] == MODEL
        if example.section == "Custom Client":
            # the example's own client went to api.x.ai, through the proxy
            assert all(r.headers.get("host") == API_HOST for r in server.requests)
