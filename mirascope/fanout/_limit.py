"""A ``RateLimit`` shared by every Ray worker: its state lives in one actor.

The actor holds the same ``Limiter`` as one process does (same sliding window, FIFO queue,
token correction); a worker's calls reach it through ``RemoteLimiter``, a ``Limiter`` whose
four methods each make one actor call. A keyed limit is a *named* actor
(``mirascope-limit:<key>``), so every job on the cluster that names the key shares it; an
unkeyed one is an actor of this driver process, one per ``RateLimit`` object."""

from __future__ import annotations

import itertools
import threading
from typing import Any

from ..core._engine.limiter import Limiter, RateLimit, Ticket, count_through, limiter_of
from ._ray import ray

ACTOR_PREFIX = "mirascope-limit:"
NAMESPACE = "mirascope"
"""Named limit actors live here, whatever namespace the job runs in."""
MAX_WAITING = 100_000
"""Calls that may wait in the actor at once (each is one pending coroutine)."""

Settings = tuple[int | None, int | None, int | None, float]


def settings_of(limit: RateLimit) -> Settings:
    return (limit.requests, limit.tokens, limit.concurrency, limit.per)


class LimitActor:
    """The state of one limit, in its own process (a Ray async actor: many calls wait in
    it at once, each as a coroutine on its event loop)."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._limiter = Limiter(*settings)
        self._tickets: dict[int, Ticket] = {}
        self._numbers = itertools.count()

    async def acquire(self, weight: int) -> int:
        limiter = self._limiter
        ticket = limiter.try_acquire(weight) or await limiter.acquire_async(weight)
        number = next(self._numbers)
        self._tickets[number] = ticket
        return number

    async def release(self, number: int, used: int | None) -> None:
        ticket = self._tickets.pop(number, None)
        if ticket is not None:
            self._limiter.release(ticket, used)

    async def counts(self) -> tuple[int, int, int]:
        return self._limiter.counts()

    async def settings(self) -> Settings:
        return self._settings


_remote_actor: Any = None


def _actor_class() -> Any:
    global _remote_actor
    if _remote_actor is None:
        _remote_actor = ray.remote(LimitActor)
    return _remote_actor


class RemoteTicket(Ticket):
    """A ticket held by the actor, known here by its number."""

    __slots__ = ("number",)

    def __init__(self, number: int) -> None:
        super().__init__(0.0, 0)
        self.number = number


class RemoteLimiter(Limiter):
    """A ``Limiter`` whose state is the actor's: the policy's send step uses it unchanged."""

    __slots__ = ("actor",)

    def __init__(self, actor: Any, settings: Settings) -> None:
        super().__init__(*settings)
        self.actor = actor

    def try_acquire(self, weight: int) -> Ticket | None:
        return None  # only the actor knows: every call asks it (acquire)

    def acquire(self, weight: int) -> Ticket:
        return RemoteTicket(ray.get(self.actor.acquire.remote(weight)))

    async def acquire_async(self, weight: int) -> Ticket:
        return RemoteTicket(await self.actor.acquire.remote(weight))

    def release(self, ticket: Ticket, used: int | None) -> None:
        if not ticket.open or not isinstance(ticket, RemoteTicket):
            return
        ticket.open = False
        self.actor.release.remote(ticket.number, used)  # no wait: the next call needs no answer

    def counts(self) -> tuple[int, int, int]:
        return ray.get(self.actor.counts.remote())


# -- the driver: one actor per limit -------------------------------------------------------

_actors: dict[tuple[int, str], tuple[RateLimit, Any]] = {}
"""An unkeyed limit's actor, by the id of the ``RateLimit`` (kept alive with it) and the Ray
job (a new ``ray.init`` starts afresh)."""
_keyed: dict[tuple[str, str], tuple[Settings, Any]] = {}
"""A keyed limit's actor, by key and Ray job."""
_actors_lock = threading.Lock()


def actor_for(limit: RateLimit) -> Any:
    """The actor holding ``limit``'s state on the cluster Ray is connected to (made on
    first need; a keyed limit's is found by name, and must agree on its settings)."""
    settings = settings_of(limit)
    options: dict[str, Any] = {"num_cpus": 0, "max_concurrency": MAX_WAITING}
    if limit.key is None:
        job: str = ray.get_runtime_context().get_job_id()
        with _actors_lock:
            known = _actors.get((id(limit), job))
            if known is None:
                actor = _actor_class().options(**options).remote(settings)
                _actors[id(limit), job] = (limit, actor)
                return actor
            return known[1]
    job = ray.get_runtime_context().get_job_id()
    with _actors_lock:
        known = _keyed.get((limit.key, job))
    if known is not None and known[0] == settings:
        return known[1]
    actor = (
        _actor_class()
        .options(
            name=ACTOR_PREFIX + limit.key,
            namespace=NAMESPACE,
            get_if_exists=True,
            **options,
        )
        .remote(settings)
    )
    theirs = tuple(ray.get(actor.settings.remote()))
    if theirs != settings:
        raise ValueError(
            f"a RateLimit with key {limit.key!r} is shared on this Ray cluster already with "
            f"other settings ({_describe(theirs)}); give every RateLimit of one key the same "
            f"settings (this one has {_describe(settings)}), or another key"
        )
    with _actors_lock:  # held: Ray ends an actor when no handle to it is left
        _keyed[limit.key, job] = (settings, actor)
    return actor


def bind(limit: RateLimit, actor: Any) -> None:
    """In a worker: make ``limit`` (and its key, for every ``RateLimit`` of the key made
    later in this process) count through ``actor``."""
    if isinstance(limiter_of(limit), RemoteLimiter):
        return
    count_through(limit, RemoteLimiter(actor, settings_of(limit)))


def _describe(settings: tuple[Any, ...]) -> str:
    names = ("requests", "tokens", "concurrency")
    parts = [f"{n}={v!r}" for n, v in zip(names, settings[:3], strict=True) if v is not None]
    return ", ".join([*parts, f"per={settings[3]!r}"])
