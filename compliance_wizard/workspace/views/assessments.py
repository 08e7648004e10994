from __future__ import annotations

import logging
import math
import smtplib

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from compliance_wizard.assessments.models import Assessment
from compliance_wizard.assessments.services import assessment_changes, assessment_delete
from compliance_wizard.catalog import registry
from compliance_wizard.counters import now
from compliance_wizard.report.sections import finding_rows, page_sections
from compliance_wizard.sitelinks import mailed_link

from ..access import consultant_required, own_assessment, own_client
from ..forms import FindingNoteForm, NewAssessmentForm, SendLinkForm
from ..mails import mail_counter, send_client_link
from ..services import assessment_progress, client_assessment_start, finding_note_save
from ..templatetags.desk import isodate

logger = logging.getLogger(__name__)


@require_POST
@consultant_required
def assessment_new(request: HttpRequest, pk: int) -> HttpResponse:
    client = own_client(request, pk)
    form = NewAssessmentForm(request.POST, checklists=registry.all_checklists())
    if not form.is_valid():
        messages.error(request, _("Please choose a checklist and a language."))
        return redirect("workspace:client", pk=client.pk)
    checklist = registry.get(form.cleaned_data["checklist"])
    assessment = client_assessment_start(client, checklist, form.cleaned_data["language"])
    messages.success(request, _("The check is ready: fill it in now or send the link to your client."))
    return redirect("workspace:assessment", pk=assessment.pk)


@require_POST
@consultant_required
def assessment_repeat(request: HttpRequest, pk: int) -> HttpResponse:
    earlier = own_assessment(request, pk)
    try:
        checklist = registry.get(earlier.checklist_id)
    except KeyError:
        messages.error(request, _("This checklist is no longer offered, so the check cannot be repeated."))
        return redirect("workspace:assessment", pk=earlier.pk)
    assessment = client_assessment_start(earlier.client, checklist, earlier.language, repeat_of=earlier)
    messages.success(request, _("The repeat check starts with the earlier answers: change what is different today."))
    return redirect("workspace:assessment", pk=assessment.pk)


@consultant_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = own_assessment(request, pk)
    if not assessment.is_finished:
        return _draft_page(request, assessment)
    return _result_page(request, assessment)


def _draft_page(
    request: HttpRequest, assessment: Assessment, send_form: SendLinkForm | None = None, status: int = 200
) -> HttpResponse:
    link = request.build_absolute_uri(reverse("wizard:draft", kwargs={"token": assessment.token}))
    context = {
        "assessment": assessment,
        "client": assessment.client,
        "link": link,
        "answered": len(assessment.answers),
        "mail_disabled": settings.EMAIL_DISABLED,
        "send_form": send_form or SendLinkForm(prefix="send"),
    }
    return render(request, "workspace/assessment_draft.html", context, status=status)


@require_POST
@consultant_required
@sensitive_post_parameters("send-email", "send-message")
def send_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Mail the client link; the address goes into the mail and nowhere else (not even the success message,
    which travels in a cookie)."""
    assessment = own_assessment(request, pk)
    if assessment.is_finished:
        raise Http404("finished")
    back = redirect(reverse("workspace:assessment", kwargs={"pk": assessment.pk}) + "#send-heading")
    if settings.EMAIL_DISABLED:
        messages.error(request, _("This installation sends no e-mail. Please copy the link and send it yourself."))
        return back
    form = SendLinkForm(request.POST, prefix="send")
    if not form.is_valid():
        return _draft_page(request, assessment, form, status=400)
    consultant = request.consultant
    counter = mail_counter(consultant)
    wait = counter.seconds_locked(now())
    if wait:
        minutes = max(1, math.ceil(wait / 60))
        form.add_error(
            None,
            ngettext(
                "You have sent many links in a short time. Please try again in %(minutes)d minute.",
                "You have sent many links in a short time. Please try again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes},
        )
        response = _draft_page(request, assessment, form, status=429)
        response["Retry-After"] = str(wait)
        return response
    counter.add_failure(now())  # every attempt counts, sent or not
    link = mailed_link("wizard:draft", request, token=assessment.token)
    data = form.cleaned_data
    try:
        send_client_link(
            consultant, assessment.business_name, link, data["email"], data["message"], assessment.language
        )
    except (smtplib.SMTPException, OSError) as error:
        # The type only: an SMTP error's text can carry the recipient's address.
        logger.warning("Mailing a client link failed: %s", type(error).__name__)
        messages.error(request, _("The mail could not be sent. Please try again later or copy the link."))
        return back
    messages.success(request, _("The link is on its way to your client. The address was not saved."))
    return back


def _result_page(
    request: HttpRequest, assessment: Assessment, forms: dict[str, FindingNoteForm] | None = None
) -> HttpResponse:
    lang = assessment.language
    data = assessment.result_for(lang)
    rows = finding_rows(data)
    notes = {n.requirement_id: n for n in assessment.finding_notes.all()}
    forms = forms or {}
    for row in rows:
        note = notes.get(row["id"])
        initial = {"comment": note.comment, "responsible": note.responsible, "due_date": note.due_date} if note else {}
        row["note"] = note
        row["reviewed"] = isodate(row.get("reviewed"))  # a date, so the page writes it the language's way
        row["note_form"] = forms.get(row["id"]) or FindingNoteForm(initial=initial, prefix=f"note-{row['id']}")
    context = {
        "assessment": assessment,
        "client": assessment.client,
        "data": data,
        **page_sections(data, rows),
        "show_reasons": True,
        "progress": assessment_progress(assessment, lang),
        "finding_extra": "workspace/note_form.html",
        "changes": assessment_changes(assessment, lang),
        "checked_on": assessment.finished_at,
        "recheck_url": reverse("workspace:assessment_repeat", kwargs={"pk": assessment.pk}),
        "recheck_label": _("Repeat this check"),
        "recheck_hint": _("A repeat starts with these answers and asks only what is new; this check stays as it is."),
    }
    return render(request, "workspace/assessment_result.html", context, status=400 if forms else 200)


@require_POST
@consultant_required
def finding_note(request: HttpRequest, pk: int, requirement_id: str) -> HttpResponse:
    assessment = own_assessment(request, pk)
    if not assessment.is_finished:
        raise Http404("not finished")
    findings = {f["id"] for f in assessment.result_for(assessment.language)["findings"] if f["status"] != "note"}
    if requirement_id not in findings:
        raise Http404("no such finding")
    form = FindingNoteForm(request.POST, prefix=f"note-{requirement_id}")
    if not form.is_valid():
        return _result_page(request, assessment, {requirement_id: form})
    data = form.cleaned_data
    finding_note_save(assessment, requirement_id, data["comment"], data["due_date"], data["responsible"])
    messages.success(request, _("Comment saved."))
    return redirect(reverse("workspace:assessment", kwargs={"pk": assessment.pk}) + f"#finding-{requirement_id}")


@consultant_required
def assessment_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = own_assessment(request, pk)
    client = assessment.client
    if request.method == "POST":
        assessment_delete(assessment)
        messages.success(request, _("The check, its comments and its reports are deleted."))
        return redirect("workspace:client", pk=client.pk)
    return render(request, "workspace/assessment_delete.html", {"assessment": assessment, "client": client})
