"""formtools storage backed by the draft assessment instead of the session.

The session would lose the answers when it expires, and formtools' session storage resets them on every
GET; the draft row survives reloads, the back button, expired sessions and restarts. The draft keeps only
clean answers (option ids by question id), the single source of truth.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.datastructures import MultiValueDict
from formtools.wizard.storage.base import BaseStorage

from compliance_wizard.assessments.models import Assessment
from compliance_wizard.assessments.services import draft_save
from compliance_wizard.catalog import registry
from compliance_wizard.engine import visible_steps

# formtools creates a storage from the prefix and the request alone; views.draft() puts the draft it has
# checked (it exists, is on this site, is not finished) on the request under this name.
DRAFT_ATTRIBUTE = "check_draft"


class DraftStorage(BaseStorage):
    def __init__(self, prefix: str, request: object = None, file_storage: object = None) -> None:
        super().__init__(prefix, request, file_storage)
        self.assessment: Assessment = getattr(request, DRAFT_ATTRIBUTE)
        self.checklist = registry.get(self.assessment.checklist_id)
        self.answers: dict[str, str] = dict(self.assessment.answers or {})
        self.answers_version = 0  # counts changes of `answers`, so that the view knows when to work out the path again
        self.steps = {step.id: step for step in self.checklist.steps}
        self.init_data()
        self.data[self.step_key] = self.assessment.current_step or None
        self.changed = False

    @property
    def current_step(self) -> str | None:
        return self.data[self.step_key]

    @current_step.setter
    def current_step(self, step: str | None) -> None:
        # A new current step is saved with the draft too, so that the resume link opens where the user was.
        if step != self.data[self.step_key]:
            self.changed = True
        self.data[self.step_key] = step

    def get_step_data(self, step: str) -> MultiValueDict | None:
        """The step's answers as posted form data, but only once every question it asks is answered.

        formtools binds a step's form to this data, on its page and when it checks every step before the
        result: a step answered only in part (the user went back halfway) opens unbound, its answers shown
        as initial values without error messages, and fails the final check.
        """
        asked = next((questions for s, questions in visible_steps(self.checklist, self.answers) if s.id == step), [])
        if not asked or any(q.id not in self.answers for q in asked):
            return None
        return MultiValueDict({f"{step}-{q.id}": [self.answers[q.id]] for q in asked})

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
            # Under the rules this worker serves the step from: a draft moved on meanwhile is not overwritten.
            draft_save(self.assessment, self.answers, self.data[self.step_key], self.checklist.content_hash)
            self.changed = False
