"""Open actions across all clients: the page, its CSV and the calendar feed of due dates."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from compliance_wizard.spreadsheet import csv_text

from .. import calendar
from ..access import consultant_required
from ..actions import Action, filter_actions, open_actions
from ..forms import ActionFilterForm
from ..services import calendar_link_remove, calendar_link_renew, consultant_by_calendar_token


def _lang() -> str:
    return (get_language() or "de")[:2]


def absolute_url(request: HttpRequest, path: str) -> str:
    """Links that leave the page (a calendar, a mail) point at the installation's public address if known."""
    site = getattr(settings, "SITE_URL", "")
    return site.rstrip("/") + path if site else request.build_absolute_uri(path)


def _filtered(request: HttpRequest) -> tuple[ActionFilterForm, list[Action], list[Action]]:
    actions = open_actions(request.consultant, _lang(), timezone.localdate())
    clients = {a.client.pk: a.client.name for a in actions}
    people = sorted({a.responsible for a in actions if a.responsible}, key=str.casefold)
    form = ActionFilterForm(
        request.GET,
        clients=sorted(clients.items(), key=lambda c: c[1].casefold()),
        people=people,
    )
    return form, actions, filter_actions(actions, **form.chosen())


@consultant_required
def open_actions_page(request: HttpRequest) -> HttpResponse:
    form, every, shown = _filtered(request)
    token = request.consultant.calendar_token
    context = {
        "form": form,
        "actions": shown,
        "total": len(every),
        "filtered": bool(request.GET.urlencode()),
        "query": request.GET.urlencode(),
        "feed_url": absolute_url(request, reverse("workspace:calendar", kwargs={"token": token})) if token else "",
    }
    return render(request, "workspace/actions.html", context)


@consultant_required
def open_actions_csv(request: HttpRequest) -> HttpResponse:
    _form, _every, shown = _filtered(request)
    rows = [
        [_("Client"), _("Check of"), _("Finding"), _("State"), _("Risk"), _("Responsible"), _("Due by"), _("Comment")]
    ]
    for a in shown:
        due = date_format(a.due_date, "SHORT_DATE_FORMAT") if a.due_date else ""
        state = f"{a.status_label}, {_('overdue')}" if a.overdue else a.status_label
        checked = date_format(timezone.localdate(a.assessment.finished_at), "SHORT_DATE_FORMAT")
        rows.append([a.client.name, checked, a.title, state, a.severity_label, a.responsible, due, a.comment])
    response = HttpResponse(csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="open-actions.csv"'
    return response


@require_POST
@consultant_required
def calendar_link(request: HttpRequest) -> HttpResponse:
    if request.POST.get("action") == "remove":
        calendar_link_remove(request.consultant)
        messages.success(request, _("The calendar link is switched off. Calendars that used it get nothing more."))
    else:
        renewed = request.consultant.calendar_token is not None
        calendar_link_renew(request.consultant)
        if renewed:
            messages.success(request, _("A new calendar link is ready. The old one no longer works."))
        else:
            messages.success(request, _("Your calendar link is ready. Add it to your calendar app as a subscription."))
    return redirect(reverse("workspace:actions") + "#calendar-heading")


@require_GET
@never_cache
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The due dates of the token's consultant, for a calendar app: no login, the secret link is the key."""
    consultant = consultant_by_calendar_token(token)
    if consultant is None:
        raise Http404("no such calendar")
    actions = open_actions(consultant, _lang(), timezone.localdate())
    events = [_event(request, a, a.due_date) for a in actions if a.due_date is not None]
    domain = urlsplit(absolute_url(request, "/")).hostname or "localhost"
    name = _("Open actions – %(name)s") % {"name": consultant}
    response = HttpResponse(calendar.calendar(name, events, domain), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="open-actions.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


def _event(request: HttpRequest, action: Action, day: datetime.date) -> calendar.Event:
    path = reverse("workspace:assessment", kwargs={"pk": action.assessment.pk}) + f"#finding-{action.requirement_id}"
    lines = [f"{action.status_label} · {_('Risk')}: {action.severity_label}"]
    if action.responsible:
        lines.append(f"{_('Responsible')}: {action.responsible}")
    if action.comment:
        lines.append(action.comment)
    return calendar.Event(
        uid=action.uid,
        day=day,
        summary=f"{action.client.name}: {action.title}",
        description="\n".join(lines),
        url=absolute_url(request, path),
        stamp=action.updated_at or action.assessment.finished_at,
    )
