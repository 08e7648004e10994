"""Dana keeps her client list: adds, finds, edits, archives, exports and deletes clients."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from compliance_wizard.assessments.models import Assessment, ReportFile
from compliance_wizard.workspace.models import Client, FindingNote
from tests.downloads import download
from tests.workspace import add_client, finished_check, neglected_answers


@pytest.fixture
def logged_in(client, dana):
    client.force_login(dana.user)
    return client


def test_dana_adds_a_client_and_lands_on_its_page(logged_in, dana):
    response = logged_in.post(
        "/workspace/clients/new/",
        {
            "name": "  Malerbetrieb   Krause ",
            "contact_person": "Jens Krause",
            "website": "www.maler-krause.de",
            "notes": "",
        },
    )
    client = Client.objects.get()
    assert response["Location"] == f"/workspace/clients/{client.pk}/"
    assert (client.consultant, client.name, client.website) == (
        dana,
        "Malerbetrieb Krause",
        "https://www.maler-krause.de",
    )
    page = logged_in.get(response["Location"]).content.decode()
    assert "Malerbetrieb Krause" in page and "Jens Krause" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Bitte geben Sie den Namen des Betriebs ein."),
        ("name", "x" * 201, "höchstens 200 Zeichen"),
        ("contact_person", "x" * 201, "höchstens 200 Zeichen"),
        ("website", "ftp://example.de", "Webadresse"),
        ("website", "javascript:alert(1)", "Webadresse"),
        ("notes", "x" * 5001, "höchstens 5000 Zeichen"),
    ],
)
def test_a_bad_entry_is_named_next_to_its_field_and_nothing_is_saved(logged_in, field, value, message):
    data = {"name": "Malerbetrieb Krause", "contact_person": "", "website": "", "notes": ""}
    data[field] = value
    response = logged_in.post("/workspace/clients/new/", data, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert f'id="id_{field}_error"' in page
    assert (
        f'aria-describedby="id_{field}_help id_{field}_error"' in page or f'aria-describedby="id_{field}_error"' in page
    )
    assert 'role="alert"' in page
    assert not Client.objects.exists()


def test_search_finds_clients_by_name_contact_or_notes(logged_in, dana):
    add_client(dana, "Malerbetrieb Krause", contact_person="Jens Krause")
    add_client(dana, "Elektro Yilmaz", notes="Termin im Juni")
    add_client(dana, "Dachdecker Berg")
    assert _listed(logged_in, "?q=krause") == ["Malerbetrieb Krause"]
    assert _listed(logged_in, "?q=juni") == ["Elektro Yilmaz"]
    assert _listed(logged_in, "?q=betrieb+krause") == ["Malerbetrieb Krause"]
    assert _listed(logged_in, "") == ["Dachdecker Berg", "Elektro Yilmaz", "Malerbetrieb Krause"]
    assert "Kein Betrieb" not in logged_in.get("/workspace/?q=%3Cscript%3E").content.decode()


def _listed(client, query):
    import re

    page = client.get(f"/workspace/{query}").content.decode()
    return re.findall(r'<th scope="row"><a href="/workspace/clients/\d+/">([^<]+)</a>', page)


def test_an_archived_client_leaves_the_list_and_can_come_back(logged_in, dana):
    client = add_client(dana)
    logged_in.post(f"/workspace/clients/{client.pk}/archive/", {"archived": "1"})
    assert _listed(logged_in, "") == []
    assert _listed(logged_in, "?archived=1") == ["Malerbetrieb Krause"]
    logged_in.post(f"/workspace/clients/{client.pk}/archive/", {"archived": "0"})
    assert _listed(logged_in, "") == ["Malerbetrieb Krause"]


def test_exporting_a_client_gives_all_its_data(logged_in, dana):
    client = add_client(dana, contact_person="Jens Krause", notes="Stammkunde")
    first = finished_check(client, neglected_answers())
    FindingNote.objects.create(assessment=first, requirement_id="avv-whatsapp", comment="AVV bis Juni")
    finished_check(client, neglected_answers(), repeat_of=first)
    response = logged_in.get(f"/workspace/clients/{client.pk}/export/?format=json")
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert (data["format"], data["name"], data["contact_person"], data["notes"]) == (
        "compliance-wizard/client",
        "Malerbetrieb Krause",
        "Jens Krause",
        "Stammkunde",
    )
    assert [a["state"] for a in data["assessments"]] == ["finished", "finished"]
    assert "AVV bis Juni" in response.content.decode()


def test_deleting_a_client_deletes_everything_that_belongs_to_it(logged_in, dana):
    client = add_client(dana)
    check = finished_check(client, neglected_answers())
    FindingNote.objects.create(assessment=check, requirement_id="avv-whatsapp", comment="x")
    assert download(logged_in, f"/workspace/checks/{check.pk}/report.pdf").status_code == 200
    assert ReportFile.objects.exists()
    confirm = logged_in.get(f"/workspace/clients/{client.pk}/delete/").content.decode()
    assert "1 Check und" in confirm or "1 check" in confirm
    response = logged_in.post(f"/workspace/clients/{client.pk}/delete/")
    assert response["Location"] == "/workspace/"
    assert not Client.objects.exists()
    assert not Assessment.objects.exists()
    assert not FindingNote.objects.exists()
    assert not ReportFile.objects.exists()


def test_an_archived_client_is_deleted_after_its_retention_period(dana, settings):
    settings.RETENTION_ARCHIVED_CLIENT_DAYS = 365
    old = add_client(dana, "Alt")
    finished_check(old, neglected_answers())
    old.archived_at = timezone.now() - timedelta(days=366)
    old.save()
    recent = add_client(dana, "Neu archiviert")
    recent.archived_at = timezone.now() - timedelta(days=10)
    recent.save()
    active = add_client(dana, "Aktiv")
    finished_check(active, neglected_answers())
    Assessment.objects.filter(client=active).update(finished_at=timezone.now() - timedelta(days=1000))

    call_command("purge_assessments")

    assert set(Client.objects.values_list("name", flat=True)) == {"Neu archiviert", "Aktiv"}
    # A consultant's finished check is not an anonymous one: it stays while the client is active.
    assert Assessment.objects.filter(client=active).count() == 1


def test_a_link_the_client_never_used_expires_later_than_an_anonymous_draft(dana, settings):
    from compliance_wizard.catalog import registry
    from compliance_wizard.workspace.services import client_assessment_start

    settings.RETENTION_DRAFT_DAYS, settings.RETENTION_CLIENT_DRAFT_DAYS = 30, 90
    draft = client_assessment_start(add_client(dana), registry.get("whatsapp-business"), "de")
    Assessment.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - timedelta(days=60))
    call_command("purge_assessments")
    assert Assessment.objects.filter(pk=draft.pk).exists()
    Assessment.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - timedelta(days=91))
    call_command("purge_assessments")
    assert not Assessment.objects.filter(pk=draft.pk).exists()
