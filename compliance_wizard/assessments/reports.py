"""The PDF of an assessment, rendered once per language and rule content, then served from the database."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from compliance_wizard.report.pdf import render_pdf

from .models import Assessment, ReportFile

# Bump when the report layout changes, so cached PDFs are rendered again.
RENDERER_VERSION = "1"


def report_pdf(assessment: Assessment, lang: str) -> tuple[str, str, bytes]:
    key = f"{lang}:{assessment.content_hash}:{RENDERER_VERSION}"
    cached = assessment.reports.filter(key=key).first()
    if cached is not None:
        return cached.filename, "application/pdf", bytes(cached.content)
    finished = timezone.localdate(assessment.finished_at)
    filename, mimetype, content = render_pdf(assessment.result_for(lang), generated_on=finished)
    try:
        with transaction.atomic():
            ReportFile.objects.create(assessment=assessment, key=key, filename=filename, content=content)
    except IntegrityError:
        pass  # a parallel download rendered it first; both PDFs are identical
    return filename, mimetype, content
