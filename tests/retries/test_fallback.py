"""``fallback`` over every provider, sync and async: each falls back to the next provider of
a ring of all ten (``other``), over the real SDKs and both fakes."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import BaseModel
from tenacity import RetryError, retry_if_exception, stop_after_attempt

from mirascope.core import InvalidCallError
from mirascope.retries import FallbackAttempt, FallbackError, fallback, is_retryable
from mirascope.retries.tenacity import retry
from mirascope.testing import FakeServer, Reply

from ..contract.base import ContractProvider
from ._helpers import (
    Sleeps,
    decorate,
    error_class,
    expected_error,
    no_retry,
    outcome,
    qualified,
    run,
    structured_reply,
)

Other = tuple[ContractProvider, FakeServer]


def _response_prefix(provider: ContractProvider) -> str:
    module = importlib.import_module(f"mirascope.core.{provider.name}")
    return next(n for n in module.__all__ if n.endswith("CallResponse")).removesuffix(
        "CallResponse"
    )


def test_falls_back_to_the_next_provider(
    provider: ContractProvider,
    server: FakeServer,
    module: Any,
    is_async: bool,
    other: Other,
    caplog: pytest.LogCaptureFixture,
) -> None:
    second, second_server = other
    server.enqueue(Reply(status=429))
    rate_limited = error_class(provider.name, "HTTP 429", is_async)
    fn = fallback(
        rate_limited, [{"catch": Exception, "provider": second.name, "model": second.model}]
    )(decorate(module, provider.model, is_async, no_retry(provider, server, is_async)))
    with caplog.at_level(logging.WARNING, logger="mirascope.retries"):
        response = run(fn, is_async)
    assert type(response).__name__ == f"{_response_prefix(second)}CallResponse"
    assert response.content == "Recommend a fantasy book"
    assert len(server.requests) == 1 and len(second_server.requests) == 1
    assert second.messages_of(second_server.requests[0].json)[-1] == (
        "user",
        "Recommend a fantasy book",
    )
    [record] = [r for r in caplog.records if r.name == "mirascope.retries"]
    assert record.getMessage().startswith(f"{provider.name} {provider.model} failed (")


def test_every_attempt_failed(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool, other: Other
) -> None:
    second, second_server = other
    server.enqueue(Reply(status=429))
    second_server.enqueue(Reply(status=503))
    plan: dict[str, Any] = {
        "catch": error_class(second.name, "HTTP 503", is_async),
        "provider": second.name,
        "model": second.model,
        **(no_retry(second, second_server, is_async) or {}),
    }
    fn = fallback(error_class(provider.name, "HTTP 429", is_async), [plan])(  # type: ignore[list-item]
        decorate(module, provider.model, is_async, no_retry(provider, server, is_async))
    )
    error = outcome(fn, is_async)
    assert isinstance(error, FallbackError)
    assert [(a.provider, a.model) for a in error.attempts] == [
        (provider.name, provider.model),
        (second.name, second.model),
    ]
    first_error, second_error = error.errors
    assert qualified(first_error) == expected_error(provider.name, "HTTP 429", is_async)
    assert qualified(second_error) == expected_error(second.name, "HTTP 503", is_async)
    assert error.__cause__ is second_error
    lines = str(error).splitlines()
    assert lines[0] == "all 2 attempts failed:"
    assert lines[1].startswith(f"  1. {provider.name} {provider.model}: {qualified(first_error)}")
    assert any(line.startswith(f"  2. {second.name} {second.model}: ") for line in lines)


def test_other_errors_propagate(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool, other: Other
) -> None:
    second, second_server = other
    server.enqueue(Reply(status=400))
    # a predicate tells a 400 from a 429 where one class covers both (Mistral, Azure, Bedrock)
    fn = fallback(
        is_retryable, [{"catch": Exception, "provider": second.name, "model": second.model}]
    )(decorate(module, provider.model, is_async, no_retry(provider, server, is_async)))
    error = outcome(fn, is_async)
    assert qualified(error) == expected_error(provider.name, "HTTP 400", is_async)
    assert second_server.requests == []


@pytest.mark.parametrize("which", ["mirascope", "tenacity"])
def test_fallback_keeps_the_retry_policy(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool, which: str
) -> None:
    """``@fallback`` over ``@retry``: the fallback (here another model of the same provider,
    keeping the original's client) is retried as the original was."""
    import tenacity

    server.enqueue(*[Reply(status=429)] * 4)
    sleeps = Sleeps(is_async)
    retry_with = retry if which == "mirascope" else tenacity.retry
    policy = retry_with(
        retry=retry_if_exception(is_retryable), stop=stop_after_attempt(2), sleep=sleeps.sleep
    )
    call = decorate(module, provider.model, is_async, no_retry(provider, server, is_async))
    # LiteLLM routes by the model's name: one it knows
    model = "gpt-4o" if provider.name == "litellm" else "fallback-model"
    fn = fallback(RetryError, [{"catch": RetryError, "provider": provider.name, "model": model}])(
        policy(call)
    )
    error = outcome(fn, is_async)
    assert isinstance(error, FallbackError)
    assert [type(e) for e in error.errors] == [RetryError, RetryError]
    assert [a.model for a in error.attempts] == [provider.model, model]
    assert len(server.requests) == 4 and len(sleeps.waits) == 2
    last = error.errors[1].last_attempt.exception()  # type: ignore[attr-defined]
    assert qualified(last) == expected_error(provider.name, "HTTP 429", is_async)


class Book(BaseModel):
    title: str
    author: str


def test_structured_output_carried_over(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool, other: Other
) -> None:
    second, second_server = other
    server.enqueue(Reply(status=503))
    second_server.enqueue(structured_reply(second.name, "Book", {"title": "Dune", "author": "FH"}))
    options = {"response_model": Book, **(no_retry(provider, server, is_async) or {})}
    if is_async:

        async def extract_async(text: str) -> str:
            return f"Extract the book from: {text}"

        call: Callable[..., Any] = module.call(provider.model, **options)(extract_async)
    else:

        def extract(text: str) -> str:
            return f"Extract the book from: {text}"

        call = module.call(provider.model, **options)(extract)
    fn = fallback(
        error_class(provider.name, "HTTP 503", is_async),
        [{"catch": Exception, "provider": second.name, "model": second.model}],
    )(call)
    book = run(fn, is_async, "Dune by FH")
    assert book == Book(title="Dune", author="FH")
    assert len(server.requests) == 1 and len(second_server.requests) == 1


def test_fallback_keeps_the_signature() -> None:
    import inspect

    from mirascope.core import openai

    @fallback(ValueError, [{"catch": ValueError, "provider": "anthropic", "model": "claude"}])
    @openai.call("gpt-4o-mini")
    def recommend(genre: str, *, n: int = 1) -> str:
        return f"Recommend {n} {genre} books"

    assert recommend.__name__ == "recommend"
    assert str(inspect.signature(recommend)) == "(genre: 'str', *, n: 'int' = 1) -> 'str'"


def _prompt() -> str:
    return "hi"


@pytest.mark.parametrize(
    "catch, fallbacks, message",
    [
        ("RateLimitError", [], r"fallback\(\)'s catch must be an exception class"),
        ((), [], r"fallback\(\)'s catch must be an exception class"),
        (ValueError, [], r"needs at least one fallback"),
        (ValueError, [{"provider": "openai", "model": "m"}], r"fallback 1: missing 'catch'"),
        (
            ValueError,
            [{"catch": ValueError, "provider": "openai", "model": "m", "temperature": 1}],
            r"unknown key\(s\) 'temperature'",
        ),
        (
            ValueError,
            [{"catch": (ValueError, int), "provider": "openai", "model": "m"}],
            r"fallback 1's catch must be an exception class",
        ),
    ],
    ids=["catch", "no-classes", "empty", "missing", "unknown", "bad-catch"],
)
def test_bad_arguments(catch: Any, fallbacks: Any, message: str) -> None:
    with pytest.raises(InvalidCallError, match=message):
        fallback(catch, fallbacks)


def test_unknown_provider() -> None:
    from mirascope.core import openai

    decorator = fallback(ValueError, [{"catch": ValueError, "provider": "opneai", "model": "m"}])
    with pytest.raises(InvalidCallError, match=r"unknown provider 'opneai'; the providers are: "):
        decorator(openai.call("gpt-4o-mini")(_prompt))


def test_refuses_a_function_that_is_no_call() -> None:
    import functools

    from mirascope.core import openai

    decorator = fallback(ValueError, [{"catch": ValueError, "provider": "openai", "model": "m"}])
    with pytest.raises(InvalidCallError, match=r"fallback\(\) decorates a call: _prompt is not"):
        decorator(_prompt)
    call = openai.call("gpt-4o-mini")(_prompt)

    @functools.wraps(call)  # copies the call's attributes, but is not the call
    def wrapper() -> Any:
        return call()

    with pytest.raises(InvalidCallError, match="is not one"):
        decorator(wrapper)


def test_attempts_are_named_tuples() -> None:
    error = FallbackError([FallbackAttempt("openai", "gpt", ValueError("x"))])
    assert error.attempts[0] == ("openai", "gpt", error.errors[0])
    assert str(error) == "all 1 attempts failed:\n  1. openai gpt: builtins.ValueError: x"


def test_llm_functions_fall_back_through_override(
    server: FakeServer, module: Any, is_async: bool, provider: ContractProvider, llm_other: Other
) -> None:
    """A function of ``llm.call`` switches provider through ``llm.override``."""
    from mirascope import llm as llm_module

    llm: Any = llm_module  # provider names come as strings here

    second, second_server = llm_other
    server.enqueue(Reply(status=429))
    options = no_retry(provider, server, is_async) or {}
    if is_async:

        async def recommend_async() -> str:
            return "Recommend a fantasy book"

        call: Callable[..., Any] = llm.call(provider.name, provider.model, **options)(
            recommend_async
        )
    else:

        def recommend() -> str:
            return "Recommend a fantasy book"

        call = llm.call(provider.name, provider.model, **options)(recommend)
    fn = fallback(
        error_class(provider.name, "HTTP 429", is_async),
        [{"catch": Exception, "provider": second.name, "model": second.model}],
    )(call)
    response = run(fn, is_async)
    assert type(response) is llm.CallResponse
    assert response.content == "Recommend a fantasy book"
    assert len(server.requests) == 1 and len(second_server.requests) == 1
