"""``is_retryable`` and ``retry_after`` on the exact exception each of the ten SDKs raises,
sync and async, for each fault of the fault matrix, provoked over the wire."""

from __future__ import annotations

import email.utils
import time
from typing import Any

import pytest

from mirascope.retries import is_retryable, retry_after
from mirascope.testing import FakeServer, Reply

from ..contract.base import ContractProvider
from ._helpers import decorate, expected_error, no_retry, outcome, qualified, unreachable

RETRYABLE = ["HTTP 429", "HTTP 500", "HTTP 503", "timeout", "connection refused"]
NOT_RETRYABLE = ["HTTP 400", "HTTP 401"]


def provoke(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool, fault: str
) -> BaseException:
    """The exception the SDK raises for ``fault``, with its own retries off."""
    timeout = 10.0
    if fault.startswith("HTTP "):
        status = int(fault.removeprefix("HTTP "))
        server.enqueue(Reply(status=status, headers={"Retry-After": "1"}))
    elif fault == "timeout":
        if provider.name == "vertex":
            pytest.skip("vertexai's GenerativeModel takes no timeout, neither per call nor set")
        server.enqueue(Reply(delay=0.6))
        timeout = 0.2
    options = (
        unreachable(provider, server, is_async)
        if fault == "connection refused"
        else no_retry(provider, server, is_async, timeout=timeout)
    )
    error = outcome(decorate(module, provider.model, is_async, options), is_async)
    assert error is not None, f"{provider.name}: {fault} raised nothing"
    assert qualified(error) == expected_error(provider.name, fault, is_async), repr(error)
    return error


@pytest.mark.parametrize("fault", RETRYABLE + NOT_RETRYABLE)
def test_is_retryable(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool, fault: str
) -> None:
    error = provoke(provider, server, module, is_async, fault)
    assert is_retryable(error) is (fault in RETRYABLE), repr(error)
    if fault.startswith("HTTP "):  # every SDK keeps the answer's headers
        assert retry_after(error) == 1.0, repr(error)
    else:
        assert retry_after(error) is None


@pytest.mark.parametrize(
    "headers, seconds",
    [
        ({"retry-after-ms": "250", "Retry-After": "7"}, 0.25),  # the finer one wins
        ({"Retry-After": "2.5"}, 2.5),
        ({"Retry-After": "-3"}, 0.0),
        ({"Retry-After": "soon"}, None),
        ({}, None),
    ],
    ids=["ms", "seconds", "negative", "garbled", "absent"],
)
def test_retry_after_forms(
    provider: ContractProvider,
    server: FakeServer,
    module: Any,
    is_async: bool,
    headers: dict[str, str],
    seconds: float | None,
) -> None:
    server.enqueue(Reply(status=429, headers=headers))
    options = no_retry(provider, server, is_async)
    error = outcome(decorate(module, provider.model, is_async, options), is_async)
    assert qualified(error) == expected_error(provider.name, "HTTP 429", is_async)
    assert retry_after(error) == seconds


def test_retry_after_http_date(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    date = email.utils.formatdate(time.time() + 30, usegmt=True)
    server.enqueue(Reply(status=503, headers={"Retry-After": date}))
    options = no_retry(provider, server, is_async)
    error = outcome(decorate(module, provider.model, is_async, options), is_async)
    assert is_retryable(error)
    waited = retry_after(error)
    assert waited is not None and 25 < waited <= 30, waited


def test_should_retry_header_overrides_status(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    """OpenAI's, Anthropic's and Groq's servers say per answer whether to retry."""
    server.enqueue(Reply(status=503, headers={"x-should-retry": "false"}))
    server.enqueue(Reply(status=400, headers={"x-should-retry": "true"}))
    # a client for each: each async call runs in an event loop of its own
    first, second = (
        outcome(
            decorate(module, provider.model, is_async, no_retry(provider, server, is_async)),
            is_async,
        )
        for _ in range(2)
    )
    assert [is_retryable(first), is_retryable(second)] == [False, True]


class _PlainError(Exception):
    pass


@pytest.mark.parametrize(
    "error, expected",
    [
        (ConnectionRefusedError(), True),
        (TimeoutError(), True),
        (ValueError("bad"), False),
        (_PlainError(), False),
        (KeyboardInterrupt(), False),
    ],
)
def test_is_retryable_plain_errors(error: BaseException, expected: bool) -> None:
    assert is_retryable(error) is expected
    assert retry_after(error) is None


def test_validation_errors_are_not_retryable() -> None:
    from pydantic import BaseModel, ValidationError

    class Book(BaseModel):
        title: str

    with pytest.raises(ValidationError) as caught:
        Book.model_validate({})
    assert not is_retryable(caught.value)
