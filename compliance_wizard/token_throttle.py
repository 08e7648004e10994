"""Wrong tokens from one client address lock that address out of every token URL for a while.

The tokens (256 random bits) cannot be guessed; the limit keeps it that way for someone with patience and
makes a scan loud instead of silent. One middleware covers every URL named in TOKEN_URLS: a new URL that
takes a token is protected by adding its name (tests/security/test_token_throttle.py fails until it is).

A lookup counts as wrong when the page answers 404 (or, for Django's password-reset and invitation links,
shows "this link no longer works") and the token is not a known one: a valid token opened on the wrong
chamber's site, or a draft's PDF asked for too early, never counts. Counting reuses the login throttle's
buckets (compliance_wizard/counters.py) and the login throttle's clock; the address is the one ClientAddressMiddleware
took from the reverse proxy.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from compliance_wizard.accounts import throttle
from compliance_wizard.assessments.models import Assessment
from compliance_wizard.reminders import notices
from compliance_wizard.reminders import services as reminders
from compliance_wizard.workspace.services import consultant_by_calendar_token


def _assessment(token: str) -> bool:
    return Assessment.objects.filter(token=token).exists()


def _reminder_link(token: str) -> bool:
    return reminders.find(token) is not None


def _notice_link(token: str) -> bool:
    return notices.find(token) is not None


def _calendar(token: str) -> bool:
    return consultant_by_calendar_token(token) is not None


def _account_link(token: str) -> bool:
    # Django's signed links: a rejected one is forged, used or expired; none of them is a working key.
    return False


# URL name -> whether a token is a known one. The token is the URL's "token" argument.
TOKEN_URLS: dict[str, Callable[[str], bool]] = {
    "wizard:draft": _assessment,
    "wizard:step": _assessment,
    "assessments:result": _assessment,
    "assessments:report": _assessment,
    "assessments:delete": _assessment,
    "assessments:details": _assessment,
    "assessments:documents_docx": _assessment,
    "assessments:recheck": _assessment,
    "reminders:request": _assessment,
    "reminders:withdraw": _assessment,
    "reminders:confirm": _reminder_link,
    "reminders:cancel": _reminder_link,
    "reminders:request_changes": _assessment,
    "reminders:withdraw_changes": _assessment,
    "reminders:confirm_changes": _notice_link,
    "reminders:cancel_changes": _notice_link,
    "accounts:password_reset_confirm": _account_link,
    "accounts:invite": _account_link,
    "workspace:calendar": _calendar,
}


def _counter(address: str) -> throttle.Counter:
    return throttle.Counter(
        "address",
        address,
        settings.TOKEN_FAILURE_LIMIT,
        window=settings.TOKEN_FAILURE_WINDOW_SECONDS,
        namespace="token-failures",
    )


def seconds_locked(address: str) -> int:
    """How long token lookups from this address are refused; 0 when they are not."""
    return _counter(address).seconds_locked(throttle.now()) if address else 0


def record_failure(address: str) -> None:
    if address:
        _counter(address).add_failure(throttle.now())


def rejected(response: HttpResponseBase) -> bool:
    """Whether the page said that the link does not work."""
    context = getattr(response, "context_data", None) or {}
    return response.status_code == 404 or context.get("validlink") is False


def too_many_lookups(request: HttpRequest, seconds: int) -> HttpResponse:
    minutes = max(1, math.ceil(seconds / 60))
    response = render(request, "429.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(seconds)
    add_never_cache_headers(response)
    return response


def _token_url(request: HttpRequest) -> tuple[Callable[[str], bool], str] | None:
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name not in TOKEN_URLS:
        return None
    return TOKEN_URLS[match.view_name], str(match.kwargs.get("token", ""))


class TokenThrottleMiddleware:
    """Last in MIDDLEWARE: process_view needs the resolved URL, and the 429 page the chamber and language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        token_url = _token_url(request)
        if token_url is not None and rejected(response):
            is_known, token = token_url
            if not is_known(token):
                record_failure(request.META.get("REMOTE_ADDR", ""))
        return response

    def process_view(
        self, request: HttpRequest, view_func: object, view_args: object, view_kwargs: object
    ) -> HttpResponse | None:
        if _token_url(request) is None:
            return None
        wait = seconds_locked(request.META.get("REMOTE_ADDR", ""))
        return too_many_lookups(request, wait) if wait else None
