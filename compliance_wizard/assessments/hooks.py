"""Where apps built on assessments plug in, so that assessments imports none of them.

Each app registers its functions from its AppConfig.ready(): the workspace what a consultant puts on a client's
report, reminders the checks a confirmed reminder still needs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from .models import Assessment

# (assessment, language) -> the report's extras (brand, progress, notes), or None for a check not the app's.
ReportExtras = Callable[[Assessment, str], dict[str, Any] | None]
# now -> the ids of finished checks to keep past their retention period, as a query (values of one id column).
RetentionHold = Callable[[datetime], QuerySet[Any]]

_report_extras: list[ReportExtras] = []
_retention_holds: list[RetentionHold] = []


def add_report_extras(provider: ReportExtras) -> None:
    if provider not in _report_extras:
        _report_extras.append(provider)


def add_retention_hold(hold: RetentionHold) -> None:
    if hold not in _retention_holds:
        _retention_holds.append(hold)


def report_extras(assessment: Assessment, lang: str) -> dict[str, Any]:
    """The extras of the first app that claims the check; none for an anonymous one."""
    for provider in _report_extras:
        extras = provider(assessment, lang)
        if extras is not None:
            return extras
    return {}


def retention_holds(now: datetime) -> list[QuerySet[Any]]:
    return [hold(now) for hold in _retention_holds]
