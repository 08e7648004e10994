"""The chamber staff's forms: which statistics to show, and how the chamber's member site looks."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from compliance_wizard.branding.fields import AccentColorField, FreeTextField, LogoField
from compliance_wizard.catalog import registry
from compliance_wizard.engine.answers_file import clean_name

from .models import Chamber


def _column(name: str) -> int:
    """The model column's size: a longer form limit would be a database error (on PostgreSQL) instead of a message."""
    return int(Chamber._meta.get_field(name).max_length or 0)


class StatisticsFilterForm(forms.Form):
    """One checklist and one calendar year at a time; statistics.py says why nothing wider or overlapping."""

    checklist = forms.ChoiceField(label=_("Checklist"))
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args: Any, checklists: Sequence[tuple[str, str]], years: Sequence[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["checklist"].choices = list(checklists)
        self.fields["year"].choices = [(year, str(year)) for year in years]


class HttpsURLField(forms.URLField):
    """A web address that is sent encrypted; typed without a scheme it gets https://."""

    default_error_messages = {
        "invalid": _("Please enter a complete web address, for example https://www.hwk-musterstadt.de/impressum."),
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(assume_scheme="https", max_length=_column("imprint_url"), required=False, **kwargs)

    def validate(self, value: str) -> None:
        super().validate(value)
        try:
            scheme = urlsplit(value).scheme if value else ""
        except ValueError:  # e.g. "[]", which URLField lets through as "https://[]" for its validator to judge
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if value and scheme != "https":
            raise ValidationError(
                _("Please enter an address that starts with https://; pages without encryption are not linked."),
                code="insecure",
            )


class ChamberSettingsForm(forms.Form):
    """What the chamber's staff set themselves. Slug and host name stay with the installation's admin."""

    name = forms.CharField(
        label=_("Name of the chamber"),
        max_length=_column("name"),
        help_text=_("Shown on every page of your members' check and on the cover of their reports."),
        error_messages={"required": _("Please enter the chamber's name.")},
    )
    logo = LogoField()
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)
    brand_color = AccentColorField(label=_("Brand colour"))
    contact_name = forms.CharField(
        label=_("Contact person"),
        required=False,
        max_length=_column("contact_name"),
        help_text=_("Whom members can ask about the check."),
    )
    contact_email = forms.EmailField(
        label=_("Contact e-mail address"),
        required=False,
        max_length=_column("contact_email"),  # Django's validator alone lets 320 characters through
        error_messages={"invalid": _("Please enter an e-mail address such as datenschutz@hwk-musterstadt.de.")},
    )
    address = FreeTextField(label=_("Address"), required=False, max_length=_column("address"))
    greeting = FreeTextField(
        label=_("Greeting on your members' home page"),
        required=False,
        max_length=_column("greeting"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Shown first on the home page of your members' check, in your own words. Plain text; an empty "
            "line starts a new paragraph. At most 1,000 characters."
        ),
    )
    imprint_url = HttpsURLField(label=_("Address of your Impressum (legal notice)"))
    privacy_url = HttpsURLField(label=_("Address of your privacy policy"))
    accessibility_url = HttpsURLField(label=_("Address of your accessibility statement"))
    checklists = forms.MultipleChoiceField(
        label=_("Checklists your members can use"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("With every box ticked, checklists added to this installation later are offered as well."),
        error_messages={"required": _("Please choose at least one checklist.")},
    )
    sectors = forms.MultipleChoiceField(
        label=_("Kinds of business among your members"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The check asks each business what kind it is and offers only the kinds ticked here, and "
            "“don't know”. With exactly one ticked, it is chosen in advance. With every box ticked, all kinds "
            "are offered, including any added to the checklists later."
        ),
        error_messages={"required": _("Please choose at least one kind of business.")},
    )

    # The model fields this form writes; everything else (slug, host) is left as it is.
    FIELDS = (
        "name",
        "brand_color",
        "contact_name",
        "contact_email",
        "address",
        "greeting",
        "imprint_url",
        "privacy_url",
        "accessibility_url",
        "checklists",
        "sectors",
    )

    def __init__(self, *args: Any, chamber: Chamber, checklists: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        offered = chamber.checklists or [checklist_id for checklist_id, _title in checklists]
        sectors = registry.sector_choices()
        kinds = chamber.sectors or [sector for sector, _label in sectors]
        initial = {name: getattr(chamber, name) for name in self.FIELDS} | {"checklists": offered, "sectors": kinds}
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["checklists"].choices = list(checklists)
        self.fields["sectors"].choices = sectors
        if not sectors:  # no checklist asks for the kind of business: nothing to choose
            self.fields["sectors"].required = False
        self.chamber = chamber

    def clean_name(self) -> str:
        name = clean_name(self.cleaned_data["name"])
        if not name:
            raise ValidationError(_("Please enter the chamber's name."))
        return name

    def clean_contact_name(self) -> str:
        return clean_name(self.cleaned_data["contact_name"])

    def clean_address(self) -> str:
        # Lines matter in an address, empty ones do not.
        lines = (" ".join(line.split()) for line in self.cleaned_data["address"].splitlines())
        return "\n".join(line for line in lines if line)

    def clean_greeting(self) -> str:
        # Paragraphs matter; control and bidi characters (which could turn the text around) do not.
        paragraphs = re.split(r"\n\s*\n", self.cleaned_data["greeting"].replace("\r\n", "\n"))
        cleaned = ("\n".join(filter(None, (clean_name(line) for line in p.splitlines()))) for p in paragraphs)
        return "\n\n".join(p for p in cleaned if p)

    def clean_checklists(self) -> list[str]:
        # Stored as the model reads it: an empty list is "every checklist", now and later.
        chosen = set(self.cleaned_data["checklists"])
        ids = [checklist_id for checklist_id, _title in self.fields["checklists"].choices]
        return [] if chosen == set(ids) else [checklist_id for checklist_id in ids if checklist_id in chosen]

    def clean_sectors(self) -> list[str]:
        # As with the checklists: every kind ticked is stored as "all of them", now and later.
        chosen = set(self.cleaned_data["sectors"])
        ids = [sector for sector, _label in self.fields["sectors"].choices]
        return [] if chosen == set(ids) else [sector for sector in ids if sector in chosen]

    def save(self) -> Chamber:
        chamber = self.chamber
        for name in self.FIELDS:
            setattr(chamber, name, self.cleaned_data[name])
        if self.cleaned_data["logo"] is not None:
            chamber.logo = self.cleaned_data["logo"]
        elif self.cleaned_data["remove_logo"]:
            chamber.logo = None
        # Only these columns: an admin changing the host name meanwhile keeps their change.
        chamber.save(update_fields=[*self.FIELDS, "logo"])
        return chamber
