"""An imported check carries the name Dana keeps for the client, unless she asks for the file's; the client
page says which name each check carries."""

from __future__ import annotations

import io
import json

import pytest

from compliance_wizard.assessments.models import Assessment
from compliance_wizard.workspace.exchange import assessment_document
from tests.workspace import add_client, finished_check, neglected_answers


@pytest.fixture
def logged_in(client, dana):
    client.force_login(dana.user)
    return client


@pytest.fixture
def krause(dana):
    return add_client(dana, "Malerbetrieb Krause", website="https://maler-krause.de")


def export_named(krause, name: str, website: str = "https://krause-alt.example") -> io.BytesIO:
    """An export of one of Krause's checks whose file names the business differently (an older name)."""
    doc = assessment_document(finished_check(krause, neglected_answers()))
    doc["business"] = {"name": name, "website": website}
    upload = io.BytesIO(json.dumps(doc).encode())
    upload.name = "check.json"
    return upload


def imported(logged_in, krause, upload, **choice) -> Assessment:
    response = logged_in.post(f"/workspace/clients/{krause.pk}/import/", {"file": upload, **choice})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Assessment.objects.order_by("-pk").first()


def test_the_import_form_offers_the_clients_name_first_and_chosen(logged_in, krause):
    page = logged_in.get(f"/workspace/clients/{krause.pk}/import/").content.decode()
    assert "<legend>Name auf Check und Bericht</legend>" in page
    assert '<input type="radio" name="name_from" value="client" id="id_name_from_0" checked>' in page
    assert '<input type="radio" name="name_from" value="file" id="id_name_from_1">' in page
    assert "Der Name dieses Mandanten: Malerbetrieb Krause" in page


def test_an_import_carries_the_clients_name_and_website_by_default(logged_in, krause):
    check = imported(logged_in, krause, export_named(krause, "Krause & Söhne (alt)"))
    assert (check.business_name, check.website) == ("Malerbetrieb Krause", "https://maler-krause.de")
    assert check.result_for("de")["business"]["name"] == "Malerbetrieb Krause"


def test_dana_can_ask_for_the_name_in_the_file(logged_in, krause):
    check = imported(logged_in, krause, export_named(krause, "Krause & Söhne (alt)"), name_from="file")
    assert (check.business_name, check.website) == ("Krause & Söhne (alt)", "https://krause-alt.example")
    page = logged_in.get(f"/workspace/clients/{krause.pk}/").content.decode()
    assert "Name im Bericht" in page
    assert 'Krause &amp; Söhne (alt) <span class="tag">nicht der aktuelle Name des Mandanten</span>' in page


def test_the_confirmation_says_which_name_the_check_carries(logged_in, krause):
    upload = export_named(krause, "Krause & Söhne (alt)")
    response = logged_in.post(f"/workspace/clients/{krause.pk}/import/", {"file": upload}, follow=True)
    assert "Er trägt den Namen „Malerbetrieb Krause“." in response.content.decode()


def test_a_choice_that_is_not_offered_is_refused(logged_in, krause):
    upload = export_named(krause, "Krause alt")
    response = logged_in.post(f"/workspace/clients/{krause.pk}/import/", {"file": upload, "name_from": "other"})
    assert response.status_code == 400
    assert Assessment.objects.filter(client=krause).count() == 1  # only the one exported
