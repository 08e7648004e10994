"""Every form of the application answers hostile input with a message, a refusal or a redirect, never a 500.

Dana Schulz's workspace (clients, new checks, comments on findings, branding with logo, import),
Clara Becker's chamber settings and statistics filter, Anna Holz's reminder request, and the account
pages (login, password reset and change, accepting an invitation) get random and repeated keys,
100 kB values, NUL bytes, bytes that are not UTF-8, right-to-left overrides and emoji. What the forms
then store is clean: no NUL, nothing longer than its column, only http(s) web addresses. These tests
run on SQLite and on PostgreSQL, which refuses NUL in text and JSON.
"""

from __future__ import annotations

import itertools
import json
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance_wizard.assessments.services import assessment_submit, draft_start
from compliance_wizard.branding.logo import reencode_logo
from compliance_wizard.chambers.forms import ChamberSettingsForm
from compliance_wizard.chambers.models import Chamber, ChamberStaff, CheckStatistic
from compliance_wizard.workspace.models import Client as WorkspaceClient
from compliance_wizard.workspace.models import Consultant, FindingNote
from tests.conftest import make_consultant
from tests.robustness.hostile import (
    FORM,
    NASTY_BYTES,
    NASTY_TEXT,
    as_multidict,
    assert_answered,
    browser,
    form_data,
    raw_bodies,
    text_values,
    urlencoded,
)
from tests.test_wizard_flow import KRAUSE
from tests.workspace import add_client, answers_of, finished_check, neglected_answers

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-Passw0rd!"
_serial = itertools.count()


def hostile_post(client: Client, url: str, pairs, raw: bool, files: dict | None = None):
    """The pairs as the test client encodes them, or as a hand-made body that keeps every byte."""
    if raw and not files:
        return client.post(url, urlencoded(pairs), content_type=FORM)
    return client.post(url, {**as_multidict(pairs), **(files or {})})


def png() -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (40, 20), (11, 83, 148)).save(out, "PNG")
    return out.getvalue()


uploads = st.one_of(
    st.none(),
    st.sampled_from([png(), png()[:30], b"", b"<svg onload=alert(1)/>", b"GIF89a" + b"\x00" * 50, *NASTY_BYTES]),
    st.binary(max_size=200),
)
upload_names = st.sampled_from(["logo.png", "logo.svg", "\x00.png", "\u202egnp.exe", "😀.jpg", "x" * 300 + ".png", ""])


def upload(content: bytes | None, name: str) -> dict:
    return {} if content is None else {"logo": SimpleUploadedFile(name or "f", content, content_type="image/png")}


def assert_clean(*texts: str, limit: int) -> None:
    for text in texts:
        assert "\x00" not in text and len(text) <= limit, repr(text[:80])


def assert_web_address(value: str) -> None:
    assert value == "" or value.startswith(("https://", "http://")), value


# -- Dana's workspace -------------------------------------------------------------------------------


@pytest.fixture
def logged_in(dana):
    return browser(dana.user)


@pytest.fixture
def krause(dana):
    return add_client(dana, "Malerbetrieb Krause", website="https://malerei-krause.de")


CLIENT_FIELDS = ["name", "contact_person", "website", "notes", "csrfmiddlewaretoken"]


@given(pairs=form_data(CLIENT_FIELDS), raw=st.booleans(), edit=st.booleans())
def test_the_client_form_stores_only_clean_values(logged_in, krause, pairs, raw, edit):
    url = f"/workspace/clients/{krause.pk}/edit/" if edit else "/workspace/clients/new/"
    assert_answered(hostile_post(logged_in, url, pairs, raw), url)
    for client in WorkspaceClient.objects.all():
        assert_clean(client.name, client.contact_person, limit=200)
        assert_clean(client.notes, limit=5000)
        assert_clean(client.website, limit=300)
        assert_web_address(client.website)


@given(body=raw_bodies(CLIENT_FIELDS))
def test_the_client_form_answers_a_body_that_is_not_utf8(logged_in, krause, body):
    for url in ("/workspace/clients/new/", f"/workspace/clients/{krause.pk}/edit/"):
        assert_answered(logged_in.post(url, body, content_type=FORM), url)


@given(pairs=form_data(["checklist", "language"]), raw=st.booleans())
def test_a_new_check_with_hostile_choices_is_explained(logged_in, krause, pairs, raw):
    url = f"/workspace/clients/{krause.pk}/checks/new/"
    assert_answered(hostile_post(logged_in, url, pairs, raw), url)


@pytest.fixture
def finished(krause):
    return finished_check(krause, neglected_answers())


NOTE_FIELDS = [f"note-avv-whatsapp-{name}" for name in ("comment", "responsible", "due_date")]


@given(pairs=form_data(NOTE_FIELDS), raw=st.booleans(), body=raw_bodies(NOTE_FIELDS))
@settings(max_examples=30)  # every answer renders the whole result page
def test_a_comment_on_a_finding_stores_only_clean_values(logged_in, finished, pairs, raw, body):
    url = f"/workspace/checks/{finished.pk}/notes/avv-whatsapp/"
    assert_answered(hostile_post(logged_in, url, pairs, raw), url)
    assert_answered(logged_in.post(url, body, content_type=FORM), url)
    for note in FindingNote.objects.all():
        assert_clean(note.comment, limit=2000)
        assert_clean(note.responsible, limit=200)


BRANDING_FIELDS = ["display_name", "address", "accent_color", "intro", "remove_logo", "logo"]


@given(pairs=form_data(BRANDING_FIELDS), raw=st.booleans(), logo=uploads, name=upload_names)
def test_the_branding_form_stores_only_clean_values_and_a_reencoded_logo(dana, logged_in, pairs, raw, logo, name):
    response = hostile_post(logged_in, "/workspace/branding/", pairs, raw, upload(logo, name))
    assert_answered(response, "branding")
    dana = Consultant.objects.get(pk=dana.pk)
    assert_clean(dana.display_name, limit=200)
    assert_clean(dana.address, limit=500)
    assert_clean(dana.intro, limit=2000)
    assert dana.logo is None or bytes(dana.logo).startswith(b"\x89PNG")


def import_documents() -> st.SearchStrategy[bytes]:
    """Answers files with hostile values where the import reads text, and bytes that are no file at all."""
    document = st.fixed_dictionaries(
        {
            # An export's envelope, without which the import would refuse the comments before reading them.
            "format": st.sampled_from(["compliance-wizard/assessment", "\x00"]),
            "format_version": st.sampled_from([1, 1, "1\x00", None]),
            "checklist": st.sampled_from(["whatsapp-business", "whatsapp-business", "\x00", "x" * 300]),
            "business": st.fixed_dictionaries(
                {"name": text_values, "website": st.one_of(st.just(""), st.just("https://krause.de\x00"), text_values)}
            ),
            "answers": st.one_of(
                st.just(answers_of(KRAUSE.answers)),
                st.dictionaries(text_values, st.one_of(text_values, st.integers(), st.none()), max_size=4),
            ),
            "comments": st.lists(
                st.fixed_dictionaries(
                    {
                        "requirement": st.sampled_from(["avv-whatsapp", "\x00", "x" * 500]),
                        "comment": text_values,
                        "responsible": text_values,
                        "due_date": st.sampled_from([None, "2026-05-12", "2026-02-30", "\x00", 12]),
                    }
                ),
                max_size=2,
            ),
        }
    )
    as_json = document.map(lambda d: json.dumps(d).encode())
    return st.one_of(as_json, as_json, st.sampled_from(NASTY_BYTES), st.binary(max_size=300))


@given(content=import_documents(), name=st.sampled_from(["check.json", "check.yaml", "check", "\x00.json"]))
@settings(max_examples=40)
def test_an_import_of_a_hostile_file_is_explained_or_stores_clean_values(logged_in, krause, content, name):
    url = f"/workspace/clients/{krause.pk}/import/"
    response = logged_in.post(url, {"file": SimpleUploadedFile(name or "f", content)})
    assert_answered(response, "import")
    for assessment in krause.assessments.all():
        assert_clean(assessment.business_name, limit=200)
        assert_clean(assessment.website, limit=300)
        assert_web_address(assessment.website)
    for note in FindingNote.objects.all():
        assert_clean(note.comment, limit=2000)
        assert_clean(note.responsible, limit=200)


def export_with(path: tuple, value: str) -> bytes:
    document = {
        "format": "compliance-wizard/assessment",
        "format_version": 1,
        "checklist": "whatsapp-business",
        "business": {"name": "Malerbetrieb Krause", "website": "https://malerei-krause.de"},
        "answers": answers_of(KRAUSE.answers),
        "comments": [{"requirement": "avv-whatsapp", "comment": "AVV bis Juni", "responsible": "JK", "due_date": None}],
    }
    *parents, last = path
    target = document
    for key in parents:
        target = target[key]
    target[last] = value
    return json.dumps(document).encode()


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        (("business", "name"), "business.name"),
        (("business", "website"), "business.website"),
        (("comments", 0, "comment"), "comments[0].comment"),
        (("comments", 0, "responsible"), "comments[0].responsible"),
    ],
)
def test_an_import_with_a_nul_byte_in_a_text_is_refused_with_a_message(logged_in, krause, path, shown):
    url = f"/workspace/clients/{krause.pk}/import/"
    good = export_with(path, "https://zierer.example" if "website" in path else "Maler zierer")
    assert logged_in.post(url, {"file": SimpleUploadedFile("check.json", good)}).status_code == 302
    response = logged_in.post(
        url, {"file": SimpleUploadedFile("check.json", good.replace(b"zierer", b"zie\\u0000rer"))}
    )
    assert response.status_code == 400
    assert f"{shown}: enthält ein NUL-Zeichen" in response.content.decode()
    assert krause.assessments.count() == 1


@pytest.mark.parametrize("website", ["http://[", "https://[::1", "[", "javascript:alert(1)", "ftp://krause.example"])
def test_an_import_with_a_website_that_is_no_web_address_is_refused_with_a_message(logged_in, krause, website):
    content = export_with(("business", "website"), website)
    response = logged_in.post(
        f"/workspace/clients/{krause.pk}/import/", {"file": SimpleUploadedFile("c.json", content)}
    )
    assert response.status_code == 400
    assert "business.website: muss eine Webadresse" in response.content.decode()
    assert not krause.assessments.exists()


# -- Clara's chamber ---------------------------------------------------------------------------------


@pytest.fixture
def musterstadt(db):
    chamber = Chamber.objects.create(
        slug="hwk-musterstadt", name="Handwerkskammer Musterstadt", logo=reencode_logo(png())
    )
    CheckStatistic.objects.bulk_create(
        CheckStatistic(
            chamber=chamber, checklist_id="whatsapp-business", month=date(date.today().year - 1, 3, 1), band="amber"
        )
        for _ in range(6)
    )
    return chamber


@pytest.fixture
def clara(musterstadt):
    """Clara Becker, advisor at the Handwerkskammer Musterstadt."""
    user = get_user_model().objects.create_user(
        "clara@hwk-musterstadt.example", "clara@hwk-musterstadt.example", PASSWORD
    )
    ChamberStaff.objects.create(chamber=musterstadt, user=user)
    return browser(user)


# Every field of the form (a new one is fuzzed too); the logo is uploaded separately.
SETTINGS_FIELDS = [name for name in ChamberSettingsForm.base_fields if name != "logo"]


@given(pairs=form_data(SETTINGS_FIELDS), raw=st.booleans(), logo=uploads, name=upload_names)
def test_the_chamber_settings_store_only_clean_values(clara, musterstadt, pairs, raw, logo, name):
    url = f"/chambers/{musterstadt.slug}/settings/"
    assert_answered(hostile_post(clara, url, pairs, raw, upload(logo, name)), "settings")
    chamber = Chamber.objects.get(pk=musterstadt.pk)
    assert_clean(chamber.name, chamber.contact_name, limit=200)
    assert_clean(chamber.address, limit=500)
    assert_clean(chamber.contact_email, limit=254)
    for url in (chamber.imprint_url, chamber.privacy_url, chamber.accessibility_url):
        assert_clean(url, limit=200)
        assert url == "" or url.startswith("https://")


@given(pairs=form_data(["checklist", "year"]))
def test_the_statistics_filter_answers_hostile_choices(clara, musterstadt, pairs):
    for path in ("", "statistics.csv"):
        response = clara.get(f"/chambers/{musterstadt.slug}/{path}", as_multidict(pairs))
        assert response.status_code in (200, 400, 404), response.status_code


@given(query=st.binary(max_size=80))
def test_the_statistics_filter_answers_a_query_that_is_not_utf8(clara, musterstadt, query):
    # WSGI hands the query string over as bytes in a latin-1 str.
    response = clara.get(f"/chambers/{musterstadt.slug}/", QUERY_STRING=(b"checklist=" + query).decode("latin-1"))
    assert response.status_code in (200, 400), response.status_code


# -- Anna's reminder ---------------------------------------------------------------------------------


@pytest.fixture
def holzwurm(whatsapp, musterstadt):
    """Anna Holz's finished check on the chamber's site, where reminders are offered."""
    draft = draft_start(whatsapp, "de", "Tischlerei Holzwurm", chamber=musterstadt)
    return assessment_submit(draft.token, whatsapp, answers_of(KRAUSE.answers))


@given(pairs=form_data(["reminder-email", "reminder-months"]), raw=st.booleans(), body=raw_bodies(["reminder-email"]))
def test_the_reminder_form_answers_hostile_input(holzwurm, musterstadt, pairs, raw, body, settings):
    settings.SITE_URL = "https://dsgvo-check.example.org/"
    url = f"/hwk/{musterstadt.slug}/reminders/check/{holzwurm.token}/"
    client = browser()
    assert_answered(hostile_post(client, url, pairs, raw), "reminder")
    assert_answered(client.post(url, body, content_type=FORM), "reminder")


# -- accounts ----------------------------------------------------------------------------------------


@given(pairs=form_data(["username", "password", "next"]), raw=st.booleans(), body=raw_bodies(["username", "password"]))
def test_the_login_answers_hostile_input(dana, pairs, raw, body):
    cache.clear()  # a lock (429) is a fine answer, but it would hide what the form does with the next example
    client = browser()
    assert_answered(hostile_post(client, "/accounts/login/", pairs, raw), "login")
    assert_answered(client.post("/accounts/login/", body, content_type=FORM), "login")


@given(pairs=form_data(["email"]), raw=st.booleans(), body=raw_bodies(["email"]))
def test_the_password_reset_answers_hostile_input(dana, pairs, raw, body):
    client = browser()
    assert_answered(hostile_post(client, "/accounts/password-reset/", pairs, raw), "reset")
    assert_answered(client.post("/accounts/password-reset/", body, content_type=FORM), "reset")


PASSWORD_FIELDS = ["old_password", "new_password1", "new_password2"]


@given(pairs=form_data(PASSWORD_FIELDS), raw=st.booleans(), body=raw_bodies(PASSWORD_FIELDS))
def test_the_password_change_answers_hostile_input(dana, pairs, raw, body):
    client = browser(dana.user)
    assert_answered(hostile_post(client, "/accounts/password-change/", pairs, raw), "change")
    assert_answered(client.post("/accounts/password-change/", body, content_type=FORM), "change")


def mailed_link(kind: str):
    """A fresh invitee each time: a hostile post that happens to be a valid password uses the link up."""
    consultant = make_consultant(f"neu{next(_serial)}@beratung.example", "Neu")
    uid = urlsafe_base64_encode(force_bytes(consultant.user.pk))
    return f"/accounts/{kind}/{uid}/{default_token_generator.make_token(consultant.user)}/"


@given(
    pairs=form_data(["new_password1", "new_password2"]),
    raw=st.booleans(),
    kind=st.sampled_from(["invite", "reset"]),
)
@settings(max_examples=40)
def test_accepting_an_invitation_or_a_reset_link_answers_hostile_input(db, pairs, raw, kind):
    cache.clear()
    client = browser()
    form = client.get(mailed_link(kind), follow=True)
    assert form.status_code == 200 and form.context["validlink"]
    url = form.redirect_chain[-1][0]
    assert_answered(hostile_post(client, url, pairs, raw), kind)


@pytest.mark.parametrize("value", [v for v in NASTY_TEXT if v])
def test_a_hostile_link_token_is_refused_plainly(db, value):
    cache.clear()
    for kind in ("invite", "reset"):
        response = browser().get(f"/accounts/{kind}/{value[:200]}/{value[:200]}/", follow=True)
        assert response.status_code in (200, 404), response.status_code
