"""LiteLLM specifics: litellm imported only on the first call (offline cost map), no
client object, litellm's own errors, cut streams, and real recorded exchanges -- an OpenAI
stream and an Anthropic tool-call stream -- replayed through litellm's own routing."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from mirascope.core import BaseMessageParam, BaseTool, Messages, litellm
from mirascope.core.litellm._adapter import import_litellm
from mirascope.testing import Answer, FakeOpenAI, Reply, ToolCall

from ..._data import recording

SSE = {"Content-Type": "text/event-stream"}


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake  # type: ignore[misc]


@pytest.fixture
def fake(server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> FakeOpenAI:
    server.reset()
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    monkeypatch.setenv("OPENAI_BASE_URL", server.url + "/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("ANTHROPIC_API_BASE", server.url)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
    return server


def _recorded_events(name: str) -> list[bytes]:
    import yaml  # a dev dependency: missing, the test fails rather than skips

    path = recording("litellm", name)
    (interaction,) = yaml.safe_load(path.read_text())["interactions"]
    body: str = interaction["response"]["body"]["string"]
    return [(b + "\n\n").encode() for b in body.split("\n\n") if b.strip()]


def _run(result: Any) -> Any:
    return asyncio.run(result) if asyncio.iscoroutine(result) else result


LAZY_IMPORT = """
import os, sys, time
start = time.perf_counter()
import mirascope.core.litellm as m
took = time.perf_counter() - start
assert "litellm" not in sys.modules, "imported litellm at module import"
assert "LITELLM_LOCAL_MODEL_COST_MAP" not in os.environ
from mirascope.testing import FakeOpenAI
with FakeOpenAI() as server:
    os.environ["OPENAI_BASE_URL"] = server.url + "/v1"
    os.environ["OPENAI_API_KEY"] = "sk-test"
    fn = m.call(model="gpt-4o-mini")(lambda: "Recommend a book")
    assert fn().content == "Recommend a book"
assert "litellm" in sys.modules
assert os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] == "True"
print(f"{took:.3f}")
"""


def test_litellm_is_imported_on_the_first_call_only() -> None:
    env = {k: v for k, v in os.environ.items() if k != "LITELLM_LOCAL_MODEL_COST_MAP"}
    done = subprocess.run([sys.executable, "-c", LAZY_IMPORT], env=env, capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert float(done.stdout.strip().splitlines()[-1]) < 3.0  # litellm itself takes seconds


def test_missing_litellm_names_the_extra_without_importing_it() -> None:
    code = "import sys\nsys.modules['litellm'] = None\nfrom mirascope.core import litellm\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip
    assert done.returncode != 0
    assert "MissingExtraError" in done.stderr
    assert 'pip install "mirascope[litellm]"' in done.stderr


def test_a_users_cost_map_choice_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "False")
    import_litellm()  # already imported by now: nothing is fetched either way
    assert os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] == "False"


def test_there_is_no_client_to_pass(fake: FakeOpenAI) -> None:
    with pytest.raises(TypeError, match="litellm has no client object to pass"):
        litellm.call("gpt-4o-mini", client=object())(lambda: "hi")  # type: ignore[arg-type]

    @litellm.call("gpt-4o-mini")
    def configured() -> litellm.LiteLLMDynamicConfig:
        return {"messages": [Messages.User("hi")], "client": object()}  # type: ignore[typeddict-item]

    with pytest.raises(TypeError, match="drop 'client'"):
        configured()
    assert not fake.requests


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_errors_are_litellms_own(fake: FakeOpenAI, is_async: bool) -> None:
    from litellm.exceptions import BadRequestError

    fake.enqueue(Reply(status=400, error_message="bad request, scripted"))
    fn = litellm.call("gpt-4o-mini")(_prompt(is_async))
    with pytest.raises(BadRequestError, match="bad request, scripted"):
        _run(fn())


def _prompt(is_async: bool) -> Any:
    def prompt() -> str:
        return "Recommend a fantasy book"

    async def prompt_async() -> str:
        return "Recommend a fantasy book"

    return prompt_async if is_async else prompt


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_cut_stream_keeps_text(fake: FakeOpenAI, is_async: bool) -> None:
    fake.enqueue(Reply(text="one two three four five six seven eight", cut_after=4))
    fn = litellm.call("gpt-4o-mini", stream=True)(_prompt(is_async))
    received: list[str] = []
    holder: list[Any] = []

    async def consume_async() -> None:
        stream = await fn()
        holder.append(stream)
        async for chunk, _ in stream:
            received.append(chunk.content)

    with pytest.raises(Exception) as info:  # litellm's own type, checked below
        if is_async:
            asyncio.run(consume_async())
        else:
            holder.append(fn())
            for chunk, _ in holder[0]:
                received.append(chunk.content)
    assert type(info.value).__module__.startswith("litellm")
    assert "".join(received) == "one two three" == holder[0].content


def test_recorded_openai_stream_decodes(fake: FakeOpenAI) -> None:
    events = _recorded_events("magentic__test_litellm_chat_model_complete_openai_say_hello.yaml")
    fake.enqueue(Reply(raw=Answer(200, SSE, events=events)))

    @litellm.call("gpt-4o", stream=True)
    def say_hello() -> str:
        return "Say hello!"

    stream = say_hello()
    pieces = [chunk.content for chunk, _ in stream]
    assert len([p for p in pieces if p]) > 1
    assert stream.content == "Hello! How can I assist you today?"
    assert stream.finish_reasons == ["stop"]
    assert fake.requests[0].json["stream_options"] == {"include_usage": True}


def test_recorded_anthropic_tool_stream_through_litellms_routing(fake: FakeOpenAI) -> None:
    name = "magentic__test_litellm_chat_model_complete_anthropic_function_call.yaml"
    fake.enqueue(Reply(raw=Answer(200, SSE, events=_recorded_events(name))))

    class plus(BaseTool):  # noqa: N801 - the recorded tool's name
        """Sum two numbers."""

        a: int
        b: int

    @litellm.call("anthropic/claude-3-haiku-20240307", stream=True, tools=[plus])
    async def add() -> str:
        return "Use the tool to sum 1 and 2"

    async def consume() -> tuple[Any, list[BaseTool]]:
        stream = await add()
        return stream, [t async for _, t in stream if t is not None]

    stream, tools = asyncio.run(consume())
    assert len(tools) == 1 and isinstance(tools[0], plus) and (tools[0].a, tools[0].b) == (1, 2)
    assert stream.finish_reasons == ["tool_calls"]
    assert (stream.input_tokens, stream.output_tokens) == (450, 50)
    request = fake.requests[0]
    assert request.path == "/v1/messages"  # litellm spoke Anthropic's protocol for us
    assert request.json["tools"][0]["name"] == "plus"


def test_request_carries_params_tools_and_vendor_dicts(fake: FakeOpenAI) -> None:
    class FormatBook(BaseTool):
        """Format a book."""

        title: str
        author: str

    native = {"role": "user", "content": "native dict", "name": "alice"}

    @litellm.call("gpt-4o-mini", tools=[FormatBook], call_params={"temperature": 0.3})
    def ask() -> litellm.LiteLLMDynamicConfig:
        return {"messages": [BaseMessageParam(role="system", content="sys"), native],
                "call_params": {"seed": 7}}  # fmt: skip

    fake.enqueue(Reply(tool_calls=[ToolCall("FormatBook", {"title": "T", "author": "A"})]))
    response = ask()
    assert isinstance(response.tool, FormatBook) and response.tool.title == "T"
    body = fake.requests[0].json
    assert body["temperature"] == 0.3 and body["seed"] == 7
    assert body["messages"] == [{"role": "system", "content": "sys"}, native]
    assert body["tools"][0]["function"]["name"] == "FormatBook"


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_timeout_and_refused_connection_are_litellms(
    fake: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, is_async: bool
) -> None:
    from litellm.exceptions import Timeout

    # no client to configure: the timeout is a call parameter, the address an env variable
    fake.enqueue(*[Reply(delay=1.5)] * 4)
    fn = litellm.call("gpt-4o-mini", call_params={"timeout": 0.3})(_prompt(is_async))
    with pytest.raises(Timeout):
        _run(fn())
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{port}/v1")
    fn = litellm.call("gpt-4o-mini", call_params={"num_retries": 0})(_prompt(is_async))
    with pytest.raises(Exception, match="Connection error") as info:
        _run(fn())
    # litellm maps a refused connection to one of its own errors (InternalServerError today)
    assert type(info.value).__module__.startswith("litellm"), repr(info.value)


LOOP_LEAK = """
import asyncio, gc, logging, os, sys, warnings, weakref
from mirascope.core import litellm, reset_default_clients
from mirascope.testing import FakeOpenAI

found = []
class Collect(logging.Handler):
    def emit(self, record):
        found.append(record.getMessage())
logging.getLogger("asyncio").addHandler(Collect())  # "Task was destroyed but it is pending!"
sys.unraisablehook = lambda u: found.append(f"{u.exc_type.__name__}: {u.exc_value}")
warnings.simplefilter("error", ResourceWarning)  # raised in __del__: through the hook

async def main():
    return "ran"

with FakeOpenAI() as server:
    os.environ["OPENAI_BASE_URL"] = server.url + "/v1"
    os.environ["OPENAI_API_KEY"] = "sk-test"
    fn = litellm.call("gpt-4o-mini", stream=STREAM)(lambda: "Recommend a book")

    def ask():
        answer = fn()
        return "".join(c.content for c, _ in answer) if STREAM else answer.content

    assert ask() == "Recommend a book"
    # the loop litellm's hooks ran on, set as the main thread's (weakly: held, it could
    # not be collected)
    loop = weakref.ref(asyncio.get_event_loop())
    # a task left pending on it, as litellm's LoggingWorker leaves its worker after some
    # calls (not after this one)
    ended = []
    loop().create_task(asyncio.sleep(3600)).add_done_callback(lambda t: ended.append(t))
    assert asyncio.run(main()) == "ran"  # unsets the thread's loop
    gc.collect()
    assert not found, found
    assert loop() is not None and not loop().is_closed()
    reset_default_clients()
    assert loop() is not None and loop().is_closed()
    assert len(ended) == 1 and ended[0].cancelled()  # cancelled, and let finish
    assert ask() == "Recommend a book"  # litellm works on (with asyncio.run for its hooks)
    assert asyncio.run(main()) == "ran"
    reset_default_clients()
    gc.collect()
    assert not found, found
print("ok")
"""


@pytest.mark.parametrize("stream", [False, True], ids=["call", "stream"])
def test_sync_calls_in_the_main_thread_leave_no_event_loop(stream: bool) -> None:
    """litellm's sync calls make (through asyncio.get_event_loop()) an event loop in the main
    thread, which the next asyncio.run unsets: mirascope lends one of its own instead, and
    closes it with the default clients (a fresh interpreter: no loop was ever set)."""
    code = LOOP_LEAK.replace("STREAM", repr(stream))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "ok"


def test_a_users_event_loop_is_left_alone(fake: FakeOpenAI) -> None:
    """A loop the user set stays the thread's, and open, through calls and resets."""
    from mirascope.core import reset_default_clients

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        fn = litellm.call("gpt-4o-mini")(_prompt(False))
        assert fn().content == "Recommend a fantasy book"
        reset_default_clients()
        assert asyncio.get_event_loop() is loop
        assert not loop.is_closed()
    finally:
        asyncio.set_event_loop(None)
        loop.close()
