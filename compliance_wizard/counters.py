"""Counts in the shared cache, increased atomically in short buckets: the login throttle's, the token throttle's
and the workspace's limit on mails sent in a consultant's name all count with this one Counter.

Counts live in short buckets that are increased atomically (cache.incr), so parallel requests cannot slip past
the limit the way a read-modify-write list would let them. A bucket counts until the window has passed since it
began, so a lock never outlasts the window. What is counted (a name, an address) enters the keys only as a keyed
hash: in a cache dump or a log it would be personal data.

When the cache is unreachable, nothing is counted and nothing is locked, with a warning in the log: a limit that
failed closed would lock everybody out, and one that raised would answer every request it guards with an error.
"""

from __future__ import annotations

import functools
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

BUCKETS_PER_WINDOW = 15
# Unchanged since the counters lived in accounts/throttle.py: running locks survive the move.
KEY_SALT = "compliance_wizard.accounts.throttle"

logger = logging.getLogger(__name__)
T = TypeVar("T")


def _fail_open(default: T) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Whatever the cache backend raises (Redis unreachable, timed out) is logged, and `default` returned."""

    def decorate(method: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(method)
        def guarded(self: Counter, *args: object) -> T:
            try:
                return method(self, *args)
            except Exception:
                # Neither the name nor the address: both are personal data.
                logger.warning("cache unavailable: %s not counted or checked", self.namespace, exc_info=True)
                return default

        return guarded

    return decorate


def now() -> float:
    """The clock, a function of its own so that tests can move it forward instead of sleeping."""
    return time.time()


@dataclass(frozen=True)
class Counter:
    kind: str  # "name" (an account name or e-mail address), "address" (the client's), "consultant" (an id)
    value: str
    limit: int
    # The token throttle (compliance_wizard/token_throttle.py) counts wrong tokens the same way.
    window: int = 0  # seconds; 0 means settings.LOGIN_LOCKOUT_SECONDS
    namespace: str = "login-failures"

    @property
    def seconds(self) -> int:
        return self.window or settings.LOGIN_LOCKOUT_SECONDS

    @functools.cached_property  # a keyed hash: computed once per counter, not per bucket list and mark
    def key(self) -> str:
        digest = salted_hmac(KEY_SALT, f"{self.kind}:{self.value}").hexdigest()
        return f"{self.namespace}:{self.kind}:{digest}"

    @property
    def recent_key(self) -> str:
        """Set with every failure for one window: without it, no bucket can count and none need be read.

        The token throttle asks on every request with a token in its URL, nearly always for an address
        without failures: one cache read instead of fifteen.
        """
        return f"{self.key}:recent"

    def buckets(self, at: float) -> list[tuple[float, str]]:
        """(start, cache key) of every bucket that still counts at time `at`, oldest first."""
        window = self.seconds
        size = max(1, math.ceil(window / BUCKETS_PER_WINDOW))
        key = self.key
        # A bucket counts while at < start + window.
        first, current = math.floor((at - window) / size) + 1, math.floor(at / size)
        return [(b * size, f"{key}:{b}") for b in range(first, current + 1)]

    @_fail_open(0)
    def seconds_locked(self, at: float) -> int:
        if cache.get(self.recent_key) is None:
            return 0
        buckets = self.buckets(at)
        counts = cache.get_many([key for _, key in buckets])
        total = sum(counts.values())
        if total < self.limit:
            return 0
        # The lock lasts until enough of the oldest failures have left the window.
        for start, key in buckets:
            total -= counts.get(key, 0)
            if total < self.limit:
                return math.ceil(start + self.seconds - at)
        return 0  # not reached: the newest bucket still counts

    @_fail_open(None)
    def add_failure(self, at: float) -> None:
        _, key = self.buckets(at)[-1]
        cache.add(key, 0, timeout=self.seconds)
        try:
            cache.incr(key)
        except ValueError:  # the bucket expired between add and incr
            cache.set(key, 1, timeout=self.seconds)
        # After the bucket: a reader that sees the mark also sees the count.
        cache.set(self.recent_key, 1, timeout=self.seconds)

    @_fail_open(None)
    def clear(self, at: float) -> None:
        cache.delete_many([self.recent_key, *(key for _, key in self.buckets(at))])
