"""Dana's morning at her desk, in a real browser: the open actions across all clients with the overdue one on
top, narrowed to what is overdue, exported as CSV, the calendar link copied and replaced, and a client's
personal link copied with one button and sent by e-mail. Each page passes axe."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from compliance_wizard.catalog import registry
from compliance_wizard.workspace.models import Consultant
from compliance_wizard.workspace.services import client_assessment_start, finding_note_save
from tests.workspace import add_client, finished_check, neglected_answers

from .audit import Audit
from .pages import submit

PASSWORD = "a-long-Passw0rd!"


@pytest.fixture
def desk(transactional_db):
    email = "dana@dsb-schulz.example"
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    dana = Consultant.objects.create(user=user, display_name="Datenschutz Schulz")
    krause = finished_check(add_client(dana, "Malerbetrieb Krause"), neglected_answers())
    yilmaz = finished_check(add_client(dana, "Elektro Yilmaz"), neglected_answers())
    today = timezone.localdate()
    finding_note_save(krause, "avv-whatsapp", "Vertrag bei Meta anfordern", today + timedelta(days=14), "Jens Krause")
    finding_note_save(yilmaz, "cloud-backup", "Backup abschalten; sofort", today - timedelta(days=2), "Ayşe Yilmaz")
    draft = client_assessment_start(add_client(dana, "Friseur Engel"), registry.get("whatsapp-business"), "de")
    return {"user": user, "draft": draft}


def _log_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    submit(page, lambda: page.locator("input[name=password]").press("Enter"))


def test_danas_morning_overdue_first_filtered_exported_and_in_her_calendar(visits, desk):
    context = visits.context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    _log_in(page, desk["user"])
    audit = Audit()

    submit(page, lambda: page.get_by_role("link", name="Offene Maßnahmen").click())
    rows = page.locator("table.open-actions tbody tr")
    expect(rows.first).to_contain_text("Elektro Yilmaz")
    expect(rows.first).to_contain_text("überfällig")
    expect(rows.nth(1)).to_contain_text("Vertrag bei Meta anfordern")
    audit.check("open actions", page)

    page.get_by_label("Stand").select_option(label="Überfällig")
    submit(page, lambda: page.get_by_role("button", name="Anzeigen").click())
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Backup abschalten; sofort")
    audit.check("open actions, overdue only", page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Diese Liste herunterladen (CSV für Excel)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    _header, *lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(lines) == 1 and "Elektro Yilmaz" in lines[0] and "Ayşe Yilmaz" in lines[0]

    submit(page, lambda: page.get_by_role("button", name="Kalender-Link anlegen").click())
    link = page.locator("#calendar-link").input_value()
    assert "/workspace/calendar/" in link and link.endswith(".ics")
    page.locator("#calendar-heading ~ .copy").get_by_role("button", name="Kopieren").click()
    expect(page.locator("#calendar-heading ~ .copy").get_by_role("status")).to_have_text(
        "Kopiert. Sie können den Link jetzt einfügen."
    )
    assert page.evaluate("() => navigator.clipboard.readText()") == link
    audit.check("open actions with the calendar link", page)

    feed = context.request.get(link)
    assert feed.status == 200 and "Backup abschalten\\; sofort" in feed.text().replace("\r\n ", "")
    submit(page, lambda: page.get_by_role("button", name="Neuer geheimer Link").click())
    assert page.locator("#calendar-link").input_value() != link
    assert context.request.get(link).status == 404
    assert not audit.problems, audit.report()


def test_the_client_link_is_copied_with_one_button(visits, desk):
    context = visits.context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    _log_in(page, desk["user"])
    page.goto(f"/workspace/checks/{desk['draft'].pk}/")
    link = page.locator("#client-link").input_value()
    page.get_by_role("button", name="Kopieren").click()
    expect(page.get_by_role("status").filter(has_text="Kopiert")).to_have_text(
        "Kopiert. Sie können den Link jetzt einfügen."
    )
    assert page.evaluate("() => navigator.clipboard.readText()") == link
    assert link.endswith(f"/draft/{desk['draft'].token}/")


def test_the_client_link_is_sent_by_mail_from_the_check_page(visits, desk, mailoutbox, settings):
    settings.DEFAULT_FROM_EMAIL = "check@dsgvo-check.example"
    page = visits.page()
    _log_in(page, desk["user"])
    page.goto(f"/workspace/checks/{desk['draft'].pk}/")
    page.get_by_label("E-Mail-Adresse Ihres Mandanten").fill("inhaber@friseur-engel.example")
    submit(page, lambda: page.get_by_role("button", name="Link senden").click())
    assert page.url.endswith(f"/workspace/checks/{desk['draft'].pk}/#send-heading")
    assert "Die Adresse wurde nicht gespeichert." in page.locator(".messages").inner_text()
    [mail] = mailoutbox
    assert mail.to == ["inhaber@friseur-engel.example"]
    assert mail.reply_to == [desk["user"].email]
    assert "Datenschutz Schulz" in mail.from_email and "check@dsgvo-check.example" in mail.from_email
    assert f"/draft/{desk['draft'].token}/" in mail.body
    audit = Audit()
    audit.check("check page after sending the link", page)
    assert not audit.problems, audit.report()
