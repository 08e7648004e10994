"""The Content Security Policy, who may embed the site, and the client's address behind a reverse proxy.

Imported by the settings: nothing here may touch Django's settings at import time.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from csp.constants import HEADER, NONE, SELF
from csp.utils import build_policy
from django.core.exceptions import ImproperlyConfigured, MiddlewareNotUsed

from compliance_wizard.env import split_list

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponseBase

# An origin as CSP source expressions write it: scheme, host (optionally "*." for every subdomain), port.
# Nothing else, so that no value can smuggle a ";" and a further directive into the header.
_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
ORIGIN = re.compile(rf"https?://(?:\*\.)?{_LABEL}(?:\.{_LABEL})*(?::\d{{1,5}})?")


def frame_ancestors(value: str) -> list[str]:
    """The origins that may show the site in a frame, from e.g. "https://www.hwk-musterstadt.de"."""
    sources = []
    for item in split_list(value.lower()):
        if item in (SELF, "self"):
            sources.append(SELF)
        elif item in (NONE, "none"):
            continue
        elif ORIGIN.fullmatch(item):
            sources.append(item)
        else:
            raise ImproperlyConfigured(
                f"CSP_FRAME_ANCESTORS: {item!r} is not an origin such as https://www.hwk-musterstadt.de"
            )
    return sources


def content_security_policy(ancestors: list[str]) -> dict[str, object]:
    """Our own files only; no inline script or style (the templates have none), no plugins, no foreign forms."""
    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            # data: for the empty favicon in base.html, which keeps browsers from asking for /favicon.ico.
            "img-src": [SELF, "data:"],
            "object-src": [NONE],
            "base-uri": [NONE],
            "form-action": [SELF],
            "frame-ancestors": ancestors or [NONE],
        }
    }


class ContentSecurityPolicyMiddleware:
    """settings.CONTENT_SECURITY_POLICY on every response that does not have a policy yet.

    django-csp's own middleware builds the header again for every response, so that views can add nonces
    or change the policy; this site does neither (no inline script or style, one policy for every page),
    so the header is built once, by django-csp's builder, when the middleware is set up.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.policy = build_policy()

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.policy and HEADER not in response:
            response[HEADER] = self.policy
        return response


class ClientAddressMiddleware:
    """Behind a reverse proxy every request comes from the proxy: take the client's address from its X-Forwarded-For.

    Only when the request comes from one of settings.TRUSTED_PROXIES, and only the right-most address that is
    not a proxy's: everything to the left of it the client can have written itself. Without this, the login
    throttle would count every failure of every user against the proxy's one address.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        from django.conf import settings

        self.get_response = get_response
        self.proxies = [ipaddress.ip_network(p, strict=False) for p in settings.TRUSTED_PROXIES]
        if not self.proxies:
            raise MiddlewareNotUsed

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if self._is_proxy(request.META.get("REMOTE_ADDR", "")):
            forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
            for address in reversed(split_list(forwarded)):
                if not self._is_proxy(address):
                    if _valid(address):
                        request.META["REMOTE_ADDR"] = address
                    break
        return self.get_response(request)

    @functools.lru_cache(maxsize=1024)  # noqa: B019 (one instance per process; asked on every request)
    def _is_proxy(self, address: str) -> bool:
        if not _valid(address):
            return False
        ip = ipaddress.ip_address(address)
        return any(ip in network for network in self.proxies)


@functools.lru_cache(maxsize=1024)  # a few addresses, asked on every request
def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True
