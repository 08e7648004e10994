"""Absolute links for mails, built from SITE_URL: never from the Host a request came in under.

A mailed link carries a token (a password reset, an invitation, a reminder). Built from the request it would
point at whichever allowed host name the request used: a chamber's, or one an attacker picked. SITE_URL is
required in production; in development and the tests, without it, the request's own address is used.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse


def site_root() -> str:
    """SITE_URL with exactly one trailing slash, or "" when it is not set."""
    site = settings.SITE_URL.strip()
    return f"{site.rstrip('/')}/" if site else ""


def mailed_link(viewname: str, request: HttpRequest | None = None, root: str = "", **kwargs: str) -> str:
    """The view's absolute address under `root` (default SITE_URL), outside any chamber's /hwk/<slug>/ prefix
    the request may be under; on the request's host only when SITE_URL is not set."""
    path: str = reverse(viewname, kwargs=kwargs)
    root = root or site_root()
    if not root:
        if request is None:
            raise ValueError("SITE_URL must be set to build links outside a request")
        return str(request.build_absolute_uri(path))
    return root + path[len(get_script_prefix()) :]
