"""The details of the workspace's forms: a real colour picker beside the hex value, a logo that has to be
chosen again after an error says so, and deleting a client set apart from archiving and exporting it."""

from __future__ import annotations

import io
import re

import pytest

from compliance_wizard.workspace.models import Client as WorkspaceClient
from tests.test_branding import logo_png
from tests.workspace import add_client


@pytest.fixture
def logged_in(client, dana):
    client.force_login(dana.user)
    return client


def upload(content: bytes, name: str = "logo.png") -> io.BytesIO:
    file = io.BytesIO(content)
    file.name = name
    return file


def tag(page: str, element_id: str) -> str:
    return re.search(rf'<[^>]*\bid="{element_id}"[^>]*>', page).group(0)


def test_the_accent_colour_has_a_colour_picker_beside_its_hex_value(logged_in, dana):
    dana.accent_color = "#0b5394"
    dana.save()
    page = logged_in.get("/workspace/branding/").content.decode()
    hex_input = tag(page, "id_accent_color")
    assert 'type="text"' in hex_input and 'value="#0b5394"' in hex_input
    assert 'aria-describedby="id_accent_color_help"' in hex_input
    picker = tag(page, "id_accent_color_picker")
    assert 'type="color"' in picker and 'data-colour-for="id_accent_color"' in picker
    assert "name=" not in picker  # the hex field is what is sent; the picker only fills it in
    assert '<label for="id_accent_color_picker">Farbe auswählen</label>' in page
    assert '<span class="colour-pick" hidden>' in page  # shown by the script, which is our own file
    assert re.search(r'<script src="/static/js/colour(\.[0-9a-f]+)?\.js" defer></script>', page)


def test_the_contrast_of_the_colour_is_still_checked(logged_in, dana):
    response = logged_in.post("/workspace/branding/", {"display_name": "Datenschutz Schulz", "accent_color": "#ffff00"})
    assert response.status_code == 400
    assert 'id="id_accent_color_error"' in response.content.decode()
    dana.refresh_from_db()
    assert dana.accent_color == ""


def test_a_good_logo_sent_with_a_mistake_elsewhere_asks_to_be_chosen_again(logged_in, dana):
    response = logged_in.post(
        "/workspace/branding/", {"display_name": "", "accent_color": "#0b5394", "logo": upload(logo_png())}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Bitte wählen Sie die Logo-Datei noch einmal aus" in page
    assert 'id="id_logo_error"' in page
    assert 'aria-describedby="id_logo_help id_logo_error"' in tag(page, "id_logo")
    assert '<a href="#id_logo">' in page  # listed in the summary at the top too
    dana.refresh_from_db()
    assert dana.logo is None


def test_without_a_mistake_the_logo_is_saved_and_nothing_asks_for_it_again(logged_in, dana):
    response = logged_in.post(
        "/workspace/branding/", {"display_name": "Datenschutz Schulz", "accent_color": "", "logo": upload(logo_png())}
    )
    assert response.status_code == 302
    dana.refresh_from_db()
    assert dana.logo


def test_a_mistake_without_a_logo_chosen_does_not_mention_the_logo(logged_in):
    response = logged_in.post("/workspace/branding/", {"display_name": "", "accent_color": ""})
    assert response.status_code == 400
    assert "Logo-Datei noch einmal" not in response.content.decode()


def test_deleting_a_client_stands_apart_in_a_danger_zone(logged_in, dana):
    krause = add_client(dana, "Malerbetrieb Krause")
    page = logged_in.get(f"/workspace/clients/{krause.pk}/").content.decode()
    delete_link = f'href="/workspace/clients/{krause.pk}/delete/"'
    danger = page[page.index('<section aria-labelledby="danger-heading" class="danger-zone">') :]
    danger = danger[: danger.index("</section>")]
    assert '<h2 id="danger-heading">Gefahrenbereich</h2>' in danger
    assert f'<a class="button danger" {delete_link}>' in danger
    assert page.count(delete_link) == 1
    everyday = page[: page.index('class="danger-zone"')]
    assert "/export/" in everyday and "/archive/" in everyday  # archive and export stay with the everyday actions

    confirm = logged_in.get(f"/workspace/clients/{krause.pk}/delete/")
    assert confirm.status_code == 200 and WorkspaceClient.objects.filter(pk=krause.pk).exists()
