"""The page a user gets instead of a PDF that exceeded a bound (limits.py): what happened, and that nothing is lost."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from .limits import ReportBusy, ReportTimedOut, ReportTooLong, ReportUnavailable

logger = logging.getLogger(__name__)

# Beside 404.html and 503.html, not in templates/report/: a web page, translated in the main catalogue.
TEMPLATE = "report_unavailable.html"
IN_PROGRESS_TEMPLATE = "report_in_progress.html"
# A timeout mostly means the machine is busy: a minute later the same report usually renders.
RETRY_AFTER_SECONDS = 60
# Reports not started because others are being made: one usually ends within seconds.
BUSY_RETRY_AFTER_SECONDS = 10
# The stored content makes the report too long: asking again gives the same answer until it is shortened.
TOO_LONG_STATUS = 422


@dataclass(frozen=True)
class Repost:
    """A form that sends a POST again as it was, for "try again" where a link cannot: the zip of the chosen
    clients' reports, so that a consultant does not have to choose them all once more."""

    url: str
    name: str
    values: Sequence[str]


def unavailable_response(
    request: HttpRequest,
    error: ReportUnavailable,
    back_url: str,
    back_to: str,
    retry_url: str = "",
    repost: Repost | None = None,
) -> HttpResponse:
    """back_to: "result" (the check's page) or "clients" (the workspace overview), for the link's wording;
    retry_url: where "try again" leads (ReportBusy); repost: or the form that sends the request again."""
    logger.warning("report: not delivered: %s", error)  # numbers only, never the report's content
    if isinstance(error, ReportBusy):
        context: dict[str, object] = {
            "busy": error.reason,
            "retry_url": retry_url,
            "repost": repost,
            "back_url": back_url,
            "back_to": back_to,
        }
        response = render(request, TEMPLATE, context, status=503)
        response["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response
    timed_out = isinstance(error, ReportTimedOut)
    context = {
        "timed_out": timed_out,
        "pages": error.pages if isinstance(error, ReportTooLong) else None,
        "limit": error.limit if isinstance(error, ReportTooLong) else None,
        "back_url": back_url,
        "back_to": back_to,
    }
    response = render(request, TEMPLATE, context, status=503 if timed_out else TOO_LONG_STATUS)
    if timed_out:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def zip_in_progress_response(
    request: HttpRequest, ready: int, total: int, back_url: str, repost: Repost
) -> HttpResponse:
    """A zip of many reports stopped before the worker timeout: the reports made so far are kept for the next try,
    which `repost` starts with the same choice."""
    context = {"zip_ready": ready, "zip_total": total, "repost": repost, "back_url": back_url, "back_to": "clients"}
    response = render(request, TEMPLATE, context, status=503)
    response["Retry-After"] = "5"
    return response


def in_progress_response(request: HttpRequest, next_url: str, back_url: str, back_to: str) -> HttpResponse:
    """202: the report is being made. The page moves on to next_url at once (a meta refresh of 0 s: no script,
    no timed page change); the browser keeps showing it until that request answers with the PDF."""
    context = {"next_url": next_url, "back_url": back_url, "back_to": back_to}
    response = render(request, IN_PROGRESS_TEMPLATE, context, status=202)
    add_never_cache_headers(response)  # a stored copy would keep a browser waiting for a report made long ago
    return response
