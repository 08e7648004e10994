"""Logging in and out, resetting and changing the password, accepting an invitation: Django's views, our pages."""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import NON_FIELD_ERRORS
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compliance_wizard.chambers.models import ChamberStaff
from compliance_wizard.workspace.models import Consultant

from . import throttle
from .emails import link_validity
from .forms import LoginForm, ResetForm


def home_for(user) -> str:
    """Where a login without a safe `next` leads."""
    if Consultant.objects.filter(user=user).exists():
        return reverse("workspace:home")
    if ChamberStaff.objects.filter(user=user).exists():
        return reverse("chambers:home")
    if user.is_staff:
        return reverse("admin:index")
    return reverse("start")


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"

    def get_default_redirect_url(self) -> str:
        return home_for(self.request.user)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, "throttled"):
            response.status_code = 429
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        # Messages live in a cookie, so this one survives the session that was just deleted.
        messages.success(request, _("You have been logged out."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    form_class = ResetForm
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def dispatch(self, request, *args, **kwargs):
        if settings.EMAIL_DISABLED:
            # No form: it would promise a mail that never comes.
            return render(request, self.template_name, {"mail_disabled": True})
        return super().dispatch(request, *args, **kwargs)

    @property
    def extra_email_context(self) -> dict[str, object]:
        return {**link_validity(), "request": self.request}

    def form_valid(self, form):
        # Every request may send a mail: without a limit the form could flood someone's inbox.
        email, address = form.cleaned_data["email"], self.request.META.get("REMOTE_ADDR")
        wait = throttle.seconds_locked(email, address, throttle.RESET_MAILS)
        if wait:
            minutes = max(1, math.ceil(wait / 60))
            form.add_error(
                "email",
                ngettext(
                    "Too many requests for a new password. Please try again in %(minutes)d minute.",
                    "Too many requests for a new password. Please try again in %(minutes)d minutes.",
                    minutes,
                )
                % {"minutes": minutes},
            )
            response = self.form_invalid(form)
            response.status_code = 429
            response["Retry-After"] = str(wait)
            return response
        throttle.record_failure(email, address, throttle.RESET_MAILS)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever could read the mail owns the account: a lock an attacker caused should not keep them out.
        throttle.clear(self.user.get_username())
        return response

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **link_validity()}


class InvitationView(PasswordResetConfirmView):
    """The invitee chooses a password with the link from the invitation, and is logged in straight away."""

    template_name = "accounts/invitation_confirm.html"
    post_reset_login = True

    def get_success_url(self) -> str:
        return home_for(self.user)

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Welcome! Your password is set and you are logged in."))
        return response
