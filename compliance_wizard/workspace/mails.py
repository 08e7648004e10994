"""The client link, mailed in the consultant's name: sent by this installation, answered by the consultant.

The From address is always DEFAULT_FROM_EMAIL: a mail "from" the consultant's own domain that our server sends
would fail SPF/DMARC and land in spam, or be refused. Their name stands in front of it, and Reply-To takes an
answer to them. The client's address is passed through to the mail and kept nowhere: no field, no log line.
"""

from __future__ import annotations

from email.utils import parseaddr, quote

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from compliance_wizard.counters import Counter

from .models import Consultant


def one_line(text: str) -> str:
    """Headers allow no line breaks; a name edited in the admin is not cleaned the way the workspace's forms do."""
    return " ".join(text.split())


def sender(consultant: Consultant) -> str:
    """'"Datenschutz Schulz via DSGVO-Check" <noreply@…>': the consultant's name, the installation's address."""
    service, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    shown = _("%(name)s via %(service)s") % {"name": one_line(str(consultant)), "service": service or address}
    return f'"{quote(shown)}" <{address}>'


def mail_counter(consultant: Consultant) -> Counter:
    """Mails sent in the consultant's name: limited, so a stolen session cannot turn the workspace into a
    mailer that carries their name."""
    return Counter(
        "consultant",
        str(consultant.pk),
        settings.CLIENT_LINK_MAIL_LIMIT,
        settings.CLIENT_LINK_MAIL_WINDOW_SECONDS,
        "client-link-mails",
    )


def send_client_link(
    consultant: Consultant, business_name: str, link: str, to: str, message: str, language: str
) -> None:
    """language: the check's, which the link opens in: the client reads the mail and the check in one language,
    whatever the consultant's own mails are written in."""
    with translation.override(language):
        context = {"consultant_name": one_line(str(consultant)), "business_name": business_name, "link": link}
        subject = one_line(render_to_string("workspace/client_link_subject.txt", context))
        body = render_to_string("workspace/client_link_email.txt", {**context, "message": message.strip()})
        from_email = sender(consultant)
    EmailMessage(subject, body, from_email, [to], reply_to=[consultant.user.email]).send()
