"""Which chamber a request is for: by its own host name, or by the /hwk/<slug>/ path prefix.

With a path prefix, the rest of the path is routed as usual and the prefix becomes the script
prefix, so every URL the app builds with reverse() stays inside the chamber's site.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import get_script_prefix, set_script_prefix

from .models import Chamber

logger = logging.getLogger(__name__)
PREFIX = re.compile(r"^/hwk/(?P<slug>[-a-z0-9]+)(?P<rest>/.*)?$")


def host_of(request: HttpRequest) -> str:
    # Only for the lookup; Django's own get_host() still checks ALLOWED_HOSTS for everything else.
    return request.META.get("HTTP_HOST", "").rsplit(":", 1)[0].lower()


# Kept: asking the database on every request costs a sixth of a wizard step, and without this index the
# wizard falls below the bare formtools reference (bench/README.md, "What the app does for speed").
INDEX_KEY = "chambers:index"
INDEX_SECONDS = 10


def find_chamber(field: str, value: str) -> Chamber | None:
    """The chamber whose `field` (host or slug) is `value`, from an index of every chamber in Django's cache.

    Saving or deleting a chamber drops the index (signals.py): at once for every app server with a shared
    cache (Redis), within INDEX_SECONDS with the per-process one. Inside a transaction (a test) the database
    answers: only it knows the transaction's own chambers, and it forgets them on a rollback. So does it when
    the cache is down, which must not take the site with it.
    """
    if connection.in_atomic_block:
        return Chamber.objects.filter(**{field: value}).first()
    try:
        index = cache.get(INDEX_KEY)
        if index is None:
            index = chamber_index()
            cache.set(INDEX_KEY, index, INDEX_SECONDS)
    except Exception:  # any failure of the cache backend, e.g. Redis unreachable
        logger.warning("cache unavailable, chamber looked up in the database", exc_info=True)
        return Chamber.objects.filter(**{field: value}).first()
    # A copy per request: a form bound to request.chamber changes its attributes, even when invalid.
    return copy.copy(index.get((field, value)))


def chamber_index() -> dict[tuple[str, str], Chamber]:
    index = {}
    for chamber in Chamber.objects.all():
        index[("slug", chamber.slug)] = chamber
        if chamber.host:
            index[("host", chamber.host)] = chamber
    return index


def forget_chambers() -> None:
    """Drop the index, so that the next request reads the chambers as they are now."""
    try:
        cache.delete(INDEX_KEY)
    except Exception:  # the cache is down: it holds no index that could be stale once it is back either
        logger.warning("cache unavailable, chamber index not dropped", exc_info=True)


class ChamberMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.chamber = None
        host = host_of(request)
        chamber = find_chamber("host", host) if host else None
        if chamber is not None:
            request.chamber = chamber
            return self.get_response(request)

        match = PREFIX.match(request.path_info)
        if match is None:
            return self.get_response(request)
        chamber = find_chamber("slug", match["slug"])
        if chamber is None:
            raise Http404("no such chamber")
        if match["rest"] is None:
            return HttpResponsePermanentRedirect(request.path + "/")
        request.chamber = chamber
        outer = get_script_prefix()
        request.path_info = match["rest"]
        set_script_prefix(f"{outer}hwk/{chamber.slug}/")
        try:
            return self.get_response(request)
        finally:
            set_script_prefix(outer)
