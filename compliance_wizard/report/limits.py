"""How long a report may take and how many pages it may have, and what is raised when one would not fit.

Both bounds protect the installation, not the reader: a report longer than REPORT_MAX_PAGES is not worth
printing, and one that takes longer than REPORT_RENDER_TIMEOUT would hold a worker (and a render slot)
that other users wait for. Either way the answers and the result stay as they are; only the PDF is missing.
"""

from __future__ import annotations

from django.conf import settings

# Waiting for a slot (REPORT_RENDER_WAIT, 20 s) and rendering stay below the worker timeout (60 s in
# deploy/gunicorn.conf.py), so that a stuck rendering fails its request instead of getting the worker killed.
DEFAULT_TIMEOUT = 35.0
# The longest report a real check makes (every requirement open, every comment at its maximum length) has
# under 80 pages; a layout that runs away goes far beyond.
DEFAULT_MAX_PAGES = 150


class ReportUnavailable(Exception):
    """A report that was not made because it would exceed a bound. str() says which, in English."""


class ReportTimedOut(ReportUnavailable):
    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)  # args are what pickle hands back to __init__ across the process boundary
        self.seconds = seconds

    def __str__(self) -> str:
        return f"rendering the report took longer than {self.seconds:g} s (REPORT_RENDER_TIMEOUT) and was stopped"


class ReportWaitedTooLong(ReportTimedOut):
    """Another request has been rendering the report for longer than a render may take: the user stops waiting."""

    def __str__(self) -> str:
        return f"waited {self.seconds:g} s for a report another request was rendering"


class ReportBusy(ReportUnavailable):
    """Not started: every place for reports is taken, on this machine ("machine") or by this client address
    ("address"). Nothing was wrong with the report; a little later it starts."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        if self.reason == "address":
            return "this client address already renders or waits for REPORT_RENDERS_PER_ADDRESS reports"
        return "every worker allowed to be busy with reports (REPORT_BUSY_WORKERS) is"


class ReportTooLong(ReportUnavailable):
    def __init__(self, pages: int, limit: int) -> None:
        super().__init__(pages, limit)
        self.pages = pages
        self.limit = limit

    def __str__(self) -> str:
        return f"the report would have {self.pages} pages, more than REPORT_MAX_PAGES ({self.limit})"


def render_timeout() -> float:
    return float(getattr(settings, "REPORT_RENDER_TIMEOUT", DEFAULT_TIMEOUT))


def max_pages() -> int:
    return int(getattr(settings, "REPORT_MAX_PAGES", DEFAULT_MAX_PAGES))


def check_page_count(pages: int) -> None:
    limit = max_pages()
    if pages > limit:
        raise ReportTooLong(pages, limit)
