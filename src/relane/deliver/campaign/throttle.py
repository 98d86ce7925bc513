"""Pacing forge writes, and waiting out what a forge refuses for a while.

A forge limits how fast one token may write: GitHub's secondary rate limit
refuses content-creating requests that come too fast (403 or 429, often
with ``Retry-After``), and every forge answers 5xx or drops a connection
now and then. :class:`Throttle` spaces writes (by default at most one a
second and 60 a minute), and :meth:`Throttle.retry` runs a step again
after the wait a rate limit asks for, or after a growing pause for a 5xx
or a lost connection. The step it retries must be safe to run twice: the
campaign's steps look for what an earlier attempt made before making it.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from relane.deliver.forge.http import ForgeError

T = TypeVar("T")

SECONDARY_WAIT = 60.0
"""Seconds to wait on a rate limit that says nothing of when it lifts (GitHub asks for at least a minute)."""


class Clock:
    """Time as the throttle sees it; tests pass one whose ``sleep`` only moves time on."""

    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


@dataclass
class Throttle:
    per_second: float = 1.0
    per_minute: int = 60
    retries: int = 4
    backoff: float = 1.0  # first pause after a 5xx or a lost connection; doubles each time
    max_wait: float = 3600.0  # a rate limit that asks for longer fails the step instead
    clock: Clock = field(default_factory=Clock)
    on_wait: Callable[[float, str], None] | None = None
    _writes: deque = field(default_factory=deque, repr=False)
    _not_before: float = 0.0

    def __post_init__(self) -> None:
        if not self.per_second > 0 or self.per_minute < 1:
            raise ValueError("the write rates must be positive")

    def wait(self) -> None:
        """Return when one more write keeps within the rates (and after any rate-limit pause)."""
        now = self.clock.now()
        writes = self._writes
        while writes and writes[0] <= now - 60:
            writes.popleft()
        ready = max(self._not_before, now)
        if writes:
            ready = max(ready, writes[-1] + 1 / self.per_second)
        if len(writes) >= self.per_minute:
            ready = max(ready, writes[-self.per_minute] + 60)
        if ready > now:
            self._pause(ready - now, "write rate")
        writes.append(self.clock.now())

    def retry(self, step: Callable[[], T]) -> T:
        """``step()``, run again after a rate limit, a 5xx or a lost connection (a few times)."""
        attempt = 0
        while True:
            try:
                return step()
            except ForgeError as exc:
                delay, why = self.delay(exc, attempt)
                if delay is None or attempt >= self.retries:
                    raise
            attempt += 1
            self._not_before = self.clock.now() + delay
            self._pause(delay, why)

    def delay(self, exc: ForgeError, attempt: int) -> tuple[float | None, str]:
        """How long to wait before trying again after ``exc``; None: do not."""
        if exc.status in (403, 429):
            wait = exc.retry_after
            if wait is None:
                if exc.status == 403 and "rate limit" not in exc.message:
                    return None, ""  # a plain refusal
                wait = SECONDARY_WAIT
            if wait > self.max_wait:
                return None, ""
            return wait, f"rate limit ({exc.status})"
        if (exc.status is not None and exc.status >= 500) or exc.dropped:
            return self.backoff * 2**attempt, f"{exc.status or 'no answer'}, retrying"
        return None, ""

    def _pause(self, seconds: float, why: str) -> None:
        if self.on_wait is not None:
            self.on_wait(seconds, why)
        self.clock.sleep(seconds)
