"""Static checks (pyright reads this file; nothing here runs): ``retry`` and ``fallback``
keep the call's parameters and return type, sync and async."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from pydantic import BaseModel, ValidationError
from tenacity import RetryCallState, retry_if_exception, stop_after_attempt
from typing_extensions import assert_type

from mirascope.core import anthropic, openai
from mirascope.retries import Fallback, FallbackError, fallback, is_retryable, retry_after
from mirascope.retries.tenacity import collect_errors, retry, wait_retry_after


class Book(BaseModel):
    title: str


def _checks() -> None:
    @fallback(
        is_retryable,
        [{"catch": is_retryable, "provider": "anthropic", "model": "claude-3-5-sonnet"}],
    )
    @retry(
        retry=retry_if_exception(is_retryable),
        wait=wait_retry_after(),
        stop=stop_after_attempt(3),
        after=collect_errors(ValidationError),
    )
    @openai.call("gpt-4o-mini", response_model=Book)
    def extract(text: str, *, errors: list[ValidationError] | None = None) -> str:
        return text

    assert_type(extract("Dune", errors=None), Book)
    extract(42)  # pyright: ignore[reportArgumentType]

    @retry
    @anthropic.call("claude-3-5-sonnet")
    async def recommend(genre: str) -> str:
        return genre

    _ = assert_type(recommend("fantasy"), Coroutine[Any, Any, anthropic.AnthropicCallResponse])

    plan: Fallback = {"catch": ValueError, "provider": "openai", "model": "gpt-4o"}
    assert_type(plan["model"], str)
    assert_type(FallbackError([]).errors, list[Exception])
    assert_type(is_retryable(ValueError()), bool)
    assert_type(retry_after(ValueError()), float | None)
    assert_type(collect_errors(ValueError), Callable[[RetryCallState], None])
