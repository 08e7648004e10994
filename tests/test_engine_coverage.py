"""The case file is a specification of the whole checklist: each requirement is seen met and as a gap."""

from compliance_wizard.engine import Status, evaluate
from tests.cases import CASES


def statuses_seen(whatsapp):
    seen = {r.id: set() for r in whatsapp.requirements}
    for case in CASES:
        for finding in evaluate(whatsapp, case.answers).findings:
            seen[finding.requirement.id].add(finding.status)
    return seen


def test_every_requirement_is_both_a_gap_and_met_in_some_case(whatsapp):
    seen = statuses_seen(whatsapp)
    never_gap = sorted(r for r, s in seen.items() if Status.GAP not in s)
    never_met = sorted(r for r, s in seen.items() if Status.MET not in s)
    assert never_gap == [], f"no case shows these as a gap: {never_gap}"
    assert never_met == [], f"no case shows these as met: {never_met}"


def test_every_requirement_can_be_left_to_clarify(whatsapp):
    seen = statuses_seen(whatsapp)
    assert sorted(r for r, s in seen.items() if Status.TO_CLARIFY not in s) == []
