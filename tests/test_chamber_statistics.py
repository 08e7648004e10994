"""A chamber's statistics: what its staff see, and that no group of fewer than five checks shows through.

The Handwerkskammer Musterstadt hosts the check; Clara Becker from its advisory service reads the
figures to plan the next newsletter. She must learn what is common, never who did what.
"""

from __future__ import annotations

import csv
import io
import itertools
import random
from collections import defaultdict
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

from compliance_wizard.assessments.models import Assessment
from compliance_wizard.assessments.services import assessment_submit, draft_start
from compliance_wizard.catalog import registry
from compliance_wizard.chambers import figures_cache
from compliance_wizard.chambers import statistics as stats
from compliance_wizard.chambers.models import Chamber, ChamberStaff, CheckStatistic
from compliance_wizard.chambers.statistics import K, Row
from compliance_wizard.chambers.views import build_report, csv_rows
from compliance_wizard.spreadsheet import csv_cell, csv_text
from tests.workspace import neglected_answers

LAST_YEAR = date.today().year - 1
WHATSAPP = "whatsapp-business"
TITLES = {WHATSAPP: "WhatsApp im Betrieb"}


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Every test logs in several people; what is tested here is not the hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def month(n: int, year: int = LAST_YEAR) -> date:
    return date(year, n, 1)


def rows(n: int, when: date, band: str = "amber", gaps: tuple[str, ...] = ()) -> list[Row]:
    return [Row(when, band, gaps)] * n


YEAR = [month(n) for n in range(1, 13)]


# -- the threshold --------------------------------------------------------------------------------------


def test_a_selection_of_four_checks_shows_nothing_at_all():
    figures = stats.figures(rows(4, month(3)), YEAR)
    assert figures.state == stats.TOO_FEW
    assert figures.total is None
    assert figures.months == figures.bands == figures.gaps == ()


def test_a_selection_of_five_checks_shows_its_figures():
    figures = stats.figures(rows(5, month(3), "green"), YEAR)
    assert figures.state == stats.READY
    assert figures.total == 5
    assert dict(figures.bands)["green"].count == 5


def test_no_checks_at_all_is_said_as_such():
    assert stats.figures([], YEAR).state == stats.EMPTY


def test_a_band_of_exactly_four_is_hidden_and_one_of_exactly_five_is_shown():
    figures = stats.figures(rows(4, month(1), "red") + rows(5, month(1), "amber") + rows(20, month(1), "green"), YEAR)
    bands = dict(figures.bands)
    assert bands["red"].kind == stats.SMALL
    assert bands["red"].count is None and bands["red"].share is None
    assert bands["amber"].kind == stats.SHOWN
    assert (bands["amber"].count, bands["amber"].share) == (5, 5 / 29)


def test_the_threshold_is_one_constant():
    assert K == 5


# -- the subtraction guard ------------------------------------------------------------------------------


def test_a_hidden_band_cannot_be_got_back_from_the_total():
    """Total 33 with green and red shown would give amber = 33 - 20 - 10 = 3."""
    cells, exposed = stats.protect_partition([20, 3, 10], 33)
    assert [c.kind for c in cells] == [stats.PROTECTIVE, stats.SMALL, stats.SHOWN]
    assert not exposed
    # What a reader can still tell: green and amber together are 23, amber between 1 and 4.
    assert 33 - cells[2].count == 23


def test_a_small_month_cannot_be_got_back_from_the_total_either():
    counts = [12, 0, 3, 15, 9, 0, 7, 10, 11, 6, 14, 13]
    cells, exposed = stats.protect_partition(counts, sum(counts))
    kinds = [c.kind for c in cells]
    assert kinds[2] == stats.SMALL
    assert kinds[3] == stats.PROTECTIVE  # the largest month
    assert kinds.count(stats.SHOWN) == 10
    assert not exposed


def test_when_even_two_hidden_cells_would_give_a_small_one_away_the_whole_selection_is_withheld():
    # 1 red and 5 green: "fewer than 5" and "at least 5" adding up to 6 leaves only 1 + 5.
    figures = stats.figures(rows(1, month(2), "red") + rows(5, month(2), "green"), YEAR)
    assert figures.state == stats.WITHHELD
    assert figures.total is None
    assert figures.bands == figures.months == figures.gaps == ()


def _compositions(total: int, parts: int):
    if parts == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in _compositions(total - first, parts - 1):
            yield (first, *rest)


@pytest.mark.parametrize("parts", [2, 3, 4])
def test_a_reader_who_knows_the_rules_and_tries_every_table_cannot_pin_down_a_small_count(parts):
    """Group every possible table by what the page would show; each small cell must vary within a group."""
    for total in range(K, 24 if parts < 4 else 17):
        looks_the_same = defaultdict(list)
        for counts in _compositions(total, parts):
            cells, exposed = stats.protect_partition(counts, total)
            if not exposed:  # an exposed table is never shown: the whole selection is withheld
                looks_the_same[tuple((c.kind, c.count) for c in cells)].append(counts)
        for shown, tables in looks_the_same.items():
            for i, (kind, _count) in enumerate(shown):
                if kind == stats.SMALL:
                    assert len({t[i] for t in tables}) >= 2, (total, shown, tables)


def test_whether_a_selection_is_withheld_depends_only_on_what_its_page_would_show():
    for total in range(K, 20):
        verdicts = defaultdict(set)
        for counts in _compositions(total, 3):
            cells, exposed = stats.protect_partition(counts, total)
            verdicts[tuple((c.kind, c.count) for c in cells)].add(exposed)
        assert all(len(v) == 1 for v in verdicts.values())


# -- months and periods ---------------------------------------------------------------------------------


def test_checks_are_counted_per_month_and_a_quiet_month_shows_zero():
    data = rows(7, month(1)) + rows(6, month(3)) + rows(9, month(4))
    figures = stats.figures(data, YEAR[:4])
    assert [(m, c.count) for m, c in figures.months] == [(month(1), 7), (month(2), 0), (month(3), 6), (month(4), 9)]
    assert figures.total == 22


def test_checks_outside_the_selected_months_do_not_count():
    data = rows(7, month(1)) + rows(3, month(1, LAST_YEAR - 1))
    assert stats.figures(data, YEAR).total == 7


def test_the_running_month_waits_until_it_is_over():
    assert stats.closed_months(2026, date(2026, 3, 15)) == (date(2026, 1, 1), date(2026, 2, 1))
    assert stats.closed_months(2026, date(2026, 1, 1)) == ()
    assert len(stats.closed_months(2025, date(2026, 1, 1))) == 12


def test_the_page_opens_on_the_latest_year_with_finished_months():
    assert stats.default_year([date(2025, 11, 1), date(2026, 1, 1)], date(2026, 1, 20)) == 2025
    assert stats.default_year([date(2025, 11, 1), date(2026, 1, 1)], date(2026, 2, 3)) == 2026
    assert stats.default_year([], date(2026, 2, 3)) == 2026
    assert stats.selectable_years(date(2024, 5, 1), date(2026, 2, 3)) == (2026, 2025, 2024)


# -- gaps -------------------------------------------------------------------------------------------


def test_gaps_are_listed_most_frequent_first_with_ties_in_rule_order():
    data = (
        rows(10, month(1), gaps=("cloud-backup", "avv-whatsapp"))
        + rows(6, month(2), gaps=("avv-whatsapp", "opt-out"))
        + rows(6, month(3), gaps=("opt-out",))
        + rows(3, month(4), gaps=("lost-device",))
    )
    order = ["opt-out", "avv-whatsapp", "cloud-backup", "lost-device", "media-autosave"]
    figures = stats.figures(data, YEAR, order)
    assert [(g, c.kind, c.count) for g, c in figures.gaps] == [
        ("avv-whatsapp", stats.SHOWN, 16),
        ("opt-out", stats.SHOWN, 12),
        ("cloud-backup", stats.SHOWN, 10),
        ("lost-device", stats.SMALL, None),
        ("media-autosave", stats.SHOWN, 0),
    ]
    assert dict(figures.gaps)["avv-whatsapp"].share == 16 / 25


def test_hidden_gap_counts_are_ordered_by_what_is_shown_not_by_their_value():
    data = rows(2, month(1), gaps=("a",)) + rows(4, month(1), gaps=("b",)) + rows(20, month(1))
    figures = stats.figures(data, YEAR, ["a", "b"])
    assert [g for g, _c in figures.gaps] == ["a", "b"]  # 4 > 2, but both read "fewer than 5"


def test_a_gap_nearly_everyone_had_hides_how_few_did_not():
    data = rows(41, month(1), gaps=("avv-whatsapp",)) + rows(2, month(1))
    assert dict(stats.figures(data, YEAR, ["avv-whatsapp"]).gaps)["avv-whatsapp"].kind == stats.NEAR_TOTAL
    # With 6 checks, "5 of 6" and "6 of 6" read alike; otherwise "all but fewer than 5" would mean 5.
    assert stats.gap_cell(5, 6).kind == stats.gap_cell(6, 6).kind == stats.NEAR_TOTAL
    assert stats.gap_cell(43, 43).count == 43
    assert stats.gap_cell(38, 43).count == 38


# -- through the real path, and in the CSV ---------------------------------------------------------


@pytest.fixture
def musterstadt(db):
    return Chamber.objects.create(slug="hwk-musterstadt", name="Handwerkskammer Musterstadt")


@pytest.fixture
def clara(musterstadt):
    """Clara Becker, advisor at the Handwerkskammer Musterstadt."""
    user = get_user_model().objects.create_user(
        "clara@hwk-musterstadt.example", "clara@hwk-musterstadt.example", "a-long-Passw0rd!"
    )
    ChamberStaff.objects.create(chamber=musterstadt, user=user)
    return user


def record(chamber, when: date, n: int, band: str = "amber", gaps=(), checklist_id: str = WHATSAPP) -> None:
    CheckStatistic.objects.bulk_create(
        CheckStatistic(chamber=chamber, checklist_id=checklist_id, month=when, band=band, gaps=list(gaps))
        for _ in range(n)
    )


def test_five_members_checks_through_the_wizard_reach_the_statistics(musterstadt):
    checklist = registry.get(WHATSAPP)
    for _ in range(5):
        draft = draft_start(checklist, "de")
        draft.chamber = musterstadt
        draft.save()
        assessment_submit(draft.token, checklist, neglected_answers())

    finished = CheckStatistic.objects.filter(chamber=musterstadt).first()
    today = finished.month
    next_month = date(today.year + today.month // 12, today.month % 12 + 1, 1)
    with translation.override("en"):
        report = build_report(musterstadt, WHATSAPP, today.year, today, TITLES)
        assert report.state == stats.EMPTY  # the running month is not counted yet
        report = build_report(musterstadt, WHATSAPP, today.year, next_month, TITLES)
    assert report.state == stats.READY
    assert report.figures.total == 5
    band = {line.key: line.text for line in report.bands}[finished.band]
    assert band == "5"
    gaps = {line.key: line for line in report.gaps}
    assert gaps["avv-whatsapp"].text == "5"
    assert gaps["avv-whatsapp"].label == "Data processing agreement with WhatsApp is in place and filed"
    assert not {"us-transfer", "processing-terms", "metadata"} & set(gaps)  # notes are never counted as gaps
    assert finished.score == Assessment.objects.filter(state="finished").first().score  # the capped score


def test_a_deleted_check_stays_in_the_statistics(musterstadt):
    checklist = registry.get(WHATSAPP)
    draft = draft_start(checklist, "de")
    draft.chamber = musterstadt
    draft.save()
    assessment_submit(draft.token, checklist, neglected_answers()).delete()
    assert CheckStatistic.objects.filter(chamber=musterstadt).count() == 1


def test_the_database_counts_exactly_what_the_rules_count_row_by_row(musterstadt):
    """The dashboard counts with grouped queries; the rules are specified over rows. Both must agree."""
    rng = random.Random(22)
    requirement_ids = ["avv-whatsapp", "cloud-backup", "opt-out", "contacts-consent"]
    rows = []
    for _ in range(300):
        gaps = rng.sample(requirement_ids, rng.randint(0, 3))
        if gaps and rng.random() < 0.2:
            gaps.append(gaps[0])  # a stored duplicate still counts once per check
        rows.append(
            Row(month(rng.randint(1, 12)), rng.choice(stats.BANDS), tuple(gaps), rng.choice(["1.0.0", "1.2.0"]))
        )
    CheckStatistic.objects.bulk_create(
        CheckStatistic(
            chamber=musterstadt,
            checklist_id=WHATSAPP,
            month=row.month,
            band=row.band,
            gaps=list(row.gaps),
            checklist_version=row.version,
        )
        for row in rows
    )
    # Another chamber's and another checklist's rows stay out.
    record(Chamber.objects.create(slug="nordstadt", name="Nordstadt"), month(3), 7)
    record(musterstadt, month(3), 7, checklist_id="website")
    months = YEAR[:9]
    is_earlier = "1.0.0".__eq__
    expected = stats.count_rows(rows, months, is_earlier)

    # Counted by the database the first time, and from the cache the second: the same either way.
    for _time in ("counted", "cached"):
        counted = figures_cache.counts(musterstadt, WHATSAPP, months, date.today(), is_earlier)
        assert (counted.months, counted.bands, counted.gaps, counted.earlier) == (
            expected.months,
            expected.bands,
            expected.gaps,
            expected.earlier,
        )
        figures = stats.figures(rows, months, requirement_ids, is_earlier)
        assert stats.protected(counted, months, requirement_ids) == figures


def _read_csv(response) -> list[list[str]]:
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:]), delimiter=";"))


@pytest.fixture
def english(clara):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(clara)
    return client


def test_the_dashboard_shows_bands_months_and_gaps_with_small_groups_hidden(english, musterstadt):
    record(musterstadt, month(3), 10, "green", gaps=("avv-whatsapp",))
    record(musterstadt, month(3), 10, "green")
    record(musterstadt, month(5), 9, "amber", gaps=("avv-whatsapp", "cloud-backup"))
    record(musterstadt, month(6), 4, "red", gaps=("cloud-backup", "opt-out"))

    page = english.get(f"/chambers/hwk-musterstadt/?checklist={WHATSAPP}&year={LAST_YEAR}").content.decode()

    assert "33 checks completed" in page
    assert '<th scope="row">Needs work</th>\n    <td>9</td>' in page
    assert '<th scope="row">Urgent action needed</th>\n    <td>fewer than 5</td>' in page
    assert '<th scope="row">In good shape</th>\n    <td>hidden</td>' in page
    assert f'<tr><th scope="row">May {LAST_YEAR}</th><td>9</td></tr>' in page
    assert f'<tr><th scope="row">June {LAST_YEAR}</th><td>fewer than 5</td></tr>' in page
    assert f'<tr><th scope="row">March {LAST_YEAR}</th><td>hidden</td></tr>' in page
    assert f'<tr><th scope="row">April {LAST_YEAR}</th><td>0</td></tr>' in page
    gap_rows = page[page.index("most frequent first") :]
    assert gap_rows.index("Data processing agreement with WhatsApp") < gap_rows.index("Chat backup to Google Drive")
    assert gap_rows.index("Chat backup to Google Drive") < gap_rows.index("&#x27;Stop&#x27; requests")
    assert "<td>19</td>\n    <td>58%" in gap_rows  # 19 of 33 had no data processing agreement with WhatsApp
    assert "<td>13</td>\n    <td>39%" in gap_rows
    assert "<caption>Results by band</caption>" in page


def test_the_dashboard_explains_a_selection_of_fewer_than_five(english, musterstadt):
    record(musterstadt, month(3), 4, "green")
    page = english.get(f"/chambers/hwk-musterstadt/?year={LAST_YEAR}").content.decode()
    assert "Fewer than 5 members have finished this check in this period" in page
    assert "checks completed" not in page
    assert "<table" not in page
    assert "statistics.csv" not in page


def test_the_dashboard_opens_on_last_year_when_this_year_has_no_finished_month_with_checks(english, musterstadt):
    record(musterstadt, month(11), 6, "green")
    page = english.get("/chambers/hwk-musterstadt/").content.decode()
    assert f"November {LAST_YEAR}" in page
    assert "6 checks completed" in page


def test_a_year_or_checklist_that_is_not_offered_is_refused(english, musterstadt):
    response = english.get("/chambers/hwk-musterstadt/?year=1999")
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert english.get("/chambers/hwk-musterstadt/statistics.csv?checklist=other").status_code == 404


def test_the_csv_holds_the_same_figures_with_the_same_suppression(english, musterstadt):
    record(musterstadt, month(3), 10, "green", gaps=("avv-whatsapp",))
    record(musterstadt, month(3), 10, "green")
    record(musterstadt, month(5), 9, "amber", gaps=("avv-whatsapp", "cloud-backup"))
    record(musterstadt, month(6), 4, "red", gaps=("cloud-backup", "opt-out"))

    response = english.get(f"/chambers/hwk-musterstadt/statistics.csv?checklist={WHATSAPP}&year={LAST_YEAR}")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="statistics-hwk-musterstadt-whatsapp-business-{LAST_YEAR}.csv"'
    )
    table = _read_csv(response)
    assert table[0] == ["Figure", "Item", "Checks", "Share of all checks (%)"]
    assert ["Chamber", "Handwerkskammer Musterstadt", "", ""] in table
    assert ["Period", f"January to December {LAST_YEAR}", "", ""] in table
    assert ["Checks completed", "Total", "33", "100.0"] in table
    assert ["Result", "Needs work", "9", "27.3"] in table
    assert ["Result", "Urgent action needed", "fewer than 5", ""] in table
    assert ["Result", "In good shape", "hidden", ""] in table
    assert ["Month", f"{LAST_YEAR}-03", "hidden", ""] in table
    assert ["Month", f"{LAST_YEAR}-05", "9", ""] in table
    assert ["Month", f"{LAST_YEAR}-06", "fewer than 5", ""] in table
    gaps = [row for row in table if row[0] == "Gap"]
    assert gaps[0] == ["Gap", "Data processing agreement with WhatsApp is in place and filed", "19", "57.6"]
    assert gaps[1] == ["Gap", "Chat backup to Google Drive or iCloud is switched off", "13", "39.4"]
    assert ["Gap", "'Stop' requests and objections are acted on at once, every time", "fewer than 5", ""] in gaps


def test_the_csv_of_too_small_a_selection_holds_only_the_explanation(english, musterstadt):
    record(musterstadt, month(3), 3, "green", gaps=("avv-whatsapp",))
    table = _read_csv(english.get(f"/chambers/hwk-musterstadt/statistics.csv?year={LAST_YEAR}"))
    assert table[-1][0] == "Note"
    assert "Fewer than 5 members" in table[-1][1]
    assert not any(row[0] in {"Result", "Month", "Gap", "Checks completed"} for row in table)


def test_german_excel_gets_decimal_commas(musterstadt):
    record(musterstadt, month(3), 20, "green")
    record(musterstadt, month(4), 10, "amber")
    with translation.override("de"):
        report = build_report(musterstadt, WHATSAPP, LAST_YEAR, date.today(), TITLES)
        text = csv_text(csv_rows(musterstadt, report))
    assert text.startswith("\ufeff")
    assert ";66,7\r\n" in text


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_is_defused(text):
    assert csv_cell(text) == "'" + text


def test_ordinary_cells_are_left_as_they_are():
    assert csv_cell("Handwerkskammer Musterstadt") == "Handwerkskammer Musterstadt"
    assert csv_cell("27,3") == "27,3"


def test_a_chamber_name_written_as_a_formula_arrives_as_text(english, musterstadt):
    musterstadt.name = "=cmd|' /C calc'!A0"
    musterstadt.save()
    record(musterstadt, month(3), 5, "green")
    table = _read_csv(english.get(f"/chambers/hwk-musterstadt/statistics.csv?year={LAST_YEAR}"))
    assert ["Chamber", "'=cmd|' /C calc'!A0", "", ""] in table


def test_figures_of_another_checklist_are_not_mixed_in(english, musterstadt):
    record(musterstadt, month(3), 6, "green")
    record(musterstadt, month(3), 7, "red", checklist_id="website-basics")
    page = english.get(f"/chambers/hwk-musterstadt/?checklist={WHATSAPP}&year={LAST_YEAR}").content.decode()
    assert "6 checks completed" in page
    page = english.get(f"/chambers/hwk-musterstadt/?checklist=website-basics&year={LAST_YEAR}").content.decode()
    assert "7 checks completed" in page


def test_every_combination_of_bands_in_small_selections_is_either_safe_or_withheld():
    for green, amber, red in itertools.product(range(9), repeat=3):
        data = rows(green, month(1), "green") + rows(amber, month(1), "amber") + rows(red, month(1), "red")
        figures = stats.figures(data, YEAR)
        if figures.state != stats.READY:
            continue
        hidden = [c for _b, c in figures.bands if not c.shown]
        assert len(hidden) != 1, (green, amber, red)


# -- "Betriebe wie Ihrer": a member's check against the chamber's others ------------------------------


def peers(scores: dict[int, int], gaps: dict[str, int] | None = None) -> stats.PeerCounts:
    return stats.PeerCounts(scores=scores, gaps=gaps or {})


def test_a_member_is_told_the_share_of_the_group_with_a_lower_score_rounded_down_to_tens():
    # 13 of 20 scored lower: 65 %, said as "better than 60 %", which is true; 70 would not be.
    assert stats.standing({40: 13, 80: 7}, own=70) == stats.Standing(stats.SHARE, 60)
    assert stats.standing({40: 7, 80: 13}, own=70) == stats.Standing(stats.SHARE, 30)
    # Equal scores are not "worse": 10 of 20 below, 10 at the member's own score.
    assert stats.standing({50: 10, 70: 10}, own=70) == stats.Standing(stats.SHARE, 50)


def test_the_share_never_says_everyone_or_no_one():
    # 5 below and 95 above: 5 %, said as "fewer than 10 %" (percent 0), never "better than 0 %" as a count.
    assert stats.standing({10: 5, 90: 95}, own=50) == stats.Standing(stats.SHARE, 0)
    # 95 below and 5 at or above: floored to 90, never 100.
    assert stats.standing({10: 95, 90: 5}, own=50) == stats.Standing(stats.SHARE, 90)


def test_fewer_than_five_below_or_above_is_said_only_as_fewer_than_five():
    # None below, one below and four below read the same: none of them is given away.
    for below in (0, 1, 4):
        assert stats.standing({10: below, 90: 20}, own=50) == stats.Standing(stats.FEW_BELOW), below
    for above in (1, 4):
        assert stats.standing({10: 20, 90: above}, own=50) == stats.Standing(stats.FEW_ABOVE), above


def test_a_group_split_into_two_small_parts_says_nothing_about_the_score():
    assert stats.standing({10: 4, 90: 4}, own=50) is None
    assert stats.standing({10: 2, 90: 2}, own=50) is None  # and a group under five never


def test_the_frequent_gaps_shown_are_those_the_member_met_that_at_least_five_others_left_open():
    gaps = {"avv": 12, "backup": 9, "notice": 9, "access": 4, "autosave": 30}
    met = ["access", "notice", "backup", "avv"]  # rule-file order; "autosave" is still open for the member
    # Most frequent first, ties in rule-file order; "access" (4) would describe a small group.
    assert stats.closed_gaps(gaps, met) == ("avv", "notice", "backup")
    assert stats.closed_gaps(gaps, ["access", "autosave"]) == ("autosave",)
    assert stats.closed_gaps({"avv": 4}, ["avv"]) == ()


def test_the_own_kind_of_business_is_the_group_when_it_has_at_least_five_checks():
    everyone = peers({30: 50, 90: 50}, {"avv": 60})
    construction = peers({30: 2, 60: 3}, {"backup": 5})
    found = stats.compare(70, ["avv", "backup"], everyone, construction)
    assert found == stats.Comparison(stats.SECTOR, stats.Standing(stats.FEW_ABOVE), ("backup",))


def test_an_own_kind_with_fewer_than_five_checks_falls_back_to_all_members():
    everyone = peers({30: 50, 90: 50}, {"avv": 60})
    construction = peers({30: 4}, {"backup": 4})
    found = stats.compare(70, ["avv", "backup"], everyone, construction)
    assert found == stats.Comparison(stats.ALL_MEMBERS, stats.Standing(stats.SHARE, 50), ("avv",))
    # A member without a kind of business (or "don't know") is compared with all members too.
    assert stats.compare(70, ["avv"], everyone, None).group == stats.ALL_MEMBERS


def test_nothing_is_compared_when_every_group_is_smaller_than_five():
    assert stats.compare(70, ["avv"], peers({30: 4}, {"avv": 4}), peers({30: 3}, {"avv": 3})) is None
    assert stats.compare(70, ["avv"], peers({}), None) is None


def test_a_comparison_with_nothing_to_say_is_not_shown():
    # Five checks, all below, none with a gap the member met: "fewer than five above" is all, and that is shown.
    assert stats.compare(70, [], peers({30: 5}), None) == stats.Comparison(
        stats.ALL_MEMBERS, stats.Standing(stats.FEW_ABOVE), ()
    )
    # Split into two small parts and no frequent gap: nothing left to show.
    assert stats.compare(50, ["avv"], peers({30: 4, 90: 4}, {"avv": 3}), None) is None
