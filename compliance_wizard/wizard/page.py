"""The questions of a step page, rendered once for each distinct content and then reused.

Rendering the radio buttons is most of the cost of a step page: Django renders a RadioSelect through one
template per button, and even a template loop over prepared values resolves a dozen variables per button.
Yet the block varies little: everyone who opens a step for the first time sees the same questions with
nothing chosen. So the block is described by plain, hashable values (every input of
templates/wizard/questions.html, the language included) and rendered at most once per description and
process. The values are the ones Django's RadioSelect would put there (tests/test_wizard_flow.py and the
browser tests check the page).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.translation import get_language


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


def radio_questions(items: Iterable[Mapping[str, object]]) -> tuple[RadioQuestion, ...]:
    """One entry per question of StepForm.page_questions(): names, ids, labels, errors and the checked option."""
    questions = []
    for item in items:
        field = item["field"]
        value = field.value()  # type: ignore[attr-defined]
        chosen = "" if value is None else str(value)
        auto_id = field.auto_id  # type: ignore[attr-defined]
        questions.append(
            RadioQuestion(
                name=field.html_name,  # type: ignore[attr-defined]
                label=str(field.label or ""),  # type: ignore[attr-defined]
                help=str(field.help_text or ""),  # type: ignore[attr-defined]
                errors=" ".join(field.errors),  # type: ignore[attr-defined]
                error_id=f"{auto_id}_error",
                reveal=item["reveal"],  # type: ignore[arg-type]
                options=tuple(
                    Option(f"{auto_id}_{index}", str(option), str(label), str(option) == chosen)
                    for index, (option, label) in enumerate(field.field.choices)  # type: ignore[attr-defined]
                ),
            )
        )
    return tuple(questions)


def questions_html(questions: tuple[RadioQuestion, ...]) -> str:
    """The block's HTML, marked safe by the template engine that escaped every value in it."""
    return _render(get_language() or "", questions)


# Bounded (a block is a few kilobytes): the blocks of a step differ only in the answers chosen and the errors
# shown, and most pages are opened with nothing chosen yet.
@functools.lru_cache(maxsize=256)
def _render(language: str, questions: tuple[RadioQuestion, ...]) -> str:
    # Called within the request, so the template's own texts are in `language`, the key's first part.
    return render_to_string("wizard/questions.html", {"questions": questions})
