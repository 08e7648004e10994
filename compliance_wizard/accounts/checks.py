"""What `check --deploy` says about mail: where it goes, and where the links in it point."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Info, Tags, Warning, register

# Backends that keep mail on this machine: the tokens in it would land in a log or a file.
LOCAL_BACKENDS = (
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
)


@register(Tags.security, deploy=True)
def mail_settings(app_configs, **kwargs):
    problems = []
    if settings.EMAIL_DISABLED:
        problems.append(
            Info(
                "Mail is switched off (EMAIL_DISABLED): no password resets, invitations or reminders are sent.",
                hint="Set EMAIL_HOST and remove EMAIL_DISABLED to send them.",
                id="accounts.I001",
            )
        )
    elif settings.EMAIL_BACKEND in LOCAL_BACKENDS:
        problems.append(
            Warning(
                "Mails, with their password-reset and invitation links, are not sent but kept on this machine "
                f"({settings.EMAIL_BACKEND}).",
                hint="Set EMAIL_HOST (and the other EMAIL_ settings), or EMAIL_DISABLED=1 to send no mail.",
                id="accounts.W001",
            )
        )
    if not settings.SITE_URL:
        problems.append(
            Warning(
                "SITE_URL is not set: links in mails point at whatever host name a request came in under.",
                hint="Set SITE_URL to the public address, e.g. https://dsgvo-check.example.org/.",
                id="accounts.W002",
            )
        )
    return problems
