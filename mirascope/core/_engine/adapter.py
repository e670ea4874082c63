"""The adapter contract: what a provider supplies to the shared engine.

An adapter is pure mapping plus the one SDK call per mode; it never decides anything the
engine decides (client choice, prompt building, accumulation)."""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, NamedTuple, TypeVar

from ..base.errors import InvalidCallError
from ..base.messages import BaseMessageParam
from ..base.tool import BaseTool
from .records import Decoded, Delta

if TYPE_CHECKING:
    from .output import OutputFormat
    from .plan import CallSpec

RawT = TypeVar("RawT")
ChunkT = TypeVar("ChunkT")

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
    messages: list[BaseMessageParam | Any]
    tools: tuple[type[BaseTool], ...]
    call_params: dict[str, Any] = field(repr=False)
    client: Any = field(repr=False)  # its repr may carry credentials
    is_async: bool = False
    metadata: dict[str, Any] = field(default_factory=dict[str, Any])
    """The dynamic config's ``metadata``: kept for the caller, never sent."""
    output: OutputFormat | None = None
    """What the answer must be (response model, JSON mode), when the call says."""
    spec: CallSpec | None = field(default=None, repr=False)
    """What the decorator fixed (the function, its template, the decorator's call params)."""
    args: tuple[Any, ...] = field(default=(), repr=False)
    """The positional arguments of this call of the prompt function, as given."""
    kwargs: dict[str, Any] | None = field(default=None, repr=False)
    """Its keyword arguments, as given."""
    dynamic_config: dict[str, Any] | None = field(default=None, repr=False)
    """The dynamic config the function returned, if it returned one."""


class Adapter(ABC, Generic[RawT, ChunkT]):
    """One vendor: how to reach its SDK and how to map to and from its wire shapes."""

    name: ClassVar[str]
    """Registry key, and the name of the pip extra."""
    custom_client: ClassVar[bool] = True
    """False where the vendor has no client object to pass (LiteLLM)."""

    @abstractmethod
    def default_client(self, *, is_async: bool) -> Any:
        """A new SDK client configured from the environment."""

    client_names: ClassVar[str] = ""
    """The client classes, as the error for a client of another kind names them."""

    def client_classes(self) -> ClientClasses:
        """The classes of this vendor's clients, by the kind of call they serve. A class of a
        module never imported may be left out (no client of it can exist yet)."""
        return ClientClasses()

    def client_kind(self, client: Any) -> ClientKind:
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

    def model_of(self, client: Any, model: str) -> str:
        """The model to use; vendors whose client carries the model override this."""
        return model

    @abstractmethod
    def build_request(self, plan: CallPlan, *, stream: bool) -> dict[str, Any]:
        """The keyword arguments of the SDK call."""

    def resolve_client(self, plan: CallPlan, request: dict[str, Any]) -> Any:
        """The object the SDK call goes through: the plan's client, for most vendors.
        Where the call's settings live on a client-like object (Google's ``GenerativeModel``
        carries the model name and system instruction), the adapter makes it here."""
        return plan.client

    output_modes: ClassVar[frozenset[str]] = frozenset()
    """The vendor's native output modes: ``"strict"`` (a JSON schema the answer must
    follow), ``"json"`` (any JSON object). A response model falls back to a forced tool
    call, JSON mode to an instruction (plus ``json_prefill``)."""
    json_prefill: ClassVar[str] = ""
    """The start of the answer written for the model where the vendor lets a request end
    with an assistant message (``{``), so that it continues a JSON object."""

    def vendor_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        """The response model's JSON schema as the vendor's strict mode takes it; raise
        ``UnsupportedSchemaError`` when it cannot (a forced tool call is used instead)."""
        from .schemas import strict_schema

        return strict_schema(schema)

    def apply_output(self, request: dict[str, Any], output: OutputFormat) -> None:
        """Ask for ``output`` in the request: the native mode's parameter, or (``tool``
        mode) the forced call of ``output.tool``, which the plan already offers."""
        raise InvalidCallError(
            f"{self.name} cannot be asked for structured output ({output.mode} mode)"
        )

    def apply_timeout(self, request: dict[str, Any], seconds: float) -> None:
        """Give the request the SDK's own per-request timeout of ``seconds``; a timeout the
        call params already set in the SDK's terms stays. Every adapter overrides this (the
        engine refuses ``timeout=`` for one that does not)."""
        raise InvalidCallError(f"{self.name} takes no per-call timeout")

    def refusal(self, raw: RawT) -> str | None:
        """The model's refusal in an answer without text, where the vendor reports one."""
        return None

    @abstractmethod
    def send(self, client: Any, request: dict[str, Any]) -> RawT: ...

    @abstractmethod
    async def send_async(self, client: Any, request: dict[str, Any]) -> RawT: ...

    @abstractmethod
    def open_stream(self, client: Any, request: dict[str, Any]) -> Iterator[ChunkT]: ...

    @abstractmethod
    async def open_stream_async(
        self, client: Any, request: dict[str, Any]
    ) -> AsyncIterator[ChunkT]: ...

    @abstractmethod
    def decode_response(self, raw: RawT) -> Decoded: ...

    @abstractmethod
    def decode_chunk(self, chunk: ChunkT) -> Delta: ...

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

    def call_kwargs(self, request: dict[str, Any]) -> dict[str, Any]:
        """The keyword arguments the SDK call received, from ``build_request``'s request."""
        return request

    def assemble_response(self, streamed: Decoded, plan: CallPlan) -> RawT:
        """The SDK's whole-response object for what a stream delivered (the inverse of
        ``decode_response``): ``streamed`` holds the stream's text, completed tool calls
        (with their raw pieces), merged usage, finish reasons, model and id."""
        raise NotImplementedError(
            f"{self.name}: building a response from a stream is not supported"
        )

    def close_client(self, client: Any) -> None:
        """Release a default sync client at exit."""
        close = getattr(client, "close", None)
        if callable(close):
            close()

    async def close_client_async(self, client: Any) -> None:
        """Release a default async client while its event loop shuts down."""
        close = getattr(client, "close", None)
        if callable(close):
            result = close()
            if inspect.isawaitable(result):
                await result
