"""Azure AI's guide examples against FakeAzure.

The default client reads AZURE_INFERENCE_ENDPOINT and AZURE_INFERENCE_CREDENTIAL, which
point it at the fake. The Custom Client examples build their own client with
``endpoint="your-endpoint"``: a placeholder without a scheme or host, which neither aiohttp
nor requests can send anywhere (no proxy, base URL or other setting applies to a URL without
a host), so no honest route leads from it to the fake. Run as written, the call must then
reach that client and fail there, with the SDK's own error naming the example's endpoint,
and nothing may reach the fake or mirascope's default client. tests/providers/azure runs
the same examples with the endpoint set to the fake, end to end."""

from __future__ import annotations

from azure.core.exceptions import ServiceRequestError

from mirascope.core._engine.clients import default_clients_created
from mirascope.testing import FakeAzure, FakeServer

from .extract import Example
from .harness import Harness


class AzureHarness(Harness):
    tab = "Azure AI"
    module = "azure"

    def start(self) -> FakeServer:
        return FakeAzure().start()

    def environ(self, server: FakeServer) -> dict[str, str]:
        return {"AZURE_INFERENCE_ENDPOINT": server.url, "AZURE_INFERENCE_CREDENTIAL": "test-key"}

    def expected_error(self, example: Example) -> tuple[type[BaseException], str] | None:
        if example.section == "Custom Client":
            return ServiceRequestError, r"^your-endpoint/chat/completions\?api-version="
        return None

    def check_requests(self, example: Example, server: FakeServer) -> None:
        if example.section == "Custom Client":
            assert not server.requests
            assert not default_clients_created(self.module)
            return
        for request in server.requests:
            assert request.path.startswith("/chat/completions?api-version=")
            assert request.headers["api-key"] == "test-key"
            assert request.json["model"] == "gpt-4o-mini"
