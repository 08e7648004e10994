"""formtools storage backed by the draft assessment instead of the session.

The session would lose the answers when it expires, and formtools' session storage resets them
on every GET; the draft row survives reloads, the back button, expired sessions and restarts.
The draft keeps only clean answers (option ids by question id), the single source of truth.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.datastructures import MultiValueDict
from formtools.wizard.storage.base import BaseStorage

from compliance_wizard.assessments.models import Assessment
from compliance_wizard.assessments.services import draft_save
from compliance_wizard.engine import Checklist


class DraftStorage(BaseStorage):
    def __init__(self, prefix: str, request: object, assessment: Assessment, checklist: Checklist) -> None:
        super().__init__(prefix, request)
        self.assessment = assessment
        self.checklist = checklist
        self.answers: dict[str, str] = dict(assessment.answers or {})
        self.answers_version = 0  # counts changes of `answers`, so that the view knows when to work out the path again
        self.steps = {step.id: step for step in checklist.steps}
        self.init_data()
        self.data[self.step_key] = assessment.current_step or None
        self.changed = False

    def _set_current_step(self, step: str | None) -> None:
        if step != self.data[self.step_key]:
            self.changed = True
        super()._set_current_step(step)

    def get_step_data(self, step: str) -> MultiValueDict | None:
        questions = self.steps[step].questions if step in self.steps else ()
        data = {f"{step}-{q.id}": [self.answers[q.id]] for q in questions if q.id in self.answers}
        return MultiValueDict(data) if data else None

    def set_step_data(self, step: str, cleaned_data: Mapping[str, object]) -> None:
        """Keep the step's valid option ids from form data (prefixed field names, as posted)."""
        if step not in self.steps:
            return
        for question in self.steps[step].questions:
            value = cleaned_data.get(f"{step}-{question.id}")
            if isinstance(value, list):
                value = value[-1] if value else None
            if isinstance(value, str) and value in question.option_ids:
                self.answers[question.id] = value
            else:
                self.answers.pop(question.id, None)
        self.answers_version += 1
        self.changed = True

    def get_step_files(self, step: str) -> None:
        return None

    def set_step_files(self, step: str, files: object) -> None:
        return None

    def reset(self) -> None:
        # Called by formtools after done(): the assessment is finished and keeps its answers.
        self.init_data()
        self.changed = False

    def update_response(self, response: object) -> None:
        if self.changed and self.data[self.step_key]:
            draft_save(self.assessment, self.answers, self.data[self.step_key])
            self.changed = False
