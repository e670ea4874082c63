"""Benchmark cases per provider: the same request through the raw SDK and through
mirascope, each with the user's client and with mirascope's default client."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from mirascope.core import BaseTool

PROMPT = " ".join(["Recommend a fantasy book with a long and winding plot"] * 5)


class FormatBook(BaseTool):
    """Format a book."""

    title: str
    author: str


Case = tuple[str, Callable[[], Any], Callable[[], Any], str]


class OpenAIBench:
    vendor = "openai"
    sdk_import = "import openai"

    def environ(self, url: str) -> dict[str, str]:
        return {"OPENAI_BASE_URL": url + "/v1", "OPENAI_API_KEY": "sk-bench"}

    def cases(self, url: str) -> Iterator[Case]:
        import openai as sdk

        from mirascope.core import openai

        client = sdk.OpenAI(base_url=url + "/v1", api_key="sk-bench")
        messages: list[Any] = [{"role": "user", "content": PROMPT}]
        model = "gpt-4o-mini"

        def raw_call() -> Any:
            return client.chat.completions.create(model=model, messages=messages).choices[0]

        @openai.call(model, client=client)
        def mira_call() -> str:
            return PROMPT

        @openai.call(model)
        def mira_default() -> str:
            return PROMPT

        yield "sync call", raw_call, lambda: mira_call().content, "sync"
        yield "sync call (default client)", raw_call, lambda: mira_default().content, "sync"

        tools = [
            {
                "type": "function",
                "function": {
                    "name": "FormatBook",
                    "description": "x",
                    "parameters": FormatBook.parameters_schema(),
                },
            }
        ]

        def raw_stream() -> Any:
            text = ""
            for chunk in client.chat.completions.create(
                model=model,
                messages=messages,
                stream=True,
                stream_options={"include_usage": True},
            ):
                if chunk.choices:
                    text += chunk.choices[0].delta.content or ""
            return text

        @openai.call(model, client=client, stream=True)
        def mira_stream() -> str:
            return PROMPT

        def consume() -> str:
            stream = mira_stream()
            for _chunk, _tool in stream:
                pass
            return stream.content

        yield "sync stream (~55 chunks)", raw_stream, consume, "sync"

        def raw_tools() -> Any:
            return client.chat.completions.create(model=model, messages=messages, tools=tools)  # type: ignore[arg-type]

        @openai.call(model, client=client, tools=[FormatBook])
        def mira_tools() -> str:
            return PROMPT

        yield "sync call with a tool offered", raw_tools, lambda: mira_tools().content, "sync"

        def araw_factory() -> Callable[[], Any]:
            aclient = sdk.AsyncOpenAI(base_url=url + "/v1", api_key="sk-bench")

            async def araw() -> Any:
                response = await aclient.chat.completions.create(model=model, messages=messages)
                return response.choices[0]

            return araw

        def amira_factory(default: bool) -> Callable[[], Callable[[], Any]]:
            def make() -> Callable[[], Any]:
                client = None if default else sdk.AsyncOpenAI(base_url=url + "/v1", api_key="k")

                @openai.call(model, client=client)
                async def amira() -> str:
                    return PROMPT

                async def content() -> str:
                    return (await amira()).content

                return content

            return make

        yield "async call", araw_factory, amira_factory(False), "async"
        yield "async call (default client)", araw_factory, amira_factory(True), "async"
        yield "async call, 50 concurrent", araw_factory, amira_factory(False), "concurrent"
        yield (
            "async call, 50 concurrent (default client)",
            araw_factory,
            amira_factory(True),
            "concurrent",
        )


CASES: dict[str, type[Any]] = {"openai": OpenAIBench}
