"""The PDF download: the report at once if it is made, else a page that says so and reloads until it is.

Rendering takes seconds (more on a busy server), and a click that shows nothing for that long gets clicked
again. So a click on a report not yet made is answered at once with a waiting page, and only the request that
page reloads to (`?attempt=1`) renders, in the worker that serves it, while the browser keeps showing the
waiting page. Every other click or reload meanwhile gets the waiting page again: one render per report.
"""

from __future__ import annotations

import math
from typing import Any

from django.http import HttpRequest, HttpResponse

from compliance_wizard.report.limits import ReportUnavailable, ReportWaitedTooLong
from compliance_wizard.report.unavailable import in_progress_response, unavailable_response

from .models import Assessment
from .reports import render_claim_seconds, report_pdf_once

ATTEMPT = "attempt"
# Long enough for the waiting page to show before the browser moves on and waits for the render.
FIRST_DELAY_SECONDS = 1
# While another request renders: how often the page looks whether the report is stored yet.
POLL_SECONDS = 2


def max_attempts() -> int:
    # Polling outlasts the render marker, so that a render whose worker died is started again before giving up.
    return math.ceil(render_claim_seconds() / POLL_SECONDS) + 2


def pdf_response(filename: str, mimetype: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def report_download(
    request: HttpRequest, assessment: Assessment, lang: str, extras: dict[str, Any], back_url: str, back_to: str
) -> HttpResponse:
    """back_url and back_to: where the waiting and the error page lead back to (unavailable_response)."""
    attempt = _attempt(request)
    try:
        report = report_pdf_once(assessment, lang, extras, may_render=attempt > 0)
    except ReportUnavailable as error:
        return unavailable_response(request, error, back_url, back_to)
    if report is not None:
        return pdf_response(*report)
    if attempt >= max_attempts():
        return unavailable_response(request, ReportWaitedTooLong(render_claim_seconds()), back_url, back_to)
    query = request.GET.copy()
    query[ATTEMPT] = str(attempt + 1)
    retry_url = f"{request.path}?{query.urlencode()}"
    delay = FIRST_DELAY_SECONDS if attempt == 0 else POLL_SECONDS
    return in_progress_response(request, retry_url, back_url, back_to, delay)


def _attempt(request: HttpRequest) -> int:
    value = request.GET.get(ATTEMPT, "")
    if not (value.isascii() and value.isdigit()):
        return 0  # absent or not a number: a click
    return max_attempts() if len(value) > 6 else min(int(value), max_attempts())
