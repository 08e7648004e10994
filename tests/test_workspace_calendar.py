"""Dana's due dates in her own calendar app: an iCalendar feed behind a secret link she can replace.

The feed needs no login, only the link; a replaced or switched-off link answers 404 like one that never
existed. It holds one all-day entry per open action with a due date, of Dana's clients only, written as
RFC 5545 wants it: text escaped, lines folded at 75 octets, CRLF line ends.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from compliance_wizard.workspace.calendar import Event, calendar, escape_text, fold
from compliance_wizard.workspace.services import finding_note_save
from tests.workspace import add_client, finished_check, neglected_answers

TODAY = timezone.localdate()
NEXT_WEEK = TODAY + datetime.timedelta(days=7)
STAMP = datetime.datetime(2026, 5, 12, 8, 30, tzinfo=datetime.UTC)


@pytest.fixture
def logged_in(client, dana):
    client.force_login(dana.user)
    return client


@pytest.fixture
def krause_check(dana):
    return finished_check(add_client(dana, "Malerbetrieb Krause"), neglected_answers())


def open_ids(check) -> list[str]:
    return sorted(f["id"] for f in check.result_for("de")["findings"] if f["status"] in ("gap", "to_clarify"))


def unfold(text: str) -> str:
    return text.replace("\r\n ", "")


def feed_link(logged_in) -> str:
    page = logged_in.get("/workspace/actions/").content.decode()
    match = re.search(r'id="calendar-link" value="http://testserver(/workspace/calendar/[\w-]+\.ics)"', page)
    assert match, "no calendar link on the page"
    return match.group(1)


def events(text: str) -> list[str]:
    return re.findall(r"BEGIN:VEVENT\r\n(.*?)END:VEVENT\r\n", text, re.DOTALL)


# -- the format ------------------------------------------------------------------------------------------


def test_text_is_escaped_as_rfc_5545_asks():
    assert escape_text("Backup; Handy, Tablet") == "Backup\\; Handy\\, Tablet"
    assert escape_text("Zeile 1\nZeile 2\r\nZeile 3") == "Zeile 1\\nZeile 2\\nZeile 3"
    assert escape_text("C:\\Daten") == "C:\\\\Daten"


def test_long_lines_are_folded_at_75_octets_without_splitting_a_character():
    line = "DESCRIPTION:" + "Überprüfung der Datenschutzerklärung – ä ö ü ß € " * 6
    folded = fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert unfold(folded) == line  # each part decodes on its own: no character was cut in two
    assert fold("SUMMARY:kurz") == "SUMMARY:kurz"


def test_a_calendar_has_one_all_day_event_per_entry_with_crlf_line_ends():
    event = Event("7-avv-whatsapp", datetime.date(2026, 12, 2), "Krause: AVV", "Zuständig: Jens", "https://x/", STAMP)
    text = calendar("Offene Maßnahmen", [event], "dsgvo-check.example")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    (body,) = events(text)
    assert "UID:7-avv-whatsapp@dsgvo-check.example\r\n" in body
    assert "DTSTART;VALUE=DATE:20261202\r\n" in body and "DTEND;VALUE=DATE:20261203\r\n" in body
    assert "DTSTAMP:20260512T083000Z\r\n" in body


# -- the feed --------------------------------------------------------------------------------------------


def test_the_feed_holds_one_entry_per_open_action_with_a_due_date(client, logged_in, krause_check):
    first, second, third = open_ids(krause_check)[:3]
    finding_note_save(krause_check, first, "Vertrag anfordern; dann ablegen,\nsonst Bußgeld", NEXT_WEEK, "Jens Krause")
    finding_note_save(krause_check, second, "", TODAY - datetime.timedelta(days=3), "")
    finding_note_save(krause_check, third, "kein Termin", None, "Anna")
    logged_in.post("/workspace/actions/calendar-link/", {"action": "renew"})
    link = feed_link(logged_in)

    response = client.get(link)  # a calendar app: no session
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode("utf-8")
    bodies = [unfold(b) for b in events(text)]
    assert len(bodies) == 2
    uids = {re.search(r"UID:(.*)\r\n", b).group(1) for b in bodies}
    client_id = krause_check.client_id
    assert uids == {f"{client_id}-{first}@testserver", f"{client_id}-{second}@testserver"}
    (planned,) = [b for b in bodies if f"-{first}@" in b]
    assert f"DTSTART;VALUE=DATE:{NEXT_WEEK:%Y%m%d}" in planned
    assert "SUMMARY:Malerbetrieb Krause: " in planned
    assert "Vertrag anfordern\\; dann ablegen\\,\\nsonst Bußgeld" in planned
    assert "Zuständig: Jens Krause" in planned
    assert f"URL:http://testserver/workspace/checks/{krause_check.pk}/#finding-{first}" in planned
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    # The same action keeps its UID on the next fetch, so the calendar updates it instead of adding a copy.
    assert uids == {re.search(r"UID:(.*)\r\n", unfold(b)).group(1) for b in events(client.get(link).content.decode())}


def test_mailed_and_calendar_links_use_the_public_address_when_it_is_set(client, logged_in, krause_check, settings):
    settings.SITE_URL = "https://dsgvo-check.example.org/"
    finding_note_save(krause_check, open_ids(krause_check)[0], "", NEXT_WEEK, "")
    logged_in.post("/workspace/actions/calendar-link/", {"action": "renew"})
    page = logged_in.get("/workspace/actions/").content.decode()
    link = re.search(r'id="calendar-link" value="https://dsgvo-check.example.org(/workspace/calendar/[^"]+)"', page)
    text = unfold(client.get(link.group(1)).content.decode())
    assert "@dsgvo-check.example.org\r\n" in text
    assert "URL:https://dsgvo-check.example.org/workspace/checks/" in text


def test_a_new_link_replaces_the_old_and_switching_off_leaves_none(client, logged_in, dana, krause_check):
    page = logged_in.get("/workspace/actions/").content.decode()
    assert "Kalender-Link anlegen" in page and 'id="calendar-link"' not in page
    logged_in.post("/workspace/actions/calendar-link/", {"action": "renew"})
    old = feed_link(logged_in)
    assert client.get(old).status_code == 200

    response = logged_in.post("/workspace/actions/calendar-link/", {"action": "renew"})
    assert response.status_code == 302
    new = feed_link(logged_in)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200

    logged_in.post("/workspace/actions/calendar-link/", {"action": "remove"})
    assert client.get(new).status_code == 404
    dana.refresh_from_db()
    assert dana.calendar_token is None
    assert 'id="calendar-link"' not in logged_in.get("/workspace/actions/").content.decode()


def test_the_link_changes_only_by_a_post_of_its_consultant(client, logged_in, dana, bernd):
    assert logged_in.get("/workspace/actions/calendar-link/").status_code == 405
    logged_in.post("/workspace/actions/calendar-link/", {"action": "renew"})
    dana.refresh_from_db()
    token = dana.calendar_token
    client.logout()
    client.post("/workspace/actions/calendar-link/", {"action": "remove"})
    client.force_login(bernd.user)
    client.post("/workspace/actions/calendar-link/", {"action": "remove"})
    dana.refresh_from_db()
    assert dana.calendar_token == token and len(token) >= 43


@pytest.mark.parametrize("token", ["x" * 43, "", "None"])
def test_an_unknown_token_answers_404(client, dana, token):
    assert client.get(f"/workspace/calendar/{token}.ics").status_code == 404


def test_bernds_feed_holds_nothing_of_danas(client, dana, bernd, krause_check):
    finding_note_save(krause_check, open_ids(krause_check)[0], "Danas Notiz", NEXT_WEEK, "Jens Krause")
    bernds_check = finished_check(add_client(bernd, "Tischlerei Roth"), neglected_answers())
    finding_note_save(bernds_check, open_ids(bernds_check)[0], "Bernds Notiz", NEXT_WEEK, "")
    client.force_login(bernd.user)
    client.post("/workspace/actions/calendar-link/", {"action": "renew"})
    text = unfold(client.get(feed_link(client)).content.decode())
    client.logout()
    assert "Tischlerei Roth" in text and "Bernds Notiz" in text
    assert "Krause" not in text and "Danas Notiz" not in text
    assert len(events(text)) == 1
