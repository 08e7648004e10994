"""What leaves the workspace as a file (reports, exports, a zip of reports) and what comes in (imports)."""

from __future__ import annotations

import contextlib
import io
import time
import zipfile

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from compliance_wizard.assessments.downloads import report_download
from compliance_wizard.assessments.models import Assessment
from compliance_wizard.assessments.reports import cached_report_pdf, report_pdf
from compliance_wizard.catalog import registry
from compliance_wizard.report.isolated import report_seat
from compliance_wizard.report.limits import ReportBusy, ReportUnavailable
from compliance_wizard.report.unavailable import Repost, unavailable_response, zip_in_progress_response

from ..access import consultant_required, own_assessment, own_client
from ..exchange import assessment_document, client_document, dump_document, parse_import
from ..forms import ImportForm, ReportsZipForm
from ..services import assessment_import, report_extras

FORMATS = ("json", "yaml")
MAX_ZIP_CLIENTS = 100
# Reports not rendered before take 2-3 s each; forty of them would outlast the worker timeout (60 s). After this
# many seconds no further report is started: the ones done are stored, so the next click gets further.
ZIP_RENDER_BUDGET_SECONDS = 25.0


def _download(filename: str, mimetype: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _format(request: HttpRequest) -> str:
    fmt = request.GET.get("format", "json")
    if fmt not in FORMATS:
        raise Http404("unknown format")
    return fmt


@consultant_required
def assessment_report(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = own_assessment(request, pk)
    if not assessment.is_finished:
        raise Http404("not finished")
    lang = request.GET.get("lang", assessment.language)
    if lang not in (assessment.result or {}):
        lang = assessment.language
    back_url = reverse("workspace:assessment", kwargs={"pk": pk})
    return report_download(request, assessment, lang, report_extras(assessment, lang), back_url, "result")


@consultant_required
def assessment_export(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = own_assessment(request, pk)
    return _download(*dump_document(assessment_document(assessment), _format(request)))


@consultant_required
def client_export(request: HttpRequest, pk: int) -> HttpResponse:
    client = own_client(request, pk)
    return _download(*dump_document(client_document(client), _format(request)))


@consultant_required
def client_import(request: HttpRequest, pk: int) -> HttpResponse:
    client = own_client(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None, client_name=client.name)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        content, filename = form.cleaned_data["file"]
        document = parse_import(content, filename)
        problems = document.problems
        if not problems:
            from_file = form.cleaned_data["name_from"] == "file"
            assessment = assessment_import(client, registry.get(document.checklist_id), document, from_file)
            messages.success(
                request,
                _("The check was imported and scored with the current checklist. It carries the name “%(name)s”.")
                % {"name": assessment.business_name},
            )
            for warning in document.warnings:
                messages.warning(request, warning)
            return redirect("workspace:assessment", pk=assessment.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "workspace/import.html", {"client": client, "form": form, "problems": problems}, status=status
    )


@require_POST
@consultant_required
def reports_zip(request: HttpRequest) -> HttpResponse:
    """The latest report of each chosen client in one zip, e.g. to hand out before a meeting."""
    form = ReportsZipForm(request.POST, clients=request.consultant.clients.values_list("pk", flat=True))
    ids = form.cleaned_data["client"][:MAX_ZIP_CLIENTS] if form.is_valid() else []
    newest: dict[int, int] = {}
    finished = Assessment.objects.filter(client__in=ids, state=Assessment.State.FINISHED).order_by("finished_at")
    for pk, client_id in finished.values_list("pk", "client_id"):
        newest[client_id] = pk  # ordered, so the last one wins; only the chosen checks' results are read
    latest = {a.client_id: a for a in Assessment.objects.filter(pk__in=newest.values()).select_related("client")}
    if not latest:
        messages.error(request, _("Please choose at least one client with a finished check."))
        return redirect("workspace:home")
    budget = getattr(settings, "REPORT_ZIP_BUDGET_SECONDS", ZIP_RENDER_BUDGET_SECONDS)
    started = time.monotonic()
    rendered = 0
    buffer = io.BytesIO()
    names: set[str] = set()
    chosen = sorted(latest.values(), key=lambda a: a.client.name.lower())
    again = Repost(reverse("workspace:reports_zip"), "client", [str(a.client_id) for a in chosen])
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, contextlib.ExitStack() as seat:
        for done, assessment in enumerate(chosen):
            extras = report_extras(assessment, assessment.language)
            report = cached_report_pdf(assessment, assessment.language, extras)
            if report is None:
                # At least one new report per click, so that clicking again always gets further.
                if rendered and time.monotonic() - started > budget:
                    return zip_in_progress_response(request, done, len(chosen), reverse("workspace:home"), again)
                # Rendering holds this worker for up to the budget: only in one of the machine's report seats,
                # as a single report's download does, so that zips cannot hold every worker the wizard needs.
                if not rendered and not seat.enter_context(report_seat()):
                    busy = ReportBusy("machine")
                    return unavailable_response(request, busy, reverse("workspace:home"), "clients", repost=again)
                try:
                    report = report_pdf(assessment, assessment.language, extras)
                except ReportUnavailable as error:
                    return unavailable_response(request, error, reverse("workspace:home"), "clients")
                rendered += 1
            filename, _mimetype, content = report
            if filename in names:
                filename = f"{assessment.pk}-{filename}"
            names.add(filename)
            archive.writestr(filename, content)
    return _download("dsgvo-check-reports.zip", "application/zip", buffer.getvalue())
