"""Scoring: which requirements are met, the score and the band.

Formula (documented in README.md):
- Each requirement that applies carries a weight by severity:
  critical 10, high 5, medium 3, low 1, info 0.
- score = 100 * (weight of met requirements) / (weight of all applicable ones),
  rounded half up; 100 when nothing weighted applies. "Don't know" is never met.
- Band: green from 85, amber from 60, red below.
- Knock-outs: an open critical gap caps the band at red; a critical requirement
  still "to clarify" caps it at amber. No green while a knock-out is open.
"""

from __future__ import annotations

from collections.abc import Mapping

from .answers import check_answers
from .errors import AnswersError
from .model import UNKNOWN, Checklist, Requirement, Severity
from .result import Finding, Result, Status

WEIGHTS = {
    Severity.CRITICAL: 10,
    Severity.HIGH: 5,
    Severity.MEDIUM: 3,
    Severity.LOW: 1,
    Severity.INFO: 0,
}
GREEN_FROM = 85
AMBER_FROM = 60
BANDS = ("green", "amber", "red")  # best first


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
    value = 100 if total == 0 else (200 * met + total) // (2 * total)

    band = "green" if value >= GREEN_FROM else "amber" if value >= AMBER_FROM else "red"
    critical_open = [f for f in applicable if f.requirement.severity is Severity.CRITICAL and f.status.is_open]
    if any(f.status is Status.GAP for f in critical_open):
        band = "red"
    elif critical_open:
        band = max(band, "amber", key=BANDS.index)
    return Result(
        checklist=checklist,
        answers=dict(answers),
        findings=tuple(findings),
        score=value,
        band=band,
        capped_by=tuple(f.requirement.id for f in critical_open),
    )


def _finding(requirement: Requirement, answers: Mapping[str, str]) -> Finding:
    applies = requirement.applies_if.evaluate(answers) if requirement.applies_if else True
    if applies is False:
        return Finding(requirement, Status.NOT_APPLICABLE, ())
    met = requirement.met_if.evaluate(answers)
    status = Status.MET if met is True else Status.GAP if met is False else Status.TO_CLARIFY
    asked = requirement.met_if.questions() | (requirement.applies_if.questions() if requirement.applies_if else set())
    unclear = tuple(sorted(q for q in asked if answers.get(q) == UNKNOWN)) if status is Status.TO_CLARIFY else ()
    return Finding(requirement, status, unclear)
