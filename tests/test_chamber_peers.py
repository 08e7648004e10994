"""'Betriebe wie Ihrer': a chamber member's result page says how the check compares with the chamber's
other members who took the same checklist, from the anonymous statistics only.

Tischlerei Nord (construction, 59 points) finishes its check on the Handwerkskammer Musterstadt's site.
It may learn where it stands and which common gaps it has already closed; it must learn nothing that
describes fewer than five other businesses, and reloading its page must not tell it about anyone's check.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from compliance_wizard.assessments.services import assessment_submit, draft_start
from compliance_wizard.catalog import registry
from compliance_wizard.chambers.models import Chamber, CheckStatistic
from compliance_wizard.chambers.statistics import first_of_month
from tests.workspace import neglected_answers

PREFIX = "/hwk/musterstadt"
WHATSAPP = "whatsapp-business"
HEADING = "Betriebe wie Ihrer"


@pytest.fixture
def musterstadt(db):
    return Chamber.objects.create(slug="musterstadt", name="Handwerkskammer Musterstadt")


@pytest.fixture
def member_check(musterstadt):
    """Tischlerei Nord's finished check: construction, 59 points, five gaps (the backup, the AVV ...)."""
    checklist = registry.get(WHATSAPP)
    draft = draft_start(checklist, "de", "Tischlerei Nord", chamber=musterstadt)
    return assessment_submit(draft.token, checklist, neglected_answers())


def last_month() -> date:
    this_month = first_of_month(timezone.localdate())
    return (this_month.replace(day=1) - timezone.timedelta(days=1)).replace(day=1)


def earlier_checks(chamber, n, score, sector="construction", gaps=(), month=None, checklist=WHATSAPP):
    CheckStatistic.objects.bulk_create(
        CheckStatistic(
            chamber=chamber,
            checklist_id=checklist,
            month=month or last_month(),
            band="amber",
            score=score,
            gaps=list(gaps),
            sector=sector,
        )
        for _ in range(n)
    )


def result_page(client, assessment) -> str:
    response = client.get(f"{PREFIX}/result/{assessment.token}/")
    assert response.status_code == 200
    return response.content.decode()


def peers_box(page: str) -> str:
    """The comparison's section, or '' if the page has none."""
    start = page.find('aria-labelledby="peers-heading"')
    return page[start : page.index("</section>", start)] if start >= 0 else ""


def test_the_statistics_row_records_the_kind_of_business(member_check):
    assert CheckStatistic.objects.get().sector == "construction"


def test_a_member_learns_where_the_businesses_of_its_kind_stand(client, musterstadt, member_check):
    # 13 of 20 construction businesses scored lower (65 %), 7 higher.
    earlier_checks(musterstadt, 13, 40, gaps=["cloud-backup", "contact-sync", "consumer-app"])
    earlier_checks(musterstadt, 7, 80, gaps=["consumer-app", "opt-out"])
    earlier_checks(musterstadt, 30, 95, sector="personal_services")  # another kind: not in the group

    box = peers_box(result_page(client, member_check))
    assert HEADING in box
    assert "Betrieben Ihrer Art (Bau und Ausbau" in box
    assert "besser als das von 60 % von ihnen" in box  # rounded down: "65 %" would give a count away
    # The gaps the member closed, most frequent first; the backup is still open for it, so it is not among them.
    titles = {f["id"]: f["title"] for f in member_check.result["de"]["findings"]}
    listed = [titles[r] for r in ("consumer-app", "contact-sync", "opt-out")]
    assert [box.index(title) for title in listed] == sorted(box.index(title) for title in listed)
    assert titles["cloud-backup"] not in box
    assert "20" not in box and "13" not in box  # no counts, no total


def test_a_kind_of_business_with_fewer_than_five_checks_is_compared_with_all_members(client, musterstadt, member_check):
    earlier_checks(musterstadt, 4, 40)  # four construction businesses: too few to be a group
    earlier_checks(musterstadt, 6, 90, sector="personal_services")
    box = peers_box(result_page(client, member_check))
    assert "Mitgliedsbetrieben" in box and "Ihrer Art" not in box
    assert "Weniger als 5 von ihnen haben weniger Punkte als Sie erreicht." in box  # 4 lower, said as "fewer than 5"


def test_fewer_than_five_earlier_checks_show_no_comparison(client, musterstadt, member_check):
    earlier_checks(musterstadt, 4, 40, gaps=["consumer-app"])
    assert HEADING not in result_page(client, member_check)


def test_checks_of_the_members_own_month_are_never_counted(client, musterstadt, member_check):
    # Its own row is in this month; so would be every check finished after it, which reloading would expose.
    earlier_checks(musterstadt, 20, 40, month=first_of_month(timezone.localdate()))
    assert HEADING not in result_page(client, member_check)


def test_other_chambers_and_other_checklists_are_not_counted(client, musterstadt, member_check):
    nordheim = Chamber.objects.create(slug="nordheim", name="Handwerkskammer Nordheim")
    earlier_checks(nordheim, 20, 40)
    earlier_checks(musterstadt, 20, 40, checklist="another-checklist")
    assert HEADING not in result_page(client, member_check)


def test_a_check_outside_a_chamber_gets_no_comparison(client, musterstadt):
    earlier_checks(musterstadt, 20, 40)
    checklist = registry.get(WHATSAPP)
    draft = draft_start(checklist, "de", "Tischlerei Nord")
    finished = assessment_submit(draft.token, checklist, neglected_answers())
    assert HEADING not in client.get(f"/result/{finished.token}/").content.decode()


def test_the_chambers_name_is_shown_as_text(client, musterstadt, member_check):
    musterstadt.name = "Kammer <b>Süd</b>"
    musterstadt.save()
    earlier_checks(musterstadt, 10, 40)
    box = peers_box(result_page(client, member_check))
    assert "Kammer &lt;b&gt;Süd&lt;/b&gt;" in box and "<b>" not in box
