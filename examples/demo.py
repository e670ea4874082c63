"""Offline demo: real calls through mirascope and the real OpenAI SDK, against the bundled
fake OpenAI server on 127.0.0.1 -- sync, async, streamed, and with a tool."""

from __future__ import annotations

import asyncio
import os

from mirascope.testing import FakeOpenAI, Reply, ToolCall

server = FakeOpenAI().start()
os.environ["OPENAI_BASE_URL"] = server.url + "/v1"
os.environ["OPENAI_API_KEY"] = "sk-demo"

from mirascope.core import BaseTool, openai, prompt_template  # noqa: E402


class FormatBook(BaseTool):
    """Format a book recommendation."""

    title: str
    author: str

    async def call(self) -> str:
        return f"{self.title} by {self.author}"


@openai.call("gpt-4o-mini")
def recommend_book(genre: str) -> str:
    return f"Recommend a {genre} book"


@openai.call("gpt-4o-mini", stream=True)
@prompt_template("Recommend a {genre} book")
async def stream_book(genre: str): ...


@openai.call("gpt-4o-mini", tools=[FormatBook])
async def tool_book(genre: str) -> str:
    return f"Recommend a {genre} book"


async def main() -> None:
    print("async, 3 in parallel:")
    texts = await asyncio.gather(*(stream_book_text(g) for g in ("scifi", "mystery", "horror")))
    for text in texts:
        print("  ", text)
    print("async stream: ", end="")
    stream = await stream_book("fantasy")
    async for chunk, _ in stream:
        if chunk.content:  # the last chunks carry only the finish reason and usage
            print(chunk.content, end="|", flush=True)
    print(f"\n   usage: {stream.common_usage}, cost: {stream.cost}")
    server.enqueue(
        Reply(tool_calls=[ToolCall("FormatBook", {"title": "Dune", "author": "Frank Herbert"})])
    )
    response = await tool_book("scifi")
    if tool := response.tool:
        print(f"async tool call: {tool.tool_name()}({tool.args}) -> {await tool.call()}")


async def stream_book_text(genre: str) -> str:
    stream = await stream_book(genre)
    async for _ in stream:
        pass
    return stream.content


response = recommend_book("fantasy")
print(f"sync call: {response.content!r} (model {response.model}, {response.common_usage})")
asyncio.run(main())
print(f"the fake server received {len(server.requests)} requests")
server.stop()
