from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from mirascope.testing import FakeCohere, FakeServer

from .harness import Harness


class CohereHarness(Harness):
    """``CO_API_URL`` is the SDK's documented base-URL variable, but the SDK reads it once,
    as the default of ``base_url`` when ``cohere`` is imported. So that the clients the
    examples build (``AsyncClient()``) see the variable whenever the SDK was imported,
    ``active`` re-reads it into that default, exactly as a fresh import would, and puts the
    old default back afterwards. mirascope's own default client reads it at creation."""

    tab = "Cohere"
    module = "cohere"

    def start(self) -> FakeServer:
        return FakeCohere().start()

    def environ(self, server: FakeServer) -> dict[str, str]:
        return {"CO_API_URL": server.url, "CO_API_KEY": "co-test"}

    @contextmanager
    def active(self, server: FakeServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
        with super().active(server, monkeypatch):
            import cohere

            for cls in (cohere.Client, cohere.AsyncClient, cohere.ClientV2, cohere.AsyncClientV2):
                defaults = cls.__init__.__kwdefaults__
                assert defaults is not None
                monkeypatch.setitem(defaults, "base_url", self.environ(server)["CO_API_URL"])
            yield
