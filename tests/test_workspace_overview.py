"""Dana's client list says which way each client is going: the latest score and its change since the check
before (with its sign), the open gaps, the overdue actions and the date of the last check, written the German
way. However many clients the page lists, it costs the same few queries."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from compliance_wizard.workspace.services import finding_note_save
from compliance_wizard.workspace.templatetags.desk import isodate, signed
from tests.workspace import MODEL_BUSINESS, add_client, answers_of, finished_check, neglected_answers

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def logged_in(client, dana):
    client.force_login(dana.user)
    return client


def row_of(page: str, name: str) -> str:
    match = re.search(r"<tr>(?:(?!</tr>).)*?" + re.escape(name) + r".*?</tr>", page, re.DOTALL)
    assert match, f"no row for {name}"
    return match.group(0)


def open_gaps(check) -> list[str]:
    return [f["id"] for f in check.result_for("de")["findings"] if f["status"] == "gap"]


def test_each_client_shows_score_change_open_gaps_overdue_actions_and_last_check(logged_in, dana):
    krause = add_client(dana, "Malerbetrieb Krause")
    first = finished_check(krause, neglected_answers())
    repeat = finished_check(krause, dict(first.answers, avv_whatsapp="filed"), repeat_of=first)
    assert repeat.score > first.score
    late, planned = open_gaps(repeat)[:2]
    finding_note_save(repeat, late, "", YESTERDAY, "Jens")
    finding_note_save(repeat, planned, "", YESTERDAY + datetime.timedelta(days=30), "Jens")
    finding_note_save(first, late, "", YESTERDAY, "Jens")  # an older check's plan is history

    row = row_of(logged_in.get("/workspace/").content.decode(), "Malerbetrieb Krause")
    assert f"{repeat.score}/100" in row
    assert f"+{repeat.score - first.score} seit dem Check davor" in row
    assert f"{len(open_gaps(repeat))} offene Lücken" in row
    assert "1 überfällige Maßnahme<" in row
    finished = timezone.localdate(repeat.finished_at)
    assert finished.strftime("%d.%m.%Y") in row and finished.isoformat() not in row


def test_a_falling_score_carries_a_minus_and_an_unchanged_one_plus_minus_zero(logged_in, dana):
    falling = add_client(dana, "Bäckerei Fall")
    good = finished_check(falling, answers_of(MODEL_BUSINESS))
    worse = finished_check(falling, neglected_answers(), repeat_of=good)
    steady = add_client(dana, "Tischlerei Gleich")
    once = finished_check(steady, neglected_answers())
    finished_check(steady, neglected_answers(), repeat_of=once)
    newcomer = add_client(dana, "Elektro Neu")
    finished_check(newcomer, neglected_answers())
    add_client(dana, "Friseur Ohne")

    page = logged_in.get("/workspace/").content.decode()
    assert f"\u2212{good.score - worse.score} seit dem Check davor" in row_of(page, "Bäckerei Fall")
    assert "±0 seit dem Check davor" in row_of(page, "Tischlerei Gleich")
    assert "seit dem Check davor" not in row_of(page, "Elektro Neu")  # nothing to compare with yet
    assert "nichts überfällig" in row_of(page, "Elektro Neu")
    without = row_of(page, "Friseur Ohne")
    assert "/100" not in without and "seit dem Check davor" not in without and 'type="checkbox"' not in without


def test_the_list_costs_the_same_queries_for_two_clients_as_for_twelve(logged_in, dana):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert logged_in.get("/workspace/").status_code == 200
        return len(captured)

    for n in range(2):
        check = finished_check(add_client(dana, f"Betrieb {n}"), neglected_answers())
        finding_note_save(check, open_gaps(check)[0], "", YESTERDAY, "")
    few = queries()
    for n in range(2, 12):
        earlier = finished_check(add_client(dana, f"Betrieb {n}"), neglected_answers())
        check = finished_check(earlier.client, neglected_answers(), repeat_of=earlier)
        finding_note_save(check, open_gaps(check)[0], "", YESTERDAY, "")
    assert queries() == few


def test_the_client_list_stays_within_a_fixed_number_of_queries(logged_in, dana, django_assert_max_num_queries):
    for n in range(6):
        finished_check(add_client(dana, f"Betrieb {n}"), neglected_answers())
    with django_assert_max_num_queries(10):
        logged_in.get("/workspace/")


@pytest.mark.parametrize(("change", "written"), [(44, "+44"), (-3, "\u22123"), (0, "±0"), (None, "")])
def test_score_changes_are_written_with_their_sign(change, written):
    assert signed(change) == written


def test_an_iso_date_from_a_stored_result_becomes_a_date():
    assert isodate("2026-12-02") == datetime.date(2026, 12, 2)
    assert isodate("not a date") == "not a date"


def test_the_check_page_writes_dates_the_german_way_and_the_change_with_its_sign(logged_in, dana):
    krause = add_client(dana, "Malerbetrieb Krause")
    first = finished_check(krause, neglected_answers())
    repeat = finished_check(krause, dict(first.answers, avv_whatsapp="filed"), repeat_of=first)
    page = logged_in.get(f"/workspace/checks/{repeat.pk}/").content.decode()
    heading = re.search(r'<h2 id="progress-heading">(.*?)</h2>', page, re.DOTALL).group(1)
    before = timezone.localdate(first.finished_at)
    assert before.strftime("%d.%m.%Y") in heading and before.isoformat() not in heading
    assert f"(+{repeat.score - first.score} Punkte)" in page
    # No ISO date anywhere a reader sees, the legal review dates behind "Warum diese Risikostufe" included.
    visible = re.sub(r"<[^>]+>", " ", page)
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", visible)
    assert "Rechtlich zuletzt geprüft: " in visible


def test_the_workspace_says_check_and_never_pruefung(logged_in, dana):
    from compliance_wizard.catalog import registry
    from compliance_wizard.workspace.services import client_assessment_start

    krause = add_client(dana, "Malerbetrieb Krause")
    first = finished_check(krause, neglected_answers())
    draft = client_assessment_start(krause, registry.get("whatsapp-business"), "de", repeat_of=first)
    pages = [
        "/workspace/",
        f"/workspace/clients/{krause.pk}/",
        f"/workspace/clients/{krause.pk}/delete/",
        f"/workspace/clients/{krause.pk}/import/",
        f"/workspace/checks/{draft.pk}/",
        f"/workspace/checks/{first.pk}/delete/",
        "/workspace/actions/",
    ]
    for path in pages:
        visible = re.sub(r"<[^>]+>", " ", logged_in.get(path).content.decode())
        assert not re.search(r"\bPrüfung", visible), path
        assert "Check" in visible, path
