"""The PDF download: the report at once if it is made, else a page that says it is being made, then the PDF.

Rendering takes seconds (more on a busy server), and a click that shows nothing for that long gets clicked
again. So a click on a report not yet made is answered at once with a page saying so, which moves straight
on (`?attempt=1`); the browser keeps showing it while that request renders, in the worker that serves it,
and the PDF then arrives as a download. Only one request renders a report (reports.report_pdf_once): a
second click, a reload or a second tab meanwhile waits for that render, asleep, and delivers its PDF.

The page moves on with a meta refresh of 0 seconds, a redirect: no script, and no timed change of the page
(a refresh with a delay fails WCAG 2.2.1). Waiting therefore happens on the server, never in a loop of
quick reloads. Since a waiting request holds its worker as a rendering one does, only a few may do either at
once: REPORT_RENDERS_PER_ADDRESS per client address (address_limits.py) and REPORT_BUSY_WORKERS per machine
(report/isolated.py). Beyond them the answer is at once: a page saying that the report has to wait its turn,
with a link to try again, so that the other workers stay free for the wizard.
"""

from __future__ import annotations

import math
import time
from typing import Any

from django.http import HttpRequest, HttpResponse

from compliance_wizard.report.isolated import report_seat
from compliance_wizard.report.limits import ReportBusy, ReportUnavailable, ReportWaitedTooLong
from compliance_wizard.report.unavailable import in_progress_response, unavailable_response

from .address_limits import report_share
from .models import Assessment
from .reports import cached_report_pdf, render_claim_seconds, render_in_progress, report_pdf_once

ATTEMPT = "attempt"
# How long one request waits for a render running elsewhere before the page sends the browser round again:
# well below the worker timeout (60 s in deploy/gunicorn.conf.py).
WAIT_SECONDS = 20.0
POLL_SECONDS = 0.5


def max_attempts() -> int:
    # Waiting outlasts the render marker, so that a render whose worker died is started again before giving up.
    return math.ceil(render_claim_seconds() / WAIT_SECONDS) + 2


def pdf_response(filename: str, mimetype: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def report_download(
    request: HttpRequest, assessment: Assessment, lang: str, extras: dict[str, Any], back_url: str, back_to: str
) -> HttpResponse:
    """back_url and back_to: where the waiting and the error page lead back to (unavailable_response)."""
    attempt = _attempt(request)
    report = cached_report_pdf(assessment, lang, extras)
    if report is None and attempt > 0:
        # Rendering or waiting holds this worker: only within the address's share and a seat of this machine.
        # Without either, the answer comes at once, and the worker is free for the wizard.
        with report_share(request.META.get("REMOTE_ADDR", "")) as shared, report_seat() as seated:
            if not (shared and seated):
                busy = ReportBusy("address" if not shared else "machine")
                return unavailable_response(request, busy, back_url, back_to, _retry_url(request))
            try:
                report = report_pdf_once(assessment, lang, extras, may_render=True)
            except ReportUnavailable as error:
                return unavailable_response(request, error, back_url, back_to)
            if report is None:
                report = _wait_for_render_elsewhere(assessment, lang, extras)
    if report is not None:
        return pdf_response(*report)
    if attempt >= max_attempts():
        return unavailable_response(request, ReportWaitedTooLong(render_claim_seconds()), back_url, back_to)
    query = request.GET.copy()
    query[ATTEMPT] = str(attempt + 1)
    return in_progress_response(request, f"{request.path}?{query.urlencode()}", back_url, back_to)


def _retry_url(request: HttpRequest) -> str:
    """The click again (attempt 0): its waiting page moves on to a render, or delivers the report if made."""
    query = request.GET.copy()
    query.pop(ATTEMPT, None)
    return f"{request.path}?{query.urlencode()}" if query else request.path


def _wait_for_render_elsewhere(
    assessment: Assessment, lang: str, extras: dict[str, Any]
) -> tuple[str, str, bytes] | None:
    """The report once the request rendering it has stored it; None after WAIT_SECONDS or if that render
    ended without storing it (it failed: the next attempt renders, and shows why). Never renders itself: a
    render started late in a request could outlast the worker timeout."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline and render_in_progress(assessment):
        time.sleep(POLL_SECONDS)
        report = cached_report_pdf(assessment, lang, extras)
        if report is not None:
            return report
    return cached_report_pdf(assessment, lang, extras)


def _attempt(request: HttpRequest) -> int:
    value = request.GET.get(ATTEMPT, "")
    if not (value.isascii() and value.isdigit()):
        return 0  # absent or not a number: a click
    return max_attempts() if len(value) > 6 else min(int(value), max_attempts())
