from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from typing import Any, TypedDict

import boto3
from aiobotocore.config import AioConfig
from aiobotocore.session import get_session
from botocore.config import Config

from mirascope.testing import FakeBedrock, FakeServer

from ..guide.harness_bedrock import aws_environ
from .base import ContractProvider


class _Credentials(TypedDict):
    region_name: str
    aws_access_key_id: str
    aws_secret_access_key: str


_CREDENTIALS: _Credentials = {
    "region_name": "us-east-1",
    "aws_access_key_id": "AKIACUSTOMFAKE",
    "aws_secret_access_key": "custom-secret",
}


def _config(cls: type[Config], timeout: float) -> Any:
    # one attempt: botocore's retries would back off (up to a second) before each retry
    return cls(connect_timeout=timeout, read_timeout=timeout, retries={"total_max_attempts": 1})


def open_async_client(url: str, config: AioConfig | None = None) -> Any:
    """An open aiobotocore client made outside any running loop, as the suite needs it.

    Entering it only marks its HTTP session usable: aiohttp's session is made on the first
    request, in the loop that sends it, so the client serves a later ``asyncio.run``. The
    suite has no step to close a client after a test, so a ``before-send`` hook (botocore's
    event system) closes the aiohttp session when that loop shuts down, and re-enters the
    client for the next loop: no session is left open at exit."""
    client: Any = asyncio.run(
        get_session()
        .create_client("bedrock-runtime", endpoint_url=url, config=config, **_CREDENTIALS)
        .__aenter__()
    )
    armed: list[Any] = [None, None]  # [weakref to the loop, its closing generator]

    async def close_with_loop() -> AsyncIterator[None]:
        try:
            yield
        finally:
            await client.__aexit__(None, None, None)
            await client.__aenter__()

    async def arm(**_: Any) -> None:
        loop = asyncio.get_running_loop()
        if armed[0] is None or armed[0]() is not loop:
            closer = close_with_loop()
            await closer.__anext__()  # the loop closes it in shutdown_asyncgens()
            armed[:] = [weakref.ref(loop), closer]

    client.meta.events.register("before-send.bedrock-runtime", arm)
    return client


class BedrockContract(ContractProvider):
    name = "bedrock"
    model = "anthropic.claude-3-haiku-20240307-v1:0"

    def start(self) -> FakeServer:
        return FakeBedrock().start()

    def environ(self, server: FakeServer) -> dict[str, str]:
        return aws_environ(server.url)

    def __init__(self) -> None:
        self._built: list[Any] = []

    def client(self, server: FakeServer, *, is_async: bool) -> Any:
        if is_async:
            return open_async_client(server.url)
        return self._sync_client(server.url, None)

    def client_at(self, url: str, *, is_async: bool, timeout: float) -> Any:
        if is_async:
            return open_async_client(url, _config(AioConfig, timeout))
        return self._sync_client(url, _config(Config, timeout))

    def _sync_client(self, url: str, config: Config | None) -> Any:
        client = boto3.client("bedrock-runtime", endpoint_url=url, config=config, **_CREDENTIALS)
        self._built.append(client)
        return client

    def close_clients(self) -> None:
        # the async ones close with their loop (open_async_client)
        for client in self._built:
            client.close()
        self._built.clear()

    def client_closed(self, client: Any) -> bool:
        session = client._endpoint.http_session
        if hasattr(session, "_sessions"):  # aiobotocore: its aiohttp session is dropped
            return session._sessions is None
        return not session._manager.pools  # botocore: urllib3's pools are cleared

    def keyed_client(self, server: FakeServer, key: str) -> Any:
        # aiobotocore's create_client is itself the async context manager
        return get_session().create_client(
            "bedrock-runtime",
            endpoint_url=server.url,
            region_name="us-east-1",
            aws_access_key_id=key,
            aws_secret_access_key="keyed-secret",
            config=AioConfig(max_pool_connections=50),
        )

    def history_check(self, body: Any) -> None:
        messages = body["messages"]
        assert [m["role"] for m in messages] == ["user", "assistant", "user"], messages
        use = messages[1]["content"][-1]["toolUse"]
        assert use["name"] == "FormatBook" and use["input"]["title"] == "The Name of the Wind"
        result = messages[2]["content"][0]["toolResult"]
        assert result["toolUseId"] == use["toolUseId"]
        assert result["status"] == "success"
        assert result["content"] == [{"text": "The Name of the Wind by Patrick Rothfuss"}]

    def messages_of(self, body: Any) -> list[tuple[str, str]]:
        pairs = [("system", block["text"]) for block in body.get("system", [])]
        for message in body["messages"]:
            blocks = message["content"]
            if all("text" in block for block in blocks):
                pairs.append((message["role"], "".join(b["text"] for b in blocks)))
        return pairs
