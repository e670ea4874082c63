"""tenacity around calls of every provider, sync and async, over the real SDKs and the fakes:
transient faults retried by one layer only, the vendor's Retry-After honoured, and
``collect_errors`` putting the errors of failed attempts into the next prompt."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import pytest
import tenacity
from pydantic import AfterValidator, BaseModel, ValidationError
from tenacity import RetryError, retry_if_exception, retry_if_exception_type, stop_after_attempt

from mirascope.core import InvalidCallError
from mirascope.retries import is_retryable
from mirascope.retries.tenacity import collect_errors, retry, wait_retry_after
from mirascope.testing import FakeServer, Reply

from ..contract.base import ContractProvider
from ._helpers import (
    FAST,
    SDK_ATTEMPTS,
    Sleeps,
    decorate,
    expected_error,
    no_retry,
    outcome,
    qualified,
    run,
    structured_reply,
    unreachable,
)

RETRIES: dict[str, Callable[..., Any]] = {"mirascope": retry, "tenacity": tenacity.retry}
"""mirascope.retries.tenacity.retry and tenacity's own: the same behaviour."""


@pytest.fixture(params=sorted(RETRIES))
def retry_with(request: pytest.FixtureRequest) -> Callable[..., Any]:
    return RETRIES[request.param]


@pytest.mark.parametrize("status", [429, 503])
def test_transient_fault_retried_with_retry_after(
    provider: ContractProvider,
    server: FakeServer,
    module: Any,
    is_async: bool,
    status: int,
    retry_with: Callable[..., Any],
) -> None:
    """The SDK's retries off, ours on: exactly our attempts reach the server, each after
    the wait the vendor asked for, and the SDK's own exception comes out last."""
    server.enqueue(*[Reply(status=status, headers={"Retry-After": "1"})] * 5)
    sleeps = Sleeps(is_async)
    policy = retry_with(
        retry=retry_if_exception(is_retryable),
        wait=wait_retry_after(),
        stop=stop_after_attempt(3),
        sleep=sleeps.sleep,
        reraise=True,
    )
    fn = policy(decorate(module, provider.model, is_async, no_retry(provider, server, is_async)))
    error = outcome(fn, is_async)
    assert qualified(error) == expected_error(provider.name, f"HTTP {status}", is_async)
    assert len(server.requests) == 3
    assert sleeps.waits == [1.0, 1.0]


def test_recovers_after_transient_faults(
    provider: ContractProvider,
    server: FakeServer,
    module: Any,
    is_async: bool,
    retry_with: Callable[..., Any],
) -> None:
    server.enqueue(
        Reply(status=503, headers={"Retry-After": "2"}), Reply(status=429), Reply(text="Dune")
    )
    sleeps = Sleeps(is_async)
    policy = retry_with(
        retry=retry_if_exception(is_retryable),
        wait=wait_retry_after(tenacity.wait_fixed(0.5)),
        stop=stop_after_attempt(3),
        sleep=sleeps.sleep,
    )
    fn = policy(decorate(module, provider.model, is_async, no_retry(provider, server, is_async)))
    response = run(fn, is_async)
    assert response.content == "Dune"
    assert len(server.requests) == 3
    assert sleeps.waits == [2.0, 0.5]  # the vendor's wait, then the fallback's


def test_lost_connection_retried(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    options = unreachable(provider, server, is_async)
    sleeps = Sleeps(is_async)
    policy = retry(
        retry=retry_if_exception(is_retryable),
        wait=wait_retry_after(tenacity.wait_fixed(0.25), max=0.1),
        stop=stop_after_attempt(2),
        sleep=sleeps.sleep,
    )
    error = outcome(policy(decorate(module, provider.model, is_async, options)), is_async)
    assert isinstance(error, RetryError)
    last = error.last_attempt.exception()
    assert last is not None
    assert qualified(last) == expected_error(provider.name, "connection refused", is_async)
    assert sleeps.waits == [0.1]  # the fallback wait, capped by max


def test_not_retryable_goes_through_at_once(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    server.enqueue(*[Reply(status=400)] * 3)
    sleeps = Sleeps(is_async)
    policy = retry(
        retry=retry_if_exception(is_retryable), stop=stop_after_attempt(3), sleep=sleeps.sleep
    )
    fn = policy(decorate(module, provider.model, is_async, no_retry(provider, server, is_async)))
    error = outcome(fn, is_async)
    assert qualified(error) == expected_error(provider.name, "HTTP 400", is_async)
    assert len(server.requests) == 1 and sleeps.waits == []


def test_sdk_default_client_retries_are_not_multiplied(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    """With the SDK's default client the SDK owns transient faults: a policy that retries
    only what the SDK cannot see (validation errors) adds no request to its attempts."""
    server.enqueue(*[Reply(status=429, headers=FAST)] * 8)
    sleeps = Sleeps(is_async)
    policy = retry(
        retry=retry_if_exception_type(ValidationError),
        after=collect_errors(ValidationError),
        stop=stop_after_attempt(3),
        sleep=sleeps.sleep,
    )
    error = outcome(policy(decorate(module, provider.model, is_async)), is_async)
    assert qualified(error) == expected_error(provider.name, "HTTP 429", is_async)
    assert len(server.requests) == SDK_ATTEMPTS[provider.name]
    assert sleeps.waits == []


def _is_upper(value: str) -> str:
    assert value.isupper(), "Must be uppercase"
    return value


class Author(BaseModel):
    name: Annotated[str, AfterValidator(_is_upper)]


def _identify(module: Any, model: str, is_async: bool, seen: list[Any]) -> Callable[..., Any]:
    """A call of ``module`` with a response model, whose prompt carries earlier errors."""

    def prompt(book: str, errors: list[ValidationError] | None) -> str:
        seen.append(errors)
        if errors:
            return f"Previous errors: {errors}\n\nWho wrote {book}?"
        return f"Who wrote {book}?"

    if is_async:

        async def identify_async(book: str, *, errors: list[ValidationError] | None = None) -> str:
            return prompt(book, errors)

        return module.call(model, response_model=Author)(identify_async)

    def identify(book: str, *, errors: list[ValidationError] | None = None) -> str:
        return prompt(book, errors)

    return module.call(model, response_model=Author)(identify)


def test_collect_errors_reinserts_validation_errors(
    provider: ContractProvider,
    server: FakeServer,
    module: Any,
    is_async: bool,
    retry_with: Callable[..., Any],
) -> None:
    server.enqueue(
        structured_reply(provider.name, "Author", {"name": "Patrick Rothfuss"}),
        structured_reply(provider.name, "Author", {"name": "PATRICK ROTHFUSS"}),
    )
    seen: list[Any] = []
    policy = retry_with(stop=stop_after_attempt(3), after=collect_errors(ValidationError))
    fn = policy(_identify(module, provider.model, is_async, seen))
    author = run(fn, is_async, "The Name of the Wind")
    assert author == Author(name="PATRICK ROTHFUSS")
    assert len(server.requests) == 2
    assert seen[0] is None
    [error] = seen[1]
    assert isinstance(error, ValidationError)
    assert "Patrick Rothfuss" in str(error.output)  # type: ignore[attr-defined]
    assert type(error.response).__name__.endswith("CallResponse")  # type: ignore[attr-defined]
    first, second = (provider.messages_of(r.json)[-1][1] for r in server.requests)
    assert "Must be uppercase" not in first
    assert second.startswith("Previous errors: [1 validation error for Author")
    assert "Must be uppercase" in second and second.endswith("Who wrote The Name of the Wind?")


def test_collect_errors_accumulates_until_stopped(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    server.enqueue(*[structured_reply(provider.name, "Author", {"name": "Patrick Rothfuss"})] * 3)
    seen: list[Any] = []
    policy = retry(stop=stop_after_attempt(3), after=collect_errors(ValidationError))
    error = outcome(policy(_identify(module, provider.model, is_async, seen)), is_async, "Dune")
    assert isinstance(error, RetryError)
    assert [None if s is None else len(s) for s in seen] == [None, 1, 2]
    assert seen[2][0] is seen[1][0]  # oldest first, each error kept


def test_collect_errors_needs_an_errors_parameter(
    provider: ContractProvider, server: FakeServer, module: Any, is_async: bool
) -> None:
    server.enqueue(structured_reply(provider.name, "Author", {"name": "Patrick Rothfuss"}))
    if is_async:

        async def who_wrote_async(book: str) -> str:
            return f"Who wrote {book}?"

        fn: Callable[..., Any] = module.call(provider.model, response_model=Author)(who_wrote_async)
    else:

        def who_wrote(book: str) -> str:
            return f"Who wrote {book}?"

        fn = module.call(provider.model, response_model=Author)(who_wrote)
    policy = retry(stop=stop_after_attempt(3), after=collect_errors(ValidationError))
    error = outcome(policy(fn), is_async, "Dune")
    assert isinstance(error, InvalidCallError)
    assert "who_wrote" in str(error) and "'errors'" in str(error)
    assert len(server.requests) == 1


@pytest.mark.parametrize("bad", [(), ("ValidationError",), (42,)])
def test_collect_errors_takes_exception_classes(bad: tuple[Any, ...]) -> None:
    with pytest.raises(InvalidCallError, match=r"collect_errors\(\) takes the exception"):
        collect_errors(*bad)


def test_retry_keeps_the_signature() -> None:
    import inspect

    @retry(stop=stop_after_attempt(2))
    def recommend(genre: str, *, errors: list[ValidationError] | None = None) -> str:
        return genre

    assert str(inspect.signature(recommend)) == (
        "(genre: 'str', *, errors: 'list[ValidationError] | None' = None) -> 'str'"
    )
    assert recommend("fantasy") == "fantasy"
    assert isinstance(recommend.retry, tenacity.Retrying)  # type: ignore[attr-defined]
