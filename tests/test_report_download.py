"""Clicking "PDF": an answer at once, one render per report however often people click, the download by itself.

Renders are counted by wrapping the real renderer (reports.render_pdf), so every PDF here is a real one.
"""

from __future__ import annotations

import datetime
import re
import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from compliance_wizard.assessments import downloads, reports
from compliance_wizard.assessments.downloads import max_attempts
from compliance_wizard.assessments.models import Assessment, ReportFile
from tests.downloads import download, refresh_target
from tests.test_wizard_flow import PAINTER
from tests.wizard import WizardRun
from tests.workspace import add_client, finished_check, neglected_answers


class Renders:
    """The real renderer, counted; `hold` keeps a render from finishing until the test lets it go."""

    def __init__(self, monkeypatch) -> None:
        self.count = 0
        self.started = threading.Event()
        self.hold: threading.Event | None = None
        real = reports.render_pdf

        def counted(*args, **kwargs):
            self.count += 1
            self.started.set()
            if self.hold is not None:
                assert self.hold.wait(timeout=60)
            return real(*args, **kwargs)

        monkeypatch.setattr(reports, "render_pdf", counted)


@pytest.fixture
def renders(monkeypatch):
    return Renders(monkeypatch)


def painter_check(client) -> str:
    run = WizardRun(client, "whatsapp-business")
    run.start("Malerbetrieb Muster", "www.maler-muster.de")
    run.answer_all(PAINTER)
    return run.token


def marker(token: str) -> datetime.datetime | None:
    return Assessment.objects.get(token=token).report_started_at


@pytest.mark.django_db
class TestFirstClick:
    def test_is_answered_at_once_with_a_page_that_moves_on_to_the_report(self, client, renders):
        token = painter_check(client)
        started = time.perf_counter()
        response = client.get(f"/result/{token}/report.pdf?lang=de", HTTP_ACCEPT_LANGUAGE="de")
        assert time.perf_counter() - started < 1
        assert renders.count == 0 and marker(token) is None  # nothing started by the click itself

        assert response.status_code == 202
        assert "no-store" in response["Cache-Control"]
        page = response.content.decode()
        assert "<h1>Ihr Bericht wird erstellt …</h1>" in page
        assert re.search(r'<p role="status">[^<]*beginnt der Download von selbst', page)
        delay, url = refresh_target(response)
        assert delay == 0 and url == f"/result/{token}/report.pdf?lang=de&attempt=1"  # a redirect, not a timer
        assert f'<a href="/result/{token}/report.pdf?lang=de&amp;attempt=1">' in page  # the same, without waiting
        assert f'href="/result/{token}/"' in page
        assert "<script>" not in page  # no inline script: the meta refresh works without any

    def test_the_page_it_reloads_delivers_the_pdf_rendered_once_and_kept(self, client, renders):
        token = painter_check(client)
        _, url = refresh_target(client.get(f"/result/{token}/report.pdf?lang=de"))
        pdf = client.get(url)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert pdf["Content-Disposition"].startswith('attachment; filename="')
        assert renders.count == 1 and marker(token) is None
        assert ReportFile.objects.filter(assessment__token=token).count() == 1

        # From now on the first click gets the stored PDF directly.
        again = client.get(f"/result/{token}/report.pdf?lang=de")
        assert again.status_code == 200 and again.content == pdf.content
        assert renders.count == 1

    def test_a_consultants_download_waits_the_same_way_and_leads_back_to_the_check(self, client, dana, renders):
        check = finished_check(add_client(dana), neglected_answers())
        client.force_login(dana.user)
        waiting = client.get(f"/workspace/checks/{check.pk}/report.pdf", HTTP_ACCEPT_LANGUAGE="en")
        assert waiting.status_code == 202 and renders.count == 0
        assert "Your report is being created" in waiting.content.decode()
        assert f'href="/workspace/checks/{check.pk}/"' in waiting.content.decode()
        pdf = client.get(refresh_target(waiting)[1])
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and renders.count == 1


@pytest.fixture
def short_wait(monkeypatch):
    monkeypatch.setattr(downloads, "WAIT_SECONDS", 0.3)


@pytest.mark.django_db
class TestOneRenderAtATime:
    def test_while_a_render_runs_elsewhere_a_reload_waits_then_goes_round_again(self, client, renders, short_wait):
        token = painter_check(client)
        Assessment.objects.filter(token=token).update(report_started_at=timezone.now())  # another worker's
        started = time.perf_counter()
        waiting = client.get(f"/result/{token}/report.pdf?attempt=1")
        assert time.perf_counter() - started >= 0.3  # it waited for that render, asleep
        assert waiting.status_code == 202 and renders.count == 0
        assert refresh_target(waiting) == (0, f"/result/{token}/report.pdf?attempt=2")

    def test_a_render_whose_worker_died_is_started_again_after_its_time(self, client, renders):
        token = painter_check(client)
        gone = timezone.now() - datetime.timedelta(seconds=reports.render_claim_seconds() + 1)
        Assessment.objects.filter(token=token).update(report_started_at=gone)
        pdf = client.get(f"/result/{token}/report.pdf?attempt=3")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert renders.count == 1 and marker(token) is None

    def test_waiting_ends_on_the_unavailable_page_not_in_endless_reloads(self, client, renders, short_wait):
        token = painter_check(client)
        Assessment.objects.filter(token=token).update(report_started_at=timezone.now())
        # Each attempt waits up to WAIT_SECONDS: together long enough to outlast a render whose worker died.
        assert (max_attempts() - 1) * downloads.WAIT_SECONDS >= reports.render_claim_seconds()
        for attempt in (max_attempts(), 10**9):
            response = client.get(f"/result/{token}/report.pdf?attempt={attempt}", HTTP_ACCEPT_LANGUAGE="de")
            assert response.status_code == 503 and response["Retry-After"] == "60"
            page = response.content.decode()
            assert "Der Bericht konnte nicht erstellt werden" in page and 'http-equiv="refresh"' not in page
        assert renders.count == 0
        assert client.get(f"/result/{token}/report.pdf?attempt=nonsense").status_code == 202  # read as a click

    def test_a_failed_render_frees_the_report_for_the_next_try(self, client, renders, settings):
        token = painter_check(client)
        settings.REPORT_MAX_PAGES = 1
        assert download(client, f"/result/{token}/report.pdf").status_code == 422
        assert marker(token) is None and renders.count == 1
        settings.REPORT_MAX_PAGES = 150
        assert download(client, f"/result/{token}/report.pdf").status_code == 200 and renders.count == 2


def in_threads(count: int, url: str) -> tuple[list[threading.Thread], list[object]]:
    """`count` browsers requesting `url` at the same moment, each in its own thread and database connection."""
    together = threading.Barrier(count)
    answers: list[object] = []

    def browser():
        try:
            together.wait(timeout=30)
            answers.append(Client().get(url))
        finally:
            connection.close()

    threads = [threading.Thread(target=browser) for _ in range(count)]
    for thread in threads:
        thread.start()
    return threads, answers


@pytest.mark.django_db(transaction=True)
def test_a_click_during_a_render_is_answered_at_once_and_a_reload_waits_for_that_render(renders):
    """The render is held open while the same person clicks again and a second tab reloads."""
    token = painter_check(Client())
    renders.hold = threading.Event()
    url = f"/result/{token}/report.pdf?lang=de&attempt=1"
    (renderer,), rendered = in_threads(1, url)
    try:
        assert renders.started.wait(timeout=30)
        started = time.perf_counter()
        click = Client().get(f"/result/{token}/report.pdf?lang=de")
        assert click.status_code == 202 and time.perf_counter() - started < 1
        (reloader,), reloaded = in_threads(1, refresh_target(click)[1])
        time.sleep(1)
        assert reloaded == [] and renders.count == 1  # still waiting, and not rendering
    finally:
        renders.hold.set()
        renderer.join(timeout=120)
    reloader.join(timeout=60)
    assert rendered[0].status_code == reloaded[0].status_code == 200
    assert rendered[0].content == reloaded[0].content and rendered[0].content.startswith(b"%PDF")
    assert renders.count == 1 and marker(token) is None


@pytest.mark.django_db(transaction=True)
def test_many_reloads_at_the_same_moment_start_exactly_one_render(renders, settings):
    if connection.vendor == "sqlite":
        pytest.skip("writers at the same moment need a database server: run with DATABASE_URL=postgres://…/test")
    # Six requests from one address: the limits on reports per address and per machine
    # (tests/test_address_limits.py) would turn four away at once; here only the claim is under test.
    settings.REPORT_RENDERS_PER_ADDRESS = 6
    settings.REPORT_BUSY_WORKERS = 7
    token = painter_check(Client())
    renders.hold = threading.Event()
    threads, answers = in_threads(6, f"/result/{token}/report.pdf?attempt=1")
    assert renders.started.wait(timeout=30)
    time.sleep(1)  # the others have found the render running and wait for it
    renders.hold.set()
    for thread in threads:
        thread.join(timeout=120)
    assert [answer.status_code for answer in answers] == [200] * 6
    assert len({answer.content for answer in answers}) == 1
    assert renders.count == 1
