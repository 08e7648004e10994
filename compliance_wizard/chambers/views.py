"""The chamber staff's pages: anonymous statistics (page and CSV) and the settings of the member site."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max, Min
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from compliance_wizard.catalog import registry
from compliance_wizard.engine.changelog import is_before, latest_change_version
from compliance_wizard.engine.model import Checklist
from compliance_wizard.engine.texts import BAND_LABELS, STATUS_LABELS
from compliance_wizard.spreadsheet import csv_text

from . import figures_cache, public
from . import statistics as stats
from .access import chamber_staff_required, staff_chambers
from .forms import ChamberSettingsForm, StatisticsFilterForm
from .models import Chamber, CheckStatistic
from .report_charts import report_charts

# -- pages -------------------------------------------------------------------------------------------


@never_cache
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where chamber staff land: straight on the dashboard, or a choice if they work for several chambers."""
    chambers = list(staff_chambers(request.user))
    if not chambers:
        raise Http404("not chamber staff")
    if len(chambers) == 1:
        return redirect("chambers:dashboard", slug=chambers[0].slug)
    return render(request, "chambers/home.html", {"chambers": chambers})


@chamber_staff_required
def dashboard(request: HttpRequest, chamber: Chamber) -> HttpResponse:
    form, report = _selected_report(request, chamber)
    context = {
        **_layout(request, chamber),
        "form": form,
        "report": report,
        "charts": report_charts(report) if report else None,
        "K": stats.K,
        "running_month": stats.first_of_month(timezone.localdate()),
        "next_month": next_month(timezone.localdate()),
    }
    return render(request, "chambers/dashboard.html", context, status=200 if report else 400)


@chamber_staff_required
def statistics_csv(request: HttpRequest, chamber: Chamber) -> HttpResponse:
    _form, report = _selected_report(request, chamber)
    if report is None:
        raise Http404("no such selection")
    response = HttpResponse(csv_text(csv_rows(chamber, report)), content_type="text/csv; charset=utf-8")
    name = _safe_filename(f"{chamber.slug}-{report.checklist_id}-{report.year}")
    response["Content-Disposition"] = f'attachment; filename="statistics-{name}.csv"'
    return response


@chamber_staff_required
def settings(request: HttpRequest, chamber: Chamber) -> HttpResponse:
    choices = [(c.id, _title(c, c.id)) for c in registry.all_checklists()]
    form = ChamberSettingsForm(request.POST or None, request.FILES or None, chamber=chamber, checklists=choices)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The settings are saved. Your members' pages show them from now on."))
        return redirect("chambers:settings", slug=chamber.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "chambers/settings.html", {**_layout(request, chamber), "form": form}, status=status)


@chamber_staff_required
def logo(request: HttpRequest, chamber: Chamber) -> HttpResponse:
    """The chamber's logo for the preview on the settings page: always the re-encoded PNG, never an upload."""
    if not chamber.logo:
        raise Http404("no logo")
    response = HttpResponse(bytes(chamber.logo), content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@chamber_staff_required
def brand_css(request: HttpRequest, chamber: Chamber) -> HttpResponse:
    """The member site's colour for the staff pages, which are outside the member site's prefix and host."""
    return public.brand_stylesheet(chamber)


def _layout(request: HttpRequest, chamber: Chamber) -> dict[str, Any]:
    # Whatever chamber's host the staff page was opened under, it shows the chamber it is about.
    links = public.BrandLinks(
        css=reverse("chambers:brand_css", args=[chamber.slug]),
        logo=reverse("chambers:logo", args=[chamber.slug]),
        home=reverse("chambers:dashboard", args=[chamber.slug]),
    )
    return {
        "chamber": chamber,
        "chamber_links": links,
        "member_site": member_site(request, chamber),
        "several_chambers": staff_chambers(request.user).count() > 1,
    }


def member_site(request: HttpRequest, chamber: Chamber) -> str:
    """The members' home page as seen from this staff page, for a preview."""
    current = getattr(request, "chamber", None)
    if current is not None and current.pk == chamber.pk:
        return reverse("start")  # opened under the chamber's own prefix or host
    if current is None:
        return f"{get_script_prefix()}hwk/{chamber.slug}/"  # answers even when the chamber has a host name
    # Under another chamber's host, paths lead to that chamber: only the own host name can help.
    return f"https://{chamber.host}/" if chamber.host else f"/hwk/{chamber.slug}/"


# -- the selected figures ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One row of a table as the page and the CSV show it."""

    label: str
    text: str  # the count, or why it is not shown
    count: int | None  # only when shown
    percent: str = ""  # "29 %", only when shown
    share: str = ""  # "28,6" for the CSV, in the language's number format
    key: str = ""  # the CSV's stable name for the row (month "2025-01", requirement id)
    kind: str = stats.SHOWN  # why the count is missing, if it is


@dataclass(frozen=True)
class Report:
    checklist_id: str
    checklist_title: str
    year: int
    period: str  # "January to May 2026"
    running: bool  # the year is not over, so later months are still to come
    figures: stats.Figures
    months: tuple[Line, ...]
    bands: tuple[Line, ...]
    gaps: tuple[Line, ...]
    changed_in: str | None = None  # the latest version with a change that finished checks hear of
    earlier: Line | None = None  # the checks judged before it

    @property
    def state(self) -> str:
        return self.figures.state

    @property
    def message(self) -> str:
        return "" if self.state == stats.READY else state_message(self.state)


def _selected_report(request: HttpRequest, chamber: Chamber) -> tuple[StatisticsFilterForm, Report | None]:
    today = timezone.localdate()
    choices = _checklist_choices(chamber)
    # Two look-ups in the (chamber, month) index, not a pass over every row.
    rows = CheckStatistic.objects.filter(chamber=chamber)
    first = rows.aggregate(first=Min("month"))["first"]
    last_closed = rows.filter(month__lt=stats.first_of_month(today)).aggregate(last=Max("month"))["last"]
    years = stats.selectable_years(first, today)
    initial: dict[str, Any] = {
        "checklist": choices[0][0] if choices else "",
        "year": stats.default_year([last_closed] if last_closed else [], today),
    }
    bound = bool({"checklist", "year"} & set(request.GET))
    data = {**{k: str(v) for k, v in initial.items()}, **request.GET.dict()} if bound else None
    form = StatisticsFilterForm(data, initial=initial, checklists=choices, years=years)
    if bound and not form.is_valid():
        return form, None
    values = form.cleaned_data if bound else initial
    return form, build_report(chamber, values["checklist"], values["year"], today, dict(choices))


def _checklist_choices(chamber: Chamber) -> list[tuple[str, str]]:
    """Checklists the chamber offers, then any it no longer offers but has figures for."""
    known = {c.id: c for c in registry.all_checklists()}
    offered = [checklist_id for checklist_id in known if chamber.offers(checklist_id)]
    recorded = figures_cache.recorded_checklists(chamber, timezone.localdate())
    ids = offered + sorted(recorded - set(offered))
    return [(checklist_id, _title(known.get(checklist_id), checklist_id)) for checklist_id in ids]


def build_report(chamber: Chamber, checklist_id: str, year: int, today: date, titles: dict[str, str]) -> Report:
    months = stats.closed_months(year, today)
    checklist = _checklist(checklist_id)
    requirements = sorted(checklist.requirements, key=lambda r: r.order) if checklist else []
    changed_in = latest_change_version(checklist.changelog) if checklist else None
    is_earlier = None if changed_in is None else (lambda version: is_before(version, changed_in))
    counted = figures_cache.counts(chamber, checklist_id, months, today, is_earlier)
    figures = stats.protected(counted, months, [r.id for r in requirements])

    lang = registry.language_for(checklist) if checklist else ""
    requirement_titles = {r.id: r.title.get(lang) for r in requirements}
    ui = (get_language() or "de")[:2]
    total = figures.total
    return Report(
        checklist_id=checklist_id,
        checklist_title=titles.get(checklist_id, checklist_id),
        year=year,
        period=_period(months, year),
        running=year >= today.year,
        figures=figures,
        months=tuple(_line(date_format(m, "F Y"), cell, m.strftime("%Y-%m"), total) for m, cell in figures.months),
        bands=tuple(_line(BAND_LABELS.get(b, {}).get(ui, b), cell, b, total) for b, cell in figures.bands),
        gaps=tuple(_line(requirement_titles.get(g, g), cell, g, total) for g, cell in figures.gaps),
        changed_in=changed_in,
        earlier=None if figures.earlier is None else _line("", figures.earlier, "earlier", total),
    )


def _line(label: str, cell: stats.Cell, key: str, total: int | None) -> Line:
    if cell.kind == stats.SMALL:
        text = _("fewer than %(k)s") % {"k": stats.K}
    elif cell.kind == stats.NEAR_TOTAL:
        text = _("all but fewer than %(k)s") % {"k": stats.K}
    elif cell.kind == stats.PROTECTIVE:
        text = _("hidden")
    else:
        text = str(cell.count)
    if not cell.shown or cell.count is None or not total:
        return Line(label, text, None, key=key, kind=cell.kind)
    percent = _("%(percent)s%%") % {"percent": _percent(cell.count, total, 0)}
    share = number_format(_percent(cell.count, total, 1), decimal_pos=1)
    return Line(label, text, cell.count, percent, share, key)


def _percent(count: int, total: int, places: int) -> Decimal:
    """Rounded half up, as people expect (Python's round() makes 12.5 into 12)."""
    exact = Decimal(count * 100) / Decimal(total)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _period(months: tuple[date, ...], year: int) -> str:
    if not months:
        return str(year)
    if len(months) == 1:
        return date_format(months[0], "F Y")
    return _("%(first)s to %(last)s") % {"first": date_format(months[0], "F"), "last": date_format(months[-1], "F Y")}


def _checklist(checklist_id: str) -> Checklist | None:
    try:
        return registry.get(checklist_id)
    except KeyError:
        return None


def _title(checklist: Checklist | None, fallback: str) -> str:
    return checklist.title.get(registry.language_for(checklist)) if checklist else fallback


# -- CSV ---------------------------------------------------------------------------------------------


def csv_rows(chamber: Chamber, report: Report) -> list[list[str]]:
    rows = [
        [_("Figure"), _("Item"), _("Checks"), _("Share of all checks (%)")],
        [_("Chamber"), chamber.name, "", ""],
        [_("Checklist"), report.checklist_title, "", ""],
        [_("Period"), report.period, "", ""],
    ]
    if report.state != stats.READY:
        return [*rows, [_("Note"), report.message, "", ""]]
    rows.append([_("Checks completed"), _("Total"), str(report.figures.total), number_format(100, decimal_pos=1)])
    rows += [[_("Month"), line.key, line.text, ""] for line in report.months]
    rows += [[_("Result"), line.label, line.text, line.share] for line in report.bands]
    # As gettext would: English when no language is active.
    gap = STATUS_LABELS["gap"].get((get_language() or "en")[:2], STATUS_LABELS["gap"]["en"])
    rows += [[gap, line.label, line.text, line.share] for line in report.gaps]
    return rows


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def state_message(state: str) -> str:
    """Why a selection shows no figures; the page and the CSV say the same."""
    if state == stats.EMPTY:
        return _(
            "No member has finished this check in this period yet. A month's checks are counted here once the "
            "month is over; as soon as the period holds at least %(k)s checks, charts and tables show how many "
            "members took the check each month, how they fared and which gaps were most frequent."
        ) % {"k": stats.K}
    if state == stats.TOO_FEW:
        return _(
            "Fewer than %(k)s members have finished this check in this period. So that nobody can be "
            "recognised, figures are only shown for at least %(k)s checks."
        ) % {"k": stats.K}
    return _(
        "The figures for this period are not shown: taken together, they would give away a group of "
        "fewer than %(k)s checks. Please choose another year or checklist."
    ) % {"k": stats.K}


def _safe_filename(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9-]+", "-", name).strip("-")[:100] or "statistics"
