"""Dana mails the client link from the check's page: the mail carries her name but our address, an answer
reaches her, the link points at the site's public address, and the client's address is kept nowhere."""

from __future__ import annotations

import logging
import re
import smtplib
from email.header import decode_header, make_header
from email.utils import parseaddr

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance_wizard import counters
from compliance_wizard.catalog import registry
from compliance_wizard.workspace.services import client_assessment_start
from tests.workspace import add_client, finished_check, neglected_answers

JENS = "jens@maler-krause.example"


@pytest.fixture
def logged_in(client, dana):
    client.force_login(dana.user)
    return client


@pytest.fixture
def draft(dana):
    krause = add_client(dana, "Malerbetrieb Krause")
    return client_assessment_start(krause, registry.get("whatsapp-business"), "de")


def send(browser, draft, email=JENS, message="", **extra):
    return browser.post(f"/workspace/checks/{draft.pk}/send/", {"send-email": email, "send-message": message}, **extra)


def test_dana_sends_the_link_and_comes_back_to_the_page_with_a_confirmation(logged_in, draft):
    response = send(logged_in, draft, message="Bitte bis Freitag ausfüllen.")
    assert response.status_code == 302
    assert response["Location"] == f"/workspace/checks/{draft.pk}/#send-heading"
    page = logged_in.get(response["Location"]).content.decode()
    assert "Der Link ist unterwegs zu Ihrem Mandanten" in page
    assert JENS not in page  # the confirmation does not carry the address either (messages live in a cookie)

    (message,) = mail.outbox
    assert message.to == [JENS]
    assert message.subject == "Datenschutz Schulz bittet Sie um den DSGVO-Check"
    assert "Bitte bis Freitag ausfüllen." in message.body
    assert f"http://testserver/draft/{draft.token}/" in message.body


def test_the_mail_is_from_the_site_in_danas_name_and_replies_go_to_dana(logged_in, draft, dana, settings):
    settings.DEFAULT_FROM_EMAIL = "DSGVO-Check <noreply@dsgvo-check.example>"
    send(logged_in, draft)
    (message,) = mail.outbox
    name, address = parseaddr(message.from_email)
    assert address == "noreply@dsgvo-check.example"  # never Dana's own address: that would be spoofing
    assert name == "Datenschutz Schulz via DSGVO-Check"
    assert message.reply_to == [dana.user.email]
    assert message.message()["Reply-To"] == dana.user.email


def test_a_name_with_quotes_and_umlauts_stays_in_the_display_name(logged_in, draft, dana, settings):
    settings.DEFAULT_FROM_EMAIL = "noreply@dsgvo-check.example"
    dana.display_name = 'Datenschutz "Süd"\\Schulz'
    dana.save()
    send(logged_in, draft)
    name, address = parseaddr(mail.outbox[0].message()["From"])
    assert address == "noreply@dsgvo-check.example"
    assert str(make_header(decode_header(name))) == 'Datenschutz "Süd"\\Schulz via noreply@dsgvo-check.example'


def test_the_mailed_link_is_on_the_sites_public_address_whatever_host_the_request_used(logged_in, draft, settings):
    settings.SITE_URL = "https://dsgvo-check.example.org/"
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]
    send(logged_in, draft, HTTP_HOST="evil.example")
    links = re.findall(r"https?://\S+", mail.outbox[0].body)
    assert links == [f"https://dsgvo-check.example.org/draft/{draft.token}/"]


def test_the_mail_is_in_the_language_of_the_check_not_danas_or_the_browsers(client, dana, draft):
    # Jens answers the check in German, so the mail that brings him to it is German too.
    dana.language = "en"
    dana.save()
    client.force_login(dana.user)
    send(client, draft, HTTP_ACCEPT_LANGUAGE="en")
    message = mail.outbox[0]
    assert message.subject == "Datenschutz Schulz bittet Sie um den DSGVO-Check"
    assert message.body.startswith("Guten Tag,")


def test_a_check_in_english_is_sent_in_english_though_dana_writes_german(client, dana):
    client.force_login(dana.user)
    lee = add_client(dana, "Lee Painting")
    english = client_assessment_start(lee, registry.get("whatsapp-business"), "en")
    send(client, english, HTTP_ACCEPT_LANGUAGE="de")
    message = mail.outbox[0]
    assert message.subject == "Datenschutz Schulz asks you to fill in the GDPR check"
    assert message.body.startswith("Hello,")
    assert "via" in message.from_email


def test_the_address_is_stored_nowhere_and_not_logged(logged_in, draft, caplog):
    caplog.set_level(logging.DEBUG)
    with CaptureQueriesContext(connection) as queries:
        send(logged_in, draft, message="Gruß an Jens")
    assert len(mail.outbox) == 1
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert not [sql for sql in writes if "maler-krause" in sql or "Jens" in sql], writes
    assert "maler-krause" not in caplog.text
    cached = [cache.get(key) for key in getattr(cache, "_cache", {})]
    assert "maler-krause" not in repr(cached)


def test_a_failed_mail_is_logged_without_the_address(logged_in, draft, caplog, monkeypatch):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({JENS: (550, b"no such user " + JENS.encode())})

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    response = send(logged_in, draft)
    assert response.status_code == 302
    page = logged_in.get(response["Location"]).content.decode()
    assert "Die Mail konnte nicht gesendet werden" in page
    assert "SMTPRecipientsRefused" in caplog.text and JENS not in caplog.text


def test_a_wrong_address_is_shown_with_its_error_and_nothing_is_sent(logged_in, draft):
    response = send(logged_in, draft, email="jens at krause")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_send-email_error"' in page
    assert 'aria-describedby="id_send-email_help id_send-email_error"' in page
    assert mail.outbox == []


def test_only_a_post_with_a_csrf_token_sends(dana, draft):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(dana.user)
    assert browser.get(f"/workspace/checks/{draft.pk}/send/").status_code == 405
    assert send(browser, draft).status_code == 403
    assert mail.outbox == []


def test_sending_is_limited_per_consultant_and_the_limit_passes(logged_in, draft, settings, monkeypatch):
    settings.CLIENT_LINK_MAIL_LIMIT = 3
    settings.CLIENT_LINK_MAIL_WINDOW_SECONDS = 3600
    clock = [1_800_000_000.0]
    monkeypatch.setattr(counters, "now", lambda: clock[0])
    monkeypatch.setattr("compliance_wizard.workspace.views.assessments.now", lambda: clock[0])
    for _ in range(3):
        assert send(logged_in, draft).status_code == 302
    refused = send(logged_in, draft)
    assert refused.status_code == 429
    assert "Bitte versuchen Sie es in 60 Minuten erneut" in refused.content.decode()
    assert len(mail.outbox) == 3
    clock[0] += 3600
    assert send(logged_in, draft).status_code == 302
    assert len(mail.outbox) == 4


def test_the_limit_is_dana_s_own(logged_in, draft, bernd, client, settings):
    settings.CLIENT_LINK_MAIL_LIMIT = 1
    assert send(logged_in, draft).status_code == 302
    assert send(logged_in, draft).status_code == 429
    yilmaz = add_client(bernd, "Elektro Yilmaz")
    berns_draft = client_assessment_start(yilmaz, registry.get("whatsapp-business"), "de")
    from django.test import Client

    other = Client()
    other.force_login(bernd.user)
    assert send(other, berns_draft).status_code == 302


def test_with_the_cache_down_links_are_still_sent(logged_in, draft, monkeypatch, caplog):
    def down(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "add", down)
    assert send(logged_in, draft).status_code == 302
    assert len(mail.outbox) == 1
    assert "cache unavailable: client-link-mails" in caplog.text


def test_with_mail_switched_off_the_page_says_so_and_nothing_is_sent(logged_in, draft, settings):
    settings.EMAIL_DISABLED = True
    page = logged_in.get(f"/workspace/checks/{draft.pk}/").content.decode()
    assert 'name="send-email"' not in page
    assert "sendet keine E-Mails" in page
    response = send(logged_in, draft)
    assert response.status_code == 302 and mail.outbox == []


def test_another_consultants_check_and_a_finished_check_cannot_be_sent(client, bernd, dana, draft):
    client.force_login(bernd.user)
    assert send(client, draft).status_code == 404
    client.force_login(dana.user)
    done = finished_check(draft.client, neglected_answers())
    assert send(client, done).status_code == 404
    assert mail.outbox == []
