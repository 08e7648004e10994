"""Dana's morning list: every open finding of every active client's latest check, with who does it by when.

Overdue first, then by due date and risk; filtered by client, person and state; as CSV that no spreadsheet
runs as a formula, and as a calendar feed behind a secret link that she can replace or switch off. Bernd,
another consultant, never sees any of it.
"""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.utils import timezone

from compliance_wizard.workspace.actions import open_actions
from compliance_wizard.workspace.models import FindingNote
from compliance_wizard.workspace.services import client_archive, finding_note_save
from tests.workspace import add_client, finished_check, neglected_answers

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)
NEXT_WEEK = TODAY + datetime.timedelta(days=7)
NEXT_MONTH = TODAY + datetime.timedelta(days=30)


@pytest.fixture
def logged_in(client, dana):
    client.force_login(dana.user)
    return client


@pytest.fixture
def krause(dana):
    return add_client(dana, "Malerbetrieb Krause", contact_person="Jens Krause")


@pytest.fixture
def krause_check(krause):
    return finished_check(krause, neglected_answers())


def open_ids(check) -> set[str]:
    return {f["id"] for f in check.result_for("de")["findings"] if f["status"] in ("gap", "to_clarify")}


def plan(check, requirement_id, due=None, responsible="", comment=""):
    return finding_note_save(check, requirement_id, comment, due, responsible)


def german(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


# -- the list -------------------------------------------------------------------------------------------


def test_every_open_finding_of_the_latest_check_is_listed_with_its_plan(logged_in, dana, krause_check):
    plan(krause_check, "avv-whatsapp", NEXT_WEEK, "Jens Krause", "Vertrag bei Meta anfordern")
    page = logged_in.get("/workspace/actions/").content.decode()
    assert len(open_ids(krause_check)) >= 5
    for finding in krause_check.result_for("de")["findings"]:
        listed = f'href="/workspace/checks/{krause_check.pk}/#finding-{finding["id"]}"' in page
        assert listed == (finding["id"] in open_ids(krause_check)), finding["id"]
    assert "Jens Krause" in page and "Vertrag bei Meta anfordern" in page
    assert german(NEXT_WEEK) in page and NEXT_WEEK.isoformat() not in page


def test_only_the_latest_finished_check_of_an_active_client_counts(logged_in, dana, krause, krause_check):
    better = dict(krause_check.answers, avv_whatsapp="filed")
    plan(krause_check, "avv-whatsapp", YESTERDAY, "Jens Krause", "Alte Planung")
    repeat = finished_check(krause, better, repeat_of=krause_check)
    from compliance_wizard.catalog import registry
    from compliance_wizard.workspace.services import client_assessment_start

    client_assessment_start(krause, registry.get("whatsapp-business"), "de")  # a draft after it changes nothing
    archived = add_client(dana, "Bäckerei Alt")
    finished_check(archived, neglected_answers())
    client_archive(archived, True)

    actions = open_actions(dana, "de", TODAY)
    assert {a.assessment.pk for a in actions} == {repeat.pk}
    assert {a.requirement_id for a in actions} == open_ids(repeat)
    assert "avv-whatsapp" not in open_ids(repeat)
    page = logged_in.get("/workspace/actions/").content.decode()
    assert "Alte Planung" not in page and "Bäckerei Alt" not in page


def test_overdue_first_then_by_due_date_with_undated_last_then_by_risk(dana, krause_check):
    ids = sorted(open_ids(krause_check))
    plan(krause_check, ids[0], NEXT_MONTH)
    plan(krause_check, ids[1], YESTERDAY - datetime.timedelta(days=10))
    plan(krause_check, ids[2], NEXT_WEEK)
    plan(krause_check, ids[3], YESTERDAY)
    actions = open_actions(dana, "de", TODAY)
    assert [a.requirement_id for a in actions[:4]] == [ids[1], ids[3], ids[2], ids[0]]
    assert [a.overdue for a in actions[:4]] == [True, True, False, False]
    undated = actions[4:]
    assert undated and all(a.due_date is None for a in undated)
    order = ("critical", "high", "medium", "low", "info")
    assert [order.index(a.severity) for a in undated] == sorted(order.index(a.severity) for a in undated)


def test_the_page_shows_the_overdue_ones_first_and_marks_them_in_words(logged_in, krause_check):
    first, second = sorted(open_ids(krause_check))[:2]
    plan(krause_check, first, NEXT_WEEK, comment="kommt später")
    plan(krause_check, second, YESTERDAY, comment="schon überfällig")
    page = logged_in.get("/workspace/actions/").content.decode()
    assert page.index("schon überfällig") < page.index("kommt später")
    assert page.count("überfällig</strong>") == 1


def test_filters_by_client_responsible_person_and_state(logged_in, dana, krause_check):
    yilmaz = add_client(dana, "Elektro Yilmaz")
    yilmaz_check = finished_check(yilmaz, neglected_answers())
    first, second = sorted(open_ids(krause_check))[:2]
    plan(krause_check, first, YESTERDAY, "Jens Krause")
    plan(krause_check, second, NEXT_WEEK, "Jens Krause")
    plan(yilmaz_check, first, NEXT_WEEK, "Ayşe Yilmaz")

    def shown(query: str) -> set[tuple[str, str]]:
        page = logged_in.get(f"/workspace/actions/?{query}").content.decode()
        return set(re.findall(r'href="/workspace/checks/(\d+)/#finding-([\w-]+)"', page))

    everything = shown("")
    assert len(everything) == len(open_ids(krause_check)) + len(open_ids(yilmaz_check))
    assert {c for c, _ in shown(f"client={yilmaz.pk}")} == {str(yilmaz_check.pk)}
    assert shown("responsible=Jens+Krause") == {(str(krause_check.pk), first), (str(krause_check.pk), second)}
    assert shown("responsible=Jens+Krause&state=overdue") == {(str(krause_check.pk), first)}
    nobody = shown("responsible=-")
    assert nobody and (str(yilmaz_check.pk), first) not in nobody and len(nobody) == len(everything) - 3
    gaps = shown("state=gap")
    gap_ids = {f["id"] for f in krause_check.result_for("de")["findings"] if f["status"] == "gap"}
    assert {r for c, r in gaps if c == str(krause_check.pk)} == gap_ids
    # A choice that no longer exists (an old bookmark) filters nothing instead of failing.
    assert shown("client=999999&responsible=Niemand") == everything


def test_the_empty_list_says_why_it_is_empty(logged_in, dana, krause):
    page = logged_in.get("/workspace/actions/").content.decode()
    assert "Keine offenen Maßnahmen" in page and "noch kein Check abgeschlossen" in page
    assert "open-actions.csv" not in page  # nothing to download
    finished_check(krause, neglected_answers())
    assert "Keine offenen Maßnahmen" not in logged_in.get("/workspace/actions/").content.decode()


def test_the_workspace_navigation_leads_to_the_open_actions(logged_in, krause_check):
    home = logged_in.get("/workspace/").content.decode()
    assert 'href="/workspace/actions/"' in home
    page = logged_in.get("/workspace/actions/").content.decode()
    assert re.search(r'href="/workspace/actions/" aria-current="page"', page)


# -- CSV --------------------------------------------------------------------------------------------------


def test_the_csv_holds_the_same_filtered_list(logged_in, dana, krause_check):
    first, second = sorted(open_ids(krause_check))[:2]
    plan(krause_check, first, YESTERDAY, "Jens Krause", "AVV anfordern")
    plan(krause_check, second, NEXT_WEEK, "Anna Krause")
    response = logged_in.get("/workspace/actions/open-actions.csv?responsible=Jens+Krause")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["Mandant"] == "Malerbetrieb Krause"
    assert "Jens Krause" in rows[0] and german(YESTERDAY) in rows[0] and "AVV anfordern" in rows[0]
    assert any("überfällig" in cell for cell in rows[0])
    everything = csv_rows(logged_in.get("/workspace/actions/open-actions.csv"))
    assert len(everything) - 1 == len(open_ids(krause_check))


@pytest.mark.parametrize("dangerous", ['=HYPERLINK("http://evil")', "+49 170 1234", "-1+1", "@SUM(A1)"])
def test_no_cell_of_the_csv_runs_as_a_formula(logged_in, dana, dangerous):
    client = add_client(dana, dangerous)
    check = finished_check(client, neglected_answers())
    plan(check, sorted(open_ids(check))[0], NEXT_WEEK, dangerous, dangerous)
    _header, *rows = csv_rows(logged_in.get("/workspace/actions/open-actions.csv"))
    cells = [cell for row in rows for cell in row]
    assert "'" + dangerous in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


# -- isolation --------------------------------------------------------------------------------------------


def test_bernd_never_sees_danas_actions(client, dana, bernd, krause_check):
    plan(krause_check, sorted(open_ids(krause_check))[0], YESTERDAY, "Jens Krause", "Danas Notiz")
    client.force_login(bernd.user)
    page = client.get("/workspace/actions/").content.decode()
    assert "Krause" not in page and "Danas Notiz" not in page
    assert "Keine offenen Maßnahmen" in page
    export = client.get("/workspace/actions/open-actions.csv").content.decode()
    assert "Krause" not in export and len(csv_rows(client.get("/workspace/actions/open-actions.csv"))) == 1
    # Dana's client id in the filter does not open anything either.
    assert "Krause" not in client.get(f"/workspace/actions/?client={krause_check.client_id}").content.decode()


def test_only_consultants_logged_in_get_the_list(client, staff_user):
    assert client.get("/workspace/actions/")["Location"].startswith("/accounts/login/")
    assert client.get("/workspace/actions/open-actions.csv")["Location"].startswith("/accounts/login/")
    client.force_login(staff_user)
    assert client.get("/workspace/actions/").status_code == 404


def test_a_note_without_a_due_date_is_listed_with_no_date(logged_in, krause_check):
    requirement = sorted(open_ids(krause_check))[0]
    plan(krause_check, requirement, None, "", "nur ein Kommentar")
    assert FindingNote.objects.get().due_date is None
    page = logged_in.get("/workspace/actions/").content.decode()
    assert "nur ein Kommentar" in page and "ohne Datum" in page
