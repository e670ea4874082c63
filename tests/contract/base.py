"""What the contract suite needs to know about one provider.

Each provider registers a ``ContractProvider`` subclass in ``provider_<name>.py`` beside
this file; every test in ``test_contract.py`` then runs against it, sync and async, through
the default client and through a custom one, over the real SDK and the fake server."""

from __future__ import annotations

import re
from contextlib import AbstractAsyncContextManager
from typing import Any, ClassVar

from mirascope.testing import FakeServer, RecordedRequest

PROVIDERS: dict[str, type[ContractProvider]] = {}


class ContractProvider:
    name: ClassVar[str]
    """The module: ``mirascope.core.<name>``; also the default-client key."""
    model: ClassVar[str] = "test-model"
    """The model given to ``call()``."""
    streams_usage: ClassVar[bool] = True
    """Whether the vendor reports token usage in streams."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__:
            PROVIDERS[cls.name] = cls

    def start(self) -> FakeServer:
        """Start this vendor's fake server."""
        raise NotImplementedError

    def environ(self, server: FakeServer) -> dict[str, str]:
        """Environment that points the SDK's default clients at the server."""
        raise NotImplementedError

    def client(self, server: FakeServer, *, is_async: bool) -> Any:
        """A custom client (as a user would build it) that reaches the server;
        None where the vendor has no client object (LiteLLM)."""
        raise NotImplementedError

    default_reasoning: ClassVar[str | None] = None
    """Why the default client reads no reasoning where a custom one does (None: it does)."""

    def reasoning_client(self, server: FakeServer, *, is_async: bool) -> Any:
        """The custom client of the reasoning tests: ``client``, unless the vendor returns
        reasoning through another of its SDK's clients."""
        return self.client(server, is_async=is_async)

    def client_at(self, url: str, *, is_async: bool, timeout: float) -> Any:
        """A custom client for ``url`` with this request timeout (seconds) and no retries,
        for the fault matrix (refused connections, timeouts)."""
        raise NotImplementedError

    def no_retry_params(self, *, timeout: float, url: str | None = None) -> dict[str, Any] | None:
        """For a vendor without a client object to configure (``client_at`` gives None):
        call params that give the request this timeout and no retries, and send it to
        ``url`` when one is given; None when the vendor takes no such call params."""
        return None

    def retrying_client(self, server: FakeServer, *, is_async: bool) -> Any:
        """A client that retries failed requests as its SDK does by default, with the least
        backoff the SDK allows; None when the default client already does (the usual).
        Raises NotImplementedError (saying why) when the SDK cannot retry."""
        return None

    def client_closed(self, client: Any) -> bool:
        """Whether ``client`` (one of this provider's clients) has released its connections."""
        raise NotImplementedError

    def keyed_client(self, server: FakeServer, key: str) -> AbstractAsyncContextManager[Any]:
        """An async client for ``server`` whose requests carry ``key`` as their credential,
        open inside the ``async with`` block (the concurrency and secrets tests)."""
        raise NotImplementedError

    def key_of(self, request: RecordedRequest) -> str | None:
        """The credential a request carried: a bearer token, an ``x-api-key``, or an AWS
        access key id from a SigV4 signature."""
        headers = request.headers
        if "x-api-key" in headers:
            return headers["x-api-key"]
        auth = headers.get("authorization", "")
        if auth.startswith("Bearer "):
            return auth.removeprefix("Bearer ")
        found = re.search(r"Credential=([^/,\s]+)/", auth)
        return found.group(1) if found else None

    def close_clients(self) -> None:
        """Close the custom clients ``client`` built (after each test; default: nothing)."""

    def history_check(self, body: Any) -> None:
        """Assert that a request body carries an assistant tool call and its result, in
        this vendor's shape (the history round trip sends both)."""
        raise NotImplementedError

    def messages_of(self, body: Any) -> list[tuple[str, str]]:
        """(role, text) of each plain text message a request body carries, system
        prompt included, in this vendor's shape."""
        raise NotImplementedError
