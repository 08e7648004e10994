"""How the workspace writes numbers and dates that came as plain values."""

from __future__ import annotations

import datetime

from django import template

register = template.Library()

MINUS = "\u2212"  # a real minus sign: as wide as the plus, and read out as "minus"


@register.filter
def signed(value: int | str | None) -> str:
    """A score change with its sign: +44, −3, ±0."""
    if value is None or value == "":
        return ""
    number = int(value)
    if number > 0:
        return f"+{number}"
    if number < 0:
        return f"{MINUS}{-number}"
    return "±0"


@register.filter
def isodate(value: str | datetime.date | None) -> datetime.date | str | None:
    """An ISO date string (as stored in a result) as a date, so that the date filter writes it the local way."""
    if isinstance(value, datetime.date) or not value:
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return value
