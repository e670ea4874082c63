"""``RateLimit``: throttling shared by every call that uses it, across threads and event
loops of one process.

A sliding-window log, not a token bucket: a bucket of N refilling at N per window lets 2N
through in one window (a full bucket, then its refill), and vendors count per window. Each
admitted call leaves the time its window ends (and its tokens, corrected by the real usage
once the answer arrives); a call fits when fewer than ``requests`` starts and at most
``tokens`` tokens lie in the last ``per`` seconds, and fewer than ``concurrency`` calls are in
flight. Waiting calls queue in order; only the first of the queue sets a timer (for the moment
the window lets it in), the others wait to be woken. A thread waits on an ``Event``, a
coroutine on a future of its own loop, woken with ``call_soon_threadsafe``: so one limit
serves sync calls and any number of event loops at once. The lock is held for microseconds
and never across a wait."""

from __future__ import annotations

import contextlib
import math
import sys
import threading
from collections import deque
from time import monotonic
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncio


class Ticket:
    """One admitted call: the end of its window and the tokens counted for it there;
    released once."""

    __slots__ = ("expires", "open", "tokens")

    def __init__(self, expires: float, tokens: int) -> None:
        self.expires = expires
        self.tokens = tokens
        self.open = True


class _SyncWaiter:
    __slots__ = ("event", "ready_at", "ticket", "weight")

    def __init__(self, weight: int) -> None:
        self.weight = weight
        self.ready_at: float | None = None
        """When the window lets it in (set for the head of the queue); None: at a release."""
        self.ticket: Ticket | None = None
        self.event = threading.Event()

    def wake(self) -> None:
        self.event.set()


class _AsyncWaiter:
    __slots__ = ("future", "loop", "ready_at", "ticket", "weight")

    def __init__(self, weight: int, loop: asyncio.AbstractEventLoop) -> None:
        self.weight = weight
        self.ready_at: float | None = None
        self.ticket: Ticket | None = None
        self.loop = loop
        self.future: asyncio.Future[None] = loop.create_future()

    def wake(self) -> None:
        # from any thread; a loop already closed has cancelled this waiter's task, whose
        # clean-up takes it off the queue
        with contextlib.suppress(RuntimeError):
            self.loop.call_soon_threadsafe(self.set)

    def set(self) -> None:
        future = self.future
        if not future.done():
            future.set_result(None)


_Waiter = _SyncWaiter | _AsyncWaiter


class Limiter:
    """The shared state of one limit (all ``RateLimit`` objects of one key share one)."""

    __slots__ = (
        "_active",
        "_lock",
        "_max_active",
        "_spends",
        "_spent",
        "_starts",
        "_waiters",
        "per",
        "requests",
        "tokens",
    )

    def __init__(
        self, requests: int | None, tokens: int | None, concurrency: int | None, per: float
    ) -> None:
        self.requests = requests
        self.tokens = tokens
        self.per = per
        self._max_active = sys.maxsize if concurrency is None else concurrency
        self._lock = threading.Lock()
        self._active = 0
        self._starts: deque[float] = deque()
        """When the window of each recent start ends (``requests``)."""
        self._spends: deque[Ticket] = deque()
        self._spent = 0
        """The tokens of ``_spends``: those counted in the current window."""
        self._waiters: deque[_Waiter] = deque()

    # -- the window (callers hold the lock) ----------------------------------------------

    def _ready_at(self, now: float, weight: int) -> float | None:
        """When a call of ``weight`` tokens fits (``<= now``: now); None while the calls in
        flight are at the limit (a release, not time, lets it in)."""
        if self._active >= self._max_active:
            return None
        ready = now
        requests = self.requests
        if requests is not None:
            starts = self._starts
            while starts and starts[0] <= now:
                starts.popleft()
            over = len(starts) - requests
            if over >= 0:
                ready = starts[over]
        tokens = self.tokens
        if tokens is not None:
            spends = self._spends
            while spends and spends[0].expires <= now:
                self._spent -= spends.popleft().tokens
            excess = self._spent + weight - tokens
            if excess > 0:
                # the earliest end of a window after which enough tokens are free
                for spend in spends:
                    excess -= spend.tokens
                    if excess <= 0:
                        ready = max(ready, spend.expires)
                        break
        return ready

    def _admit(self, now: float, weight: int) -> Ticket:
        self._active += 1
        ticket = Ticket(now + self.per, weight)
        if self.requests is not None:
            self._starts.append(ticket.expires)
        if self.tokens is not None:
            self._spends.append(ticket)
            self._spent += weight
        return ticket

    def _drain(self, now: float) -> None:
        """Admit the queue's head while it fits; give the next head the time it may go."""
        waiters = self._waiters
        while waiters:
            head = waiters[0]
            ready = self._ready_at(now, head.weight)
            if ready is not None and ready <= now:
                waiters.popleft()
                head.ticket = self._admit(now, head.weight)
                head.wake()
                continue
            if ready != head.ready_at:
                head.ready_at = ready
                head.wake()  # to set its timer
            return

    # -- acquiring and releasing ---------------------------------------------------------

    def try_acquire(self, weight: int) -> Ticket | None:
        """Count a call of ``weight`` tokens if it fits now and none is waiting; else None
        (then ``acquire`` or ``acquire_async`` waits its turn)."""
        # _ready_at and _admit, inline: this is every call's path while nothing waits
        with self._lock:
            if self._waiters or self._active >= self._max_active:
                return None
            now = monotonic()
            requests, tokens = self.requests, self.tokens
            starts, spends = self._starts, self._spends
            if requests is not None:
                while starts and starts[0] <= now:
                    starts.popleft()
                if len(starts) >= requests:
                    return None
            if tokens is not None:
                while spends and spends[0].expires <= now:
                    self._spent -= spends.popleft().tokens
                if self._spent + weight > tokens:
                    return None
            self._active += 1
            ticket = Ticket(now + self.per, weight)
            if requests is not None:
                starts.append(ticket.expires)
            if tokens is not None:
                spends.append(ticket)
                self._spent += weight
            return ticket

    def acquire(self, weight: int) -> Ticket:
        """Wait (blocking this thread) until a call of ``weight`` tokens fits; count it."""
        with self._lock:
            if not self._waiters:
                now = monotonic()
                ready = self._ready_at(now, weight)
                if ready is not None and ready <= now:
                    return self._admit(now, weight)
            waiter = _SyncWaiter(weight)
            self._waiters.append(waiter)
            self._drain(monotonic())
        try:
            while True:
                ready_at = waiter.ready_at
                if ready_at is None:
                    waiter.event.wait()
                else:
                    delay = ready_at - monotonic()
                    if delay > 0:
                        waiter.event.wait(delay)
                with self._lock:
                    if waiter.ticket is None:
                        waiter.event.clear()
                        self._drain(monotonic())
                    ticket = waiter.ticket
                if ticket is not None:
                    return ticket
        except BaseException:  # KeyboardInterrupt...: leave the queue
            self._abandon(waiter)
            raise

    async def acquire_async(self, weight: int) -> Ticket:
        """Wait (in this event loop) until a call of ``weight`` tokens fits; count it."""
        with self._lock:
            if not self._waiters:
                now = monotonic()
                ready = self._ready_at(now, weight)
                if ready is not None and ready <= now:
                    return self._admit(now, weight)
        import asyncio  # loaded already: this runs in an event loop

        loop = asyncio.get_running_loop()
        waiter = _AsyncWaiter(weight, loop)
        with self._lock:
            self._waiters.append(waiter)
            self._drain(monotonic())
        try:
            while True:
                ready_at = waiter.ready_at
                timer = None
                if ready_at is not None:
                    timer = loop.call_later(max(0.0, ready_at - monotonic()), waiter.set)
                try:
                    await waiter.future
                finally:
                    if timer is not None:
                        timer.cancel()
                with self._lock:
                    if waiter.ticket is None:
                        waiter.future = loop.create_future()
                        self._drain(monotonic())
                    ticket = waiter.ticket
                if ticket is not None:
                    return ticket
        except BaseException:  # cancelled (a timeout around the call, the loop ending)
            self._abandon(waiter)
            raise

    def _abandon(self, waiter: _Waiter) -> None:
        with self._lock:
            ticket = waiter.ticket
            if ticket is None:
                with contextlib.suppress(ValueError):  # the queue admitted it meanwhile
                    self._waiters.remove(waiter)
                if self._waiters:
                    self._drain(monotonic())
        if ticket is not None:  # admitted as it gave up: nothing was sent
            self.release(ticket, 0)

    def release(self, ticket: Ticket, used: int | None) -> None:
        """The call is over: free its place; ``used``, when known, replaces the tokens
        estimated for it (a refund, or an overrun the next calls wait for)."""
        with self._lock:
            if not ticket.open:
                return
            ticket.open = False
            self._active -= 1
            if used is not None and used != ticket.tokens and self.tokens is not None:
                if ticket.expires > monotonic():  # still in the window
                    self._spent += used - ticket.tokens
                ticket.tokens = used
            if self._waiters:
                self._drain(monotonic())

    # -- what is counted now ---------------------------------------------------------------

    def counts(self) -> tuple[int, int, int]:
        """(calls in flight, starts in the window, tokens in the window)."""
        with self._lock:
            now = monotonic()
            starts = sum(1 for end in self._starts if end > now)
            tokens = sum(t.tokens for t in self._spends if t.expires > now)
            return self._active, starts, tokens


_registry: dict[str, tuple[tuple[object, ...], Limiter]] = {}
_registry_lock = threading.Lock()


def _count(name: str, value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"RateLimit({name}=...) takes a whole number of at least 1, not {value!r}")
    return value


def _seconds(value: object) -> float:
    # typed object: the caller's value is checked as it comes, whatever its annotation says
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < math.inf:
        raise ValueError(f"RateLimit(per=...) takes a number of seconds above 0, not {value!r}")
    return float(value)


class RateLimit:
    """A limit on calls: at most ``concurrency`` in flight, ``requests`` started and
    ``tokens`` counted in any ``per`` seconds (60 by default: per minute). A call waits until
    it fits: a ``def`` blocks its thread, an ``async def`` awaits in its event loop.

    Every call given the same ``RateLimit`` shares it, and so does every ``RateLimit`` made
    with the same ``key`` (with the same settings): across functions, providers, threads
    and event loops of the process (a key's limit lives as long as the process).

    Tokens are estimated before the call (the prompt's characters / 4, plus the request's
    maximum output tokens when it sets one) and corrected with the usage the answer reports.
    """

    __slots__ = ("_limiter", "concurrency", "key", "per", "requests", "tokens")

    def __init__(
        self,
        *,
        requests: int | None = None,
        tokens: int | None = None,
        concurrency: int | None = None,
        per: float = 60.0,
        key: str | None = None,
    ) -> None:
        self.requests = _count("requests", requests)
        self.tokens = _count("tokens", tokens)
        self.concurrency = _count("concurrency", concurrency)
        self.per = _seconds(per)
        if requests is None and tokens is None and concurrency is None:
            raise ValueError(
                "RateLimit() limits nothing: give requests=, tokens= and/or concurrency="
            )
        self.key = key
        settings = (self.requests, self.tokens, self.concurrency, self.per)
        if key is None:
            self._limiter = Limiter(*settings)
            return
        with _registry_lock:
            known = _registry.get(key)
            if known is None:
                self._limiter = Limiter(*settings)
                _registry[key] = (settings, self._limiter)
                return
        if known[0] != settings:
            raise ValueError(
                f"a RateLimit with key {key!r} exists already with other settings "
                f"({_describe(*known[0])}); give every RateLimit of one key the same "
                f"settings (this one has {_describe(*settings)}), or another key"
            )
        self._limiter = known[1]

    @property
    def in_flight(self) -> int:
        """Calls sent and not yet answered (streams: not yet consumed)."""
        return self._limiter.counts()[0]

    @property
    def requests_in_window(self) -> int:
        """Calls started in the last ``per`` seconds."""
        return self._limiter.counts()[1]

    @property
    def tokens_in_window(self) -> int:
        """Tokens counted in the last ``per`` seconds (estimates until the answers come)."""
        return self._limiter.counts()[2]

    def __repr__(self) -> str:
        key = "" if self.key is None else f", key={self.key!r}"
        settings = _describe(self.requests, self.tokens, self.concurrency, self.per)
        return f"RateLimit({settings}{key})"


def _describe(requests: object, tokens: object, concurrency: object, per: object) -> str:
    named = (("requests", requests), ("tokens", tokens), ("concurrency", concurrency))
    parts = [f"{name}={value!r}" for name, value in named if value is not None]
    return ", ".join([*parts, f"per={per!r}"])


def limiter_of(limit: RateLimit) -> Limiter:
    """The limiter counting ``limit``'s calls (the send step's; fan-out's workers swap it).
    These two functions are the one way in to ``RateLimit._limiter`` from outside the class,
    kept out of its public attributes."""
    return limit._limiter  # pyright: ignore[reportPrivateUsage]


def count_through(limit: RateLimit, limiter: Limiter) -> None:
    """Make ``limit``, and every ``RateLimit`` of its key made later in this process, count
    through ``limiter`` (fan-out's workers: one limiter for the whole Ray cluster)."""
    limit._limiter = limiter  # pyright: ignore[reportPrivateUsage]
    if limit.key is not None:
        settings = (limit.requests, limit.tokens, limit.concurrency, limit.per)
        with _registry_lock:
            _registry[limit.key] = (settings, limiter)
