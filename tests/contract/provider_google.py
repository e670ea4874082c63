from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from mirascope.testing import FakeGoogle, FakeServer, RecordedRequest

from .provider_gemini import GenerateContentBodies

# google-genai is imported when a google test runs, not when the suite is collected


class _PerLoopTransport(httpx.AsyncBaseTransport):
    """httpx's transport, one per event loop, closed while that loop shuts down.

    Each async call of the suite runs in its own ``asyncio.run`` and the clients are closed
    after that loop is gone, when a connection it left open could no longer be closed.
    google-genai leaves one open when a stream event is not JSON (it raises outside the
    generator that holds the response, which then waits for the garbage collector): the
    loop's own shutdown (``shutdown_asyncgens``) closes it here, as a client that lives in
    one loop would when closed."""

    def __init__(self) -> None:
        self._open: dict[asyncio.AbstractEventLoop, httpx.AsyncHTTPTransport] = {}
        self._closers: list[AsyncGenerator[None]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        loop = asyncio.get_running_loop()
        transport = self._open.get(loop)
        if transport is None:
            transport = self._open[loop] = httpx.AsyncHTTPTransport()
            closer = self._close_at_shutdown(loop, transport)
            await closer.__anext__()  # now tracked by the loop, finalized at its shutdown
            self._closers.append(closer)
        return await transport.handle_async_request(request)

    async def _close_at_shutdown(
        self, loop: asyncio.AbstractEventLoop, transport: httpx.AsyncHTTPTransport
    ) -> AsyncGenerator[None]:
        try:
            yield
        finally:
            del self._open[loop]
            await transport.aclose()

    async def aclose(self) -> None:
        for transport in list(self._open.values()):
            await transport.aclose()
        self._open.clear()
        self._closers.clear()


def _connected(client: httpx.AsyncClient) -> bool:
    transport: Any = client._transport
    if isinstance(transport, _PerLoopTransport):
        return bool(transport._open)
    return bool(transport._pool.connections)


def http_options(url: str, *, is_async: bool, **more: Any) -> Any:
    """A custom client's ``http_options`` for ``url``: async clients go over httpx, a
    connection pool per event loop (see ``_PerLoopTransport``), rather than the aiohttp
    session google-genai would open per loop and could not close after it."""
    options: dict[str, Any] = {"base_url": url, **more}
    if is_async:
        options["async_client_args"] = {"transport": _PerLoopTransport()}
    return options


class GoogleContract(GenerateContentBodies):
    """google-genai's ``Client`` (``.aio`` for async) against the Gemini API's paths; its
    Vertex AI mode is in tests/providers/google."""

    name = "google"
    model = "gemini-2.5-flash"

    def __init__(self) -> None:
        self._built: list[Any] = []

    def start(self) -> FakeServer:
        return FakeGoogle().start()

    def environ(self, server: FakeServer) -> dict[str, str]:
        return {"GOOGLE_API_KEY": "test-key", "GOOGLE_GEMINI_BASE_URL": server.url}

    def client(self, server: FakeServer, *, is_async: bool) -> Any:
        return self.client_at(server.url, is_async=is_async, timeout=30)

    def client_at(self, url: str, *, is_async: bool, timeout: float) -> Any:
        from google import genai

        options = http_options(url, is_async=is_async, timeout=int(timeout * 1000))
        client = genai.Client(api_key="custom-key", http_options=options)
        # an async def takes the Client or its .aio: the suite passes .aio, whose Client is
        # then garbage-collected (closing its sync side) while the .aio goes on working
        made = client.aio if is_async else client
        self._built.append(made)
        return made

    def retrying_client(self, server: FakeServer, *, is_async: bool) -> Any:
        """google-genai retries nothing unless told: a client told to, with no backoff."""
        from google import genai

        retry = {"attempts": 3, "initial_delay": 0, "max_delay": 0, "jitter": 0}
        options = http_options(server.url, is_async=is_async, retry_options=retry)
        client = genai.Client(api_key="custom-key", http_options=options)
        made = client.aio if is_async else client
        self._built.append(made)
        return made

    def close_clients(self) -> None:
        from google.genai.client import AsyncClient

        for client in self._built:
            if isinstance(client, AsyncClient):
                asyncio.run(client.aclose())
            else:
                client.close()
        self._built.clear()

    def client_closed(self, client: Any) -> bool:
        """Its sync side closed, and its async side (an aiohttp session per event loop, or
        an httpx client) closed or never connected: a sync client's unused async side
        holds nothing to release, and closing it takes an event loop."""
        api = client._api_client
        async_httpx = api._async_httpx_client
        return (
            api._httpx_client.is_closed
            and all(session.closed for session in api._aiohttp_sessions.values())
            and (async_httpx is None or async_httpx.is_closed or not _connected(async_httpx))
        )

    @asynccontextmanager
    async def keyed_client(self, server: FakeServer, key: str) -> AsyncIterator[Any]:
        from google import genai

        client = genai.Client(api_key=key, http_options={"base_url": server.url}).aio
        try:
            yield client
        finally:
            await client.aclose()

    def key_of(self, request: RecordedRequest) -> str | None:
        return request.headers.get("x-goog-api-key")
