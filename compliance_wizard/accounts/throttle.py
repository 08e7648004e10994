"""Failed logins, counted in the shared cache per account name and per client address.

The counting itself (atomic buckets, keyed hashes, failing open) is compliance_wizard/counters.py. A bucket
counts until LOGIN_LOCKOUT_SECONDS after it began, so a lock never outlasts the window: nobody can lock a
consultant out for good.

A name is counted under one key per account, however it was typed (account_key): the database finds the
account case-insensitively, and PostgreSQL folds `ſ` to `S` and `ı` to `I`, so a count per spelling would
give every look-alike spelling a fresh set of guesses.

When the cache is unreachable, nothing is counted and nothing is locked, with a warning in the log: a
throttle that failed closed would lock every consultant out, and one that raised would answer every login
and every token page with an error.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model

# Counter and its clock are shared with the token throttle and the workspace's mail limit; tests move the clock
# by replacing `now` here, which every function below looks up at call time.
from compliance_wizard.counters import Counter as Counter
from compliance_wizard.counters import now as now


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
