"""``llm.context``: the settings of one ``with`` block reach the ``llm.call`` functions called
inside it, in its own thread or asyncio task only, and nothing else."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import openai as openai_sdk
import pytest

from mirascope import llm
from mirascope.core import openai
from mirascope.core._engine.clients import default_clients_created
from mirascope.testing import FakeServer

pytestmark = pytest.mark.usefixtures("openai_server")


@llm.call(provider="openai", model="base-model")
def recommend(genre: str) -> str:
    return f"Recommend a {genre} book"


@llm.call(provider="openai", model="base-model")
async def recommend_async(genre: str) -> str:
    return f"Recommend a {genre} book"


def _model(response: llm.CallResponse) -> str:
    return response.plan.model


def test_model_and_call_params_inside_the_block_only(openai_server: FakeServer) -> None:
    with llm.context(model="ctx-model", call_params={"temperature": 0.25}) as ctx:
        inside = recommend("fantasy")
    after = recommend("fantasy")
    assert isinstance(ctx, llm.LLMContext)
    assert _model(inside) == "ctx-model"
    assert openai_server.requests[0].json["model"] == "ctx-model"
    assert openai_server.requests[0].json["temperature"] == 0.25
    assert _model(after) == "base-model"
    assert "temperature" not in openai_server.requests[1].json


def test_client_inside_the_block(openai_server: FakeServer) -> None:
    with openai_sdk.OpenAI(base_url=openai_server.url + "/v1", api_key="sk-ctx") as client:
        with llm.context(client=client):
            response = recommend("fantasy")
        assert response.plan.client is client
    assert openai_server.requests[0].headers["authorization"] == "Bearer sk-ctx"
    assert not default_clients_created("openai")


def test_block_is_left_on_an_exception() -> None:
    with pytest.raises(ValueError, match="boom"), llm.context(model="ctx-model"):
        raise ValueError("boom")
    assert _model(recommend("fantasy")) == "base-model"


def test_nested_blocks_merge(openai_server: FakeServer) -> None:
    with llm.context(model="outer", call_params={"temperature": 0.5}):
        with llm.context(model="inner"):
            inner = recommend("a")
        between = recommend("b")
    assert (_model(inner), _model(between)) == ("inner", "outer")
    assert [r.json["temperature"] for r in openai_server.requests] == [0.5, 0.5]


def test_a_new_provider_drops_the_enclosing_client_and_call_params(
    openai_server: FakeServer,
) -> None:
    url = openai_server.url + "/v1"
    with (
        openai_sdk.OpenAI(base_url=url, api_key="sk-outer") as client,
        llm.context(client=client, call_params={"temperature": 0.5}),
        llm.context(provider="ollama", model="llama3.2"),
    ):
        response = recommend("fantasy")
    request = openai_server.requests[0]
    assert request.json["model"] == "llama3.2"
    assert "temperature" not in request.json
    assert request.headers["authorization"] == "Bearer ollama"  # ollama's default client
    assert default_clients_created("ollama")
    assert type(response) is llm.CallResponse


def test_inner_blocks_apply_over_the_outer_ones_in_order(openai_server: FakeServer) -> None:
    """Naming the function's own provider again is no change of provider: the outer
    block's client stays."""
    url = openai_server.url + "/v1"
    with (
        openai_sdk.OpenAI(base_url=url, api_key="sk-outer") as client,
        llm.context(client=client),
        llm.context(provider="openai", model="inner-model"),
    ):
        response = recommend("fantasy")
    assert response.plan.client is client
    assert response.plan.model == "inner-model"


def test_a_thread_started_inside_a_block_does_not_inherit_it() -> None:
    models: list[str] = []
    with llm.context(model="ctx-model"):
        thread = threading.Thread(target=lambda: models.append(_model(recommend("a"))))
        thread.start()
        thread.join()
    assert models == ["base-model"]


def test_a_provider_call_ignores_llm_context(openai_server: FakeServer) -> None:
    @openai.call("base-model")
    def plain(genre: str) -> str:
        return f"Recommend a {genre} book"

    with llm.context(model="ctx-model"):
        response = plain("fantasy")
    assert type(response) is openai.OpenAICallResponse
    assert response.plan.model == "base-model"


def test_threads_see_only_their_own_block() -> None:
    barrier = threading.Barrier(2, timeout=10)
    models: dict[str, str] = {}
    errors: list[BaseException] = []

    def in_block() -> None:
        try:
            with llm.context(model="thread-model"):
                barrier.wait()  # the other thread calls while this block is open
                models["in_block"] = _model(recommend("a"))
                barrier.wait()
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    def outside() -> None:
        try:
            barrier.wait()
            models["outside"] = _model(recommend("b"))
            barrier.wait()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=in_block), threading.Thread(target=outside)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert models == {"in_block": "thread-model", "outside": "base-model"}


def test_one_context_object_entered_by_two_threads() -> None:
    ctx = llm.context(model="shared")
    barrier = threading.Barrier(2, timeout=10)
    models: list[str] = []

    def run() -> None:
        with ctx:
            barrier.wait()  # both inside at once
            models.append(_model(recommend("a")))
            barrier.wait()
        models.append(_model(recommend("b")))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(models) == ["base-model", "base-model", "shared", "shared"]


def test_tasks_see_only_their_own_block() -> None:
    async def main() -> tuple[str, str, str]:
        entered, called = asyncio.Event(), asyncio.Event()

        async def in_block() -> str:
            with llm.context(model="task-model"):
                entered.set()
                await called.wait()  # the other task has called while this block is open
                return _model(await recommend_async("a"))

        async def outside() -> str:
            await entered.wait()
            model = _model(await recommend_async("b"))
            called.set()
            return model

        inside, plain = await asyncio.gather(in_block(), outside())
        with llm.context(model="at-creation"):
            # a task copies the context it is created in: it keeps the block's settings
            task = asyncio.create_task(recommend_async("c"))
        return inside, plain, _model(await task)

    assert asyncio.run(main()) == ("task-model", "base-model", "at-creation")


def test_functions_are_made_once_per_context(openai_server: FakeServer) -> None:
    ctx = llm.context(model="ctx-model")
    for _ in range(3):
        with ctx:
            recommend("fantasy")
    built: dict[Any, Any] = ctx._built
    assert list(built) == [recommend.__mirascope_llm__]  # type: ignore[attr-defined]
    assert len(openai_server.requests) == 3
