"""Failed logins, counted in the shared cache per account name and per client address.

Counts live in short buckets that are increased atomically (cache.incr), so parallel guesses
cannot slip past the limit the way a read-modify-write list would let them. A bucket counts
until LOGIN_LOCKOUT_SECONDS after it began, so a lock never outlasts the window: nobody can
lock a consultant out for good. Names and addresses enter the keys only as keyed hashes; an
address in a cache dump or a log would be personal data.

A name is counted under one key per account, however it was typed (account_key): the database finds the
account case-insensitively, and PostgreSQL folds `ſ` to `S` and `ı` to `I`, so a count per spelling would
give every look-alike spelling a fresh set of guesses.

When the cache is unreachable, nothing is counted and nothing is locked, with a warning in the log: a
throttle that failed closed would lock every consultant out, and one that raised would answer every login
and every token page with an error.
"""

from __future__ import annotations

import functools
import logging
import math
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils.crypto import salted_hmac

BUCKETS_PER_WINDOW = 15
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


def folded(name: str) -> str:
    """The name NFKC-normalised and case-folded: fullwidth letters, `ß`/`ss` and composed accents alike."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name.strip()).casefold())


def account_key(typed: str, field: str = "username") -> str:
    """The one name failures are counted under: the account's stored name (or address) when the typed one
    finds exactly one, as the login and the reset form would; otherwise the typed name, folded."""
    user_model = get_user_model()
    found = set(
        user_model._default_manager.filter(**{f"{field}__iexact": typed.strip()}).values_list(field, flat=True)[:2]
    )
    return folded(found.pop() if len(found) == 1 else typed)


def now() -> float:
    """The clock, a function of its own so that tests can move it forward instead of sleeping."""
    return time.time()


@dataclass(frozen=True)
class Counter:
    kind: str  # "name" (an account name or e-mail address) or "address" (the client's)
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


@dataclass(frozen=True)
class Limits:
    """What is counted per account name (or e-mail address) and per client address: names of settings."""

    namespace: str
    per_name: str
    per_address: str
    window: str | None = None  # None: LOGIN_LOCKOUT_SECONDS
    field: str = "username"  # what the typed name is looked up as (see account_key)


LOGINS = Limits("login-failures", "LOGIN_FAILURE_LIMIT", "LOGIN_FAILURE_LIMIT_PER_ADDRESS")
# Each reset request sends a mail, so they are counted whether or not the account exists.
RESET_MAILS = Limits(
    "reset-requests",
    "PASSWORD_RESET_LIMIT",
    "PASSWORD_RESET_LIMIT_PER_ADDRESS",
    "PASSWORD_RESET_WINDOW_SECONDS",
    field="email",
)


def _counters(name: str, address: str | None, limits: Limits) -> list[Counter]:
    window = getattr(settings, limits.window) if limits.window else 0
    key = account_key(name, limits.field)
    counters = [Counter("name", key, getattr(settings, limits.per_name), window, limits.namespace)]
    if address:
        counters.append(Counter("address", address, getattr(settings, limits.per_address), window, limits.namespace))
    return counters


def seconds_locked(name: str, address: str | None, limits: Limits = LOGINS) -> int:
    """How long further attempts for this name or from this address are refused; 0 when they are not."""
    at = now()
    return max(counter.seconds_locked(at) for counter in _counters(name, address, limits))


def record_failure(name: str, address: str | None, limits: Limits = LOGINS) -> None:
    """Count one attempt: a failed login, or (RESET_MAILS) any request for a reset mail."""
    at = now()
    for counter in _counters(name, address, limits):
        counter.add_failure(at)


def clear(username: str) -> None:
    """Forget the failures for this name (after a login or a new password); the address keeps its count."""
    _counters(username, None, LOGINS)[0].clear(now())
