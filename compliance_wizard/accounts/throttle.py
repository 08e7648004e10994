"""Failed logins, counted in the shared cache per account name and per client address.

Counts live in short buckets that are increased atomically (cache.incr), so parallel guesses
cannot slip past the limit the way a read-modify-write list would let them. A bucket counts
until LOGIN_LOCKOUT_SECONDS after it began, so a lock never outlasts the window: nobody can
lock a consultant out for good. Names and addresses enter the keys only as keyed hashes; an
address in a cache dump or a log would be personal data.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

BUCKETS_PER_WINDOW = 15
KEY_SALT = "compliance_wizard.accounts.throttle"


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

    def buckets(self, at: float) -> list[tuple[float, str]]:
        """(start, cache key) of every bucket that still counts at time `at`, oldest first."""
        window = self.seconds
        size = max(1, math.ceil(window / BUCKETS_PER_WINDOW))
        digest = salted_hmac(KEY_SALT, f"{self.kind}:{self.value}").hexdigest()
        # A bucket counts while at < start + window.
        first, current = math.floor((at - window) / size) + 1, math.floor(at / size)
        return [(b * size, f"{self.namespace}:{self.kind}:{digest}:{b}") for b in range(first, current + 1)]

    def seconds_locked(self, at: float) -> int:
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

    def add_failure(self, at: float) -> None:
        _, key = self.buckets(at)[-1]
        cache.add(key, 0, timeout=self.seconds)
        try:
            cache.incr(key)
        except ValueError:  # the bucket expired between add and incr
            cache.set(key, 1, timeout=self.seconds)

    def clear(self, at: float) -> None:
        cache.delete_many([key for _, key in self.buckets(at)])


def _counters(username: str, address: str | None) -> list[Counter]:
    counters = [Counter("name", username.strip().lower(), settings.LOGIN_FAILURE_LIMIT)]
    if address:
        counters.append(Counter("address", address, settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS))
    return counters


def seconds_locked(username: str, address: str | None) -> int:
    """How long further attempts for this name or from this address are refused; 0 when they are not."""
    at = now()
    return max(counter.seconds_locked(at) for counter in _counters(username, address))


def record_failure(username: str, address: str | None) -> None:
    at = now()
    for counter in _counters(username, address):
        counter.add_failure(at)


def clear(username: str) -> None:
    """Forget the failures for this name (after a login or a new password); the address keeps its count."""
    _counters(username, None)[0].clear(now())


# -- password-reset requests: each one sends a mail, so they are counted whether or not the account exists ----


def _reset_counters(email: str, address: str | None) -> list[Counter]:
    window = settings.PASSWORD_RESET_WINDOW_SECONDS
    counters = [Counter("name", email.strip().lower(), settings.PASSWORD_RESET_LIMIT, window, "reset-requests")]
    if address:
        counters.append(
            Counter("address", address, settings.PASSWORD_RESET_LIMIT_PER_ADDRESS, window, "reset-requests")
        )
    return counters


def reset_seconds_locked(email: str, address: str | None) -> int:
    """How long further reset mails to this address or requested from this client are refused; 0 if not."""
    at = now()
    return max(counter.seconds_locked(at) for counter in _reset_counters(email, address))


def record_reset_request(email: str, address: str | None) -> None:
    at = now()
    for counter in _reset_counters(email, address):
        counter.add_failure(at)
