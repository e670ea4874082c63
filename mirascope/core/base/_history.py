"""Turning a call's outcome back into messages, so it can go into the next prompt."""

from __future__ import annotations

import json
from collections.abc import Sequence

from pydantic import BaseModel

from .messages import (
    BaseMessageParam,
    ContentPart,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolResultPart,
)
from .tool import BaseTool


def assistant_message(
    content: str,
    tools: Sequence[BaseTool],
    thinking: Sequence[tuple[str, str | None]] = (),
) -> BaseMessageParam:
    """The assistant's turn: its reasoning (when the vendor returned it), its text, and
    the tool calls it made."""
    if not tools and not thinking:
        return BaseMessageParam(role="assistant", content=content)
    parts: list[ContentPart] = [ThinkingPart(thinking=t, signature=s) for t, s in thinking]
    if content:
        parts.append(TextPart(text=content))
    parts.extend(ToolCallPart(id=t.tool_call_id, name=t.tool_name(), args=t.args) for t in tools)
    return BaseMessageParam(role="assistant", content=parts)


def _output_text(output: object) -> str:
    if isinstance(output, str):
        return output
    if isinstance(output, BaseModel):
        return output.model_dump_json()
    try:
        return json.dumps(output, default=str)
    except (TypeError, ValueError):
        return str(output)


def tool_result_messages(
    tools_and_outputs: Sequence[tuple[BaseTool, object]],
) -> list[BaseMessageParam]:
    """One ``tool`` message per (tool, output) pair."""
    return [
        BaseMessageParam(
            role="tool",
            content=[
                ToolResultPart(
                    id=tool.tool_call_id, name=tool.tool_name(), content=_output_text(output)
                )
            ],
        )
        for tool, output in tools_and_outputs
    ]
