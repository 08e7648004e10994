"""The consultant's pages meet the same bar as the public ones: axe finds nothing, on a desktop and on a
phone nothing overflows and every control can be reached, error states included."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from compliance_wizard.workspace.models import Consultant, FindingNote
from tests.test_branding import logo_png
from tests.workspace import add_client, finished_check, neglected_answers

from .audit import Audit
from .pages import horizontal_overflow, submit, unreachable_controls

PASSWORD = "a-long-Passw0rd!"


@pytest.fixture
def danas_workspace(transactional_db):
    """Dana with two clients: Krause repeated the check once, Yilmaz has a link he has not used yet."""
    email = "dana@dsb-schulz.example"
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    dana = Consultant.objects.create(user=user, display_name="Datenschutz Schulz", address="Hauptstraße 1")
    krause = add_client(dana, "Malerbetrieb Krause", contact_person="Jens Krause", notes="Stammkunde seit 2019")
    first = finished_check(krause, neglected_answers())
    better = dict(first.answers, avv_whatsapp="filed", stop_process="no")
    repeat = finished_check(krause, better, repeat_of=first)
    FindingNote.objects.create(assessment=repeat, requirement_id="cloud-backup", comment="Backup bis Juni abschalten")
    FindingNote.objects.create(
        assessment=repeat, requirement_id="media-autosave-off", responsible="Jens Krause", due_date=date(2020, 1, 31)
    )
    dana.calendar_token = "k" * 43  # the open actions page then shows the calendar link with its buttons
    dana.save()
    yilmaz = add_client(dana, "Elektro Yilmaz")
    from compliance_wizard.catalog import registry
    from compliance_wizard.workspace.services import client_assessment_start

    draft = client_assessment_start(yilmaz, registry.get("whatsapp-business"), "de")
    return {"user": user, "krause": krause, "repeat": repeat, "draft": draft}


def _log_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    submit(page, lambda: page.locator("input[name=password]").press("Enter"))
    assert page.url.endswith("/workspace/")


def _pages(data) -> list[tuple[str, str]]:
    krause, repeat, draft = data["krause"].pk, data["repeat"].pk, data["draft"].pk
    return [
        ("dashboard", "/workspace/"),
        ("archived clients", "/workspace/?archived=1"),
        ("new client form", "/workspace/clients/new/"),
        ("client page", f"/workspace/clients/{krause}/"),
        ("client edit form", f"/workspace/clients/{krause}/edit/"),
        ("client delete confirmation", f"/workspace/clients/{krause}/delete/"),
        ("import form", f"/workspace/clients/{krause}/import/"),
        ("check in progress", f"/workspace/checks/{draft}/"),
        ("finished check with progress and notes", f"/workspace/checks/{repeat}/"),
        ("check delete confirmation", f"/workspace/checks/{repeat}/delete/"),
        ("open actions", "/workspace/actions/"),
        ("open actions, filtered to nothing", "/workspace/actions/?state=to_clarify&responsible=Jens+Krause"),
        ("branding", "/workspace/branding/"),
        ("account", "/workspace/account/"),
        ("password change", "/accounts/password-change/"),
    ]


def test_every_workspace_page_passes_axe(page, danas_workspace):
    _log_in(page, danas_workspace["user"])
    audit = Audit()
    for name, path in _pages(danas_workspace):
        assert page.goto(path).status == 200, path
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        audit.check(name, page)
    assert not audit.problems, audit.report()


def test_error_states_of_workspace_forms_pass_axe(page, danas_workspace):
    _log_in(page, danas_workspace["user"])
    audit = Audit()

    page.goto("/workspace/clients/new/")
    submit(page, lambda: page.get_by_role("button", name="Speichern").click())
    assert page.locator("#id_name_error").is_visible()
    audit.check("new client without a name", page)

    page.goto("/workspace/branding/")
    page.locator("#id_accent_color").fill("#ffff00")
    page.locator("#id_logo").set_input_files(
        files=[{"name": "logo.svg", "mimeType": "image/svg+xml", "buffer": b"<svg><script>alert(1)</script></svg>"}]
    )
    submit(page, lambda: page.get_by_role("button", name="Speichern").click())
    assert page.locator("#id_accent_color_error").is_visible() and page.locator("#id_logo_error").is_visible()
    audit.check("branding with a bad colour and logo", page)

    page.goto("/workspace/branding/")
    page.locator("#id_accent_color").fill("#ffff00")
    page.locator("#id_logo").set_input_files(
        files=[{"name": "logo.png", "mimeType": "image/png", "buffer": logo_png()}]
    )
    submit(page, lambda: page.get_by_role("button", name="Speichern").click())
    assert "noch einmal" in page.locator("#id_logo_error").inner_text()
    audit.check("branding with a bad colour and a good logo to choose again", page)

    page.goto(f"/workspace/checks/{danas_workspace['draft'].pk}/")
    page.locator("#id_send-email").fill("jens at krause")
    submit(page, lambda: page.get_by_role("button", name="Link senden").click())
    assert page.locator("#id_send-email_error").is_visible()
    audit.check("client link mail with a wrong address", page)

    page.goto(f"/workspace/clients/{danas_workspace['krause'].pk}/import/")
    page.locator("#id_file").set_input_files(
        files=[{"name": "fremd.yaml", "mimeType": "application/yaml", "buffer": b"colour: blue\nanswers: 3\n"}]
    )
    submit(page, lambda: page.get_by_role("button", name="Importieren").click())
    assert page.locator("#error-summary").is_visible()
    audit.check("import with problems", page)
    assert not audit.problems, audit.report()


def test_the_colour_picker_and_the_hex_value_follow_each_other(page, danas_workspace):
    _log_in(page, danas_workspace["user"])
    page.goto("/workspace/branding/")
    picker, hex_value = page.get_by_label("Farbe auswählen"), page.locator("#id_accent_color")
    assert picker.is_visible()
    hex_value.fill("#7A1F5C")
    assert picker.input_value() == "#7a1f5c"
    picker.evaluate("el => { el.value = '#0b5394'; el.dispatchEvent(new Event('input', {bubbles: true})); }")
    assert hex_value.input_value() == "#0b5394"
    submit(page, lambda: page.get_by_role("button", name="Speichern").click())
    assert Consultant.objects.get(user=danas_workspace["user"]).accent_color == "#0b5394"


def test_on_a_phone_the_workspace_fits_and_every_control_can_be_reached(visits, danas_workspace):
    page = visits.page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    _log_in(page, danas_workspace["user"])
    found = []
    for name, path in _pages(danas_workspace):
        page.goto(path)
        overflow = horizontal_overflow(page)
        if overflow:
            found.append(f"{name}: {overflow}px wider than the screen")
        found += [f"{name}: {problem}" for problem in unreachable_controls(page)]
    assert not found, "\n".join(found)


def test_a_zip_too_big_for_one_request_goes_on_with_one_button_from_the_keyboard(page, danas_workspace, settings):
    """Dana zips two clients' reports when a request may render only one. The page says how far it got and passes
    axe; its button, pressed from the keyboard, sends the same choice again and the zip arrives."""
    settings.REPORT_ZIP_BUDGET_SECONDS = 0
    berg = add_client(danas_workspace["krause"].consultant, "Dachdecker Berg")
    finished_check(berg, neglected_answers())
    _log_in(page, danas_workspace["user"])
    page.get_by_label("Bericht von Malerbetrieb Krause").check()
    page.get_by_label("Bericht von Dachdecker Berg").check()
    submit(
        page,
        lambda: page.get_by_role("button", name="Letzte Berichte der gewählten Mandanten herunterladen (ZIP)").click(),
    )
    assert page.get_by_role("heading", name="Die Berichte sind noch nicht alle fertig").is_visible()
    assert page.get_by_text("1 von 2 Berichten ist fertig.").is_visible()
    audit = Audit()
    audit.check("zip of reports, not all ready yet", page)
    assert not audit.problems, audit.report()
    page.get_by_role("button", name="Download fortsetzen").focus()
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "dsgvo-check-reports.zip"
