"""The workspace's forms. Every text has a length limit, checked here and not only in the browser."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from compliance_wizard.branding.fields import AccentColorField, FreeTextField, LogoField
from compliance_wizard.engine import Checklist
from compliance_wizard.engine.answers_file import clean_name
from compliance_wizard.wizard.forms import clean_website

from .exchange import MAX_IMPORT_BYTES
from .models import MAX_ADDRESS, MAX_COMMENT, MAX_INTRO, MAX_NAME, Client, Consultant


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = ["name", "contact_person", "website", "notes"]
        labels = {
            "name": _("Business name"),
            "contact_person": _("Contact person"),
            "website": _("Website"),
            "notes": _("Notes"),
        }
        help_texts = {
            "name": _("Goes on the report and into the text templates."),
            "website": _("For example www.example.de."),
            "notes": _("Only you see these notes; they are not part of the report."),
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}
        field_classes = {"notes": FreeTextField}
        error_messages = {"name": {"required": _("Please enter the business name.")}}

    def clean_name(self) -> str:
        name = clean_name(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(_("Please enter the business name."))
        return name

    def clean_contact_person(self) -> str:
        return clean_name(self.cleaned_data["contact_person"])

    def clean_website(self) -> str:
        return clean_website(self.cleaned_data["website"])


class NewAssessmentForm(forms.Form):
    checklist = forms.ChoiceField(label=_("Checklist"))
    language = forms.ChoiceField(
        label=_("Language of the check and report"), choices=[("de", "Deutsch"), ("en", "English")]
    )

    def __init__(self, *args: Any, checklists: Sequence[Checklist] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["checklist"].choices = [(c.id, c.title.get("de")) for c in checklists]


class FindingNoteForm(forms.Form):
    comment = FreeTextField(
        label=_("Your comment"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: discussed on 12 May, device swap ordered."),
    )
    responsible = forms.CharField(label=_("Responsible"), required=False, max_length=MAX_NAME)
    due_date = forms.DateField(
        label=_("Due by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={"invalid": _("Please enter a date such as 2026-05-12 or 12.05.2026.")},
    )

    def clean_responsible(self) -> str:
        return clean_name(self.cleaned_data["responsible"])


class BrandingForm(forms.Form):
    display_name = forms.CharField(
        label=_("Your name or your firm's name"),
        max_length=MAX_NAME,
        help_text=_("On the cover and in the footer of your clients' reports."),
        error_messages={"required": _("Please enter the name your reports should carry.")},
    )
    address = FreeTextField(label=_("Address"), required=False, max_length=MAX_ADDRESS)
    accent_color = AccentColorField(
        label=_("Accent colour"),
        widget=forms.TextInput(attrs={"size": 8, "spellcheck": "false", "autocomplete": "off"}),
    )
    intro = FreeTextField(
        label=_("Introduction"),
        required=False,
        max_length=MAX_INTRO,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few words to your client on the cover of the report."),
    )
    logo = LogoField()
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)

    def clean_display_name(self) -> str:
        name = clean_name(self.cleaned_data["display_name"])
        if not name:
            raise forms.ValidationError(_("Please enter the name your reports should carry."))
        return name

    def full_clean(self) -> None:
        super().full_clean()
        # A browser never sends a file again with the corrected form: say so, or the logo silently stays old.
        if self.errors and self.cleaned_data.get("logo"):
            self.add_error(
                "logo",
                _("Please choose the logo file again: it was fine, but files are not kept when a form comes back."),
            )


MAX_MAIL_MESSAGE = 1000


class SendLinkForm(forms.Form):
    """Where the client link goes: the address is used for this one mail and kept nowhere."""

    email = forms.EmailField(
        label=_("Your client's e-mail address"),
        max_length=254,
        help_text=_("Used for this mail only and not saved."),
        error_messages={
            "required": _("Please enter your client's e-mail address."),
            "invalid": _("Please enter an e-mail address such as info@maler-krause.de."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    message = FreeTextField(
        label=_("A few words of your own"),
        required=False,
        max_length=MAX_MAIL_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Goes into the mail above the link."),
    )


class AccountForm(forms.ModelForm):
    class Meta:
        model = Consultant
        fields = ["language"]
        help_texts = {
            "language": _(
                "Mails to you (such as a new password link) are written in this language. A link you send to a"
                " client goes out in the language of the check."
            ),
        }


class ReportsZipForm(forms.Form):
    """The clients ticked on the dashboard: only the consultant's own are valid choices, so a value that is
    no client number of theirs (`²`, a number beyond any id, another consultant's client) is refused here
    instead of reaching the database."""

    client = forms.TypedMultipleChoiceField(coerce=int)

    def __init__(self, *args: Any, clients: Sequence[int] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].choices = [(str(pk), str(pk)) for pk in clients]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Assessment file (JSON or YAML)"),
        help_text=_("A file exported from this tool, or an answers file as `manage.py assess` reads it. At most 1 MB."),
    )
    # The file may come from another tool or an earlier name of the business: by default the check carries the
    # name the consultant keeps for this client.
    name_from = forms.ChoiceField(
        label=_("Name on the check and report"),
        required=False,
        widget=forms.RadioSelect,
        initial="client",
    )

    def __init__(self, *args: Any, client_name: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name_from"].choices = [
            ("client", _("This client’s name: %(name)s") % {"name": client_name}),
            ("file", _("The business name in the file")),
        ]

    def clean_name_from(self) -> str:
        return self.cleaned_data["name_from"] or "client"

    def clean_file(self) -> tuple[bytes, str]:
        upload = self.cleaned_data["file"]
        content = upload.read(MAX_IMPORT_BYTES + 1)
        if len(content) > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        return content, upload.name or ""


NOBODY = "-"  # the responsible-person filter's value for actions without anyone named


class ActionFilterForm(forms.Form):
    """Which open actions to show: the choices are the clients and people that occur in them."""

    client = forms.TypedChoiceField(label=_("Client"), required=False, coerce=int, empty_value=None)
    responsible = forms.ChoiceField(label=_("Responsible"), required=False)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("All open")),
            ("overdue", _("Overdue")),
            ("gap", _("Gaps")),
            ("to_clarify", _("To clarify")),
        ],
    )

    def __init__(self, *args: Any, clients: Sequence[tuple[int, str]] = (), people: Sequence[str] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["client"].choices = [("", _("All clients")), *clients]
        self.fields["responsible"].choices = [
            ("", _("Everyone")),
            *((name, name) for name in people),
            (NOBODY, _("Nobody named yet")),
        ]

    def chosen(self) -> dict[str, Any]:
        """The valid choices; a choice that no longer exists (an old bookmark) filters nothing."""
        self.is_valid()
        data = self.cleaned_data
        responsible = data.get("responsible") or None
        return {
            "client_id": data.get("client"),
            "responsible": "" if responsible == NOBODY else responsible,
            "state": data.get("state") or "",
        }
