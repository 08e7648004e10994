"""The PDF of an assessment, rendered once per language and content, then served from the database."""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from compliance_wizard.engine.documents import RenderedDocument

# Rendered in a child process at a lower priority, a few at a time, so that wizard requests keep flowing.
from compliance_wizard.report.isolated import DEFAULT_WAIT, render_pdf
from compliance_wizard.report.limits import render_timeout

from . import hooks
from .documents import assessment_documents
from .models import Assessment, ReportFile
from .services import assessment_changes

# Bump when the report layout changes, so cached PDFs are rendered again.
RENDERER_VERSION = "7"
# How often a download notes itself on the stored report (for REPORT_CACHE_DAYS), and how many stored reports
# the retention job deletes per transaction.
TOUCH_AFTER = datetime.timedelta(days=1)
PURGE_BATCH = 1000


def report_extras(assessment: Assessment, lang: str) -> dict[str, Any]:
    """What the owner of a check puts on its report: a chamber its brand; for a consultant's client the
    workspace (through hooks) the consultant's brand, the progress since the last check and the notes."""
    if assessment.chamber_id is not None:
        return {"brand": assessment.chamber.report_brand(), "progress": None, "notes": {}}
    return hooks.report_extras(assessment, lang)


def _fingerprint(extras: dict[str, Any]) -> str:
    if not extras:
        return "-"
    brand = extras["brand"]
    visible = {"brand": brand.fingerprint(), "progress": extras["progress"], "notes": extras["notes"]}
    return hashlib.sha256(json.dumps(visible, sort_keys=True, default=str).encode()).hexdigest()[:16]


def report_documents(assessment: Assessment, lang: str) -> dict[str, Any]:
    """The documents for the report's appendix (report.pdf.appendix_documents() decides what is printed)."""
    return {"documents": assessment_documents(assessment, lang), "details_given": bool(assessment.details)}


def _documents_fingerprint(documents: list[RenderedDocument], details_given: bool) -> str:
    # The documents as printed: an edited detail, or a corrected text or authority address in the rule files
    # (not part of the content hash), must never be served from a PDF rendered before.
    printed = [(d.id, d.title, d.usage, d.text) for d in documents] if details_given else []
    return hashlib.sha256(json.dumps(printed).encode()).hexdigest()[:16]


def _cache_key(
    assessment: Assessment,
    lang: str,
    extras: dict[str, Any],
    changes: list[dict[str, Any]],
    documents: dict[str, Any],
) -> str:
    # A change of the rule files since the check (engine/changelog.py) puts a notice into its report.
    changed = ",".join(c["id"] for c in changes) or "-"
    printed = _documents_fingerprint(documents["documents"], documents["details_given"])
    fingerprint = hashlib.sha256(f"{_fingerprint(extras)}|{changed}|{printed}".encode()).hexdigest()[:16]
    return f"{lang}:{assessment.content_hash}:{RENDERER_VERSION}:{fingerprint}"


def cached_report_pdf(assessment: Assessment, lang: str, extras: dict[str, Any]) -> tuple[str, str, bytes] | None:
    """The report if it was rendered before and nothing shown in it has changed since, else None."""
    key = _cache_key(assessment, lang, extras, assessment_changes(assessment, lang), report_documents(assessment, lang))
    cached = assessment.reports.filter(key=key).first()
    return None if cached is None else _delivered(cached)


def _delivered(cached: ReportFile) -> tuple[str, str, bytes]:
    """The stored report, its last download noted so that the retention job keeps it for a while longer."""
    now = timezone.now()
    # At most one write a day per report: a run of downloads (the zip, a busy day) costs reads only.
    if cached.last_downloaded_at < now - TOUCH_AFTER:
        ReportFile.objects.filter(pk=cached.pk).update(last_downloaded_at=now)
    return cached.filename, "application/pdf", bytes(cached.content)


def unused_reports(now: datetime.datetime | None = None) -> QuerySet[ReportFile]:
    """Stored PDFs nobody has downloaded for REPORT_CACHE_DAYS: they render again, identically, on demand."""
    days = settings.REPORT_CACHE_DAYS
    return ReportFile.objects.filter(last_downloaded_at__lt=(now or timezone.now()) - datetime.timedelta(days=days))


def purge_unused_reports(now: datetime.datetime | None = None, batch: int = PURGE_BATCH) -> int:
    """Delete unused_reports() a batch at a time, each batch its own short transaction; returns how many."""
    deleted = 0
    while True:
        ids = list(unused_reports(now).order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return deleted
        # The condition again: a report downloaded since the ids were read is kept (and not read again).
        deleted += unused_reports(now).filter(pk__in=ids).delete()[0]


def report_pdf(assessment: Assessment, lang: str, extras: dict[str, Any]) -> tuple[str, str, bytes]:
    """The report with the extras its owner assembled (report_extras(), or the workspace's own)."""
    changes = assessment_changes(assessment, lang)
    documents = report_documents(assessment, lang)
    key = _cache_key(assessment, lang, extras, changes, documents)
    cached = assessment.reports.filter(key=key).first()
    if cached is not None:
        return _delivered(cached)
    finished = timezone.localdate(assessment.finished_at)
    filename, mimetype, content = render_pdf(
        assessment.result_for(lang), generated_on=finished, changes=changes, **documents, **extras
    )
    try:
        with transaction.atomic():
            # Older renderings of this assessment in this language are stale now; keep only this one.
            assessment.reports.filter(key__startswith=f"{lang}:").delete()
            ReportFile.objects.create(assessment=assessment, key=key, filename=filename, content=content)
    except IntegrityError:
        pass  # a parallel download rendered it first; both PDFs are identical
    return filename, mimetype, content


def render_claim_seconds() -> float:
    """How long a started render keeps others from starting one: longer than waiting for a slot and rendering
    may take, so that a marker older than this belongs to a render whose worker was killed."""
    return float(getattr(settings, "REPORT_RENDER_WAIT", DEFAULT_WAIT)) + render_timeout() + 10


def report_pdf_once(
    assessment: Assessment, lang: str, extras: dict[str, Any], *, may_render: bool
) -> tuple[str, str, bytes] | None:
    """The report if it is made; else, if may_render and nobody is rendering it yet, render it here; else None.

    Exactly one request renders: the one whose UPDATE set the marker. All the others get None (a waiting page)
    until the report is stored, so that clicking again, reloading or a second tab never starts a second render.
    """
    cached = cached_report_pdf(assessment, lang, extras)
    if cached is not None or not may_render:
        return cached
    started = _claim(assessment)
    if started is None:
        return None
    try:
        return report_pdf(assessment, lang, extras)
    finally:
        # Also after a failure: the user sees why, and may try again without waiting for the marker to expire.
        Assessment.objects.filter(pk=assessment.pk, report_started_at=started).update(report_started_at=None)


def render_in_progress(assessment: Assessment) -> bool:
    """True while a request renders this assessment's report (a render over its time no longer counts)."""
    expired = timezone.now() - datetime.timedelta(seconds=render_claim_seconds())
    return Assessment.objects.filter(pk=assessment.pk, report_started_at__gte=expired).exists()


def _claim(assessment: Assessment) -> datetime.datetime | None:
    now = timezone.now()
    expired = now - datetime.timedelta(seconds=render_claim_seconds())
    free = Q(report_started_at__isnull=True) | Q(report_started_at__lt=expired)
    claimed = Assessment.objects.filter(free, pk=assessment.pk).update(report_started_at=now)
    return now if claimed else None
