"""The only way WeasyPrint may load anything while it renders a report.

The report is laid out against a pseudo origin that cannot resolve (``.invalid`` is reserved
by RFC 2606). Our template refers to its CSS and fonts through ``{% static %}``, so those URLs
sit under that origin plus STATIC_URL and are answered from local files. ``data:`` URIs are
decoded in memory. Everything else is refused: a report must never read the server's files
or reach the network, whatever text a user managed to put into it.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import UNICODE_SCHEME_RE, URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

PSEUDO_ORIGIN = "https://report.invalid/"


class FetchRefused(ValueError):
    """A URL the report may not load."""


def static_prefix() -> str:
    """Where `{% static %}` URLs point when resolved against the pseudo origin."""
    # urljoin keeps an absolute STATIC_URL (a CDN) as it is; we still answer it from local files.
    return urljoin(PSEUDO_ORIGIN, settings.STATIC_URL)


class ReportFetcher(URLFetcher):
    """Serves our static files and data: URIs; refuses every other URL with FetchRefused."""

    def __init__(self) -> None:
        # The parent only ever handles data: URIs here, and never follows a redirect.
        # fail_on_errors: a refused or missing resource is a bug in our template and must stop
        # the rendering rather than quietly fall back to whatever fonts the system has.
        super().__init__(allowed_protocols=("data",), allow_redirects=False, fail_on_errors=True)

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        match = UNICODE_SCHEME_RE.match(url)
        scheme = match[1].lower() if match else ""
        if scheme == "data":
            return super().fetch(url, headers)
        path = self._static_file(url) if scheme in ("http", "https") else None
        if path is None:
            # Only the scheme: the rest of the URL may carry whatever a user typed.
            logger.warning("report: refused to fetch a %s URL", scheme or "relative")
            raise FetchRefused(f"the report may not load this {scheme or 'relative'} URL")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    @staticmethod
    def _static_file(url: str) -> Path | None:
        """The local file behind a static URL under the pseudo origin, or None."""
        prefix = urlsplit(static_prefix())
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) != (prefix.scheme, prefix.netloc):
            return None
        if not parts.path.startswith(prefix.path):
            return None
        relative = unquote(parts.path[len(prefix.path) :])
        segments = relative.split("/")
        # Checked after unquoting, so %2e%2e and %2f cannot sneak a traversal past us.
        if not relative or any(s in ("", ".", "..") or "\\" in s or "\x00" in s for s in segments):
            return None
        name = str(PurePosixPath(*segments))
        found = finders.find(name)
        if isinstance(found, str) and _inside(Path(found), len(segments)):
            return Path(found)
        root = settings.STATIC_ROOT
        if root:
            # collectstatic output, e.g. hashed names of a manifest storage.
            base = Path(root).resolve()
            candidate = (base / name).resolve()
            if candidate.is_relative_to(base) and candidate.is_file():
                return candidate
        return None


def _inside(found: Path, depth: int) -> bool:
    """Whether a file a finder found is a file within the static folder it was found in.

    A symlink in a static folder (planted, or left over from a deployment) could point anywhere, at
    settings.py or /etc/passwd: what it resolves to must still lie in that folder.
    """
    root = found.parents[depth - 1]
    try:
        return found.is_file() and found.resolve().is_relative_to(root.resolve())
    except OSError:
        return False
