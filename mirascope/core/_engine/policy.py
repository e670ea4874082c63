"""What wraps the send step when a call has a policy (``limiter=``, ``timeout=``): the
timeout written into the request in the SDK's own terms, the limiter's wait before the SDK
call and its release (with the real usage) after. A call without a policy never comes here
(the drivers' one ``None`` check)."""

from __future__ import annotations

import functools
import json
import math
import weakref
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..base._narrow import is_items, is_str_dict
from ..base.errors import InvalidCallError
from ..base.messages import (
    BaseMessageParam,
    ImagePart,
    ImageURLPart,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolResultPart,
)
from ..base.tool import BaseTool
from ..base.usage import Usage
from .adapter import AnyAdapter, CallPlan, Request
from .decode import decode_response
from .limiter import Limiter, RateLimit, Ticket, limiter_of
from .output import finish_call
from .partial import structured_stream
from .records import Decoded
from .streaming import StreamRun

if TYPE_CHECKING:
    from .plan import Answer, CallSpec, ResponseClass, StreamClass

IMAGE_TOKENS = 1_000
"""What an image is counted as before the call (vendors charge roughly 85 to 1,600 tokens,
by size); the usage after the call corrects it."""


@dataclass(frozen=True, slots=True)
class CallPolicy:
    """The decorator's ``limiter`` and ``timeout``, checked."""

    limit: RateLimit | None
    timeout: float | None


def make_policy(
    adapter: AnyAdapter, limiter: object, timeout: object, where: str
) -> CallPolicy | None:
    """The policy of a call, or None when it has none (no cost per call)."""
    if limiter is None and timeout is None:
        return None
    if limiter is not None and not isinstance(limiter, RateLimit):
        raise InvalidCallError(
            f"{where}: limiter must be a RateLimit (from mirascope.core import RateLimit), "
            f"not {type(limiter).__name__}"
        )
    if timeout is not None:
        if isinstance(timeout, bool) or not isinstance(timeout, int | float):
            raise InvalidCallError(
                f"{where}: timeout is a number of seconds, not {type(timeout).__name__}"
            )
        if not 0 < timeout < math.inf:
            raise InvalidCallError(f"{where}: timeout must be above 0 seconds, not {timeout!r}")
        if type(adapter).apply_timeout is AnyAdapter.apply_timeout:
            raise InvalidCallError(f"{where}: {adapter.name} takes no per-call timeout")
        timeout = float(timeout)
    return CallPolicy(limiter, timeout)


# -- the send step, sync and async ----------------------------------------------------------


def send_sync(
    policy: CallPolicy,
    spec: CallSpec,
    response_cls: ResponseClass[Answer],
    stream_cls: StreamClass,
    plan: CallPlan,
    request: Request,
) -> object:
    adapter = spec.adapter
    if policy.timeout is not None:
        adapter.apply_timeout(request, policy.timeout)
    client = adapter.resolve_client(plan, request)
    limit = policy.limit
    if limit is None:
        if spec.stream:
            return _stream(spec, stream_cls, adapter.open_stream(client, request), plan)
        raw = adapter.send(client, request)
        return _respond(spec, response_cls, raw, plan, decode_response(adapter, raw))
    limiter = limiter_of(limit)
    weight = _weight(limit, plan, request, spec)
    ticket = limiter.try_acquire(weight) or limiter.acquire(weight)
    try:
        if spec.stream:
            run = StreamRun(adapter.open_stream(client, request), plan, adapter)
            _hold(run, limiter, ticket)
            return _stream_of(spec, stream_cls, run)
        raw = adapter.send(client, request)
        decoded = decode_response(adapter, raw)
    except BaseException:
        limiter.release(ticket, None)
        raise
    limiter.release(ticket, used_tokens(decoded.usage))
    return _respond(spec, response_cls, raw, plan, decoded)


async def send_async(
    policy: CallPolicy,
    spec: CallSpec,
    response_cls: ResponseClass[Answer],
    stream_cls: StreamClass,
    plan: CallPlan,
    request: Request,
) -> object:
    adapter = spec.adapter
    if policy.timeout is not None:
        adapter.apply_timeout(request, policy.timeout)
    client = adapter.resolve_client_async(plan, request)
    limit = policy.limit
    if limit is None:
        if spec.stream:
            source = await adapter.open_stream_async(client, request)
            return _stream(spec, stream_cls, source, plan)
        raw = await adapter.send_async(client, request)
        return _respond(spec, response_cls, raw, plan, decode_response(adapter, raw))
    limiter = limiter_of(limit)
    weight = _weight(limit, plan, request, spec)
    ticket = limiter.try_acquire(weight) or await limiter.acquire_async(weight)
    try:
        if spec.stream:
            source = await adapter.open_stream_async(client, request)
            run = StreamRun(source, plan, adapter)
            _hold(run, limiter, ticket)
            return _stream_of(spec, stream_cls, run)
        raw = await adapter.send_async(client, request)
        decoded = decode_response(adapter, raw)
    except BaseException:
        limiter.release(ticket, None)
        raise
    limiter.release(ticket, used_tokens(decoded.usage))
    return _respond(spec, response_cls, raw, plan, decoded)


def _respond(
    spec: CallSpec,
    response_cls: ResponseClass[Answer],
    raw: object,
    plan: CallPlan,
    decoded: Decoded,
) -> object:
    output = spec.output
    if output is None:
        return response_cls(raw, plan, decoded)
    return finish_call(output, response_cls, raw, plan, decoded)


def _stream(
    spec: CallSpec,
    stream_cls: StreamClass,
    source: Iterator[object] | AsyncIterator[object],
    plan: CallPlan,
) -> object:
    return _stream_of(spec, stream_cls, StreamRun(source, plan, spec.adapter))


def _stream_of(spec: CallSpec, stream_cls: StreamClass, run: StreamRun[object]) -> object:
    stream = stream_cls(run)
    return stream if spec.output is None else structured_stream(spec.output, stream)


def _hold(run: StreamRun[object], limiter: Limiter, ticket: Ticket) -> None:
    """A stream keeps its place until its loop ends (consumed, broken off or left), or, never
    iterated, until it is dropped."""

    def end(usage: Usage | None) -> None:
        limiter.release(ticket, used_tokens(usage))

    run.on_end = end
    weakref.finalize(run, limiter.release, ticket, None)


# -- tokens ---------------------------------------------------------------------------------


def used_tokens(usage: Usage | None) -> int | None:
    """The tokens a call used, when the vendor reported both sides."""
    if usage is None:
        return None
    given, made = usage.input_tokens, usage.output_tokens
    return None if given is None or made is None else given + made


def _weight(limit: RateLimit, plan: CallPlan, request: Request, spec: CallSpec) -> int:
    if limit.tokens is None:
        return 0
    tokens = estimate_tokens(plan, request)
    if tokens > limit.tokens:
        raise InvalidCallError(
            f"{spec.where}: this call is estimated at {tokens:,} tokens (the prompt's "
            f"characters / 4 plus its maximum output tokens), more than {limit!r} lets "
            f"through in a window: it could never be sent. Raise tokens=, lower the call's "
            "max tokens, or shorten the prompt"
        )
    return tokens


def estimate_tokens(plan: CallPlan, request: Request) -> int:
    """A call's tokens before it is sent: its text's characters / 4 (images a flat
    ``IMAGE_TOKENS``), its tools' schemas likewise, plus the request's output cap."""
    chars = 0
    images = 0
    for message in plan.messages:
        # type() first: isinstance against a pydantic model class goes through ABCMeta
        if type(message) is BaseMessageParam or isinstance(message, BaseMessageParam):
            content = message.content
            if isinstance(content, str):
                chars += len(content)
                continue
            for part in content:
                if isinstance(part, TextPart):
                    chars += len(part.text)
                elif isinstance(part, ImagePart | ImageURLPart):
                    images += 1
                elif isinstance(part, ToolResultPart):
                    chars += len(part.content)
                elif isinstance(part, ToolCallPart):
                    chars += len(part.name) + len(json.dumps(part.args))
                elif isinstance(part, ThinkingPart):
                    chars += len(part.thinking)
                # audio and documents: counted by none of the vendors' token rules we know
                # before the call; the real usage corrects the estimate after it
        else:  # a vendor's own message: its strings
            chars += _chars(message)
    for tool in plan.tools:
        chars += _tool_chars(tool)
    return -(-chars // 4) + images * IMAGE_TOKENS + _max_output(request)


@functools.cache  # once per tool class
def _tool_chars(tool: type[BaseTool]) -> int:
    return (
        len(tool.tool_name())
        + len(tool.tool_description())
        + len(json.dumps(tool.parameters_schema()))
    )


def _chars(value: object) -> int:
    if isinstance(value, str):
        return len(value)
    if is_str_dict(value):
        return sum(_chars(v) for v in value.values())
    if is_items(value):
        return sum(_chars(v) for v in value)
    return 0


def _max_output(request: Request) -> int:
    """The output cap a request sets, wherever its vendor puts it; 0 when it sets none."""
    get = request.get
    # max_output_tokens: OpenAI's Responses API
    cap = get("max_tokens") or get("max_completion_tokens") or get("max_output_tokens")
    if cap is None:
        # Converse's inferenceConfig, Google's generation_config (a dict or the SDK's
        # object), inside the Google adapters' "kwargs" (generate_content's arguments)
        settings: object = get("inferenceConfig")
        if is_str_dict(settings):
            cap = settings.get("maxTokens")
        else:
            inner: object = get("kwargs")
            where: dict[str, object] = inner if is_str_dict(inner) else request
            config = where.get("generation_config")
            if config is None:  # google-genai's GenerateContentConfig (or its dict)
                config = where.get("config")
            if is_str_dict(config):
                cap = config.get("max_output_tokens")
            elif config is not None:
                cap = getattr(config, "max_output_tokens", None)
    if isinstance(cap, int) and not isinstance(cap, bool) and cap > 0:
        return cap
    return 0
