"""Links with a token cannot be guessed, and guessing is cut short.

A wrong token answers 404. After TOKEN_FAILURE_LIMIT wrong tokens (20) from one client address within
TOKEN_FAILURE_WINDOW_SECONDS (10 minutes), every token lookup from that address, a right one too, answers 429
with a page in the visitor's language and Retry-After, until the window has passed. Right tokens never count,
and other addresses go on as before. The address is the one the reverse proxy reports.
Every URL that takes a token is covered: a new one fails the first test until it is named in TOKEN_URLS.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from compliance_wizard.accounts import throttle
from compliance_wizard.assessments.services import assessment_submit, draft_start
from compliance_wizard.chambers.models import Chamber
from compliance_wizard.engine.conditions import as_option_id
from compliance_wizard.token_throttle import TOKEN_URLS
from tests.cases import CASES

pytestmark = pytest.mark.django_db

KRAUSE = next(case for case in CASES if case.name.startswith("Malermeister Krause"))
SCANNER = "203.0.113.66"  # a bot trying tokens
KRAUSE_OFFICE = "198.51.100.20"  # Malermeister Krause's own connection
WRONG = "x" * 43  # as long as a real token

# Every token URL with a token that does not exist.
WRONG_LINKS = {
    "wizard:draft": f"/draft/{WRONG}/",
    "wizard:step": f"/draft/{WRONG}/usage/",
    "assessments:result": f"/result/{WRONG}/",
    "assessments:report": f"/result/{WRONG}/report.pdf",
    "assessments:delete": f"/result/{WRONG}/delete/",
    "assessments:details": f"/result/{WRONG}/details/",
    "assessments:documents_docx": f"/result/{WRONG}/documents.docx",
    "assessments:recheck": f"/result/{WRONG}/recheck/",
    "reminders:request": f"/reminders/check/{WRONG}/",
    "reminders:withdraw": f"/reminders/check/{WRONG}/cancel/",
    "reminders:confirm": f"/reminders/confirm/{WRONG}/",
    "reminders:cancel": f"/reminders/cancel/{WRONG}/",
    "reminders:request_changes": f"/reminders/check/{WRONG}/changes/",
    "reminders:withdraw_changes": f"/reminders/check/{WRONG}/changes/cancel/",
    "reminders:confirm_changes": f"/reminders/confirm/{WRONG}/changes/",
    "reminders:cancel_changes": f"/reminders/cancel/{WRONG}/changes/",
    "accounts:password_reset_confirm": "/accounts/reset/MQ/abc-0123456789abcdef0123456789abcdef/",
    "accounts:invite": "/accounts/invite/MQ/abc-0123456789abcdef0123456789abcdef/",
    "workspace:calendar": f"/workspace/calendar/{WRONG}.ics",
}


def named_patterns(resolver=None, namespace=""):
    """(name, route) of every named URL pattern of the project, through every include()."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", str(entry.pattern)


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """The throttle's clock, moved forward by the tests instead of sleeping; a fresh cache for every test."""

    class Clock:
        t = 1_800_000_000.0

    monkeypatch.setattr(throttle, "now", lambda: Clock.t)
    cache.clear()
    yield Clock
    cache.clear()


def visitor(address: str, language: str = "de") -> Client:
    return Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language)


@pytest.fixture
def krause_result(whatsapp) -> str:
    """The address of Malermeister Krause's finished check."""
    draft = draft_start(whatsapp, "de", "Malerbetrieb Krause")
    answers = {key: as_option_id(value) for key, value in KRAUSE.answers.items()}
    return f"/result/{assessment_submit(draft.token, whatsapp, answers).token}/"


def guess(client: Client, times: int):
    for n in range(times):
        response = client.get(f"/result/{n:043d}/")
        assert response.status_code == 404, n
    return response


def test_every_url_that_takes_a_token_is_throttled():
    taking_a_token = {name for name, route in named_patterns() if "<token>" in route or ":token>" in route}
    assert taking_a_token == set(TOKEN_URLS) == set(WRONG_LINKS)


@pytest.mark.parametrize("name", WRONG_LINKS)
def test_a_wrong_token_says_the_link_does_not_work_and_counts(name, settings):
    settings.TOKEN_FAILURE_LIMIT = 1
    scanner = visitor(SCANNER, "en")
    first = scanner.get(WRONG_LINKS[name], follow=True)
    if name.startswith("accounts:"):
        # Django's page for a broken reset or invitation link, as test_accounts.py describes it.
        assert first.status_code == 200 and "no longer works" in first.content.decode()
    else:
        assert first.status_code == 404
    assert scanner.get(WRONG_LINKS[name]).status_code == 429


def test_after_twenty_wrong_tokens_even_the_right_one_waits_until_the_window_has_passed(krause_result, clock):
    scanner = visitor(SCANNER)
    guess(scanner, 20)

    refused = scanner.get(krause_result)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "600"
    page = refused.content.decode()
    assert "Zu viele ungültige Links" in page and "Bitte versuchen Sie es in 10 Minuten noch einmal." in page
    assert "no-store" in refused["Cache-Control"]
    assert scanner.post(f"{krause_result}delete/").status_code == 429  # nothing is deleted behind the lock

    english = visitor(SCANNER, "en").get(krause_result)
    assert "Too many invalid links" in english.content.decode()
    assert "Please try again in 10 minutes." in english.content.decode()

    clock.t += 599
    assert scanner.get(krause_result)["Retry-After"] == "1"
    clock.t += 1
    assert scanner.get(krause_result).status_code == 200
    assert scanner.get(f"/result/{WRONG}/").status_code == 404  # counting starts afresh


def test_other_addresses_and_other_pages_are_not_affected(krause_result):
    guess(visitor(SCANNER), 20)
    assert visitor(KRAUSE_OFFICE).get(krause_result).status_code == 200
    assert visitor(SCANNER).get("/").status_code == 200  # only token lookups are refused


def test_right_tokens_never_count(krause_result):
    scanner = visitor(SCANNER)
    guess(scanner, 19)
    for _ in range(30):
        assert scanner.get(krause_result).status_code == 200
    assert scanner.get(f"/result/{WRONG}/").status_code == 404  # the 20th wrong one
    assert scanner.get(krause_result).status_code == 429


def test_a_right_token_on_the_wrong_site_answers_404_but_does_not_count(krause_result):
    Chamber.objects.create(slug="musterstadt", name="Handwerkskammer Musterstadt")
    scanner = visitor(SCANNER)
    for _ in range(25):
        assert scanner.get(f"/hwk/musterstadt{krause_result}").status_code == 404
    assert scanner.get(krause_result).status_code == 200


def test_wrong_tokens_on_a_chambers_site_count_like_anywhere_else(krause_result):
    Chamber.objects.create(slug="musterstadt", name="Handwerkskammer Musterstadt")
    scanner = visitor(SCANNER)
    for n in range(20):
        assert scanner.get(f"/hwk/musterstadt/draft/{n:043d}/").status_code == 404
    refused = scanner.get(krause_result)
    assert refused.status_code == 429
    assert visitor(SCANNER).get(f"/hwk/musterstadt/result/{WRONG}/").status_code == 429


def test_behind_the_proxy_each_client_address_counts_for_itself(krause_result):
    """The app server sees only the proxy (127.0.0.1); ClientAddressMiddleware reads X-Forwarded-For."""

    def through_proxy(address: str) -> Client:
        return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address)

    guess(through_proxy(SCANNER), 20)
    assert through_proxy(SCANNER).get(krause_result).status_code == 429
    assert through_proxy(KRAUSE_OFFICE).get(krause_result).status_code == 200
    # A forged X-Forwarded-For from a client that is not the proxy changes nothing.
    assert Client(REMOTE_ADDR=SCANNER, HTTP_X_FORWARDED_FOR=KRAUSE_OFFICE).get(krause_result).status_code == 429


def test_the_limit_and_window_are_settings(krause_result, settings, clock):
    settings.TOKEN_FAILURE_LIMIT = 3
    settings.TOKEN_FAILURE_WINDOW_SECONDS = 60
    scanner = visitor(SCANNER)
    guess(scanner, 3)
    assert scanner.get(krause_result)["Retry-After"] == "60"
    clock.t += 60
    assert scanner.get(krause_result).status_code == 200
