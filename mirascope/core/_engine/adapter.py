"""The adapter contract: what a provider supplies to the shared engine.

An adapter is pure mapping plus the one SDK call per mode; it never decides anything the
engine decides (client choice, prompt building, accumulation)."""

from __future__ import annotations

import inspect
import sys
import types
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    ForwardRef,
    Generic,
    Literal,
    NamedTuple,
    TypeAlias,
    TypeVar,
    get_args,
    get_origin,
)

from ..base.errors import InvalidCallError
from ..base.messages import BaseMessageParam, VendorMessage
from ..base.tool import BaseTool
from .records import Decoded, Delta, PlainDelta, plain_delta

if TYPE_CHECKING:
    from ..base.usage import Usage
    from .output import OutputFormat
    from .plan import CallSpec
    from .schemas import Schema

SyncClientT = TypeVar("SyncClientT")
AsyncClientT = TypeVar("AsyncClientT")
RawT = TypeVar("RawT")
ChunkT = TypeVar("ChunkT")
ModelT = TypeVar("ModelT")

Request: TypeAlias = dict[str, Any]
"""The keyword arguments of one SDK call as ``build_request`` makes them (and
``apply_output``/``apply_timeout`` add to them): each vendor's own, opaque to the engine."""

ClientKind = Literal["sync", "async", "both"]


class ClientClasses(NamedTuple):
    """A vendor's client classes by the kind of call they serve."""

    sync: tuple[type, ...] = ()
    async_: tuple[type, ...] = ()
    both: tuple[type, ...] = ()


@dataclass(slots=True)
class CallPlan:
    """Everything one call needs, resolved: no I/O has happened yet."""

    model: str
    messages: list[BaseMessageParam | VendorMessage]
    tools: tuple[type[BaseTool], ...]
    call_params: Mapping[str, object] = field(repr=False)
    """The decorator's call params, with the dynamic config's over them: read by the
    adapter, never changed."""
    client: Any = field(repr=False)  # its repr may carry credentials
    """The call's client: one the user gave (``client_kind`` checked it against the
    adapter's client types) or the adapter's ``default_client`` of this kind. The one place
    the adapter's client types meet a runtime fact: ``resolve_client`` (sync) and
    ``resolve_client_async`` hand it on typed."""
    is_async: bool = False
    metadata: Mapping[str, object] = field(default_factory=dict[str, object])
    """The dynamic config's ``metadata``: kept for the caller, never sent."""
    output: OutputFormat | None = None
    """What the answer must be (response model, JSON mode), when the call says."""
    spec: CallSpec | None = field(default=None, repr=False)
    """What the decorator fixed (the function, its template, the decorator's call params)."""
    args: tuple[object, ...] = field(default=(), repr=False)
    """The positional arguments of this call of the prompt function, as given."""
    kwargs: dict[str, object] | None = field(default=None, repr=False)
    """Its keyword arguments, as given."""
    dynamic_config: Mapping[str, object] | None = field(default=None, repr=False)
    """The dynamic config the function returned, if it returned one."""


class Adapter(ABC, Generic[SyncClientT, AsyncClientT, RawT, ChunkT]):
    """One vendor: how to reach its SDK and how to map to and from its wire shapes.

    The type arguments are the SDK's sync client, its async client (the same class where
    one client serves both), the response of a call and the chunk of a stream: pyright
    checks each method against them, and ``client_classes`` reads the client kinds from
    them. Name a client type in the class statement as a class, a union of classes, or a
    string of dotted names (``"openai.AsyncOpenAI | openai.AsyncAzureOpenAI"``) for an SDK
    module imported under ``TYPE_CHECKING`` only."""

    name: ClassVar[str]
    """Registry key, and the name of the pip extra."""
    custom_client: ClassVar[bool] = True
    """False where the vendor has no client object to pass (LiteLLM)."""
    chunk_class: type[Delta] = PlainDelta
    """The class ``decode_chunk`` makes a plain chunk as (``plain_delta``): the provider's
    stream's chunk class, which its ``call`` sets, so that the stream loop hands the record
    to the user as it is."""

    _client_types: ClassVar[tuple[object, object]] = (SyncClientT, AsyncClientT)
    """The sync and async client type arguments, as the class statement gave them."""
    _classes: ClassVar[ClientClasses | None] = None
    """``client_classes()`` once every class it names could be found."""

    reads_text_alone: ClassVar[bool] = False
    """Whether the stream loop calls ``decode_text_chunk`` once the stream's model and id
    are known: set per class, true where the class that defines ``decode_chunk``, or a
    subclass of it, defines the text reader (a subclass with a decoder of its own, as
    Azure's of the chat-completions family's, does not inherit one that does not go with
    it)."""

    text_chunks_name_stream: ClassVar[bool] = True
    """Whether a text chunk names the stream's model and id (the chat-completions family,
    LiteLLM: the loop reads text chunks as text once it knows them, and gives each chunk
    the stream's) or names neither (Anthropic, Bedrock, Cohere, OpenAI Responses: their
    text events carry neither; read as text from the first, their chunks name none)."""

    usage_in_text_chunks: ClassVar[bool] = False
    """Whether text chunks repeat the usage so far (the Google family): the text reader
    leaves it unread (reading it is most of what such a chunk costs), and the stream reads
    it off its last such chunk when it is asked for (``chunk_usage``)."""

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)

        def owner(name: str) -> type:
            return next(k for k in cls.__mro__ if name in vars(k))

        # the MRO, not issubclass: during __init_subclass__ the new class's ABC data is
        # not set up yet, and issubclass would answer from its base's caches
        text_reader = owner("decode_text_chunk")
        cls.reads_text_alone = (
            text_reader is not Adapter and owner("decode_chunk") in text_reader.__mro__
        )
        # once per class: the client type arguments, through generic intermediate bases
        # (ChatCompletionsAdapter[...] passes its own type variables on to Adapter)
        bases: tuple[object, ...] = cls.__dict__.get("__orig_bases__", ())
        for base in bases:
            origin: object = get_origin(base)
            if isinstance(origin, type) and Adapter in origin.__mro__:
                params: tuple[object, ...] = vars(origin).get("__parameters__", ())
                given = dict(zip(params, get_args(base), strict=False))
                inherited: tuple[object, object] = getattr(origin, "_client_types")  # noqa: B009
                sync, async_ = (given.get(t, t) if isinstance(t, TypeVar) else t for t in inherited)
                cls._client_types = (sync, async_)
                cls._classes = None
                break

    @abstractmethod
    def default_client(
        self, *, is_async: bool
    ) -> SyncClientT | AsyncClientT | DefaultModels[SyncClientT | AsyncClientT]:
        """A new SDK client configured from the environment, of the kind ``is_async``
        says; where the SDK's client is a model object, a ``DefaultModels`` of them."""

    client_names: ClassVar[str] = ""
    """The client classes, as the error for a client of another kind names them."""

    def client_classes(self) -> ClientClasses:
        """The classes of this vendor's clients, by the kind of call they serve: those of
        the client type arguments (a class in both is of kind "both"). A class of a module
        never imported is left out (no client of it can exist yet)."""
        known = type(self)._classes
        if known is not None:
            return known
        module = sys.modules.get(type(self).__module__)
        scope = vars(module) if module is not None else {}
        sync_type, async_type = self._client_types
        sync, sync_whole = _classes_of(sync_type, scope)
        async_, async_whole = _classes_of(async_type, scope)
        both = tuple(c for c in sync if c in async_)
        classes = ClientClasses(
            tuple(c for c in sync if c not in both),
            tuple(c for c in async_ if c not in both),
            both,
        )
        if sync_whole and async_whole:
            type(self)._classes = classes
        return classes

    def client_kind(self, client: object) -> ClientKind:
        """Whether ``client`` serves sync calls, async calls, or both (checked in that
        order of specificity: an async client class may subclass a sync one)."""
        classes = self.client_classes()
        if isinstance(client, classes.both):
            return "both"
        if isinstance(client, classes.async_):
            return "async"
        if isinstance(client, classes.sync):
            return "sync"
        raise InvalidCallError(
            f"expected {self.client_names or f'a {self.name} client'}, got "
            f"{type(client).__module__}.{type(client).__qualname__}"
        )

    def model_of(self, client: object, model: str) -> str:
        """The model to use; vendors whose client carries the model override this."""
        return model

    @abstractmethod
    def build_request(self, plan: CallPlan, *, stream: bool) -> Request:
        """The keyword arguments of the SDK call."""

    def resolve_client(self, plan: CallPlan, request: Request) -> SyncClientT:
        """The client a sync call goes through: the plan's client, for most vendors.
        Where the call's settings live on a client-like object (Google's ``GenerativeModel``
        carries the model name and system instruction), the adapter makes it here."""
        client: SyncClientT = plan.client
        return client

    def resolve_client_async(self, plan: CallPlan, request: Request) -> AsyncClientT:
        """The client an async call goes through (see ``resolve_client``)."""
        client: AsyncClientT = plan.client
        return client

    output_modes: ClassVar[frozenset[str]] = frozenset()
    """The vendor's native output modes: ``"strict"`` (a JSON schema the answer must
    follow), ``"json"`` (any JSON object). A response model falls back to a forced tool
    call, JSON mode to an instruction (plus ``json_prefill``)."""
    json_prefill: ClassVar[str] = ""
    """The start of the answer written for the model where the vendor lets a request end
    with an assistant message (``{``), so that it continues a JSON object."""

    def vendor_schema(self, schema: Schema) -> Schema:
        """The response model's JSON schema as the vendor's strict mode takes it; raise
        ``UnsupportedSchemaError`` when it cannot (a forced tool call is used instead)."""
        from .schemas import strict_schema

        return strict_schema(schema)

    def apply_output(self, request: Request, output: OutputFormat) -> None:
        """Ask for ``output`` in the request: the native mode's parameter, or (``tool``
        mode) the forced call of ``output.tool``, which the plan already offers."""
        raise InvalidCallError(
            f"{self.name} cannot be asked for structured output ({output.mode} mode)"
        )

    def apply_timeout(self, request: Request, seconds: float) -> None:
        """Give the request the SDK's own per-request timeout of ``seconds``; a timeout the
        call params already set in the SDK's terms stays. Every adapter overrides this (the
        engine refuses ``timeout=`` for one that does not)."""
        raise InvalidCallError(f"{self.name} takes no per-call timeout")

    def refusal(self, raw: RawT) -> str | None:
        """The model's refusal in an answer without text, where the vendor reports one."""
        return None

    streams_refusals: ClassVar[bool] = False
    """Whether the vendor streams a refusal (``chunk_refusal`` reads its pieces)."""

    def chunk_refusal(self, chunk: ChunkT) -> str | None:
        """The piece of a refusal a stream chunk carries. Asked only of chunks without
        text or tool calls, and only where ``streams_refusals``."""
        return None

    @abstractmethod
    def send(self, client: SyncClientT, request: Request) -> RawT: ...

    @abstractmethod
    async def send_async(self, client: AsyncClientT, request: Request) -> RawT: ...

    @abstractmethod
    def open_stream(self, client: SyncClientT, request: Request) -> Iterator[ChunkT]: ...

    @abstractmethod
    async def open_stream_async(
        self, client: AsyncClientT, request: Request
    ) -> AsyncIterator[ChunkT]: ...

    @abstractmethod
    def decode_response(self, raw: RawT) -> Decoded: ...

    @abstractmethod
    def decode_chunk(self, chunk: ChunkT, /) -> Delta: ...

    def decode_text_chunk(self, chunk: ChunkT, /) -> Delta | str:
        """``decode_chunk`` once the stream's model and id are known: a chunk holding a
        piece of text and nothing else (no tool call, finish reason, usage, reasoning or
        refusal), and naming the stream's model and id, may come back as that text alone,
        which the stream loop makes the chunk of, with the stream's model and id (no
        record made and read again, nor the model and id read off every chunk). For
        vendors whose chunks repeat the stream's model and id (the chat-completions
        family, LiteLLM); the stream loop calls ``decode_chunk`` where it is not
        overridden."""
        return self.decode_chunk(chunk)

    def chunk_usage(self, chunk: ChunkT, /) -> Usage | None:
        """The usage a chunk carries (``usage_in_text_chunks``: read only when asked)."""
        return self.decode_chunk(chunk).common_usage

    def text_record(
        self,
        decoded: Delta | str,
        model: str | None = None,
        id: str | None = None,  # noqa: A002  (the record's field)
    ) -> Delta:
        """``decode_chunk``'s answer from ``decode_text_chunk``'s: a text alone becomes a
        plain record (``plain_delta``, made as ``chunk_class``) naming ``model`` and
        ``id``, the chunk's own."""
        if isinstance(decoded, str):
            return plain_delta(self.chunk_class, decoded, model, id)
        return decoded

    # -- read lazily, only when the user asks (never on the hot path) -----------------------

    def usage_of(self, raw: RawT, decoded: Decoded) -> Any:
        """The SDK's own usage object of a whole response (``response.usage``); by default
        the record the adapter kept while decoding."""
        usage = decoded.usage
        return usage.raw if usage is not None else None

    def reported_cost(self, raw: RawT) -> float | None:
        """The cost the vendor (or its SDK) reported with a response, in USD; None when it
        reports none, and the price table decides."""
        return None

    def call_kwargs(self, request: Request) -> dict[str, object]:
        """The keyword arguments the SDK call received, from ``build_request``'s request."""
        return request

    def assemble_response(self, streamed: Decoded, plan: CallPlan) -> RawT:
        """The SDK's whole-response object for what a stream delivered (the inverse of
        ``decode_response``): ``streamed`` holds the stream's text, completed tool calls
        (with their raw pieces), merged usage, finish reasons, model and id."""
        raise NotImplementedError(
            f"{self.name}: building a response from a stream is not supported"
        )

    def close_client(self, client: SyncClientT) -> None:
        """Release a default sync client at exit."""
        close: object = getattr(client, "close", None)
        if callable(close):
            close()

    async def close_client_async(self, client: AsyncClientT) -> None:
        """Release a default async client while its event loop shuts down."""
        close: object = getattr(client, "close", None)
        if callable(close):
            result: object = close()
            if inspect.isawaitable(result):
                await result


AnyAdapter: TypeAlias = Adapter[Any, Any, Any, Any]
"""An adapter of any vendor, as the engine holds it (the vendor's types stay its own)."""


class DefaultModels(Generic[ModelT]):
    """A default client where the SDK's client is a model object (Gemini's and Vertex
    AI's ``GenerativeModel``): one model per model name, made on first use; the adapter's
    ``resolve_client`` picks the call's."""

    __slots__ = ("_factory", "_models", "_provider")

    def __init__(self, provider: str, factory: Callable[[str], ModelT]) -> None:
        self._provider = provider
        self._factory = factory
        self._models: dict[str, ModelT] = {}

    def model(self, name: str) -> ModelT:
        model = self._models.get(name)
        if model is None:
            if not name:
                raise ValueError(
                    f'{self._provider}.call("") takes its model from the client: pass '
                    'client=GenerativeModel(model_name="...") (or "client" in the dynamic '
                    f"config), or name the model in {self._provider}.call(...)"
                )
            model = self._models[name] = self._factory(name)
        return model

    def models(self) -> list[ModelT]:
        """The models made so far."""
        return list(self._models.values())


def _classes_of(hint: object, scope: Mapping[str, object]) -> tuple[tuple[type, ...], bool]:
    """The classes a client type argument names, and whether all of them were found (a
    name whose module is not imported is left out: no client of it can exist yet)."""
    if isinstance(hint, ForwardRef):
        hint = hint.__forward_arg__
    if isinstance(hint, str):
        found: list[type] = []
        whole = True
        for name in hint.split("|"):
            cls = _find(name.strip(), scope)
            if cls is None:
                whole = False
            else:
                found.append(cls)
        return tuple(found), whole
    origin = get_origin(hint)
    if origin is types.UnionType or (origin is not None and str(origin) == "typing.Union"):
        found = []
        whole = True
        for arg in get_args(hint):
            classes, arg_whole = _classes_of(arg, scope)
            found.extend(classes)
            whole = whole and arg_whole
        return tuple(found), whole
    if origin is not None:
        hint = origin  # DefaultModels[GenerativeModel]: the class
    if isinstance(hint, type):
        return ((hint,), True) if hint is not type(None) else ((), True)
    return (), True


def _find(name: str, scope: Mapping[str, object]) -> type | None:
    """The class a (dotted) name names: from the adapter module's names, else from the
    longest imported module its dotted prefix names."""
    parts = name.split(".")
    value: object = scope.get(parts[0])
    rest = parts[1:]
    if value is None:
        for i in range(len(parts) - 1, 0, -1):
            value = sys.modules.get(".".join(parts[:i]))
            if value is not None:
                rest = parts[i:]
                break
    for part in rest:
        value = getattr(value, part, None)
    return value if isinstance(value, type) else None
