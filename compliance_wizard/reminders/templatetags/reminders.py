from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from compliance_wizard.assessments.models import Assessment
from compliance_wizard.reminders import notices, services
from compliance_wizard.reminders.forms import ChangeNoticeForm, ReminderForm

register = template.Library()


def consent_context(assessment: Assessment) -> dict[str, Any]:
    """What the consent note promises, from the settings that make it true."""
    chamber = assessment.chamber
    return {
        "chamber": chamber.name if chamber else "",
        "privacy_url": chamber.privacy_url if chamber else "",
        "hours": services.confirm_hours(),
        "keep_days": services.keep_result_days(),
        "retention_days": settings.RETENTION_FINISHED_DAYS,
    }


@register.simple_tag
def reminder_box(assessment: Assessment) -> dict[str, Any] | None:
    """The result page's reminder box, or None where reminders are not offered."""
    if not services.offered(assessment):
        return None
    return {
        "reminder": services.current(assessment),
        "form": ReminderForm(),
        "consent": consent_context(assessment),
        "notice": notices.current(assessment),
        "changes_form": ChangeNoticeForm(),
    }
