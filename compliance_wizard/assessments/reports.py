"""The PDF of an assessment, rendered once per language and content, then served from the database."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

# Rendered in a child process at a lower priority, a few at a time, so that wizard requests keep flowing.
from compliance_wizard.report.isolated import render_pdf

from . import hooks
from .models import Assessment, ReportFile
from .services import assessment_changes

# Bump when the report layout changes, so cached PDFs are rendered again.
RENDERER_VERSION = "6"


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


def _cache_key(assessment: Assessment, lang: str, extras: dict[str, Any], changes: list[dict[str, Any]]) -> str:
    # A change of the rule files since the check (engine/changelog.py) puts a notice into its report.
    changed = ",".join(c["id"] for c in changes) or "-"
    fingerprint = hashlib.sha256(f"{_fingerprint(extras)}|{changed}".encode()).hexdigest()[:16]
    return f"{lang}:{assessment.content_hash}:{RENDERER_VERSION}:{fingerprint}"


def cached_report_pdf(assessment: Assessment, lang: str, extras: dict[str, Any]) -> tuple[str, str, bytes] | None:
    """The report if it was rendered before and nothing shown in it has changed since, else None."""
    key = _cache_key(assessment, lang, extras, assessment_changes(assessment, lang))
    cached = assessment.reports.filter(key=key).first()
    return None if cached is None else (cached.filename, "application/pdf", bytes(cached.content))


def report_pdf(assessment: Assessment, lang: str, extras: dict[str, Any]) -> tuple[str, str, bytes]:
    """The report with the extras its owner assembled (report_extras(), or the workspace's own)."""
    changes = assessment_changes(assessment, lang)
    key = _cache_key(assessment, lang, extras, changes)
    cached = assessment.reports.filter(key=key).first()
    if cached is not None:
        return cached.filename, "application/pdf", bytes(cached.content)
    finished = timezone.localdate(assessment.finished_at)
    filename, mimetype, content = render_pdf(
        assessment.result_for(lang), generated_on=finished, changes=changes, **extras
    )
    try:
        with transaction.atomic():
            # Older renderings of this assessment in this language are stale now; keep only this one.
            assessment.reports.filter(key__startswith=f"{lang}:").delete()
            ReportFile.objects.create(assessment=assessment, key=key, filename=filename, content=content)
    except IntegrityError:
        pass  # a parallel download rendered it first; both PDFs are identical
    return filename, mimetype, content
