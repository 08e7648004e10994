"""The documents of a check: rendered from its answers and details by the engine, as text and as one .docx.

Rendered from the current rule files, not frozen with the result: the details stay editable after submit, and
a corrected authority address or text reaches every check that offers the document.
"""

from __future__ import annotations

from django.utils import timezone

from compliance_wizard.catalog import registry
from compliance_wizard.engine import Checklist
from compliance_wizard.engine.details import clean_details, details_asked
from compliance_wizard.engine.documents import RenderedDocument, render_documents
from compliance_wizard.report.docx import documents_docx
from compliance_wizard.report.filenames import name_slug

from .models import Assessment


def known_details(assessment: Assessment) -> dict[str, str]:
    """The stored details, with the name and website given at the start where the owner gave no other."""
    details, _problems = clean_details(assessment.details or {})
    if assessment.business_name and "controller_name" not in details:
        details["controller_name"] = assessment.business_name
    if assessment.website and "website" not in details:
        details["website"] = assessment.website
    return details


def asked_details(assessment: Assessment, checklist: Checklist) -> set[str]:
    """The details the form asks for: those the rule files ask on these answers, and any given already."""
    return details_asked(checklist, assessment.answers or {}, assessment.details or {})


def assessment_documents(assessment: Assessment, lang: str) -> list[RenderedDocument]:
    """The documents that fit the check's answers; none for a draft or a checklist no longer offered."""
    if not assessment.is_finished:
        return []
    try:
        checklist = registry.get(assessment.checklist_id)
    except KeyError:
        return []
    if lang not in checklist.languages:
        lang = assessment.language if assessment.language in checklist.languages else checklist.languages[0]
    return render_documents(checklist, assessment.answers or {}, known_details(assessment), lang)


def assessment_docx(assessment: Assessment, lang: str) -> tuple[str, bytes]:
    """The documents as one Word file, with the consultant's or chamber's brand in the header."""
    # Here, not at the top: reports.py prints these documents into the PDF, so it imports this module.
    from .reports import report_extras

    documents = assessment_documents(assessment, lang)
    extras = report_extras(assessment, lang)
    details = known_details(assessment)
    content = documents_docx(documents, lang, details.get("controller_name", ""), extras.get("brand"))
    stem = "-".join(
        filter(None, ["dokumente" if lang == "de" else "documents", name_slug(details.get("controller_name", ""))])
    )
    date = timezone.localdate(assessment.finished_at).isoformat()
    return f"{stem}-{date}.docx", content
