"""The dashboard's three charts, drawn from the same lines as its tables (so from protected figures only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from . import charts
from . import statistics as stats

# The chart shows the most frequent gaps; the table below it lists every requirement.
TOP_GAPS = 5


@dataclass(frozen=True)
class Charts:
    months: SafeString
    months_hidden: bool  # some month's count is not shown, so the page explains the missing columns
    bands: SafeString
    gaps: SafeString | None  # None when no requirement was a gap in the period


def _short_note(kind: str) -> str:
    """What a month's column says instead of a hidden count: the table gives the long form."""
    return _("< %(k)s") % {"k": stats.K} if kind == stats.SMALL else "–"


def _described(title: str, lines) -> str:
    parts = [f"{line.label}: {line.text}" + (f" ({line.percent})" if line.percent else "") for line in lines]
    return f"{title}. " + "; ".join(parts) + "."


def report_charts(report) -> Charts | None:
    """None unless the report shows figures (its state is READY)."""
    if report.state != stats.READY:
        return None
    months = [
        charts.Bar(
            label=date_format(date.fromisoformat(line.key + "-01"), "M"),
            value=line.count,
            note=line.text if line.count is not None else _short_note(line.kind),
        )
        for line in report.months
    ]
    bands = [
        charts.Bar(
            label=f"{charts.BAND_SYMBOLS.get(line.key, '')} {line.label}".strip(),
            value=line.count,
            note=_note(line),
            fill=charts.BAND_FILLS.get(line.key, charts.BAR),
        )
        for line in report.bands
    ]
    frequent = [line for line in report.gaps if line.count != 0][:TOP_GAPS]
    gaps = [charts.Bar(line.label, line.count, _note(line)) for line in frequent]
    months_title, bands_title, gaps_title = (
        _("Checks completed per month"),
        _("Results by band"),
        _("The most frequent gaps"),
    )
    total = report.figures.total
    return Charts(
        months_hidden=any(line.count is None for line in report.months),
        months=_svg(
            charts.bar_columns(
                charts.Chart("chart-months", months_title, _described(months_title, report.months), tuple(months))
            )
        ),
        bands=_svg(
            charts.bar_rows(
                charts.Chart("chart-bands", bands_title, _described(bands_title, report.bands), tuple(bands)), total
            )
        ),
        gaps=_svg(
            charts.bar_rows(
                charts.Chart("chart-gaps", gaps_title, _described(gaps_title, frequent), tuple(gaps)), total
            )
        )
        if gaps
        else None,
    )


def _svg(markup: str) -> SafeString:
    # charts.py escapes every text and attribute it writes (tests/test_chamber_charts.py feeds it markup).
    return mark_safe(markup)  # noqa: S308  # nosec B308 B703


def _note(line) -> str:
    return f"{line.text} ({line.percent})" if line.percent else line.text
