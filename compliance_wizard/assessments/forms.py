"""The details for the documents: what a business fills in once so that its texts come out complete."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from compliance_wizard.engine import Checklist
from compliance_wizard.engine.details import CHAT_DELETION, DETAIL_LIMITS, clean_detail


class PlainTextField(forms.CharField):
    """One line of plain text: control and bidi characters removed before the length is checked."""

    def to_python(self, value: Any) -> str:
        return clean_detail(super().to_python(value))


class WebAddressField(forms.URLField):
    # Django's URLField also accepts ftp://; a link in a privacy text must open in a browser.
    default_validators = [URLValidator(schemes=["http", "https"])]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(assume_scheme="https", **kwargs)

    def to_python(self, value: Any) -> str:
        return str(super().to_python(clean_detail(value)))


_PERIODS = {"1": _("one month"), "3": _("three months"), "6": _("six months"), "12": _("twelve months")}


class DetailsForm(forms.Form):
    controller_name = PlainTextField(
        max_length=DETAIL_LIMITS["controller_name"], label=_("Name of the business"), required=False
    )
    controller_address = PlainTextField(
        max_length=DETAIL_LIMITS["controller_address"],
        label=_("Postal address"),
        help_text=_("Street, postcode and town."),
        required=False,
        widget=forms.Textarea,
    )
    email = forms.EmailField(max_length=DETAIL_LIMITS["email"], label=_("Contact e-mail address"), required=False)
    phone = PlainTextField(max_length=DETAIL_LIMITS["phone"], label=_("Contact phone number"), required=False)
    dpo_name = PlainTextField(
        max_length=DETAIL_LIMITS["dpo_name"],
        label=_("Data protection officer: name"),
        help_text=_("Only if you have named one. An external service provider is fine too."),
        required=False,
    )
    dpo_contact = PlainTextField(
        max_length=DETAIL_LIMITS["dpo_contact"], label=_("Data protection officer: e-mail or phone"), required=False
    )
    imprint_url = WebAddressField(
        max_length=DETAIL_LIMITS["imprint_url"],
        label=_("Address of your legal notice (Impressum)"),
        help_text=_("For example https://www.example.de/impressum"),
        required=False,
    )
    privacy_url = WebAddressField(
        max_length=DETAIL_LIMITS["privacy_url"],
        label=_("Address of your privacy policy"),
        help_text=_("For example https://www.example.de/datenschutz"),
        required=False,
    )
    state = forms.ChoiceField(
        label=_("Federal state (Bundesland) of your business"),
        help_text=_("It decides which data protection authority is responsible for you."),
        required=False,
    )
    bsp_name = PlainTextField(
        max_length=DETAIL_LIMITS["bsp_name"],
        label=_("Service provider that connects you to WhatsApp: name and address"),
        required=False,
    )
    bsp_location = PlainTextField(
        max_length=DETAIL_LIMITS["bsp_location"],
        label=_("Where the service provider's servers are"),
        help_text=_("The country, as named in its contract."),
        required=False,
    )
    chat_deletion = forms.ChoiceField(
        label=_("Delete settled chats after at most"),
        # The engine words each period for the documents; a period it does not know fails here, at import.
        choices=[("", _("not decided yet")), *((months, _PERIODS[months]) for months in CHAT_DELETION)],
        required=False,
    )

    def __init__(self, *args: Any, checklist: Checklist, lang: str, asked: Collection[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["controller_address"].widget.attrs["rows"] = "3"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs.update(autocomplete="tel", type="tel")
        states = sorted(checklist.authorities.values(), key=lambda a: a.state_name.get(lang))
        self.fields["state"].choices = [("", _("please choose")), *((a.state, a.state_name.get(lang)) for a in states)]
        # The rule files say which details only some answers need (a provider only if the business uses one).
        for name in [name for name in self.fields if name in DETAIL_LIMITS and name not in asked]:
            del self.fields[name]

    def details(self) -> dict[str, str]:
        """The cleaned details, without the empty ones."""
        return {name: str(value) for name, value in self.cleaned_data.items() if value}
