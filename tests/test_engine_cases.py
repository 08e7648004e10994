"""Every case in tests/cases: the engine must reach exactly the expected findings and band."""

import pytest

from compliance_wizard.engine import Status, evaluate
from tests.cases import CASES

pytestmark = pytest.mark.parametrize("case", CASES, ids=str)


def test_case_gives_expected_findings(case, whatsapp):
    assert case.checklist == whatsapp.id
    result = evaluate(whatsapp, case.answers)

    def ids(status):
        return {f.requirement.id for f in result.findings if f.status is status}

    expect = case.expect
    assert ids(Status.GAP) == set(expect.get("gap", []))
    assert ids(Status.TO_CLARIFY) == set(expect.get("to_clarify", []))
    assert ids(Status.NOT_APPLICABLE) == set(expect.get("not_applicable", []))
    assert result.band == expect["band"]
    if "score" in expect:
        assert result.score == expect["score"]
    if "notes" in expect:
        assert [n.id for n in result.notes] == expect["notes"]
    if "capped_by" in expect:
        assert list(result.capped_by) == expect["capped_by"]
