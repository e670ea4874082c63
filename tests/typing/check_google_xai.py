"""Static checks of the google and xai providers (pyright reads this file; nothing here
runs): the client and call-params types each ``call`` takes, and its precise results."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from google import genai
from google.genai import types
from openai import AsyncOpenAI, OpenAI
from typing_extensions import assert_type

from mirascope.core import BaseTool, Messages, google, xai


def _google_checks() -> None:
    client = genai.Client()

    @google.call("gemini-2.5-flash", client=client, call_params={"config": {"temperature": 0.2}})
    def sync_call(genre: str) -> str:
        return f"Recommend a {genre} book"

    assert_type(sync_call("fantasy"), google.GoogleCallResponse)
    assert_type(sync_call("fantasy").response, types.GenerateContentResponse)

    @google.call("gemini-2.5-flash", client=client.aio, stream=True)
    async def async_stream(genre: str) -> Messages.Type:
        return Messages.User(genre)

    _ = assert_type(async_stream("x"), Coroutine[Any, Any, google.GoogleStream])

    @google.call("gemini-2.5-flash", call_params={"config": types.GenerateContentConfig()})
    async def with_config(genre: str) -> google.AsyncGoogleDynamicConfig:
        return {"messages": [Messages.User(genre)], "client": client.aio}

    _ = assert_type(with_config("x"), Coroutine[Any, Any, google.GoogleCallResponse])

    @google.call("gemini-2.5-flash", stream=True)
    def streamed() -> google.GoogleDynamicConfig:
        return {"messages": [Messages.User("hi")], "client": client}

    for chunk, tool in streamed():
        assert_type(chunk, google.GoogleCallResponseChunk)
        assert_type(tool, BaseTool | None)

    google.call("gemini-2.5-flash", client=OpenAI())  # pyright: ignore[reportArgumentType]
    google.call("gemini-2.5-flash", call_params={"temperature": 1})  # pyright: ignore[reportArgumentType]


def _xai_checks() -> None:
    @xai.call("grok-3", client=OpenAI(base_url="https://api.x.ai/v1"))
    def sync_call(genre: str) -> str:
        return f"Recommend a {genre} book"

    assert_type(sync_call("fantasy"), xai.XAICallResponse)

    @xai.call("grok-3", stream=True, call_params={"temperature": 0.3})
    async def async_stream(genre: str) -> xai.AsyncXAIDynamicConfig:
        return {"messages": [Messages.User(genre)], "client": AsyncOpenAI()}

    _ = assert_type(async_stream("x"), Coroutine[Any, Any, xai.XAIStream])
    xai.call("grok-3", call_params={"temprature": 1})  # pyright: ignore[reportArgumentType]
