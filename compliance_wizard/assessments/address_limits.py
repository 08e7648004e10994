"""What one client address may start: reports rendered at the same time, and new checks per minute.

Anonymous visitors need no account, so an address is all there is to tell them apart. Rendering a report
holds a worker for seconds; a few addresses clicking "PDF" on many checks at once would otherwise keep every
worker from the wizard. Drafts are rows in the database; a script could create them by the thousand.

Both count in the shared cache under keyed hashes of the address (compliance_wizard/counters.py), and both fail open:
with the cache unreachable every request goes through, with a warning in the log, rather than none.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from compliance_wizard import counters

from .reports import render_claim_seconds

logger = logging.getLogger(__name__)
KEY_SALT = "compliance_wizard.assessments.address_limits"
TOO_MANY_STARTS = _(
    "Many checks were started from your internet connection in the last minute. Please try again in a minute."
)


def _report_key(address: str) -> str:
    return "report-renders:" + salted_hmac(KEY_SALT, address).hexdigest()


@contextlib.contextmanager
def report_share(address: str) -> Iterator[bool]:
    """Hold one of the address's REPORT_RENDERS_PER_ADDRESS places while the block renders or waits for a
    report; yields False if all are taken. A count left by a worker that was killed expires with the render
    marker (reports.render_claim_seconds)."""
    limit = settings.REPORT_RENDERS_PER_ADDRESS
    if not address or limit <= 0:
        yield True
        return
    key = _report_key(address)
    try:
        cache.add(key, 0, timeout=render_claim_seconds())
        count = cache.incr(key)
    except Exception:
        logger.warning("cache unavailable: report renders per address not counted or checked", exc_info=True)
        yield True
        return
    try:
        yield count <= limit
    finally:
        with contextlib.suppress(Exception):  # unreachable, or expired meanwhile: the count is gone either way
            cache.decr(key)


def _draft_counter(address: str) -> counters.Counter:
    return counters.Counter("address", address, settings.DRAFTS_PER_ADDRESS_PER_MINUTE, window=60, namespace="drafts")


def draft_allowed(address: str) -> bool:
    """Whether this address may start another check now; counts it if so (the counter fails open)."""
    if not address or settings.DRAFTS_PER_ADDRESS_PER_MINUTE <= 0:
        return True
    counter = _draft_counter(address)
    at = counters.now()
    if counter.seconds_locked(at):
        return False
    counter.add_failure(at)  # "failure" in the throttle's words: one more start counted
    return True
