"""The reminder pages: the request from the result page, and the confirm and cancel links of the mails.

No GET changes anything: a mailed link opens a page with a button, so a mail scanner that follows
links can neither give consent in the member's name nor revoke it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from compliance_wizard.assessments.models import Assessment

from . import mails, notices, services
from .forms import ChangeNoticeForm, ReminderForm
from .models import ChangeNotice, Reminder
from .templatetags.reminders import consent_context

logger = logging.getLogger(__name__)


def _on_this_site(request: HttpRequest, assessment: Assessment) -> bool:
    return assessment.visible_at(getattr(request, "chamber", None))


def _offered_check(request: HttpRequest, token: str) -> Assessment:
    assessment = get_object_or_404(Assessment.objects.select_related("chamber"), token=token)
    if not services.offered(assessment) or not _on_this_site(request, assessment):
        raise Http404("no reminders for this check")
    return assessment


def _result_url(assessment: Assessment) -> str:
    return reverse("assessments:result", kwargs={"token": assessment.token}) + "#reminder"


def _title(assessment: Assessment) -> str:
    return assessment.result_for(assessment.language)["checklist"]["title"]


def _opt_in(
    request: HttpRequest,
    form: forms.Form,
    send: Callable[[str], object],
    *,
    done_url: str,
    what: str,
    sent: str,
) -> HttpResponse | None:
    """Send the confirmation mail of a double opt-in: the redirect once it is sent (or the opt-in was confirmed
    in another tab meanwhile), or None with the reason on the form."""
    email = form.cleaned_data["email"]
    try:
        send(email)
    except services.TooManyMails:
        form.add_error(None, _("We have already sent several confirmation e-mails today. Please try again tomorrow."))
    except services.AlreadySet:
        return redirect(done_url)
    except OSError as error:  # smtplib's errors are OSErrors too
        logger.error("A %s confirmation could not be sent (%s).", what, type(error).__name__)
        form.add_error(None, _("The confirmation e-mail could not be sent. Please try again later."))
    else:
        messages.success(request, sent % {"email": email})
        return redirect(done_url)
    return None


@never_cache
@require_http_methods(["GET", "POST"])
def request_reminder(request: HttpRequest, token: str) -> HttpResponse:
    assessment = _offered_check(request, token)
    reminder = services.current(assessment)
    if reminder is not None and reminder.is_confirmed:
        if request.method == "POST":
            messages.info(request, _("A reminder is already set for this check. To change it, cancel it first."))
        return redirect(_result_url(assessment))
    form = ReminderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sent = _opt_in(
            request,
            form,
            lambda email: services.request_reminder(
                assessment, email, form.cleaned_data["months"], mails.request_links(request)
            ),
            done_url=_result_url(assessment),
            what="reminder",
            sent=_("We have sent a confirmation link to %(email)s. The reminder is set once you click it."),
        )
        if sent is not None:
            return sent
    context = {
        "assessment": assessment,
        "form": form,
        "reminder": reminder,
        "consent": consent_context(assessment),
        "title": _title(assessment),
    }
    return render(request, "reminders/request.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    """Cancel from the result page: as easy as the request was, one button."""
    assessment = _offered_check(request, token)
    reminder = Reminder.objects.filter(assessment=assessment).first()
    if request.method == "POST":
        if reminder is not None:
            services.cancel(reminder)
        messages.success(request, _("The reminder is cancelled and your e-mail address deleted."))
        return redirect(_result_url(assessment))
    if reminder is None:
        return redirect(_result_url(assessment))
    return render(request, "reminders/cancel.html", {"reminder": reminder, "back_url": _result_url(assessment)})


def _linked(request: HttpRequest, token: str, expired_too: bool = False) -> Reminder | None:
    reminder = services.find(token)
    if reminder is None or not _on_this_site(request, reminder.assessment):
        return None
    if services.is_expired(reminder) and not expired_too:
        return None
    return reminder


def _gone(request: HttpRequest) -> HttpResponse:
    return render(request, "reminders/gone.html", status=404)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    reminder = _linked(request, token)
    if reminder is None:
        return _gone(request)
    if request.method == "POST":
        services.confirm(reminder)
        return redirect(request.path)  # a reload then shows the set reminder, not a second form
    context = {
        "reminder": reminder,
        "token": token,
        "title": _title(reminder.assessment),
        "consent": consent_context(reminder.assessment),
    }
    return render(request, "reminders/confirm.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    # An expired request may still be deleted at once rather than by the next cron run.
    reminder = _linked(request, token, expired_too=True)
    if reminder is None:
        return _gone(request)
    if request.method == "POST":
        services.cancel(reminder)
        return redirect("reminders:cancelled")
    return render(request, "reminders/cancel.html", {"reminder": reminder})


@never_cache
def cancelled(request: HttpRequest) -> HttpResponse:
    return render(request, "reminders/cancelled.html")


# -- notices of changes ------------------------------------------------------------------------------


def _changes_url(assessment: Assessment) -> str:
    return reverse("assessments:result", kwargs={"token": assessment.token}) + "#changes-notice"


@never_cache
@require_http_methods(["GET", "POST"])
def request_changes(request: HttpRequest, token: str) -> HttpResponse:
    assessment = _offered_check(request, token)
    notice = notices.current(assessment)
    if notice is not None and notice.is_confirmed:
        return redirect(_changes_url(assessment))
    form = ChangeNoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sent = _opt_in(
            request,
            form,
            lambda email: notices.request_notice(assessment, email, mails.request_links(request)),
            done_url=_changes_url(assessment),
            what="change notice",
            sent=_("We have sent a confirmation link to %(email)s. The notices start once you click it."),
        )
        if sent is not None:
            return sent
    context = {
        "assessment": assessment,
        "form": form,
        "notice": notice,
        "consent": consent_context(assessment),
        "title": _title(assessment),
    }
    return render(request, "reminders/changes_request.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def withdraw_changes(request: HttpRequest, token: str) -> HttpResponse:
    assessment = _offered_check(request, token)
    notice = ChangeNotice.objects.filter(assessment=assessment).first()
    if request.method == "POST":
        if notice is not None:
            notices.cancel(notice)
        messages.success(request, _("You will hear of no more changes, and your e-mail address is deleted."))
        return redirect(_changes_url(assessment))
    if notice is None:
        return redirect(_changes_url(assessment))
    return render(request, "reminders/changes_cancel.html", {"notice": notice, "back_url": _changes_url(assessment)})


def _linked_notice(request: HttpRequest, token: str, expired_too: bool = False) -> ChangeNotice | None:
    notice = notices.find(token)
    if notice is None or not _on_this_site(request, notice.assessment):
        return None
    if notices.is_expired(notice) and not expired_too:
        return None
    return notice


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_changes(request: HttpRequest, token: str) -> HttpResponse:
    notice = _linked_notice(request, token)
    if notice is None:
        return _gone(request)
    if request.method == "POST":
        notices.confirm(notice)
        return redirect(request.path)
    context = {
        "notice": notice,
        "token": token,
        "title": _title(notice.assessment),
        "consent": consent_context(notice.assessment),
    }
    return render(request, "reminders/changes_confirm.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def cancel_changes(request: HttpRequest, token: str) -> HttpResponse:
    notice = _linked_notice(request, token, expired_too=True)
    if notice is None:
        return _gone(request)
    if request.method == "POST":
        notices.cancel(notice)
        return redirect("reminders:cancelled")
    return render(request, "reminders/changes_cancel.html", {"notice": notice})
