"""Which chamber a request is for: by its own host name, or by the /hwk/<slug>/ path prefix.

With a path prefix, the rest of the path is routed as usual and the prefix becomes the script
prefix, so every URL the app builds with reverse() stays inside the chamber's site.
"""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import get_script_prefix, set_script_prefix

from .models import Chamber

PREFIX = re.compile(r"^/hwk/(?P<slug>[-a-z0-9]+)(?P<rest>/.*)?$")


def host_of(request: HttpRequest) -> str:
    # Only for the lookup; Django's own get_host() still checks ALLOWED_HOSTS for everything else.
    return request.META.get("HTTP_HOST", "").rsplit(":", 1)[0].lower()


class ChamberMiddleware:
    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.chamber = None  # type: ignore[attr-defined]
        host = host_of(request)
        chamber = Chamber.objects.filter(host=host).first() if host else None
        if chamber is not None:
            request.chamber = chamber  # type: ignore[attr-defined]
            return self.get_response(request)

        match = PREFIX.match(request.path_info)
        if match is None:
            return self.get_response(request)
        chamber = Chamber.objects.filter(slug=match["slug"]).first()
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
