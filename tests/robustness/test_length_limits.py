"""Every free text has a length limit, checked on the server and shown at its field ("höchstens N Zeichen").

A text of exactly the limit is accepted and stored whole; one character more is refused with the limit
named next to the field, so nothing reaches the database that its column cannot hold (on PostgreSQL that
would be a server error). Web addresses must be http(s): javascript:, data:, file: and ftp: are refused,
and an address typed without a scheme gets https:// in front.
"""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.db import models

from compliance_wizard.accounts.forms import InvitationForm
from compliance_wizard.assessments.models import Assessment
from compliance_wizard.assessments.services import assessment_submit, draft_start
from compliance_wizard.chambers.forms import ChamberSettingsForm
from compliance_wizard.chambers.models import Chamber, ChamberStaff
from compliance_wizard.reminders.forms import ReminderForm
from compliance_wizard.reminders.models import Reminder
from compliance_wizard.wizard.forms import StartForm
from compliance_wizard.workspace.forms import BrandingForm, ClientForm, FindingNoteForm
from compliance_wizard.workspace.models import Client as WorkspaceClient
from compliance_wizard.workspace.models import Consultant, FindingNote
from tests.robustness.hostile import browser
from tests.test_wizard_flow import KRAUSE
from tests.workspace import add_client, answers_of, finished_check, neglected_answers

pytestmark = pytest.mark.django_db


def text(length: int) -> str:
    return ("Malerbetrieb Krause & Söhne " * (length // 28 + 1))[:length].strip().ljust(length, "e")


def website(length: int) -> str:
    head = "https://www.malerei-krause.de/"
    return head + "p" * (length - len(head))


def email(length: int) -> str:
    """A valid address of exactly this length: 64 characters before the @, labels of at most 63 after it."""
    local = "k" * 64
    left = length - len(local) - len("@") - len(".de")
    labels = []
    while left > 63:
        labels.append("m" * 62)
        left -= 63  # the label and its dot
    domain = ".".join([*labels, "m" * left])
    address = f"{local}@{domain}.de"
    assert len(address) == length, len(address)
    return address


VALUES = {"website": website, "email": email}


def field_error(response, field_id: str) -> str:
    found = re.search(rf'<p class="error" id="{re.escape(field_id)}_error">(.*?)</p>', response.content.decode(), re.S)
    assert found, f"no error shown at {field_id}"
    return html.unescape(found[1])


def check_limit(post, field: str, limit: int, kind: str = "text", field_id: str | None = None) -> tuple:
    """Post limit+1 characters (refused at the field, naming the limit), then limit characters (accepted)."""
    make = VALUES.get(kind, text)
    refused = post(field, make(limit + 1))
    assert refused.status_code in (200, 400), refused.status_code
    assert f"höchstens {limit} Zeichen" in field_error(refused, field_id or f"id_{field}")
    accepted = post(field, make(limit))
    assert accepted.status_code == 302, (field, accepted.status_code)
    return accepted, make(limit)


# -- the start form ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "limit", "kind"), [("business_name", 200, "text"), ("website", 300, "website")])
def test_the_start_form_keeps_business_name_and_website_within_their_columns(field, limit, kind):
    client = browser()

    def post(name, value):
        return client.post("/check/whatsapp-business/", {name: value})

    accepted, value = check_limit(post, field, limit, kind)
    token = re.search(r"/draft/([^/]+)/", accepted["Location"])[1]
    assert getattr(Assessment.objects.get(token=token), field) == value


def test_a_website_typed_without_scheme_may_not_outgrow_its_column_once_https_is_added():
    client = browser()
    typed = "www.malerei-krause.de/" + "p" * 278  # 300 as typed, 308 with https://
    response = client.post("/check/whatsapp-business/", {"website": typed})
    assert response.status_code == 200
    assert "höchstens 300 Zeichen" in field_error(response, "id_website")
    fits = typed[:292]
    accepted = client.post("/check/whatsapp-business/", {"website": fits})
    assert accepted.status_code == 302
    assert Assessment.objects.get().website == "https://" + fits


@pytest.mark.parametrize(
    "typed",
    [
        "javascript:alert(1)",
        "JavaScript://www.example.de/%0aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "ftp://www.malerei-krause.de",
        "https://[",
        "http://",
    ],
)
def test_a_website_must_be_an_http_address(typed):
    response = browser().post("/check/whatsapp-business/", {"business_name": "Malerei Krause", "website": typed})
    assert response.status_code == 200
    assert "Bitte geben Sie eine Webadresse wie www.beispiel.de ein" in field_error(response, "id_website")
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("typed", ["www.malerei-krause.de", "malerei-krause.de/kontakt", "http://malerei-krause.de"])
def test_a_bare_host_gets_https_and_http_stays_http(typed):
    assert browser().post("/check/whatsapp-business/", {"website": typed}).status_code == 302
    stored = Assessment.objects.get().website
    assert stored == (typed if typed.startswith("http://") else "https://" + typed)


# -- Dana's workspace -------------------------------------------------------------------------------


@pytest.fixture
def logged_in(dana):
    return browser(dana.user)


@pytest.fixture
def krause(dana):
    return add_client(dana, "Malerbetrieb Krause")


@pytest.mark.parametrize(
    ("field", "limit", "kind"),
    [("name", 200, "text"), ("contact_person", 200, "text"), ("website", 300, "website"), ("notes", 5000, "text")],
)
def test_the_client_form_keeps_every_text_within_its_column(logged_in, krause, field, limit, kind):
    def post(name, value):
        return logged_in.post(f"/workspace/clients/{krause.pk}/edit/", {"name": "Malerbetrieb Krause", name: value})

    _accepted, value = check_limit(post, field, limit, kind)
    assert getattr(WorkspaceClient.objects.get(pk=krause.pk), field) == value


@pytest.mark.parametrize("typed", ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "ftp://krause.de"])
def test_a_clients_website_must_be_an_http_address(logged_in, typed):
    response = logged_in.post("/workspace/clients/new/", {"name": "Malerbetrieb Krause", "website": typed})
    assert response.status_code == 200
    assert "Webadresse" in field_error(response, "id_website")
    assert not WorkspaceClient.objects.exists()


@pytest.mark.parametrize(("field", "limit"), [("comment", 2000), ("responsible", 200)])
def test_a_comment_on_a_finding_keeps_within_its_column(logged_in, krause, field, limit):
    check = finished_check(krause, neglected_answers())
    prefix = "note-avv-whatsapp"

    def post(name, value):
        return logged_in.post(f"/workspace/checks/{check.pk}/notes/avv-whatsapp/", {f"{prefix}-{name}": value})

    check_limit(post, field, limit, field_id=f"id_{prefix}-{field}")
    assert getattr(FindingNote.objects.get(assessment=check), field) == text(limit)


@pytest.mark.parametrize(("field", "limit"), [("display_name", 200), ("address", 500), ("intro", 2000)])
def test_the_branding_keeps_every_text_within_its_column(dana, logged_in, field, limit):
    def post(name, value):
        return logged_in.post("/workspace/branding/", {"display_name": "Datenschutz Schulz", name: value})

    check_limit(post, field, limit)
    assert getattr(Consultant.objects.get(pk=dana.pk), field) == text(limit)


# -- Clara's chamber ---------------------------------------------------------------------------------


@pytest.fixture
def musterstadt(db):
    return Chamber.objects.create(slug="hwk-musterstadt", name="Handwerkskammer Musterstadt")


@pytest.fixture
def clara(musterstadt):
    """Clara Becker, advisor at the Handwerkskammer Musterstadt."""
    user = get_user_model().objects.create_user("clara@hwk-musterstadt.example", "clara@hwk-musterstadt.example", "pw")
    ChamberStaff.objects.create(chamber=musterstadt, user=user)
    return browser(user)


# Every kind of business: the settings form requires at least one.
SECTORS = ["health_care", "personal_services", "construction", "other"]


@pytest.mark.parametrize(
    ("field", "limit", "kind"),
    [
        ("name", 200, "text"),
        ("contact_name", 200, "text"),
        ("contact_email", 254, "email"),
        ("address", 500, "text"),
        ("imprint_url", 200, "website"),
        ("privacy_url", 200, "website"),
        ("accessibility_url", 200, "website"),
    ],
)
def test_the_chamber_settings_keep_every_text_within_its_column(clara, musterstadt, field, limit, kind):
    def post(name, value):
        data = {
            "name": "Handwerkskammer Musterstadt",
            "checklists": "whatsapp-business",
            "sectors": SECTORS,
            name: value,
        }
        return clara.post(f"/chambers/{musterstadt.slug}/settings/", data)

    _accepted, value = check_limit(post, field, limit, kind)
    assert getattr(Chamber.objects.get(pk=musterstadt.pk), field) == value


@pytest.mark.parametrize("typed", ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "ftp://hwk.de/x"])
def test_the_chambers_links_must_be_https(clara, musterstadt, typed):
    data = {"name": "Handwerkskammer Musterstadt", "checklists": "whatsapp-business", "sectors": SECTORS}
    data["imprint_url"] = typed
    response = clara.post(f"/chambers/{musterstadt.slug}/settings/", data)
    assert response.status_code == 400
    assert "https://" in field_error(response, "id_imprint_url")
    assert Chamber.objects.get(pk=musterstadt.pk).imprint_url == ""


# -- Anna's reminder ---------------------------------------------------------------------------------


def test_the_reminder_address_keeps_within_its_column(whatsapp, musterstadt, settings):
    settings.SITE_URL = "https://dsgvo-check.example.org/"
    draft = draft_start(whatsapp, "de", "Tischlerei Holzwurm", chamber=musterstadt)
    check = assessment_submit(draft.token, whatsapp, answers_of(KRAUSE.answers))
    client = browser()

    def post(name, value):
        url = f"/hwk/{musterstadt.slug}/reminders/check/{check.token}/"
        return client.post(url, {f"reminder-{name}": value, "reminder-months": "12"})

    check_limit(post, "email", 254, "email", field_id="id_reminder-email")
    assert Reminder.objects.get().email == email(254)


# -- every limit fits its column -------------------------------------------------------------------

FORMS_AND_COLUMNS = [
    (StartForm, Assessment, {}),
    (ClientForm, WorkspaceClient, {}),
    (FindingNoteForm, FindingNote, {}),
    (BrandingForm, Consultant, {}),
    (ReminderForm, Reminder, {}),
    (InvitationForm, get_user_model(), {"display_name": (Consultant, "display_name"), "email": "username"}),
    (ChamberSettingsForm, Chamber, {}),
]


@pytest.mark.parametrize(
    ("form_class", "model", "renamed"), FORMS_AND_COLUMNS, ids=lambda v: getattr(v, "__name__", "")
)
def test_no_form_takes_more_characters_than_the_column_holds(form_class, model, renamed):
    checked = 0
    for name, field in form_class.base_fields.items():
        if not isinstance(field, forms.CharField):
            continue
        target = renamed.get(name, name)
        column_model, column = target if isinstance(target, tuple) else (model, target)
        try:
            column_field = column_model._meta.get_field(column)
        except Exception:
            continue  # not stored (e.g. a password); the fuzz tests cover what it does with junk
        assert field.max_length is not None, f"{form_class.__name__}.{name} has no limit"
        if isinstance(column_field, models.CharField | models.TextField) and column_field.max_length:
            assert field.max_length <= column_field.max_length, f"{form_class.__name__}.{name}"
        checked += 1
    assert checked, form_class


def test_the_dates_a_note_takes_are_real_ones(logged_in, krause):
    check = finished_check(krause, neglected_answers())
    url = f"/workspace/checks/{check.pk}/notes/avv-whatsapp/"
    response = logged_in.post(url, {"note-avv-whatsapp-due_date": "2026-02-30"})
    assert "Datum" in field_error(response, "id_note-avv-whatsapp-due_date")
    assert logged_in.post(url, {"note-avv-whatsapp-due_date": "12.05.2026"}).status_code == 302
    assert FindingNote.objects.get().due_date == date(2026, 5, 12)
