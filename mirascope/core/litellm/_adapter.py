"""LiteLLM through ``litellm.completion`` / ``litellm.acompletion`` (OpenAI's shape in and
out). The "client" is the litellm module itself, imported on the first call."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any

from .._engine.records import Decoded, Delta, ToolCallRecord
from .._formats.openai_chat import (
    ChatCompletionsAdapter,
    ChatMedia,
    CompletionJSON,
    chunk_delta,
    content_text,
    decode_completion,
    decode_completion_chunk,
    decode_usage,
)
from ..base._narrow import is_mapping, is_str_mapping
from ..base.errors import MissingCredentialsError

if TYPE_CHECKING:
    from litellm.types.utils import (  # pyright: ignore[reportMissingTypeStubs]
        ModelResponse,
        ModelResponseStream,
    )


def import_litellm() -> ModuleType:
    """Import litellm, offline: its bundled model cost map unless the user chose otherwise."""
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    import litellm

    return litellm


_RAISE = object()
"""No default: ``_attr`` raises as the attribute read does."""

_providers: dict[tuple[object, ...], str | None] = {}
"""(model, custom_llm_provider, api_base) -> the backend litellm sends it to, where it
takes a key litellm could not find."""


def _check_openai_key(litellm: ModuleType, kwargs: Mapping[str, object]) -> None:
    # litellm's own lookup for OpenAI (the call's api_key, its api_key and openai_key
    # settings, a secret manager, then the OpenAI SDK's variables); without a key it fails
    # before any request, but with an InternalServerError, as if OpenAI had failed
    if (
        kwargs.get("api_key")
        or os.environ.get("OPENAI_API_KEY")
        or os.environ.get("OPENAI_ADMIN_KEY") is not None
        or litellm.api_key
        or litellm.openai_key
        or litellm.secret_manager_client is not None
    ):
        return
    model = kwargs.get("model")
    where = (model, kwargs.get("custom_llm_provider"), kwargs.get("api_base"))
    if where not in _providers:
        try:
            _, backend, backend_key, _ = litellm.get_llm_provider(
                model=model, custom_llm_provider=where[1], api_base=where[2]
            )
        except Exception:  # litellm itself says what is wrong with the model
            backend, backend_key = None, None
        _providers[where] = None if backend_key else backend
    if _providers[where] == "openai":
        raise MissingCredentialsError(
            f"litellm sends {model!r} to OpenAI, and found no OpenAI key: set "
            "OPENAI_API_KEY (or litellm.openai_key), or pass call_params={'api_key': ...} "
            "(litellm has no client object to pass)"
        )


class _LiteLLM:
    """The default "client": the litellm module, whose calls check first that a model
    litellm sends to OpenAI has a key. (Other backends keep litellm's own checks: their
    credentials come from more places than can be told apart offline.)"""

    __slots__ = ("lend_loop", "module")

    def __init__(self, module: ModuleType) -> None:
        from ._loop import lend_loop  # loads asyncio, as litellm has already

        self.module = module
        """litellm itself."""
        self.lend_loop = lend_loop
        """Gives a sync call mirascope's event loop where litellm would leak one."""

    def completion(self, **kwargs: object) -> object:
        _check_openai_key(self.module, kwargs)
        self.lend_loop()
        return self.module.completion(**kwargs)

    def acompletion(self, **kwargs: object) -> Awaitable[object]:
        _check_openai_key(self.module, kwargs)
        return self.module.acompletion(**kwargs)


def _transports(cached: object) -> list[object]:
    """What holds the connections of a client in litellm's cache: an SDK client
    (``_client``) or a litellm handler (``client``) wraps an httpx client, whose transports
    (mounts too) run on aiohttp or httpcore; litellm's aiohttp handler is its own."""
    found: list[object] = []
    for holder in (cached, getattr(cached, "_client", None), getattr(cached, "client", None)):
        found.extend((holder, getattr(holder, "_transport", None)))
        mounts: object = getattr(holder, "_mounts", None)
        if is_mapping(mounts):
            found.extend(mounts.values())
    return [t for t in found if t is not None]


class LiteLLMAdapter(
    ChatCompletionsAdapter[_LiteLLM, _LiteLLM, "ModelResponse", "ModelResponseStream"]
):
    """The client is mirascope's own ``_LiteLLM`` (litellm has no client object: the user
    passes none), one per kind, as every default client."""

    name = "litellm"
    reasoning_field = "reasoning_content"  # LiteLLM's one field for every vendor
    media = ChatMedia("litellm")
    custom_client = False

    def default_client(self, *, is_async: bool) -> _LiteLLM:
        # the engine keeps this per kind, so the slow import happens once
        return _LiteLLM(import_litellm())

    def create(self, client: _LiteLLM) -> Callable[..., object]:
        return client.completion

    def create_async(self, client: _LiteLLM) -> Callable[..., Awaitable[object]]:
        return client.acompletion

    def close_client(self, client: _LiteLLM) -> None:
        """Close the connections of litellm's cached sync clients (``reset_default_clients()``
        and exit): litellm keeps the clients past both, so their sockets would be left to
        the garbage collector. The clients stay usable: their pools open new connections.
        The event loop sync calls were lent (see ``_loop.py``) is closed too."""
        import httpx  # litellm's dependency, loaded with it

        from ._loop import close_loop

        close_loop()

        cache: object = getattr(client.module, "in_memory_llm_clients_cache", None)
        cached: object = getattr(cache, "cache_dict", None)
        if not is_mapping(cached):
            return
        pools: dict[int, httpx.HTTPTransport] = {}
        for value in list(cached.values()):
            for owner in _transports(value):
                if isinstance(owner, httpx.HTTPTransport):
                    pools[id(owner)] = owner
        for pool in pools.values():
            pool.close()

    async def close_client_async(self, client: _LiteLLM) -> None:
        """Close the connections litellm opened on the closing event loop.

        litellm caches its async HTTP clients (per loop for SDK clients, shared for its own
        handlers) and closes them only when evicted or at exit, when the loop of their
        sockets is gone: each socket would be left to the garbage collector. Only the
        connections are closed, never the clients, which stay usable (litellm opens a new
        aiohttp session in the next loop); ``litellm.close_litellm_async_clients()`` would
        close every client, those of loops still running in other threads too."""
        import asyncio  # loaded already: this runs in the closing loop

        import httpx
        from aiohttp import ClientSession  # litellm's dependencies, loaded with it

        litellm = client.module
        loop = asyncio.get_running_loop()
        cache: object = getattr(litellm, "in_memory_llm_clients_cache", None)
        cached: object = getattr(cache, "cache_dict", None)
        entries: dict[object, object] = dict(cached) if is_mapping(cached) else {}
        # litellm keys a client made in a running loop with that loop's token
        key_of: object = getattr(cache, "update_cache_key_with_event_loop", None)
        suffix: object = key_of("") if callable(key_of) else None
        entries[None] = getattr(litellm, "base_llm_aiohttp_handler", None)
        sessions: dict[int, ClientSession] = {}
        pools: dict[int, httpx.AsyncHTTPTransport] = {}
        for key, value in entries.items():
            of_this_loop = (
                isinstance(suffix, str)
                and bool(suffix)
                and isinstance(key, str)
                and key.endswith(suffix)
            )
            for owner in _transports(value):
                if isinstance(owner, httpx.AsyncHTTPTransport):
                    # httpcore's pool (litellm.disable_aiohttp_transport) knows no loop:
                    # only a client made for this loop is known to have used it
                    if of_this_loop:
                        pools[id(owner)] = owner
                    continue
                if getattr(owner, "_owns_session", True) is False:
                    continue  # a session the user handed litellm (shared_session) is theirs
                for name in ("client", "client_session"):
                    session = getattr(owner, name, None)
                    if (
                        isinstance(session, ClientSession)
                        and not session.closed
                        and getattr(session, "_loop", None) is loop
                    ):
                        sessions[id(session)] = session
        for session in sessions.values():
            # waits until its connections are closed (aiohttp >= 3.12), within the loop
            await session.close()
        for pool in pools.values():
            await pool.aclose()  # closes the connections; the pool stays usable

    def completion_from_json(self, completion: CompletionJSON) -> ModelResponse:
        return import_litellm().ModelResponse(**completion)

    def reported_cost(self, raw: ModelResponse) -> float | None:
        """The cost LiteLLM computed for the response, where it did (its hidden params)."""
        hidden: object = getattr(raw, "_hidden_params", None)
        params: Mapping[str, object] = hidden if is_str_mapping(hidden) else {}
        cost = params.get("response_cost")
        return float(cost) if isinstance(cost, int | float) else None

    def decode_chunk(self, chunk: ModelResponseStream) -> Delta:
        decoded = self.decode_text_chunk(chunk)
        if isinstance(decoded, str):  # a text chunk: its record, with its model and id
            return self.text_record(decoded, chunk.model, chunk.id)
        return decoded

    def decode_text_chunk(self, chunk: ModelResponseStream) -> Delta | str:
        # LiteLLM keeps a chunk's choice and delta fields in pydantic extras, which an
        # attribute read reaches through pydantic's __getattr__ (~1 us each, several per
        # chunk, and a raised AttributeError for an absent usage): read the dicts instead
        fields = chunk.__dict__
        choice: Any
        parts: Any
        try:
            # most chunks: a piece of text, and no tool call, finish reason or usage; the
            # fewest reads that tell, as subscripts and `in` (a dict's get is a method
            # call: on the caches litellm's stream wrapper leaves cold, 0.15 us a chunk);
            # a key missing is another layout, read below
            choice = fields["choices"][0].__pydantic_extra__
            parts = choice["delta"].__pydantic_extra__
            content = parts["content"]
            if (
                content.__class__ is str
                and content
                and not parts["tool_calls"]
                and choice["finish_reason"] is None
                and ("usage" not in fields or not fields["usage"])
                and not ((extra := chunk.__pydantic_extra__) and extra.get("usage") is not None)
            ):
                return content
        except (LookupError, AttributeError, TypeError):
            pass
        choices = fields.get("choices")
        choice = choices[0].__pydantic_extra__ if choices else None
        delta = choice.get("delta") if choice else None
        parts = getattr(delta, "__pydantic_extra__", None)
        if not parts or "content" not in parts or "tool_calls" not in parts:
            return decode_completion_chunk(chunk)  # another layout: read by attribute
        extra = chunk.__pydantic_extra__
        usage = fields.get("usage") or (extra.get("usage") if extra else None)
        content = parts["content"]
        calls = parts["tool_calls"]
        reason = choice.get("finish_reason")
        if type(content) is str and content and not calls and reason is None and usage is None:
            return content
        decoded = chunk_delta(chunk, usage, reason, content, calls)
        if not content:  # a declared field of LiteLLM's Delta, unlike content
            reasoning = delta.__dict__.get("reasoning_content")
            if isinstance(reasoning, str):
                decoded.thinking = reasoning
        return decoded

    def decode_response(self, raw: ModelResponse) -> Decoded:
        # decode_completion's reading, with litellm's extras read from their dict (its
        # usage, a tool call's id and function) and its reasoning from the message's
        # fields: an attribute read reaches both through pydantic's __getattr__, which
        # raises and catches an AttributeError for the reasoning field litellm deletes
        # when empty (several us a call, more on the cold caches a real call leaves)
        response: Any = raw  # litellm's types are read, not checked (no py.typed)
        choices = response.choices
        if not choices:  # nothing to read: the engine says so
            return decode_completion(raw)
        message = choices[0].message
        content = content_text(message.content)
        records: list[ToolCallRecord] = []
        for call in message.tool_calls or ():
            function = _attr(call, "function")
            records.append(
                ToolCallRecord(_attr(call, "id"), function.name, function.arguments, call)
            )
        reasons = [c.finish_reason for c in choices if c.finish_reason is not None]
        decoded = Decoded(
            content,
            records,
            decode_usage(_attr(response, "usage", None)),
            reasons,
            response.model,
            response.id,
        )
        # reasoning models' thoughts, in LiteLLM's one field for every vendor (a declared
        # field of its Message: in __dict__ when set, deleted when not)
        fields: dict[str, object] | None = getattr(message, "__dict__", None)
        reasoning = fields.get("reasoning_content") if type(fields) is dict else None
        if isinstance(reasoning, str) and reasoning:
            decoded.thinking = ((reasoning, None),)
        return decoded


def _attr(model: object, name: str, default: object = _RAISE) -> Any:
    """``getattr(model, name[, default])`` for litellm's pydantic objects, read from their
    field or extra dict first (litellm declares none of the names read so as class
    attributes, which would win over both: tests/providers/litellm/test_decode.py checks);
    a miss, or another kind of object, takes the attribute read and its error."""
    fields: dict[str, Any] | None = getattr(model, "__dict__", None)
    if type(fields) is dict:
        value = fields.get(name, _RAISE)
        if value is not _RAISE:
            return value
    extra: dict[str, Any] | None = getattr(model, "__pydantic_extra__", None)
    if type(extra) is dict:
        value = extra.get(name, _RAISE)
        if value is not _RAISE:
            return value
    return getattr(model, name) if default is _RAISE else getattr(model, name, default)


ADAPTER = LiteLLMAdapter()
