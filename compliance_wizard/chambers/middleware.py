"""Which chamber a request is for: by its own host name, or by the /hwk/<slug>/ path prefix.

With a path prefix, the rest of the path is routed as usual and the prefix becomes the script
prefix, so every URL the app builds with reverse() stays inside the chamber's site.
"""

from __future__ import annotations

import copy
import re
import time

from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import get_script_prefix, set_script_prefix

from .models import Chamber

PREFIX = re.compile(r"^/hwk/(?P<slug>[-a-z0-9]+)(?P<rest>/.*)?$")
# Every request asks which chamber its host belongs to, and almost always gets the same answer: each
# worker keeps its answers this long. Saving or deleting a chamber forgets them in the process that did it
# (models.py); the other workers see the change when their copy expires.
CACHE_SECONDS = 10.0
# Host headers come from clients: a flood of made-up names must not grow the cache without bound.
CACHE_ENTRIES = 256
_found: dict[tuple[str, str], tuple[float, Chamber | None]] = {}


def host_of(request: HttpRequest) -> str:
    # Only for the lookup; Django's own get_host() still checks ALLOWED_HOSTS for everything else.
    return request.META.get("HTTP_HOST", "").rsplit(":", 1)[0].lower()


def find_chamber(field: str, value: str) -> Chamber | None:
    """The chamber whose `field` is `value`, from this worker's cache while it is fresh.

    Inside a transaction (ATOMIC_REQUESTS, or a test) the database is asked: only it knows the
    transaction's own uncommitted chambers, and it forgets them on a rollback without telling anyone.
    """
    if connection.in_atomic_block:
        return Chamber.objects.filter(**{field: value}).first()
    now = time.monotonic()
    found = _found.get((field, value))
    if found is None or found[0] <= now:
        if len(_found) >= CACHE_ENTRIES:
            _found.clear()
        found = (now + CACHE_SECONDS, Chamber.objects.filter(**{field: value}).first())
        _found[(field, value)] = found
    # A copy per request: a form bound to request.chamber changes its attributes, even when invalid.
    return copy.copy(found[1])


def forget_chambers() -> None:
    _found.clear()


class ChamberMiddleware:
    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.chamber = None  # type: ignore[attr-defined]
        host = host_of(request)
        chamber = find_chamber("host", host) if host else None
        if chamber is not None:
            request.chamber = chamber  # type: ignore[attr-defined]
            return self.get_response(request)

        match = PREFIX.match(request.path_info)
        if match is None:
            return self.get_response(request)
        chamber = find_chamber("slug", match["slug"])
        if chamber is None:
            raise Http404("no such chamber")
        if match["rest"] is None:
            return HttpResponsePermanentRedirect(request.path + "/")
        request.chamber = chamber  # type: ignore[attr-defined]
        outer = get_script_prefix()
        request.path_info = match["rest"]
        set_script_prefix(f"{outer}hwk/{chamber.slug}/")
        try:
            return self.get_response(request)
        finally:
            set_script_prefix(outer)
