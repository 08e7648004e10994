"""The questions of a step page as plain values for templates/wizard/questions.html.

The template writes each question as a fieldset of radio buttons with its help text, its error tied to the
buttons, and the answers that reveal a waiting follow-up (for static/js/wizard.js). The values are the ones
Django's RadioSelect would put there (tests/test_wizard_flow.py and the browser tests check the page).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypedDict

from django.template.loader import render_to_string
from django.utils.translation import get_language


class PageQuestion(TypedDict):
    field: Any  # the step form's bound field
    reveal: str | None  # the answers that reveal a waiting follow-up (JSON for the page script), or None


@dataclass(frozen=True)
class Option:
    id: str
    value: str
    label: str
    checked: bool


@dataclass(frozen=True)
class RadioQuestion:
    name: str
    label: str
    help: str
    errors: str
    error_id: str
    reveal: str | None  # the answers that reveal a waiting follow-up (JSON for the page script), or None
    options: tuple[Option, ...]


def radio_questions(items: Iterable[PageQuestion]) -> tuple[RadioQuestion, ...]:
    """One entry per question of StepForm.page_questions(): names, ids, labels, errors and the checked option."""
    questions = []
    for item in items:
        field = item["field"]
        value = field.value()
        chosen = "" if value is None else str(value)
        auto_id = field.auto_id
        questions.append(
            RadioQuestion(
                name=field.html_name,
                label=str(field.label or ""),
                help=str(field.help_text or ""),
                errors=" ".join(field.errors),
                error_id=f"{auto_id}_error",
                reveal=item["reveal"],
                options=tuple(
                    Option(f"{auto_id}_{index}", str(option), str(label), str(option) == chosen)
                    for index, (option, label) in enumerate(field.field.choices)
                ),
            )
        )
    return tuple(questions)


def questions_html(questions: tuple[RadioQuestion, ...]) -> str:
    """The block's HTML, marked safe by the template engine that escaped every value in it."""
    return _render(get_language() or "", questions)


# Kept: rendering the radio buttons is a third of a step page, and without this cache the wizard falls below
# the bare formtools reference (bench/README.md). Safe by construction: the template sees nothing but the
# frozen values of the key (no request, no context processors) and the active language, the key's first part.
@functools.lru_cache(maxsize=256)
def _render(language: str, questions: tuple[RadioQuestion, ...]) -> str:
    return render_to_string("wizard/questions.html", {"questions": questions})
