from typing import Any

from django import forms
from django.contrib.auth.base_user import BaseUserManager
from django.utils.translation import gettext_lazy as _

from .models import Reminder


class ReminderForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("Only for this reminder. We first send you a link to confirm it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    months = forms.TypedChoiceField(
        label=_("When should we remind you?"),
        choices=Reminder.Interval.choices,
        coerce=int,
        initial=Reminder.Interval.YEAR,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # A prefix keeps the ids apart from everything else on the result page.
        kwargs.setdefault("prefix", "reminder")
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        return BaseUserManager.normalize_email(self.cleaned_data["email"])


class ChangeNoticeForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("Only for these notices. We first send you a link to confirm it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "changes")  # apart from the reminder's form on the same page
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        return BaseUserManager.normalize_email(self.cleaned_data["email"])
