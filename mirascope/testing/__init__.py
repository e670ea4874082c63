"""Offline testing: fake vendor servers on 127.0.0.1 that speak each vendor's wire
protocol, so the real SDKs (and so mirascope) can be exercised without a network.

    from mirascope.testing import FakeOpenAI, Reply, ToolCall

    with FakeOpenAI() as server:
        server.enqueue(Reply(text="Hello"))
        client = OpenAI(base_url=server.url + "/v1", api_key="test")
"""

from ._server import Answer, FakeServer, RecordedRequest, Reply, ToolCall
from .openai_chat import FakeOpenAI

__all__ = ["Answer", "FakeOpenAI", "FakeServer", "RecordedRequest", "Reply", "ToolCall"]
