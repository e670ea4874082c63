"""Gemini's and Vertex AI's default async clients (gRPC channels under each default
``GenerativeModel``) are closed when the event loop that made them shuts down: a channel
left open would keep its sockets past ``asyncio.run``."""

from __future__ import annotations

import asyncio
import importlib
from typing import Any

import grpc
import pytest

from mirascope.core import reset_default_clients

from .base import PROVIDERS


def _async_channels(model: Any) -> list[Any]:
    """The gRPC channels of the async SDK clients a ``GenerativeModel`` made."""
    channels: list[Any] = []
    gemini_client = getattr(model, "_async_client", None)  # google-generativeai
    if gemini_client is not None:
        channels.append(gemini_client.transport.grpc_channel)
    vertex_client = vars(model).get("_prediction_async_client")  # vertexai (cached)
    if vertex_client is not None:
        channels.append(vertex_client._client._transport.grpc_channel)
    return channels


@pytest.mark.parametrize("name", ["gemini", "vertex"])
def test_default_async_channels_close_with_their_loop(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider = PROVIDERS[name]()
    server = provider.start()
    try:
        for key, value in provider.environ(server).items():
            monkeypatch.setenv(key, value)
        reset_default_clients()
        module: Any = importlib.import_module(f"mirascope.core.{name}")

        @module.call(provider.model)
        async def recommend() -> str:
            return "Recommend a book"

        async def run() -> tuple[Any, list[Any]]:
            response = await recommend()
            models = list(response.plan.client.models())
            channels = [c for m in models for c in _async_channels(m)]
            assert channels, "the call made no async client"
            states = [c.get_state() for c in channels]
            assert grpc.ChannelConnectivity.SHUTDOWN not in states  # open while in use
            return response, channels

        _, channels = asyncio.run(run())
        assert [c.get_state() for c in channels] == [grpc.ChannelConnectivity.SHUTDOWN] * len(
            channels
        )
    finally:
        reset_default_clients()
        server.stop()
