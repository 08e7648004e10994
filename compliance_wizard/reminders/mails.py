"""The two mails of a reminder, in the language the check was taken in, with links to the chamber's site."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation

from compliance_wizard.catalog import registry
from compliance_wizard.chambers.models import Chamber
from compliance_wizard.sitelinks import mailed_link, site_root

if TYPE_CHECKING:
    from .models import ChangeNotice, Reminder

LinkBuilder = Callable[..., str]


def request_links(request: HttpRequest) -> LinkBuilder:
    """Links on the site of the member's chamber (the views only serve a check on its own chamber's site), as
    the cron job builds them; on the request's own host only in development, without SITE_URL."""
    chamber = getattr(request, "chamber", None)
    if site_root() and chamber is not None:
        return chamber_links(chamber)
    return lambda viewname, **kwargs: mailed_link(viewname, request, **kwargs)


def chamber_links(chamber: Chamber) -> LinkBuilder:
    """Links for the cron job, which has no request: on the chamber's host, else under SITE_URL/hwk/<slug>/."""
    site = site_root()
    if not site:
        raise ImproperlyConfigured("SITE_URL must be set (e.g. https://dsgvo-check.example.org/) to mail reminders.")
    root = f"{urlsplit(site).scheme}://{chamber.host}/" if chamber.host else f"{site}hwk/{chamber.slug}/"
    return lambda viewname, **kwargs: mailed_link(viewname, root=root, **kwargs)


def _send(subscription: Reminder | ChangeNotice, name: str, context: dict[str, Any]) -> None:
    assessment = subscription.assessment
    chamber = assessment.chamber
    with translation.override(assessment.language):
        context = {
            "chamber": chamber.name,
            "title": assessment.result_for(assessment.language)["checklist"]["title"],
            **context,
        }
        # A subject is one line: mail headers allow no line breaks.
        subject = " ".join(render_to_string(f"reminders/{name}_subject.txt", context).split())
        body = render_to_string(f"reminders/{name}_email.txt", context)
    reply_to = [chamber.contact_email] if chamber.contact_email else None
    EmailMessage(subject, body, None, [subscription.email], reply_to=reply_to).send()


def send_confirmation(reminder: Reminder, token: str, link: LinkBuilder, valid_hours: int) -> None:
    _send(
        reminder,
        "confirm",
        {
            "months": reminder.months,
            "confirm_url": link("reminders:confirm", token=token),
            "cancel_url": link("reminders:cancel", token=token),
            "valid_hours": valid_hours,
        },
    )


def send_reminder(reminder: Reminder, token: str, link: LinkBuilder, result_until: datetime) -> None:
    assessment = reminder.assessment
    if _still_offered(assessment.chamber, assessment.checklist_id):
        start_url = link("wizard:start", checklist_id=assessment.checklist_id)
    else:
        start_url = link("start")
    _send(
        reminder,
        "reminder",
        {
            "months": reminder.months,
            "confirmed_at": reminder.confirmed_at,
            "finished_at": assessment.finished_at,
            "start_url": start_url,
            "result_url": link("assessments:result", token=assessment.token),
            "result_until": result_until,
            "cancel_url": link("reminders:cancel", token=token),
        },
    )


def send_change_confirmation(notice: ChangeNotice, token: str, link: LinkBuilder, valid_hours: int) -> None:
    _send(
        notice,
        "changes_confirm",
        {
            "confirm_url": link("reminders:confirm_changes", token=token),
            "cancel_url": link("reminders:cancel_changes", token=token),
            "valid_hours": valid_hours,
        },
    )


def send_changes(notice: ChangeNotice, token: str, link: LinkBuilder, changes: list[dict[str, Any]]) -> None:
    """What changed since the check, with the way to check again and to stop these mails."""
    assessment = notice.assessment
    _send(
        notice,
        "changes",
        {
            "finished_at": assessment.finished_at,
            "changes": changes,
            "result_url": link("assessments:result", token=assessment.token),
            "cancel_url": link("reminders:cancel_changes", token=token),
        },
    )


def _still_offered(chamber: Chamber, checklist_id: str) -> bool:
    try:
        registry.get(checklist_id)
    except KeyError:
        return False
    return chamber.offers(checklist_id)
