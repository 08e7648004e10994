"""Real-browser tests: Playwright drives Debian's Chromium against the app on a free loopback port.

Without Chromium or Playwright they are skipped with one reason in the test summary; CI sets
REQUIRE_BROWSER=1, and then a missing browser fails the run instead.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from . import chromium

HERE = Path(__file__).resolve().parent
REQUIRED = os.environ.get("REQUIRE_BROWSER", "") not in ("", "0")


SKIPPED = "browser tests skipped: "


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Give every skip for a missing browser the same place, so that the summary shows it once."""
    report = yield
    if report.skipped and isinstance(report.longrepr, tuple) and SKIPPED in report.longrepr[2]:
        report.longrepr = (str(HERE / "chromium.py"), 1, report.longrepr[2])
    return report


@pytest.fixture(scope="package")
def browser():
    """One Chromium for all browser tests; each test gets fresh contexts (no shared cookies)."""
    reason = chromium.missing()
    if reason and REQUIRED:
        pytest.fail(f"REQUIRE_BROWSER is set, but {reason}", pytrace=False)
    if reason:
        pytest.skip(SKIPPED + reason)
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API keeps an event loop open in this thread, and Django would refuse
    # every database call of the tests (creating a consultant, emptying tables) as one made from async
    # code. Nothing here is async: the calls only run while Playwright waits.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            instance = chromium.launch(playwright)
            yield instance
            instance.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Visits:
    """Opens browser contexts on the live server and records every request each page makes."""

    def __init__(self, browser, origin: str) -> None:
        self.browser = browser
        self.origin = origin
        self.requests: list[tuple[str, str]] = []  # (page that asked, URL asked for)
        self.script_errors: list[str] = []
        self.contexts: list = []

    def context(self, **options):
        options = {"locale": "de-DE", "viewport": {"width": 1280, "height": 900}, **options}
        context = self.browser.new_context(base_url=self.origin, accept_downloads=True, **options)
        context.set_default_timeout(15_000)
        context.on("request", lambda request: self.requests.append((request.frame.url, request.url)))
        context.on("page", self._watch)
        self.contexts.append(context)
        return context

    def page(self, **options):
        return self.context(**options).new_page()

    def _watch(self, page) -> None:
        page.on("pageerror", lambda error: self.script_errors.append(f"{page.url}: {error}"))

    def foreign_requests(self) -> list[tuple[str, str]]:
        own = urlsplit(self.origin)
        return [
            (page, url)
            for page, url in self.requests
            if (urlsplit(url).scheme, urlsplit(url).netloc) != (own.scheme, own.netloc)
        ]

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def visits(browser, live_server):
    """Every request of every page a test opens must go to the app itself, and no script may fail."""
    session = Visits(browser, live_server.url)
    yield session
    session.close()
    foreign = session.foreign_requests()
    assert not foreign, "requests to other hosts:\n" + "\n".join(f"{url} (from {page})" for page, url in foreign)
    assert not session.script_errors, "script errors:\n" + "\n".join(session.script_errors)


@pytest.fixture
def page(visits):
    """A desktop browser window in German, the first language of the site."""
    return visits.page()
