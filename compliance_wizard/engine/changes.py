"""What a change of the rule files means for answers given to an earlier version of the checklist.

A draft remembers the question ids it was asked against (its outline). When the checklist has changed
since, the answers to questions that are gone and answers naming an option that is gone are dropped;
everything else is kept, and the new questions are asked like any unanswered one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .answers import visible_steps
from .model import Checklist


def question_outline(checklist: Checklist) -> list[str]:
    """The question ids of a checklist, in order: what a draft keeps to compare with a later version."""
    return list(checklist.questions)


@dataclass(frozen=True)
class ChecklistUpdate:
    answers: dict[str, str]  # the answers that still fit the checklist
    new_questions: tuple[str, ...]  # added since the outline and asked (unless a later answer hides them)
    removed_questions: tuple[str, ...]  # answered, and no longer in the checklist
    withdrawn_answers: tuple[str, ...]  # questions whose chosen option is no longer offered: asked again

    @property
    def affects_answers(self) -> bool:
        return bool(self.new_questions or self.removed_questions or self.withdrawn_answers)


def checklist_update(
    checklist: Checklist, answers: Mapping[str, str], previous: Iterable[str] | None
) -> ChecklistUpdate:
    """Fit `answers`, given to a checklist with the question ids `previous`, to `checklist`.

    Without `previous` (a draft from before outlines were kept) new questions cannot be told apart from
    unanswered ones, and none are reported as new.
    """
    kept: dict[str, str] = {}
    removed: list[str] = []
    withdrawn: list[str] = []
    for question_id, option in answers.items():
        question = checklist.questions.get(question_id)
        if question is None:
            removed.append(question_id)
        elif option not in question.option_ids:
            withdrawn.append(question_id)
        else:
            kept[question_id] = option
    known = set(previous) if previous is not None else set(checklist.questions)
    asked = {q.id for _step, questions in visible_steps(checklist, kept, assume_unknown=True) for q in questions}
    new = tuple(q for q in checklist.questions if q not in known and q in asked)
    return ChecklistUpdate(kept, new, tuple(removed), tuple(withdrawn))
