"""Every workspace URL for four people: only the owner gets anything; for everyone else it does not exist.

Anonymous visitors are sent to the login; another consultant and the administrator get 404, exactly
as for an id that does not exist, and nothing they send changes Dana's data.
"""

from __future__ import annotations

import re

import pytest

from compliance_wizard.assessments.models import Assessment
from compliance_wizard.workspace.models import Client, FindingNote
from tests.workspace import add_client, finished_check, neglected_answers


@pytest.fixture
def danas(dana):
    client = add_client(dana, contact_person="Herr Krause")
    finished = finished_check(client, neglected_answers())
    FindingNote.objects.create(assessment=finished, requirement_id="avv-whatsapp", comment="Besprochen am 12. Mai")
    from compliance_wizard.catalog import registry
    from compliance_wizard.workspace.services import client_assessment_start

    draft = client_assessment_start(client, registry.get("whatsapp-business"), "de")
    return {"client": client.pk, "finished": finished.pk, "draft": draft.pk}


# (name, method, path template, data, what the owner gets)
ROUTES = [
    ("client page", "get", "/workspace/clients/{client}/", None, 200),
    ("client edit form", "get", "/workspace/clients/{client}/edit/", None, 200),
    ("client edit", "post", "/workspace/clients/{client}/edit/", {"name": "Neu"}, 302),
    ("client archive", "post", "/workspace/clients/{client}/archive/", {"archived": "1"}, 302),
    ("client delete form", "get", "/workspace/clients/{client}/delete/", None, 200),
    ("client export", "get", "/workspace/clients/{client}/export/?format=json", None, 200),
    ("client import form", "get", "/workspace/clients/{client}/import/", None, 200),
    (
        "new check",
        "post",
        "/workspace/clients/{client}/checks/new/",
        {"checklist": "whatsapp-business", "language": "de"},
        302,
    ),
    ("draft check page", "get", "/workspace/checks/{draft}/", None, 200),
    ("finished check page", "get", "/workspace/checks/{finished}/", None, 200),
    ("send the client link", "post", "/workspace/checks/{draft}/send/", {"send-email": "jens@krause.example"}, 302),
    ("repeat", "post", "/workspace/checks/{finished}/repeat/", {}, 302),
    ("check delete form", "get", "/workspace/checks/{finished}/delete/", None, 200),
    ("note", "post", "/workspace/checks/{finished}/notes/avv-whatsapp/", {"note-avv-whatsapp-comment": "x"}, 302),
    ("report", "get", "/workspace/checks/{finished}/report.pdf", None, 202),  # "being made", then the PDF
    ("export", "get", "/workspace/checks/{finished}/export/?format=yaml", None, 200),
    ("check delete", "post", "/workspace/checks/{draft}/delete/", {}, 302),
    ("client delete", "post", "/workspace/clients/{client}/delete/", {}, 302),
]


def _request(client, method, path, data):
    return client.post(path, data or {}) if method == "post" else client.get(path)


def _snapshot():
    return (
        list(Client.objects.values_list("pk", "name", "archived_at")),
        list(Assessment.objects.values_list("pk", "state")),
        list(FindingNote.objects.values_list("pk", "comment")),
    )


@pytest.mark.parametrize(("name", "method", "path", "data", "owner_status"), ROUTES, ids=[r[0] for r in ROUTES])
@pytest.mark.parametrize("persona", ["anonymous", "owner", "other consultant", "staff"])
def test_only_the_owner_gets_anything(
    client, dana, bernd, staff_user, danas, persona, name, method, path, data, owner_status
):
    url = path.format(**danas)
    before = _snapshot()
    if persona == "owner":
        client.force_login(dana.user)
    elif persona == "other consultant":
        client.force_login(bernd.user)
    elif persona == "staff":
        client.force_login(staff_user)

    response = _request(client, method, url, data)

    if persona == "owner":
        assert response.status_code == owner_status
        return
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == 404
        assert b"Krause" not in response.content
    assert _snapshot() == before


@pytest.mark.parametrize("persona", ["other consultant", "staff"])
def test_an_id_that_exists_and_one_that_does_not_look_the_same(client, bernd, staff_user, danas, persona):
    client.force_login(bernd.user if persona == "other consultant" else staff_user)
    existing = client.get(f"/workspace/checks/{danas['finished']}/")
    missing = client.get("/workspace/checks/999999/")
    assert existing.status_code == missing.status_code == 404

    # The pages differ only in the path they echo (the language switch returns to it) and the CSRF token.
    def comparable(response, path):
        page = response.content.decode().replace(path, "/PATH/")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)

    assert comparable(existing, f"/workspace/checks/{danas['finished']}/") == comparable(
        missing, "/workspace/checks/999999/"
    )


def test_the_dashboard_shows_only_ones_own_clients(client, dana, bernd, danas):
    add_client(bernd, "Tischlerei Vogel")
    client.force_login(bernd.user)
    page = client.get("/workspace/").content.decode()
    assert "Tischlerei Vogel" in page
    assert "Krause" not in page


def test_the_zip_of_reports_holds_nothing_of_another_consultant(client, bernd, danas):
    client.force_login(bernd.user)
    response = client.post("/workspace/reports.zip", {"client": [str(danas["client"])]})
    assert response.status_code == 302
    assert response["Content-Type"] != "application/zip"


def test_staff_without_a_consultant_profile_has_no_workspace(client, staff_user):
    client.force_login(staff_user)
    assert client.get("/workspace/").status_code == 404


def test_a_consultants_check_cannot_be_deleted_through_the_clients_link(client, danas):
    token = Assessment.objects.get(pk=danas["draft"]).token
    response = client.post(f"/result/{token}/delete/")
    assert response.status_code == 302
    assert Assessment.objects.filter(pk=danas["draft"]).exists()
