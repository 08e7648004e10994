"""The login form (e-mail as user name, throttled) and the admin's invitation form."""

from __future__ import annotations

import math

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_variables

from compliance_wizard.sitelinks import mailed_link
from compliance_wizard.workspace.models import MAX_NAME, Consultant

from . import throttle

User = get_user_model()


def lock_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many failed attempts. Please try again in %(minutes)d minute.",
        "Too many failed attempts. Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def stored_username(typed: str) -> str:
    """The user name as stored, so that "Dana@Example.de" logs in as "dana@example.de"."""
    names = list(User._default_manager.filter(username__iexact=typed).values_list("username", flat=True))
    if typed in names or len(names) != 1:
        return typed
    return names[0]


class LoginForm(AuthenticationForm):
    username = forms.CharField(label=_("E-mail address"), max_length=150)

    error_messages = {
        # The same words whether the account exists or not: the form reveals nothing.
        "invalid_login": _("The e-mail address or the password is not correct."),
        "inactive": _("The e-mail address or the password is not correct."),
    }

    @sensitive_variables("password")
    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        password = self.cleaned_data.get("password")
        if not username or not password:
            return self.cleaned_data  # the field errors say what is missing
        address = self.request.META.get("REMOTE_ADDR") if self.request else None
        # Refused before the password is looked at, so guessing goes on costing nothing but time.
        wait = throttle.seconds_locked(username, address)
        if wait:
            raise ValidationError(lock_message(wait), code="throttled")
        self.cleaned_data["username"] = stored_username(username)
        try:
            super().clean()
        except ValidationError:
            throttle.record_failure(username, address)
            raise
        throttle.clear(username)
        return self.cleaned_data


class ResetForm(PasswordResetForm):
    """Django's form, with the link in the mail built from SITE_URL instead of the request's host, and the mail
    in the consultant's own language rather than that of whichever browser asked for it."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs) -> None:
        request = context.get("request")
        link = mailed_link("accounts:password_reset_confirm", request, uidb64=context["uid"], token=context["token"])
        consultant = Consultant.objects.filter(user=context["user"]).only("language").first()
        with translation.override(consultant.language if consultant else translation.get_language()):
            super().send_mail(
                subject_template_name, email_template_name, {**context, "reset_url": link}, *args, **kwargs
            )


class InvitationForm(forms.ModelForm):
    """What the admin types to invite a consultant; the account itself is made in ConsultantAdmin."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=150,  # it is also the user name
        help_text=_("The invitation goes to this address, and it is the user name for logging in."),
    )
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=MAX_NAME,
        required=False,
        help_text=_("Person or firm as it appears on the reports; the consultant can change it later."),
    )

    class Meta:
        model = Consultant
        fields = ["email", "display_name", "language"]
        help_texts = {
            "language": _(
                "The invitation and password resets go out in this language; a link to a client, in the language"
                " of the check."
            ),
        }

    def clean_email(self) -> str:
        email = User._default_manager.normalize_email(self.cleaned_data["email"].strip())
        taken = User._default_manager.filter(username__iexact=email).exists()
        if taken or User._default_manager.filter(email__iexact=email).exists():
            raise ValidationError(_("There is already an account with this e-mail address."))
        return email
