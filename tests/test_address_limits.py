"""Anonymous visitors cannot take every worker: reports and new checks are limited per client address, and
only a few workers per machine may be busy with reports at all. Beyond a limit the answer comes at once.

Renders in flight are held in the test with the very places a rendering request holds (address_limits.
report_share, isolated.report_seat), so no thread has to be timed.
"""

from __future__ import annotations

import logging
import time

import pytest
import redis
from django.core.cache import cache
from django.test import Client

from compliance_wizard import counters
from compliance_wizard.assessments.address_limits import report_share
from compliance_wizard.assessments.models import ReportFile
from compliance_wizard.report.isolated import report_seat, seat_count
from tests.downloads import refresh_target
from tests.test_report_download import painter_check

pytestmark = pytest.mark.django_db

ALICE, BOB = "198.51.100.7", "203.0.113.9"


def visitor(address: str) -> Client:
    return Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")


def render_request(client: Client, token: str):
    """The request a click's waiting page moves on to: the one that renders."""
    _, url = refresh_target(client.get(f"/result/{token}/report.pdf?lang=en"))
    started = time.perf_counter()
    response = client.get(url)
    return response, time.perf_counter() - started


class TestReportsPerAddress:
    def test_an_address_with_its_renders_in_flight_is_told_at_once_to_wait_others_are_not(self, settings):
        settings.REPORT_RENDERS_PER_ADDRESS = 2
        alice, bob = visitor(ALICE), visitor(BOB)
        token = painter_check(alice)
        with report_share(ALICE) as first, report_share(ALICE) as second:
            assert first and second
            response, seconds = render_request(alice, token)
            assert seconds < 1 and response.status_code == 503 and response["Retry-After"] == "10"
            page = response.content.decode()
            assert "Several reports are already being created for your internet connection" in page
            assert f'href="/result/{token}/report.pdf?lang=en"' in page  # try again: the click, not a render
            assert not ReportFile.objects.exists()

            pdf, _ = render_request(bob, token)
            assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    def test_a_finished_render_gives_its_place_back(self, settings):
        settings.REPORT_RENDERS_PER_ADDRESS = 1
        alice = visitor(ALICE)
        first, second = painter_check(alice), painter_check(alice)
        assert render_request(alice, first)[0].status_code == 200
        assert render_request(alice, second)[0].status_code == 200

    def test_the_limit_is_in_german_too(self, settings):
        settings.REPORT_RENDERS_PER_ADDRESS = 1
        alice = Client(REMOTE_ADDR=ALICE, HTTP_ACCEPT_LANGUAGE="de")
        token = painter_check(alice)
        with report_share(ALICE):
            _, url = refresh_target(alice.get(f"/result/{token}/report.pdf"))
            page = alice.get(url).content.decode()
        assert "<h1>Ihr Bericht muss kurz warten</h1>" in page
        assert "Noch einmal versuchen" in page


def test_with_every_report_seat_of_the_machine_taken_a_render_request_is_answered_at_once(settings):
    settings.REPORT_BUSY_WORKERS = 1
    alice = visitor(ALICE)
    token = painter_check(alice)
    with report_seat() as seated:
        assert seated
        response, seconds = render_request(alice, token)
        assert seconds < 1 and response.status_code == 503
        assert "Many reports are being created right now" in response.content.decode()
        assert "no-store" in response["Cache-Control"]
    pdf, _ = render_request(alice, token)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("workers", "slots", "seats"),
    [
        (0, 1, 2),  # gunicorn's default of 2 x cores + 1 workers: a render and one waiting for its slot
        (5, 1, 2),
        (3, 1, 2),
        (2, 1, 1),  # two workers: one stays free for the wizard
        (1, 1, 1),  # a single worker renders when asked; there is nobody to keep it free for
        (9, 4, 5),
    ],
)
def test_by_default_reports_never_hold_every_worker(settings, workers, slots, seats):
    settings.REPORT_BUSY_WORKERS, settings.WEB_CONCURRENCY, settings.REPORT_RENDER_SLOTS = 0, workers, slots
    assert seat_count() == seats
    settings.REPORT_BUSY_WORKERS = 7  # set by the operator: taken as it is
    assert seat_count() == 7


def start(client: Client):
    return client.post("/check/whatsapp-business/", {"business_name": "Malerbetrieb Krause", "website": ""})


class TestChecksStartedPerAddress:
    def test_an_address_may_start_a_few_checks_a_minute(self, settings, monkeypatch):
        settings.DRAFTS_PER_ADDRESS_PER_MINUTE = 3
        alice = visitor(ALICE)
        assert [start(alice).status_code for _ in range(3)] == [302, 302, 302]
        refused = start(alice)
        assert refused.status_code == 429
        assert "Many checks were started from your internet connection" in refused.content.decode()
        assert start(visitor(BOB)).status_code == 302

        later = time.time() + 61
        monkeypatch.setattr(counters, "now", lambda: later)
        assert start(alice).status_code == 302

    def test_checking_again_from_a_result_counts_too(self, settings):
        settings.DRAFTS_PER_ADDRESS_PER_MINUTE = 1
        alice = visitor(ALICE)
        token = painter_check(alice)  # its start used up the minute
        response = alice.post(f"/result/{token}/recheck/", follow=True)
        assert "Many checks were started from your internet connection" in response.content.decode()


@pytest.fixture
def cache_down(settings, caplog):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/"}
    }
    with pytest.raises(redis.exceptions.ConnectionError):
        cache.get("anything")
    caplog.set_level(logging.WARNING, logger="compliance_wizard")
    return caplog


def test_with_the_cache_down_both_limits_let_everyone_through_and_say_so(settings, cache_down):
    settings.DRAFTS_PER_ADDRESS_PER_MINUTE = 1
    settings.REPORT_RENDERS_PER_ADDRESS = 1
    alice = visitor(ALICE)
    assert [start(alice).status_code for _ in range(3)] == [302, 302, 302]
    token = painter_check(alice)
    pdf, _ = render_request(alice, token)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    warnings = [r.getMessage() for r in cache_down.records if r.levelno == logging.WARNING]
    assert any("cache unavailable: drafts" in w for w in warnings)
    assert any("cache unavailable: report renders per address" in w for w in warnings)
