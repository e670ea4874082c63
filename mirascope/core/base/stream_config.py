"""``StreamConfig``: options of a streamed call, given as ``stream={...}``."""

from __future__ import annotations

from typing_extensions import TypedDict


class StreamConfig(TypedDict, total=False):
    """``stream={"partial_tools": True}``: while a tool call's arguments arrive, the stream
    hands out partial tools (fields so far, unvalidated; ``tool.delta`` the latest piece),
    then the complete tool (``delta`` None)."""

    partial_tools: bool
