from __future__ import annotations

from mirascope.testing import FakeAnthropic, FakeServer

from .harness import Harness


class AnthropicHarness(Harness):
    tab = "Anthropic"
    module = "anthropic"

    def start(self) -> FakeServer:
        return FakeAnthropic().start()

    def environ(self, server: FakeServer) -> dict[str, str]:
        # read by every Anthropic()/AsyncAnthropic() built without arguments, the
        # examples' own clients included
        return {"ANTHROPIC_BASE_URL": server.url, "ANTHROPIC_API_KEY": "sk-ant-test"}
