"""The only code that knows sync from async: run the prompt function, plan, send."""

from __future__ import annotations

from functools import partial
from time import time

from .decode import decode_response
from .output import finish_call
from .partial import structured_stream
from .plan import Answer, CallSpec, ResponseClass, StreamClass, build_plan
from .policy import send_async, send_sync
from .streaming import StreamRun


def run_sync(
    spec: CallSpec,
    response_cls: ResponseClass[Answer],
    stream_cls: StreamClass,
    args: tuple[object, ...],
    kwargs: dict[str, object],
) -> object:
    """One sync call (or stream) of a decorated ``def``."""
    plan = build_plan(spec, args, kwargs, spec.fn(*args, **kwargs))
    adapter = spec.adapter
    request = adapter.build_request(plan, stream=spec.stream)
    output = spec.output
    if output is not None and output.mode is not None:
        adapter.apply_output(request, output)
    if spec.policy is not None:  # a limiter, a timeout: policy.py wraps the send
        return send_sync(spec.policy, spec, response_cls, stream_cls, plan, request)
    client = adapter.resolve_client(plan, request)
    if spec.stream:
        run = StreamRun(adapter.open_stream(client, request), plan, adapter, request)
        run.partial_tools = spec.partial_tools
        stream = stream_cls(run)
        return stream if output is None else structured_stream(output, stream)
    # wall-clock times of the SDK call, as v1 reports them (two clock reads, ~0.1 us)
    start = time()
    raw = adapter.send(client, request)
    end = time()
    if output is None:
        return response_cls(raw, plan, decode_response(adapter, raw), request, start, end)
    make = partial(response_cls, request=request, start=start, end=end)
    return finish_call(output, make, raw, plan, decode_response(adapter, raw))


async def run_async(
    spec: CallSpec,
    response_cls: ResponseClass[Answer],
    stream_cls: StreamClass,
    args: tuple[object, ...],
    kwargs: dict[str, object],
) -> object:
    """One async call (or stream) of a decorated ``async def``."""
    plan = build_plan(spec, args, kwargs, await spec.fn(*args, **kwargs))
    adapter = spec.adapter
    request = adapter.build_request(plan, stream=spec.stream)
    output = spec.output
    if output is not None and output.mode is not None:
        adapter.apply_output(request, output)
    if spec.policy is not None:
        return await send_async(spec.policy, spec, response_cls, stream_cls, plan, request)
    client = adapter.resolve_client_async(plan, request)
    if spec.stream:
        run = StreamRun(await adapter.open_stream_async(client, request), plan, adapter, request)
        run.partial_tools = spec.partial_tools
        stream = stream_cls(run)
        return stream if output is None else structured_stream(output, stream)
    start = time()
    raw = await adapter.send_async(client, request)
    end = time()
    if output is None:
        return response_cls(raw, plan, decode_response(adapter, raw), request, start, end)
    make = partial(response_cls, request=request, start=start, end=end)
    return finish_call(output, make, raw, plan, decode_response(adapter, raw))
