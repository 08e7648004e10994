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

CONTENT_TYPE = "application/pdf"
TEMPLATE = "report/pdf.html"

# A shape for every status, so the summary reads the same in black and white.
SYMBOLS = {"gap": "✗", "to_clarify": "?", "met": "✓", "not_applicable": "–", "note": "ℹ"}

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
    sources = _sources(d)
    source_numbers = {s["id"]: n for n, s in enumerate(sources, 1)}
    template_titles = {t["id"]: t["title"] for t in d["templates"]}
    rows = [_row(f, source_numbers, template_titles) for f in d["findings"]]
    counts = {kind: sum(1 for r in rows if r["kind"] == kind) for kind in SYMBOLS}
    return {
        "data": d,
        "checklist": d["checklist"],
        "short_hash": d["checklist"]["hash"][:12],
        "business": d["business"],
        "generated_on": generated_on,
        "rows": rows,
        "open_rows": [r for r in rows if r["kind"] in ("gap", "to_clarify")],
        "notes": [r for r in rows if r["kind"] == "note"],
        "counts": counts,
        "capped_by": [r for r in rows if r["id"] in d["capped_by"]],
        "sources": sources,
        "symbols": SYMBOLS,
    }


def _sources(d: Mapping[str, Any]) -> list[Mapping[str, str]]:
    if "sources" in d:
        return list(d["sources"])
    # A result stored before to_dict() listed its sources: collect them from the findings.
    seen: dict[str, Mapping[str, str]] = {}
    for finding in d["findings"]:
        for source in finding["sources"]:
            seen.setdefault(source["id"], {"id": source["id"], "title": source["title"], "origin": ""})
    return list(seen.values())


def _row(finding: Mapping[str, Any], source_numbers: Mapping[str, int], template_titles: Mapping[str, str]) -> dict:
    # Open info findings are residual risks to know about, not gaps: they get their own section.
    is_open = finding["status"] in ("gap", "to_clarify")
    kind = "note" if is_open and finding["severity"] == "info" else finding["status"]
    return {
        **finding,
        "kind": kind,
        "symbol": SYMBOLS[kind],
        "source_numbers": [source_numbers[s["id"]] for s in finding["sources"] if s["id"] in source_numbers],
        "template_titles": [template_titles[t] for t in finding["templates"] if t in template_titles],
    }
