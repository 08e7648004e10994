"""Plain-text mails to consultants, in the consultant's language (not that of the admin who sends them)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from compliance_wizard.sitelinks import mailed_link
from compliance_wizard.workspace.models import Consultant

DAY = 24 * 3600


def link_validity() -> dict[str, int]:
    """How long a mailed link works, in whole days when PASSWORD_RESET_TIMEOUT allows, else in hours."""
    timeout = settings.PASSWORD_RESET_TIMEOUT
    if timeout >= DAY and timeout % DAY == 0:
        return {"valid_days": timeout // DAY}
    return {"valid_hours": max(1, timeout // 3600)}


def send_invitation(request, consultant: Consultant) -> None:
    """Mail the link where the invitee chooses a password; it works once and expires like a reset link."""
    user = consultant.user
    invite_url = mailed_link(
        "accounts:invite",
        request,
        uidb64=urlsafe_base64_encode(force_bytes(user.pk)),
        token=default_token_generator.make_token(user),
    )
    context = {
        "display_name": consultant.display_name,
        "email": user.email,
        "invite_url": invite_url,
        **link_validity(),
    }
    with translation.override(consultant.language):
        # A subject is one line: mail headers allow no line breaks.
        subject = " ".join(render_to_string("accounts/invitation_subject.txt", context, request).split())
        body = render_to_string("accounts/invitation_email.txt", context, request)
    send_mail(subject, body, None, [user.email])
