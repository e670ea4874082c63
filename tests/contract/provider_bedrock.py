from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from typing import Any

import boto3
from aiobotocore.session import get_session

from mirascope.testing import FakeBedrock, FakeServer

from ..guide.harness_bedrock import aws_environ
from .base import ContractProvider

_CREDENTIALS = {
    "region_name": "us-east-1",
    "aws_access_key_id": "AKIACUSTOMFAKE",
    "aws_secret_access_key": "custom-secret",
}


def open_async_client(url: str) -> Any:
    """An open aiobotocore client made outside any running loop, as the suite needs it.

    Entering it only marks its HTTP session usable: aiohttp's session is made on the first
    request, in the loop that sends it, so the client serves a later ``asyncio.run``. The
    suite has no step to close a client after a test, so a ``before-send`` hook (botocore's
    event system) closes the aiohttp session when that loop shuts down, and re-enters the
    client for the next loop: no session is left open at exit."""
    client: Any = asyncio.run(
        get_session()
        .create_client("bedrock-runtime", endpoint_url=url, **_CREDENTIALS)
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

    def client(self, server: FakeServer, *, is_async: bool) -> Any:
        if is_async:
            return open_async_client(server.url)
        return boto3.client("bedrock-runtime", endpoint_url=server.url, **_CREDENTIALS)

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
