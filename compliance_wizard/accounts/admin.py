"""Inviting consultants: the admin enters an e-mail address, the invitee chooses their own password."""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from compliance_wizard.workspace.models import Consultant

from .emails import send_invitation
from .forms import InvitationForm

logger = logging.getLogger(__name__)


def invite(request, consultant: Consultant) -> bool:
    if settings.EMAIL_DISABLED:
        messages.warning(
            request,
            gettext(
                "This installation sends no e-mail: no invitation went to %(email)s. Set a password for the"
                " account under Users and pass it on in another way."
            )
            % {"email": consultant.user.email},
        )
        return False
    try:
        send_invitation(request, consultant)
    except (smtplib.SMTPException, OSError):
        # The account exists either way; the admin can send the invitation again.
        logger.exception("Sending an invitation failed")
        messages.error(
            request,
            gettext("The invitation to %(email)s could not be sent. Please try “Send the invitation again” later.")
            % {"email": consultant.user.email},
        )
        return False
    return True


@admin.register(Consultant)
class ConsultantAdmin(admin.ModelAdmin):
    add_form = InvitationForm
    add_fieldsets = ((None, {"fields": ("email", "display_name", "language")}),)
    # The branding is the consultant's own business, edited (and checked) in the workspace.
    fields = ("email", "display_name", "language", "invitation_accepted", "created_at")
    readonly_fields = ("email", "invitation_accepted", "created_at")
    list_display = ("email", "display_name", "language", "invitation_accepted", "created_at")
    list_select_related = ("user",)
    search_fields = ("user__email", "display_name")
    ordering = ("-created_at",)
    actions = ["send_invitation_again"]

    @admin.display(description=_("E-mail address"), ordering="user__email")
    def email(self, consultant: Consultant) -> str:
        return consultant.user.email

    @admin.display(description=_("Invitation accepted"), boolean=True)
    def invitation_accepted(self, consultant: Consultant) -> bool:
        return consultant.user.has_usable_password()

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        email = form.cleaned_data["email"]
        # No password: the account cannot be used until the invitee chooses one.
        obj.user = get_user_model()._default_manager.create_user(username=email, email=email)
        super().save_model(request, obj, form, change)
        if invite(request, obj):
            messages.info(request, gettext("The invitation was sent to %(email)s.") % {"email": email})

    @admin.action(description=_("Send the invitation again"))
    def send_invitation_again(self, request, queryset):
        sent = accepted = 0
        for consultant in queryset.select_related("user"):
            user = consultant.user
            if user.has_usable_password():
                accepted += 1
                continue
            # A fresh unusable password changes what the tokens are made from, so older links stop working.
            user.set_unusable_password()
            user.save(update_fields=["password"])
            sent += invite(request, consultant)
        if sent:
            messages.success(
                request,
                ngettext("%(count)d invitation was sent.", "%(count)d invitations were sent.", sent) % {"count": sent},
            )
        if accepted:
            messages.warning(
                request,
                ngettext(
                    "%(count)d consultant has already accepted the invitation and was skipped.",
                    "%(count)d consultants have already accepted the invitation and were skipped.",
                    accepted,
                )
                % {"count": accepted},
            )
