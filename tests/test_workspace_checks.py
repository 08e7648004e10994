"""Dana runs the check for her clients: herself or through a link, repeats it, comments, brands, hands out PDFs."""

from __future__ import annotations

import datetime
import io
import re
import zipfile

import pypdf
import pytest
from django.test import Client as Browser

from compliance_wizard.assessments.models import Assessment, ReportFile
from compliance_wizard.report.isolated import report_seat
from compliance_wizard.workspace.models import FindingNote
from tests.downloads import download
from tests.wizard import WizardRun
from tests.workspace import MODEL_BUSINESS, add_client, answers_of, finished_check, neglected_answers


@pytest.fixture
def logged_in(client, dana):
    client.force_login(dana.user)
    return client


@pytest.fixture
def krause(dana):
    return add_client(dana, "Malerbetrieb Krause", contact_person="Jens Krause", website="https://maler-krause.de")


def _start(logged_in, krause) -> Assessment:
    response = logged_in.post(
        f"/workspace/clients/{krause.pk}/checks/new/", {"checklist": "whatsapp-business", "language": "de"}
    )
    assessment = Assessment.objects.get(client=krause, state="draft")
    assert response["Location"] == f"/workspace/checks/{assessment.pk}/"
    return assessment


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_the_client_fills_in_the_check_through_the_personal_link(logged_in, krause):
    draft = _start(logged_in, krause)
    page = logged_in.get(f"/workspace/checks/{draft.pk}/").content.decode()
    link = re.search(r'id="client-link" value="([^"]+)"', page).group(1)
    assert link == f"http://testserver/draft/{draft.token}/"

    # Jens Krause opens the link in his own browser, without any account.
    run = WizardRun.resume(Browser(), draft.token)
    result = run.answer_all(answers_of(MODEL_BUSINESS))
    assert result.status_code == 200
    assert "Malerbetrieb Krause" in result.content.decode()
    assert f"/result/{draft.token}/delete/" not in result.content.decode()  # Dana's to keep, not the link's

    finished = Assessment.objects.get(pk=draft.pk)
    assert finished.is_finished and finished.client == krause
    overview = logged_in.get("/workspace/").content.decode()
    assert f"{finished.score}/100" in overview


def test_dana_fills_in_the_check_herself_and_lands_in_her_workspace(logged_in, krause):
    draft = _start(logged_in, krause)
    run = WizardRun.resume(logged_in, draft.token)
    result = run.answer_all(neglected_answers())
    assert result.request["PATH_INFO"] == f"/workspace/checks/{draft.pk}/"
    page = result.content.decode()
    assert "Your comment and plan" in page or "Ihr Kommentar" in page
    assert re.search(r"Auftragsverarbeitung|Auftragsverarbeitungsvertrag|AVV", page)


def test_a_repeat_starts_with_the_earlier_answers_and_shows_the_progress(logged_in, krause):
    first = finished_check(krause, neglected_answers())
    response = logged_in.post(f"/workspace/checks/{first.pk}/repeat/")
    repeat = Assessment.objects.get(client=krause, state="draft")
    assert response["Location"] == f"/workspace/checks/{repeat.pk}/"
    assert repeat.previous == first
    assert repeat.answers == first.answers

    # Two gaps were closed since, one new one opened.
    better = dict(first.answers, avv_whatsapp="filed", cloud_backup="switched_off", stop_process="no")
    run = WizardRun.resume(logged_in, repeat.token)
    page = run.answer_all(better).content.decode()
    repeat.refresh_from_db()
    change = repeat.score - first.score
    assert change > 0
    progress = page[page.index('id="progress-heading"') :]
    closed = progress[progress.index("Geschlossene Lücken") : progress.index("Neue Lücken")]
    new = progress[progress.index("Neue Lücken") : progress.index("Weiterhin offen")]
    assert len(re.findall("<li>", closed)) == 2
    assert len(re.findall("<li>", new)) == 1
    assert (
        f"{first.score} → {repeat.score} (+{change}" in progress
        or f"{first.score} → {repeat.score} ({change}" in progress
    )

    text = pdf_text(download(logged_in, f"/workspace/checks/{repeat.pk}/report.pdf").content)
    assert "Fortschritt" in text
    assert str(repeat.score) in text and str(first.score) in text


def test_a_comment_due_date_and_owner_go_into_the_action_plan(logged_in, krause):
    check = finished_check(krause, neglected_answers())
    response = logged_in.post(
        f"/workspace/checks/{check.pk}/notes/avv-whatsapp/",
        {
            "note-avv-whatsapp-comment": "Besprochen am 12. Mai, <b>AVV</b> wird abgeschlossen",
            "note-avv-whatsapp-responsible": "Jens Krause",
            "note-avv-whatsapp-due_date": "2026-06-30",
        },
    )
    assert response["Location"] == f"/workspace/checks/{check.pk}/#finding-avv-whatsapp"
    page = logged_in.get(f"/workspace/checks/{check.pk}/").content.decode()
    assert "Besprochen am 12. Mai, &lt;b&gt;AVV&lt;/b&gt;" in page
    assert 'value="2026-06-30"' in page

    text = pdf_text(download(logged_in, f"/workspace/checks/{check.pk}/report.pdf").content)
    assert "Besprochen am 12. Mai, <b>AVV</b> wird abgeschlossen" in " ".join(text.split())
    assert "Jens Krause" in text
    assert "30. Juni 2026" in text


def test_the_consultant_sees_why_each_finding_has_its_risk_level_and_the_owner_does_not(client, logged_in, krause):
    check = finished_check(krause, neglected_answers())
    data = check.result_for("de")
    avv = next(f for f in data["findings"] if f["id"] == "avv-whatsapp")
    note = next(f for f in data["findings"] if f["status"] == "note")
    page = logged_in.get(f"/workspace/checks/{check.pk}/").content.decode()
    assert "Warum diese Risikostufe" in page and avv["severity_reason"] in page
    assert "Warum ein Hinweis und keine Lücke" in page and note["severity_reason"] in page
    reviewed = datetime.date.fromisoformat(avv["reviewed"])
    assert f"Rechtlich zuletzt geprüft: {reviewed.day}. " in page  # the German way, e.g. "2. Dezember 2026"
    assert f"Rechtlich zuletzt geprüft: {avv['reviewed']}" not in page

    owner = WizardRun(client, "whatsapp-business")
    owner.start()
    body = owner.answer_all(neglected_answers()).content.decode()
    assert avv["severity_reason"] not in body and "Warum diese Risikostufe" not in body


def test_a_bad_date_is_explained_next_to_its_field_and_a_cleared_note_is_gone(logged_in, krause):
    check = finished_check(krause, neglected_answers())
    response = logged_in.post(
        f"/workspace/checks/{check.pk}/notes/avv-whatsapp/",
        {"note-avv-whatsapp-comment": "x", "note-avv-whatsapp-due_date": "Ende Juni"},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 400
    assert 'id="id_note-avv-whatsapp-due_date_error"' in response.content.decode()
    assert not FindingNote.objects.exists()

    logged_in.post(f"/workspace/checks/{check.pk}/notes/avv-whatsapp/", {"note-avv-whatsapp-comment": "AVV fehlt"})
    assert FindingNote.objects.get().comment == "AVV fehlt"
    logged_in.post(f"/workspace/checks/{check.pk}/notes/avv-whatsapp/", {"note-avv-whatsapp-comment": "  "})
    assert not FindingNote.objects.exists()


def test_a_note_on_a_finding_the_check_does_not_have_is_not_found(logged_in, krause):
    check = finished_check(krause, neglected_answers())
    response = logged_in.post(f"/workspace/checks/{check.pk}/notes/no-such-thing/", {"note-no-such-thing-comment": "x"})
    assert response.status_code == 404


def test_the_branding_goes_on_the_cover_and_into_every_footer(logged_in, dana, krause):
    from PIL import Image

    logo = io.BytesIO()
    Image.new("RGB", (300, 120), (11, 83, 148)).save(logo, "PNG")
    logo.seek(0)
    logo.name = "logo.png"
    response = logged_in.post(
        "/workspace/branding/",
        {
            "display_name": "Datenschutz Schulz",
            "address": "Hauptstraße 1\n12345 Musterstadt",
            "accent_color": "#0B5394",
            "intro": "Liebe Kundinnen und Kunden, hier Ihr Bericht.",
            "logo": logo,
        },
    )
    assert response.status_code == 302
    dana.refresh_from_db()
    assert dana.accent_color == "#0b5394"
    preview = logged_in.get("/workspace/branding/logo.png")
    assert preview["Content-Type"] == "image/png" and preview.content.startswith(b"\x89PNG")

    check = finished_check(krause, neglected_answers())
    reader = pypdf.PdfReader(io.BytesIO(download(logged_in, f"/workspace/checks/{check.pk}/report.pdf").content))
    cover = reader.pages[0].extract_text()
    assert "Datenschutz Schulz" in cover and "12345 Musterstadt" in cover and "hier Ihr Bericht" in cover
    assert len(reader.pages[0].images) >= 1
    assert all("Datenschutz Schulz" in page.extract_text() for page in reader.pages)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "PNG"),
        (b"<html><body>hi</body></html>", "PNG"),
    ],
)
def test_a_logo_that_is_not_a_picture_is_refused_with_a_clear_message(logged_in, dana, upload, message):
    file = io.BytesIO(upload)
    file.name = "logo.png"
    response = logged_in.post("/workspace/branding/", {"display_name": "Datenschutz Schulz", "logo": file})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_logo_error"' in page and message in page
    dana.refresh_from_db()
    assert dana.logo is None


def test_an_unreadable_accent_colour_is_refused(logged_in, dana):
    response = logged_in.post("/workspace/branding/", {"display_name": "Datenschutz Schulz", "accent_color": "#ffff00"})
    assert response.status_code == 400
    assert 'id="id_accent_color_error"' in response.content.decode()


def test_export_and_import_through_the_web_give_the_same_check(logged_in, krause):
    check = finished_check(krause, neglected_answers())
    FindingNote.objects.create(
        assessment=check, requirement_id="avv-whatsapp", comment="AVV bis Juni", responsible="JK"
    )
    for fmt in ("json", "yaml"):
        exported = logged_in.get(f"/workspace/checks/{check.pk}/export/?format={fmt}")
        assert exported.status_code == 200
        upload = io.BytesIO(exported.content)
        upload.name = f"export.{fmt}"
        response = logged_in.post(f"/workspace/clients/{krause.pk}/import/", {"file": upload})
        imported = Assessment.objects.order_by("-pk").first()
        assert response["Location"] == f"/workspace/checks/{imported.pk}/"
        assert (imported.answers, imported.score, imported.client) == (check.answers, check.score, krause)
        assert imported.finding_notes.get().comment == "AVV bis Juni"


def test_a_foreign_import_file_is_refused_with_every_problem_listed(logged_in, krause):
    upload = io.BytesIO(b"checklist: whatsapp-business\nanswers:\n  app_variant: telegram\n  colour: blue\nextra: 1\n")
    upload.name = "answers.yaml"
    response = logged_in.post(f"/workspace/clients/{krause.pk}/import/", {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    problems = re.findall(r"<li>([^<]+)</li>", page[page.index('id="error-summary"') :])
    assert len(problems) >= 3
    assert any("telegram" in p for p in problems) and any("colour" in p for p in problems)
    assert any("extra" in p for p in problems)
    assert not Assessment.objects.filter(client=krause).exists()


def test_the_reports_of_several_clients_come_as_one_zip(logged_in, dana, krause):
    yilmaz = add_client(dana, "Elektro Yilmaz")
    berg = add_client(dana, "Dachdecker Berg")  # no finished check yet: nothing to put in
    finished_check(krause, neglected_answers())
    finished_check(yilmaz, answers_of(MODEL_BUSINESS))
    response = logged_in.post("/workspace/reports.zip", {"client": [krause.pk, yilmaz.pk, berg.pk]})
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert len(names) == 2
    assert any("krause" in n for n in names) and any("yilmaz" in n for n in names)
    assert all(archive.read(n).startswith(b"%PDF") for n in names)


def test_a_zip_too_big_for_one_request_is_made_over_several_clicks(logged_in, dana, krause, settings):
    """Before a meeting Dana zips three clients' reports. With a budget that allows one new report per request,
    each click renders one more and says how far it got; the third click delivers the zip with all three."""
    settings.REPORT_ZIP_BUDGET_SECONDS = 0
    yilmaz = add_client(dana, "Elektro Yilmaz")
    berg = add_client(dana, "Dachdecker Berg")
    for client in (krause, yilmaz, berg):
        finished_check(client, answers_of(MODEL_BUSINESS))
    chosen = {"client": [krause.pk, yilmaz.pk, berg.pk]}
    response = logged_in.post("/workspace/reports.zip", chosen, HTTP_ACCEPT_LANGUAGE="de")
    for ready in (1, 2):
        assert response.status_code == 503 and response["Retry-After"]
        page = response.content.decode()
        assert f"{ready} von 3 Berichten {'ist' if ready == 1 else 'sind'} fertig" in page
        assert "Bitte starten Sie den Download noch einmal" in page
        # The page's button sends the same choice again: Dana need not tick her clients once more.
        response = submit_form(logged_in, page, "Download fortsetzen", HTTP_ACCEPT_LANGUAGE="de")
    assert response["Content-Type"] == "application/zip"
    assert len(zipfile.ZipFile(io.BytesIO(response.content)).namelist()) == 3


def test_with_every_report_seat_taken_a_zip_that_must_render_waits_its_turn_and_holds_no_worker(
    logged_in, dana, krause, settings
):
    """Another report holds the machine's only seat: Dana's zip would have to render, so she is told at once to
    try again shortly, instead of her request holding a worker for the render. Reports made before still zip."""
    settings.REPORT_BUSY_WORKERS = 1
    yilmaz = add_client(dana, "Elektro Yilmaz")
    for client in (krause, yilmaz):
        finished_check(client, answers_of(MODEL_BUSINESS))
    chosen = {"client": [krause.pk, yilmaz.pk]}
    with report_seat() as seated:
        assert seated
        response = logged_in.post("/workspace/reports.zip", chosen, HTTP_ACCEPT_LANGUAGE="de")
        assert response.status_code == 503 and response["Retry-After"]
        page = response.content.decode()
        assert "Gerade werden viele Berichte erstellt" in page
        assert 'href="/workspace/"' in page
        assert not ReportFile.objects.exists()
    # Once the other report is done, her "try again" sends the same choice and gets the zip.
    response = submit_form(logged_in, page, "Noch einmal versuchen")
    assert response["Content-Type"] == "application/zip"
    with report_seat() as seated:  # both made now: the zip needs no seat
        response = logged_in.post("/workspace/reports.zip", chosen)
        assert response["Content-Type"] == "application/zip"
        assert len(zipfile.ZipFile(io.BytesIO(response.content)).namelist()) == 2


def submit_form(browser, page, button, **extra):
    """Submit the page's form whose button reads `button`, with its hidden fields, as a browser would."""
    for form in re.findall(r"<form\b.*?</form>", page, re.S):
        if f">{button}</button>" in form:
            action = re.search(r'action="([^"]+)"', form).group(1)
            fields: dict[str, list[str]] = {}
            for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form):
                fields.setdefault(name, []).append(value)
            return browser.post(action, fields, **extra)
    raise AssertionError(f"no form with the button {button!r}")


def test_an_empty_zip_choice_is_explained(logged_in, krause):
    response = logged_in.post("/workspace/reports.zip", {"client": [krause.pk]}, follow=True)
    assert "mindestens" in response.content.decode() or "at least" in response.content.decode()


@pytest.mark.parametrize("chosen", ["²", "٣", "-1", "1e3", "99999999999999999999999", "", "x"])
def test_a_zip_choice_that_is_not_a_client_number_is_explained_not_an_error(logged_in, krause, chosen):
    """`"²".isdigit()` is true but int("²") fails; `"٣"` (Arabic-Indic three) is a number to int() but not an id."""
    finished_check(krause, answers_of(MODEL_BUSINESS))
    response = logged_in.post("/workspace/reports.zip", {"client": [chosen]}, follow=True)
    assert response.status_code == 200
    assert "mindestens" in response.content.decode() or "at least" in response.content.decode()
    assert response.redirect_chain[-1][0] == "/workspace/"
