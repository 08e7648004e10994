"""Which questions are asked, and whether a set of answers fits the checklist."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field

from .conditions import Condition, as_option_id
from .errors import shown
from .model import UNKNOWN, Checklist, Question, Step


def gettext_noop(message: str) -> str:
    """Marks a message for `makemessages` without importing Django: the interface showing it translates it."""
    return message


@dataclass(frozen=True)
class AnswerIssue:
    """One thing wrong with a set of answers. The message is English with %(name)s placeholders, so that each
    interface can translate it before filling in the values (the workspace import speaks German); str() is
    the English the command line prints."""

    message: str
    params: Mapping[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message % self.params


NOT_A_MAPPING = gettext_noop("answers must be a mapping of question id to answer")
UNKNOWN_QUESTION = gettext_noop("unknown question '%(question)s'")
UNKNOWN_QUESTION_HINT = gettext_noop("unknown question '%(question)s' (did you mean '%(hint)s'?)")
NOT_AN_ANSWER = gettext_noop("'%(value)s' is not an answer to '%(question)s'; choose one of: %(choices)s")
MISSING_ANSWER = gettext_noop("missing answer to '%(question)s' (step '%(step)s'); choose one of: %(choices)s")
IGNORED_ANSWER = gettext_noop("answer to '%(question)s' is ignored: the question is not asked with the other answers")


@dataclass(frozen=True)
class AnswerCheck:
    answers: dict[str, str]  # only the answers to questions that are asked
    issues: list[AnswerIssue] = field(default_factory=list)  # these keep the answers from being scored
    notices: list[AnswerIssue] = field(default_factory=list)  # answers that are ignored

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def problems(self) -> list[str]:
        return [str(issue) for issue in self.issues]

    @property
    def warnings(self) -> list[str]:
        return [str(notice) for notice in self.notices]


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


def first_open_step(checklist: Checklist, answers: Mapping[str, str]) -> str:
    """The first step with a question not answered yet, given the answers (the last step if none is open)."""
    shown = visible_steps(checklist, answers, assume_unknown=True)
    for step, questions in shown:
        if any(q.id not in answers for q in questions):
            return step.id
    return shown[-1][0].id if shown else checklist.steps[0].id


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
        return AnswerCheck({}, [AnswerIssue(NOT_A_MAPPING)])
    issues: list[AnswerIssue] = []
    given: dict[str, str] = {}
    for key, value in raw.items():
        question = checklist.questions.get(key) if isinstance(key, str) else None
        if question is None:
            hint = difflib.get_close_matches(shown(key), list(checklist.questions), n=1)
            unknown = {"question": shown(key)}
            issues.append(
                AnswerIssue(UNKNOWN_QUESTION_HINT, {**unknown, "hint": hint[0]})
                if hint
                else AnswerIssue(UNKNOWN_QUESTION, unknown)
            )
            continue
        option = normalise(question, value)
        if option is None:
            choices = ", ".join(question.option_ids)
            issues.append(AnswerIssue(NOT_AN_ANSWER, {"value": shown(value), "question": key, "choices": choices}))
            continue
        given[key] = option

    asked: dict[str, str] = {}
    for step, questions in visible_steps(checklist, given):
        for question in questions:
            if question.id in given:
                asked[question.id] = given[question.id]
            elif question.id not in raw:
                missing = {"question": question.id, "step": step.id, "choices": ", ".join(question.option_ids)}
                issues.append(AnswerIssue(MISSING_ANSWER, missing))
    notices = [AnswerIssue(IGNORED_ANSWER, {"question": key}) for key in given if key not in asked]
    return AnswerCheck(asked, issues, notices)
