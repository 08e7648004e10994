"""Which questions are asked, and whether a set of answers fits the checklist."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field

from .conditions import Condition, as_option_id
from .errors import shown
from .model import UNKNOWN, Checklist, Question, Step


@dataclass(frozen=True)
class AnswerCheck:
    answers: dict[str, str]  # only the answers to questions that are asked
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _shown(condition: Condition | None, answers: Mapping[str, str]) -> bool:
    # When in doubt ("don't know" upstream), ask: a needless question is cheaper than a missed one.
    return condition is None or condition.evaluate(answers) is not False


def visible_steps(
    checklist: Checklist, answers: Mapping[str, str], assume_unknown: bool = False
) -> list[tuple[Step, list[Question]]]:
    """The steps and questions asked, given the answers; answers to hidden questions are ignored.

    With assume_unknown, a question not answered yet counts as "don't know": the result is every
    step that may still come, which is what a wizard's "step n of m" must count while in progress.
    """
    kept: dict[str, str] = {}
    result = []
    for step in checklist.steps:
        if not _shown(step.show_if, kept):
            continue
        questions = []
        for question in step.questions:
            if _shown(question.show_if, kept):
                questions.append(question)
                if question.id in answers:
                    kept[question.id] = answers[question.id]
                elif assume_unknown:
                    kept[question.id] = UNKNOWN
        if questions:
            result.append((step, questions))
    return result


def normalise(question: Question, value: object) -> str | None:
    """The option id an answer names, or None if it names none."""
    value = as_option_id(value)
    if isinstance(value, str) and value.strip() in question.option_ids:
        return value.strip()
    return None


def check_answers(checklist: Checklist, raw: object) -> AnswerCheck:
    """Validate raw answers: unknown questions, invalid options and missing answers are problems."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        return AnswerCheck({}, ["answers must be a mapping of question id to answer"])
    problems: list[str] = []
    given: dict[str, str] = {}
    for key, value in raw.items():
        question = checklist.questions.get(key) if isinstance(key, str) else None
        if question is None:
            hint = difflib.get_close_matches(shown(key), list(checklist.questions), n=1)
            problems.append(f"unknown question '{shown(key)}'" + (f" (did you mean '{hint[0]}'?)" if hint else ""))
            continue
        option = normalise(question, value)
        if option is None:
            problems.append(
                f"'{shown(value)}' is not an answer to '{key}'; choose one of: {', '.join(question.option_ids)}"
            )
            continue
        given[key] = option

    asked: dict[str, str] = {}
    for step, questions in visible_steps(checklist, given):
        for question in questions:
            if question.id in given:
                asked[question.id] = given[question.id]
            elif question.id not in raw:
                problems.append(
                    f"missing answer to '{question.id}' (step '{step.id}'); "
                    f"choose one of: {', '.join(question.option_ids)}"
                )
    warnings = [
        f"answer to '{key}' is ignored: the question is not asked with the other answers"
        for key in given
        if key not in asked
    ]
    return AnswerCheck(asked, problems, warnings)
