"""The questions of a step page as plain data, so that the template renders them in one pass.

Django renders a RadioSelect through one template per radio button, and even iterating a bound
field builds each button's widget context: on a page of radio questions that is a large part of the
cost of a step. The markup stays in templates/wizard/step.html; this only prepares the values, the
same ones Django's RadioSelect would put there (tests/test_wizard_flow.py and the browser tests check
the page).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def radio_questions(items: Iterable[Mapping[str, object]]) -> list[dict[str, object]]:
    """One entry per question of StepForm.page_questions(): names, ids, labels, errors and the checked option."""
    questions = []
    for item in items:
        field = item["field"]
        value = field.value()  # type: ignore[attr-defined]
        chosen = "" if value is None else str(value)
        auto_id = field.auto_id  # type: ignore[attr-defined]
        errors = field.errors  # type: ignore[attr-defined]
        questions.append(
            {
                "field": field,
                "reveal": item["reveal"],
                "name": field.html_name,  # type: ignore[attr-defined]
                "label": field.label,  # type: ignore[attr-defined]
                "help": field.help_text,  # type: ignore[attr-defined]
                "errors": " ".join(errors),
                "error_id": f"{auto_id}_error",
                "options": [
                    {"id": f"{auto_id}_{index}", "value": option, "label": label, "checked": str(option) == chosen}
                    for index, (option, label) in enumerate(field.field.choices)  # type: ignore[attr-defined]
                ],
            }
        )
    return questions
