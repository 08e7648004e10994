"""The PDF report of one result, returned the way pretix's exporters do: (filename, content type, bytes)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, cast

import weasyprint
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify

from .fetcher import PSEUDO_ORIGIN, ReportFetcher
from .sections import OPEN, SYMBOLS, finding_rows

CONTENT_TYPE = "application/pdf"
TEMPLATE = "report/pdf.html"


# slugify() drops what it cannot spell in ASCII; German readers expect these spelt out instead.
_TRANSLITERATE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})
MAX_NAME_SLUG = 40


def render_pdf(data: Mapping[str, object], *, generated_on: datetime.date) -> tuple[str, str, bytes]:
    """Render `Result.to_dict()` output as a tagged PDF/UA-1 report in the result's language."""
    with translation.override(str(data["language"])):
        html = render_to_string(TEMPLATE, report_context(data, generated_on))
    document = weasyprint.HTML(string=html, base_url=PSEUDO_ORIGIN, url_fetcher=ReportFetcher())
    pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    return report_filename(data, generated_on), CONTENT_TYPE, pdf


def report_filename(data: Mapping[str, object], generated_on: datetime.date) -> str:
    """ASCII only, so it is safe in a Content-Disposition header without any quoting."""
    d = cast(Mapping[str, Any], data)
    parts = ["dsgvo-check", slugify(d["checklist"]["id"])]
    name = slugify(str(d["business"]["name"]).translate(_TRANSLITERATE))[:MAX_NAME_SLUG].strip("-")
    if name:
        parts.append(name)
    parts.append(generated_on.isoformat())
    return "-".join(parts) + ".pdf"


def report_context(data: Mapping[str, object], generated_on: datetime.date) -> dict[str, object]:
    """What the template needs beyond the raw result: rows sorted into sections, counts, numbered sources."""
    d = cast(Mapping[str, Any], data)
    rows = finding_rows(d)
    counts = {kind: sum(1 for r in rows if r["kind"] == kind) for kind in SYMBOLS}
    return {
        "data": d,
        "checklist": d["checklist"],
        "short_hash": d["checklist"]["hash"][:12],
        "business": d["business"],
        "generated_on": generated_on,
        "rows": rows,
        "open_rows": [r for r in rows if r["kind"] in OPEN],
        "notes": [r for r in rows if r["kind"] == "note"],
        "counts": counts,
        "capped_by": [r for r in rows if r["id"] in d["capped_by"]],
        "sources": d["sources"],
        "symbols": SYMBOLS,
    }
