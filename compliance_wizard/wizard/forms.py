"""Forms built from the rule files: a start form, and one form class per checklist step."""

from __future__ import annotations

import json
from collections.abc import Mapping
from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _

from compliance_wizard.catalog.registry import language_for
from compliance_wizard.chambers.models import Chamber
from compliance_wizard.engine import Checklist, Question, Step
from compliance_wizard.engine.answers_file import MAX_NAME, MAX_WEBSITE, clean_name, website_problem

from .page import PageQuestion


class StartForm(forms.Form):
    business_name = forms.CharField(
        label=_("Name of your business (optional)"),
        help_text=_("Used only to fill in the text templates and the report."),
        max_length=MAX_NAME,
        required=False,
    )
    website = forms.CharField(
        label=_("Your website (optional)"),
        help_text=_("For example www.example.de. It goes into the privacy policy text."),
        max_length=MAX_WEBSITE,
        required=False,
    )

    def clean_business_name(self) -> str:
        return clean_name(self.cleaned_data["business_name"])

    def clean_website(self) -> str:
        return clean_website(self.cleaned_data["website"])


def clean_website(value: str) -> str:
    """An http(s) address, with https:// added when typed without a scheme; empty stays empty."""
    website = value.strip()
    if website and "://" not in website:
        website = "https://" + website  # people type "www.example.de"
    if len(website) > MAX_WEBSITE:
        # Only reached through the https:// added above: the field's own limit counts what was typed.
        raise forms.ValidationError(
            _("With https:// in front, the address may have at most %(max)d characters; it has %(length)d."),
            params={"max": MAX_WEBSITE, "length": len(website)},
        )
    # website_problem() has parsed the address (and refused what urlsplit cannot read) before the host is read.
    if website_problem(website) or (website and "." not in (urlsplit(website).hostname or "")):
        raise forms.ValidationError(_("Please enter a web address such as www.example.de, or leave it empty."))
    return website


class StepForm(forms.Form):
    """The questions of one step. Which ones are asked depends on earlier answers and on this step's own."""

    checklist: Checklist
    step: Step

    def __init__(
        self,
        *args: object,
        known: Mapping[str, str] | None = None,
        chamber: Chamber | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Answers from the steps before this one: they decide which questions are asked here.
        self.known = dict(known or {})
        self.answers: dict[str, str] = {}
        lang = language_for(self.checklist)
        sector = self.checklist.sector_question
        for question in self.step.questions:
            options = question.options
            if question.id == sector and chamber is not None and chamber.sectors:
                options = tuple(o for o in options if chamber.offers_sector(o.id))
                chosen = [o.id for o in options if o.id in chamber.sectors]
                if len(chosen) == 1 and not self.is_bound:
                    # A chamber of one trade answers for its members; they can still choose "don't know".
                    self.initial.setdefault(question.id, chosen[0])
            self.fields[question.id] = forms.ChoiceField(
                label=question.text.get(lang),
                help_text=question.help.get(lang),
                choices=[(o.id, o.label.get(lang)) for o in options],
                widget=forms.RadioSelect,
                required=False,  # required only if shown; decided in clean()
                error_messages={"invalid_choice": _("Please choose one of the answers offered.")},
            )

    def _values(self) -> dict[str, str]:
        """This step's answers as they stand: posted data if bound, else the saved answers."""
        values = {}
        for question in self.step.questions:
            if self.is_bound:
                value = self.data.get(self.add_prefix(question.id))
            else:
                value = self.initial.get(question.id)
            if isinstance(value, str) and value in question.option_ids:
                values[question.id] = value
        return values

    def shown_questions(self) -> list[Question]:
        values = self._values()
        own = {q.id for q in self.step.questions}
        answers = dict(self.known)
        shown = []
        for question in self.step.questions:
            if question.show_if is not None:
                state = question.show_if.evaluate(answers)
                if state is False:
                    continue
                # Progressive disclosure: a follow-up waits until the question it depends on is answered.
                if state is None and any(q in own and q not in values for q in question.show_if.questions()):
                    continue
            shown.append(question)
            if question.id in values:
                answers[question.id] = values[question.id]
        return shown

    def page_questions(self) -> list[PageQuestion]:
        """Every question for the page in order: shown ones, and follow-ups waiting for one answer here.

        A waiting follow-up is rendered hidden with the answers that reveal it, so the page script can
        show it at once; without the script the server asks it after the next submit.
        """
        shown = self.shown_questions()
        shown_ids = {q.id for q in shown}
        own = {q.id: q for q in self.step.questions}
        answers = {**self.known, **{k: v for k, v in self._values().items() if k in shown_ids}}
        items: list[PageQuestion] = []
        for question in self.step.questions:
            if question.id in shown_ids:
                items.append({"field": self[question.id], "reveal": None})
                continue
            refs = question.show_if.questions() & own.keys() if question.show_if else set()
            if len(refs) != 1:
                continue
            ref = own[next(iter(refs))]
            condition = question.show_if
            assert condition is not None
            values = [o for o in ref.option_ids if condition.evaluate({**answers, ref.id: o}) is not False]
            if values:
                reveal = json.dumps({"name": self.add_prefix(ref.id), "values": values})
                items.append({"field": self[question.id], "reveal": reveal})
        return items

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        self.answers = {}
        for question in self.shown_questions():
            value = cleaned.get(question.id)
            if value:
                self.answers[question.id] = str(value)
            elif question.id not in self.errors:
                self.add_error(question.id, _("Please choose an answer."))
        return cleaned


def step_form(checklist: Checklist, step: Step) -> type[StepForm]:
    attrs = {"checklist": checklist, "step": step}
    return type(f"StepForm_{step.id}", (StepForm,), attrs)
