"""The PDF of an assessment, rendered once per language and content, then served from the database."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from compliance_wizard.branding.brand import Brand

# Rendered in a child process at a lower priority, a few at a time, so that wizard requests keep flowing.
from compliance_wizard.report.isolated import render_pdf

from .models import Assessment, ReportFile

# Bump when the report layout changes, so cached PDFs are rendered again.
RENDERER_VERSION = "4"


def chamber_brand(assessment: Assessment) -> Brand:
    """A chamber member's report carries the chamber's name, logo and colour on its cover."""
    chamber = assessment.chamber
    return Brand(
        name=chamber.name,
        address=chamber.address,
        logo_png=bytes(chamber.logo) if chamber.logo else None,
        accent_color=chamber.brand_color,
    )


def consultant_brand(assessment: Assessment) -> Brand | None:
    """A client's report carries their consultant's name; an anonymous one carries none."""
    if assessment.client_id is None:
        return None
    consultant = assessment.client.consultant
    return Brand(
        name=consultant.display_name or consultant.user.get_username(),
        address=consultant.address,
        logo_png=bytes(consultant.logo) if consultant.logo else None,
        accent_color=consultant.accent_color,
        intro=consultant.intro,
    )


def report_extras(assessment: Assessment, lang: str) -> dict[str, Any]:
    """Branding, and for a consultant's client also the progress since the last check and the notes."""
    if assessment.chamber_id is not None:
        return {"brand": chamber_brand(assessment), "progress": None, "notes": {}}
    if assessment.client_id is None:
        return {}
    from compliance_wizard.workspace.services import assessment_progress, notes_by_requirement

    return {
        "brand": consultant_brand(assessment),
        "progress": assessment_progress(assessment, lang),
        "notes": notes_by_requirement(assessment),
    }


def _fingerprint(extras: dict[str, Any]) -> str:
    if not extras:
        return "-"
    brand = extras["brand"]
    visible = {"brand": brand.fingerprint(), "progress": extras["progress"], "notes": extras["notes"]}
    return hashlib.sha256(json.dumps(visible, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _cache_key(assessment: Assessment, lang: str, extras: dict[str, Any]) -> str:
    return f"{lang}:{assessment.content_hash}:{RENDERER_VERSION}:{_fingerprint(extras)}"


def cached_report_pdf(assessment: Assessment, lang: str) -> tuple[str, str, bytes] | None:
    """The report if it was rendered before and nothing shown in it has changed since, else None."""
    cached = assessment.reports.filter(key=_cache_key(assessment, lang, report_extras(assessment, lang))).first()
    return None if cached is None else (cached.filename, "application/pdf", bytes(cached.content))


def report_pdf(assessment: Assessment, lang: str) -> tuple[str, str, bytes]:
    extras = report_extras(assessment, lang)
    key = _cache_key(assessment, lang, extras)
    cached = assessment.reports.filter(key=key).first()
    if cached is not None:
        return cached.filename, "application/pdf", bytes(cached.content)
    finished = timezone.localdate(assessment.finished_at)
    filename, mimetype, content = render_pdf(assessment.result_for(lang), generated_on=finished, **extras)
    try:
        with transaction.atomic():
            # Older renderings of this assessment in this language are stale now; keep only this one.
            assessment.reports.filter(key__startswith=f"{lang}:").delete()
            ReportFile.objects.create(assessment=assessment, key=key, filename=filename, content=content)
    except IntegrityError:
        pass  # a parallel download rendered it first; both PDFs are identical
    return filename, mimetype, content
