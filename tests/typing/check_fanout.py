"""Static checks (pyright reads this file; nothing here runs): ``map_calls`` and
``map_calls_async`` return what the function returns, awaited for ``async def``."""

from __future__ import annotations

from typing_extensions import assert_type

from mirascope.core import openai
from mirascope.fanout import map_calls, map_calls_async


@openai.call("gpt-4o-mini")
def recommend(genre: str) -> str:
    return genre


@openai.call("gpt-4o-mini")
async def recommend_async(genre: str) -> str:
    return genre


def square(x: int) -> int:
    return x * x


def _checks() -> None:
    assert_type(map_calls(recommend, ["fantasy"]), list[openai.OpenAICallResponse])
    assert_type(map_calls(recommend_async, ["fantasy"]), list[openai.OpenAICallResponse])
    assert_type(map_calls(square, [1, 2]), list[int])
    assert_type(
        map_calls(recommend, ["fantasy"], return_exceptions=True),
        list[openai.OpenAICallResponse | Exception],
    )


async def _async_checks() -> None:
    assert_type(await map_calls_async(recommend, ["a"]), list[openai.OpenAICallResponse])
    assert_type(await map_calls_async(recommend_async, ["a"]), list[openai.OpenAICallResponse])
    assert_type(await map_calls_async(square, [1]), list[int])
    assert_type(
        await map_calls_async(recommend_async, ["a"], return_exceptions=True),
        list[openai.OpenAICallResponse | Exception],
    )
