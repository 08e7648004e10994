"""What the benchmark's virtual people do, and how their timings are collected.

Every behaviour runs until its `Window` closes. Only what starts after the window opened and ends before
it closed is counted, so the warm-up at the start and the requests cut off at the end never count.
"""

from __future__ import annotations

import asyncio
import html
import io
import math
import re
import statistics
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from bench.client import Browser, Response, UnexpectedResponse, answers_for, expect, new_address, page_form, progress

CHECK_START = "/check/whatsapp-business/"
REFERENCE_WIZARD = "/wizard/"
REFERENCE_STEP = re.compile(r"<h1>Schritt (\d+) von (\d+)</h1>")


@dataclass
class Window:
    """The measuring window: opens after `warmup` seconds, closes `seconds` later."""

    warmup: float
    seconds: float
    opens: float = 0.0
    closes: float = 0.0

    def start(self) -> Window:
        self.opens = time.perf_counter() + self.warmup
        self.closes = self.opens + self.seconds
        return self

    @property
    def over(self) -> bool:
        return time.perf_counter() >= self.closes

    def counts(self, started: float, ended: float) -> bool:
        return started >= self.opens and ended <= self.closes


@dataclass
class Recorder:
    window: Window
    samples: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    tallies: dict[str, int] = field(default_factory=dict)

    def tally(self, label: str, count: int = 1) -> None:
        self.tallies[label] = self.tallies.get(label, 0) + count

    def add(self, label: str, started: float, seconds: float) -> None:
        if self.window.counts(started, started + seconds):
            self.samples.setdefault(label, []).append(seconds)

    def add_any(self, label: str, seconds: float) -> None:
        """For long operations that run alongside the measured ones (a report takes seconds): always counted."""
        self.samples.setdefault(label, []).append(seconds)

    def error(self, label: str, problem: Exception) -> None:
        self.errors[label] = self.errors.get(label, 0) + 1
        if len(self.examples) < 5:
            self.examples.append(f"{label}: {problem}")


def summary(values: list[float], seconds: float | None = None) -> dict[str, float]:
    """Count, rate per second of the window, and latency percentiles in milliseconds (nearest rank)."""
    ordered = sorted(values)

    def rank(q: float) -> float:
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)] * 1000 if ordered else float("nan")

    out = {
        "count": len(ordered),
        "p50_ms": rank(0.50),
        "p95_ms": rank(0.95),
        "p99_ms": rank(0.99),
        "max_ms": ordered[-1] * 1000 if ordered else float("nan"),
        "mean_ms": statistics.fmean(ordered) * 1000 if ordered else float("nan"),
    }
    if seconds:
        out["per_second"] = len(ordered) / seconds
    return out


async def follow(browser: Browser, response: Response, record: Callable[[Response], None]) -> tuple[str, Response]:
    """Follow redirects like a browser; returns the final path and page."""
    path = ""
    while response.status == 302:
        path = response.location
        response = await browser.get(path)
        record(response)
    return path, expect(response, 200, f"GET {path}")


# -- the real wizard --------------------------------------------------------------------------------------------


async def start_check(browser: Browser, person: dict, record: Callable[[Response], None]) -> tuple[str, Response]:
    """The start page, its form with business name and website, and the first step.

    Every check is somebody else's: the bench's people start checks at machine speed, far beyond what the
    app lets one address start in a minute (DRAFTS_PER_ADDRESS_PER_MINUTE)."""
    browser.address = new_address()
    page = expect(await browser.get(CHECK_START), 200, "start page")
    record(page)
    data = dict(page_form(page.text).hidden, business_name=person["name"], website=person["website"])
    response = expect(await browser.post(CHECK_START, data), 302, "start form")
    record(response)
    return await follow(browser, response, record)


async def wizard_steps(port: int, person: dict, rec: Recorder) -> None:
    """Answer steps one after another; each timed from the POST to the next step's page (POST, redirect, GET).

    The last step would submit the check: instead the person starts a new one there, so every timed
    round trip is the same kind of work: validate a step, save the draft, show the next step.
    """
    browser = Browser(port)
    while not rec.window.over:
        try:
            path, page = await start_check(browser, person, lambda r: None)
            while not rec.window.over:
                number, count = progress(page.text)
                if number >= count:
                    break
                data = answers_for(page_form(page.text), person["answers"])
                started = time.perf_counter()
                post = expect(await browser.post(path, data), 302, f"POST step {number}")
                if not post.location.startswith("/draft/"):
                    raise UnexpectedResponse(f"step {number} led to {post.location}")
                page = expect(await browser.get(post.location), 200, f"GET step {number + 1}")
                rec.add("step", started, time.perf_counter() - started)
                rec.add("step POST", started, post.seconds)
                rec.add("step GET", started + post.seconds, page.seconds)
                path = post.location
        except (TimeoutError, UnexpectedResponse, OSError) as problem:
            rec.error("step", problem)


async def finish_check(browser: Browser, person: dict, record: Callable[[Response], None]) -> str:
    """From the check's start page through every step; returns the result page's path."""
    path, page = await start_check(browser, person, record)
    while True:
        data = answers_for(page_form(page.text), person["answers"])
        post = expect(await browser.post(path, data), 302, f"POST {path}")
        record(post)
        path, page = await follow(browser, post, record)
        if path.startswith("/result/"):
            return path


async def complete_checks(port: int, person: dict, rec: Recorder) -> None:
    """From the check's start page to the result page, over and over; every request is timed too."""
    browser = Browser(port)
    while not rec.window.over:
        started = time.perf_counter()
        requests: list[Response] = []
        try:
            await finish_check(browser, person, requests.append)
        except (TimeoutError, UnexpectedResponse, OSError) as problem:
            rec.error("check", problem)
            continue
        ended = time.perf_counter()
        if rec.window.counts(started, ended):
            rec.samples.setdefault("check", []).append(ended - started)
            rec.samples.setdefault("request", []).extend(r.seconds for r in requests)


# -- the bare formtools wizard ------------------------------------------------------------------------------------


async def reference_steps(port: int, rec: Recorder) -> None:
    """The reference: a GET starts afresh; steps 1 and 2 are posted, each answered with the next step's page."""
    browser = Browser(port)
    while not rec.window.over:
        try:
            page = expect(await browser.get(REFERENCE_WIZARD), 200, "reference wizard")
            for number in (1, 2):
                form = page_form(page.text)
                data = dict(form.hidden, **{name: values[0] for name, values in form.radios.items()})
                started = time.perf_counter()
                page = expect(await browser.post(REFERENCE_WIZARD, data), 200, f"reference step {number}")
                step = REFERENCE_STEP.search(page.text)
                if not step or int(step[1]) != number + 1:
                    raise UnexpectedResponse(f"reference step {number} did not lead to step {number + 1}")
                rec.add("step", started, page.seconds)
        except (TimeoutError, UnexpectedResponse, OSError) as problem:
            rec.error("step", problem)


# -- reports ----------------------------------------------------------------------------------------------------


async def download(port: int, token: str) -> Response:
    """The report, through the page that says it is being made if it is not yet.

    The response's seconds are those of all its requests together: what the server spent, as before there was
    a waiting page, so that the render figures (3, 6, 8) stay comparable.
    """
    return await fetch_report(Browser(port), f"/result/{token}/report.pdf")


async def fetch_report(browser: Browser, path: str, first: Response | None = None) -> Response:
    """Click `path` (or take its answer `first`) and follow the waiting page as a browser does, until the PDF.

    Told that the report has to wait its turn (503 with Retry-After: every place for reports is taken), the
    person clicks again a second later, as an impatient one would. The PDF's seconds are those of every
    request together, the pauses left out.
    """
    spent = 0.0
    for _ in range(BUSY_RETRIES):
        response = first or await browser.get(path)
        first, spent = None, spent + response.seconds
        for _ in range(MAX_REFRESHES):
            if response.status != 202:
                break
            delay, target = refresh(response)
            await asyncio.sleep(delay)
            response = await browser.get(target)
            spent += response.seconds
        if response.status != 503 or not response.header("retry-after"):
            break
        browser.turned_away += 1
        await asyncio.sleep(1)
    response = pdf(response)
    response.seconds = spent
    return response


MAX_REFRESHES = 50  # more than the app's own bound (assessments/downloads.py), so the app ends the waiting
BUSY_RETRIES = 300  # clicks again a second apart: on a machine busy with other work, reports can take a minute
REFRESH = re.compile(r'<meta http-equiv="refresh" content="(\d+);url=([^"]+)">')


def refresh(response: Response) -> tuple[int, str]:
    """(seconds, path) of the meta refresh on the page that says the report is being made."""
    match = REFRESH.search(response.text)
    if not match:
        raise UnexpectedResponse(f"HTTP {response.status} without a refresh: {response.text[:300]!r}")
    return int(match[1]), html.unescape(match[2])


def pdf(response: Response) -> Response:
    expect(response, 200, "report")
    if not response.body.startswith(b"%PDF") or response.header("content-type") != "application/pdf":
        raise UnexpectedResponse("the report is not a PDF")
    return response


async def first_clicks(port: int, person: dict, rec: Recorder) -> None:
    """Finish a check, click "PDF" on the result page at once, and wait like a browser for the download.

    "first click" is that click's own request: what decides whether a person sees anything happen, or taps
    again. "until the PDF" runs from the click to the PDF.
    """
    browser = Browser(port)
    while not rec.window.over:
        try:
            result = await finish_check(browser, person, lambda r: None)
            started = time.perf_counter()
            response = await browser.get(f"{result}report.pdf?lang=de")
            rec.add("first click", started, response.seconds)
            await fetch_report(browser, f"{result}report.pdf?lang=de", first=response)
            rec.add_any("until the PDF", time.perf_counter() - started)  # seconds long: like "render"
        except (TimeoutError, UnexpectedResponse, OSError) as problem:
            rec.error("first click", problem)


async def report_downloads(port: int, tokens: list[str], rec: Recorder) -> None:
    """Download reports nobody has downloaded yet (each is rendered), one after another, until the window closes."""
    while tokens and not rec.window.over:
        try:
            response = await download(port, tokens.pop())
        except (TimeoutError, UnexpectedResponse, OSError) as problem:
            rec.error("render", problem)
            continue
        rec.add_any("render", response.seconds)


async def anonymous_renders(port: int, tokens: list[str], rec: Recorder) -> None:
    """11. One anonymous person (an address of their own) clicking "PDF" on report after report nobody has
    downloaded yet, following the waiting page as a browser does (fetch_report), one after another."""
    browser = Browser(port)
    while tokens and not rec.window.over:
        started = time.perf_counter()
        try:
            await fetch_report(browser, f"/result/{tokens.pop()}/report.pdf")
        except (TimeoutError, UnexpectedResponse, OSError) as problem:
            rec.error("render", problem)
            continue
        finally:
            rec.tally("turned away", browser.turned_away)
            browser.turned_away = 0
        rec.add_any("render", time.perf_counter() - started)


def pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


# -- running ----------------------------------------------------------------------------------------------------


def measure(window: Window, behaviours: Iterable[Callable[[Recorder], Awaitable[None]]]) -> Recorder:
    """Run the behaviours together for the window (plus its warm-up) and return what they recorded."""
    rec = Recorder(window.start())

    async def main() -> None:
        await asyncio.gather(*(behaviour(rec) for behaviour in behaviours))

    asyncio.run(main())
    return rec
