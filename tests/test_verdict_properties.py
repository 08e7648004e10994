"""The verdict's rules hold for every answer set, not only for the personas in tests/cases/."""

import json

from hypothesis import given

from compliance_wizard.catalog.summary import format_summary
from compliance_wizard.engine import Status, check_answers, evaluate, load_checklist
from compliance_wizard.engine.scoring import band_for
from tests.conftest import RULES
from tests.verdict import answer_sets, assert_verdict_holds

WHATSAPP = load_checklist(RULES / "whatsapp-business")


@given(answer_sets(WHATSAPP))
def test_band_and_score_agree_and_serious_points_cap_the_score(answers):
    assert check_answers(WHATSAPP, answers).ok
    assert_verdict_holds(evaluate(WHATSAPP, answers))


@given(answer_sets(WHATSAPP))
def test_every_report_form_carries_the_same_capped_number(answers):
    result = evaluate(WHATSAPP, answers)
    for lang in WHATSAPP.languages:
        data = json.loads(json.dumps(result.to_dict(lang)))
        assert (data["score"], data["band"]["id"]) == (result.score, result.band)
        assert data["band"]["id"] == band_for(data["score"])
        assert f": {result.score}/100 · " in format_summary(data, lang)


@given(answer_sets(WHATSAPP))
def test_notes_apply_when_in_doubt_and_never_change_the_score(answers):
    result = evaluate(WHATSAPP, answers)
    expected = [n.id for n in WHATSAPP.notes if n.applies_if is None or n.applies_if.evaluate(answers) is not False]
    assert [n.id for n in result.notes] == expected
    assert "us-transfer" in expected  # the transfer to the USA is always a residual risk
    data = result.to_dict("de")
    shown = [f for f in data["findings"] if f["status"] == "note"]
    assert [f["id"] for f in shown] == expected
    assert all(f["remediation"] == [] and f["lowers_risk"] for f in shown)


@given(answer_sets(WHATSAPP))
def test_dont_know_never_helps_a_requirement_to_be_met(answers):
    # Met must follow from what is known: without the "don't know" answers the rule still holds.
    known = {q: a for q, a in answers.items() if a != "unknown"}
    result = evaluate(WHATSAPP, answers)
    for finding in result.with_status(Status.MET):
        assert finding.requirement.met_if.evaluate(known) is True, finding.requirement.id


def test_a_business_that_knows_nothing_has_nothing_met():
    answers = {}
    while True:
        check = check_answers(WHATSAPP, answers)
        missing = [i.params["question"] for i in check.issues]
        if not missing:
            break
        answers.update(dict.fromkeys(missing, "unknown"))
    result = evaluate(WHATSAPP, answers)
    assert result.with_status(Status.MET) == []
    assert (result.score, result.band) == (0, "red")
