"""What every verdict must satisfy, whatever the answers: shared by the engine's property tests and the
tests that read the same verdict off the result page, the PDF, `assess --json` and the statistics rows."""

from __future__ import annotations

import math
from fractions import Fraction

from hypothesis import strategies as st

from compliance_wizard.engine import Checklist, Result, Status
from compliance_wizard.engine.answers import visible_steps
from compliance_wizard.engine.scoring import AMBER_CEILING, RED_CEILING, WEIGHTS, band_for


@st.composite
def answer_sets(draw, checklist: Checklist) -> dict[str, str]:
    """A complete set of answers as a person gives them: each question that is asked, in order, gets one
    of its options (the wizard's own rule for what is asked decides which questions come)."""
    answers: dict[str, str] = {}
    while True:
        asked = [q for _step, questions in visible_steps(checklist, answers) for q in questions]
        missing = [q for q in asked if q.id not in answers]
        if not missing:
            return answers
        question = missing[0]
        answers[question.id] = draw(st.sampled_from(question.option_ids), label=question.id)


def points(result: Result) -> int:
    """The uncapped score, computed here again from the formula in docs, not taken from the engine."""
    applicable = [f for f in result.findings if f.status is not Status.NOT_APPLICABLE]
    total = sum(WEIGHTS[f.requirement.severity] for f in applicable)
    met = sum(WEIGHTS[f.requirement.severity] for f in applicable if f.status is Status.MET)
    return 100 if total == 0 else math.floor(Fraction(100 * met, total) + Fraction(1, 2))


def expected_verdict(result: Result) -> tuple[int, str]:
    """Score and band by the rules of the issue: a critical gap caps at the top of red, any other open
    high or critical point at the top of amber, and the band is the band of the shown score."""
    severities_open = {(f.requirement.severity.value, f.status) for f in result.findings if f.status.is_open}
    score = points(result)
    if ("critical", Status.GAP) in severities_open:
        score = min(score, RED_CEILING)
    elif any(severity in ("critical", "high") for severity, _status in severities_open):
        score = min(score, AMBER_CEILING)
    return score, band_for(score)


def assert_verdict_holds(result: Result) -> None:
    score, band = expected_verdict(result)
    assert (result.score, result.band) == (score, band)
    open_severities = {f.requirement.severity.value for f in result.findings if f.status.is_open}
    if any(f.requirement.severity.value == "critical" and f.status is Status.GAP for f in result.findings):
        assert result.band == "red" and result.score <= RED_CEILING
    if open_severities & {"critical", "high"}:
        assert result.band != "green" and result.score <= AMBER_CEILING
    # Notes are shown, never counted, never a gap.
    note_ids = {n.id for n in result.notes}
    assert not note_ids & {f.requirement.id for f in result.findings}
