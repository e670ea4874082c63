"""How the guide's examples of one provider reach that provider's fake server.

A harness names the provider as the guide's tabs do, starts its fake server, sets the
environment so that both mirascope's default client and the clients the examples build
themselves reach that server, and scripts the tool-call reply. Each provider's harness
lives in ``harness_<provider>.py`` beside this file and registers itself here."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

import pytest

from mirascope.testing import FakeServer, Reply, ToolCall

from .extract import Example

BOOK = {"title": "The Name of the Wind", "author": "Patrick Rothfuss"}
BOOK_LINE = "The Name of the Wind by Patrick Rothfuss"

HARNESSES: dict[str, type[Harness]] = {}


class Harness:
    tab: ClassVar[str]  # the guide's tab name: "OpenAI", "Azure AI", ...
    module: ClassVar[str]  # mirascope.core.<module>, also the default-client key
    custom_client: ClassVar[bool] = True  # False: the guide says "Not Supported"
    source_tab: ClassVar[str | None] = None
    """For a provider the guide has no tab for: the tab whose examples it runs, each
    rewritten by ``rewrite`` (``tab`` then names the provider, as the docs' tabs do)."""

    @classmethod
    def rewrite(cls, code: str) -> str:
        """A ``source_tab`` example as this provider's user would write it."""
        return code

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "tab" in cls.__dict__:
            HARNESSES[cls.tab] = cls

    def start(self) -> FakeServer:
        """Start the fake server (once per test session)."""
        raise NotImplementedError

    def environ(self, server: FakeServer) -> dict[str, str]:
        """Variables that point the SDK's clients at the server."""
        raise NotImplementedError

    @contextmanager
    def active(self, server: FakeServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
        """Everything the examples need around them (env by default)."""
        for key, value in self.environ(server).items():
            monkeypatch.setenv(key, value)
        yield

    def tool_reply(self) -> Reply:
        return Reply(tool_calls=[ToolCall("FormatBook", BOOK)])

    def expected_error(self, example: Example) -> tuple[type[BaseException], str] | None:
        """An example the library must refuse: (error type, text the message holds)."""
        return None

    def check_requests(self, example: Example, server: FakeServer) -> None:
        """Provider-specific checks of what reached the server."""
