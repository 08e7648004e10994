"""Scoring: which requirements are met, the score and the band.

Formula (documented in docs/rules.md, "Scoring"):
- Each requirement that applies carries a weight by severity: critical 10, high 5, medium 3, low 1.
- points = 100 * (weight of met requirements) / (weight of all applicable ones), rounded half up;
  100 when nothing applies. "Don't know" is never met. Notes are never counted.
- Caps: an open critical gap caps the score at 59 (the top of red); any other open critical or high
  requirement (a gap or to clarify) caps it at 84 (the top of amber).
- score = min(points, cap); the band follows from the score alone: green from 85, amber from 60, red below.
  So the number and the band always agree, and no green stands next to an open high or critical point.
"""

from __future__ import annotations

from collections.abc import Mapping

from .answers import check_answers
from .errors import AnswersError
from .model import UNKNOWN, Checklist, Note, Requirement, Severity
from .result import Cap, Finding, Result, Status

WEIGHTS = {
    Severity.CRITICAL: 10,
    Severity.HIGH: 5,
    Severity.MEDIUM: 3,
    Severity.LOW: 1,
}
GREEN_FROM = 85
AMBER_FROM = 60
RED_CEILING = AMBER_FROM - 1  # the highest score a check with an open critical gap can show
AMBER_CEILING = GREEN_FROM - 1  # the highest score with an open critical or high point
BANDS = ("green", "amber", "red")  # best first


def band_for(score: int) -> str:
    return "green" if score >= GREEN_FROM else "amber" if score >= AMBER_FROM else "red"


def evaluate(checklist: Checklist, raw_answers: object) -> Result:
    """Score answers against a checklist; raise AnswersError listing every problem."""
    check = check_answers(checklist, raw_answers)
    if not check.ok:
        raise AnswersError(check.problems)
    return score(checklist, check.answers)


def score(checklist: Checklist, answers: Mapping[str, str]) -> Result:
    """Score answers that check_answers has already accepted."""
    findings = sorted((_finding(r, answers) for r in checklist.requirements), key=lambda f: f.sort_key)
    applicable = [f for f in findings if f.status is not Status.NOT_APPLICABLE]
    total = sum(WEIGHTS[f.requirement.severity] for f in applicable)
    met = sum(WEIGHTS[f.requirement.severity] for f in applicable if f.status is Status.MET)
    points = 100 if total == 0 else (200 * met + total) // (2 * total)

    cap = _cap(applicable)
    value = points if cap is None else min(points, cap.limit)
    return Result(
        checklist=checklist,
        answers=dict(answers),
        findings=tuple(findings),
        notes=tuple(n for n in checklist.notes if _note_applies(n, answers)),
        score=value,
        band=band_for(value),
        cap=cap if cap is not None and points > cap.limit else None,
    )


def _cap(applicable: list[Finding]) -> Cap | None:
    critical_gaps = [
        f.requirement.id for f in applicable if f.requirement.severity is Severity.CRITICAL and f.status is Status.GAP
    ]
    if critical_gaps:
        return Cap(RED_CEILING, "critical_gap", tuple(critical_gaps))
    serious_open = [
        f.requirement.id
        for f in applicable
        if f.requirement.severity in (Severity.CRITICAL, Severity.HIGH) and f.status.is_open
    ]
    if serious_open:
        return Cap(AMBER_CEILING, "serious_open", tuple(serious_open))
    return None


def _note_applies(note: Note, answers: Mapping[str, str]) -> bool:
    # As for show_if and applies_if: when in doubt, show it.
    return note.applies_if is None or note.applies_if.evaluate(answers) is not False


def _finding(requirement: Requirement, answers: Mapping[str, str]) -> Finding:
    applies = requirement.applies_if.evaluate(answers) if requirement.applies_if else True
    if applies is False:
        return Finding(requirement, Status.NOT_APPLICABLE, ())
    met = requirement.met_if.evaluate(answers)
    if met is True:
        return Finding(requirement, Status.MET, ())
    # Answers that are lawful only under conditions the check cannot see: open, with the rule file's reason.
    for rule in requirement.clarify_if:
        if rule.condition.evaluate(answers) is True:
            return Finding(requirement, Status.TO_CLARIFY, (), rule.reason)
    if met is False:
        return Finding(requirement, Status.GAP, ())
    asked = requirement.met_if.questions() | (requirement.applies_if.questions() if requirement.applies_if else set())
    unclear = tuple(sorted(q for q in asked if answers.get(q) == UNKNOWN))
    return Finding(requirement, Status.TO_CLARIFY, unclear)
