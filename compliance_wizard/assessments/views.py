"""The result of a finished check: page, PDF download and deletion, all behind the unguessable token."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from compliance_wizard.catalog import registry
from compliance_wizard.report.sections import finding_rows, page_sections

from .address_limits import TOO_MANY_STARTS, draft_allowed
from .documents import asked_details, assessment_docx, known_details
from .downloads import report_download
from .forms import DetailsForm
from .models import Assessment
from .reports import report_extras
from .services import assessment_changes, assessment_delete, assessment_details_save, assessment_recheck


def _assessment(request: HttpRequest, token: str) -> Assessment:
    """The check behind a token, on the site it belongs to; anywhere else it does not exist."""
    assessment = get_object_or_404(Assessment.objects.select_related("chamber"), token=token)
    if not assessment.visible_at(getattr(request, "chamber", None)):
        raise Http404("not on this site")
    return assessment


def _finished(request: HttpRequest, token: str) -> Assessment:
    assessment = _assessment(request, token)
    if not assessment.is_finished:
        raise Http404("not finished")
    return assessment


def _language(request: HttpRequest, assessment: Assessment) -> str:
    wanted = request.GET.get("lang") or (get_language() or "")[:2]
    return wanted if wanted in (assessment.result or {}) else assessment.language


@never_cache
def result(request: HttpRequest, token: str) -> HttpResponse:
    assessment = _assessment(request, token)
    if not assessment.is_finished:
        return redirect("wizard:draft", token=token)
    if assessment.belongs_to_consultant(request.user):
        return redirect(assessment.result_url(request.user))
    lang = _language(request, assessment)
    data = assessment.result_for(lang)
    context = {
        "assessment": assessment,
        "data": data,
        **page_sections(data, finding_rows(data)),
        **_changes_context(assessment, lang),
    }
    return render(request, "assessments/result.html", context)


def _changes_context(assessment: Assessment, lang: str) -> dict[str, object]:
    changes = assessment_changes(assessment, lang)
    if not changes or assessment.client_id is not None:
        # A consultant's client hears of changes from the consultant, who repeats the check in the workspace.
        return {"changes": changes, "checked_on": assessment.finished_at}
    return {
        "changes": changes,
        "checked_on": assessment.finished_at,
        "recheck_url": reverse("assessments:recheck", kwargs={"token": assessment.token}),
        "recheck_label": _("Check again with my answers"),
        "recheck_hint": _(
            "A new check starts with your answers so far and asks only what is new; this result stays as it is."
        ),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def recheck(request: HttpRequest, token: str) -> HttpResponse:
    """A new draft from a finished check's answers, with a link of its own; the finished check stays.

    Only the button's POST starts one: a GET (a link followed by a mail scanner) leads to the result.
    """
    assessment = _finished(request, token)
    if request.method != "POST":
        return redirect("assessments:result", token=token)
    if assessment.client_id is not None:
        messages.info(request, _("Your data protection consultant repeats this check for you."))
        return redirect("assessments:result", token=token)
    try:
        checklist = registry.get(assessment.checklist_id)
    except KeyError:
        raise Http404("checklist no longer offered") from None
    if not draft_allowed(request.META.get("REMOTE_ADDR", "")):
        messages.error(request, TOO_MANY_STARTS)
        return redirect("assessments:result", token=token)
    draft = assessment_recheck(assessment, checklist)
    messages.info(
        request,
        _("Your answers from the earlier check are filled in. Please answer what is new and check the rest."),
    )
    return redirect("wizard:draft", token=draft.token)


@never_cache
def report(request: HttpRequest, token: str) -> HttpResponse:
    assessment = _finished(request, token)
    lang = _language(request, assessment)
    back_url = reverse("assessments:result", kwargs={"token": token})
    return report_download(request, assessment, lang, report_extras(assessment, lang), back_url, "result")


@never_cache
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, token: str) -> HttpResponse:
    assessment = _assessment(request, token)
    if assessment.client_id is not None:
        # A consultant's check is theirs to keep or delete; the link only lets the client answer.
        messages.info(
            request, _("This check was set up by your data protection consultant. Please ask them to delete it.")
        )
        return redirect("wizard:draft", token=token)
    if request.method == "POST":
        assessment_delete(assessment)
        messages.success(request, _("Your check and all its answers have been deleted."))
        return redirect("start")
    return render(request, "assessments/delete.html", {"assessment": assessment})


@never_cache
@require_http_methods(["GET", "POST"])
def details(request: HttpRequest, token: str) -> HttpResponse:
    """The details for the documents, on a page of their own after the result: the questions stay about the
    law, and the details can be added or corrected whenever the owner has them at hand (post, then redirect)."""
    assessment = _finished(request, token)
    try:
        checklist = registry.get(assessment.checklist_id)
    except KeyError:
        raise Http404("checklist no longer offered") from None
    lang = _language(request, assessment)
    asked = asked_details(assessment, checklist)
    if request.method == "POST":
        form = DetailsForm(request.POST, checklist=checklist, lang=lang, asked=asked)
        if form.is_valid():
            assessment_details_save(assessment, form.details())
            messages.success(request, _("Your details are saved and filled into your documents."))
            return redirect(f"{assessment.result_url(request.user)}?lang={lang}#documents")
    else:
        form = DetailsForm(initial=known_details(assessment), checklist=checklist, lang=lang, asked=asked)
    back = f"{assessment.result_url(request.user)}?lang={lang}#documents"
    return render(request, "assessments/details.html", {"assessment": assessment, "form": form, "back": back})


@never_cache
def documents_docx(request: HttpRequest, token: str) -> HttpResponse:
    assessment = _finished(request, token)
    filename, content = assessment_docx(assessment, _language(request, assessment))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
