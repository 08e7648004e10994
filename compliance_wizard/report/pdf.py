"""The PDF report of one result, returned the way pretix's exporters do: (filename, content type, bytes)."""

from __future__ import annotations

import base64
import datetime
import re
import struct
from collections.abc import Mapping, Sequence
from typing import Any, cast

import weasyprint
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext

from compliance_wizard.branding.brand import Brand
from compliance_wizard.branding.colors import color_problem, normalize_hex
from compliance_wizard.branding.logo import MAX_SIZE, PNG_SIGNATURE
from compliance_wizard.engine.documents import RenderedDocument
from compliance_wizard.engine.texts import STATUS_LABELS, STATUS_WORDS

from .chart import risk_chart
from .fetcher import PSEUDO_ORIGIN, ReportFetcher
from .filenames import name_slug
from .limits import check_page_count
from .sections import OPEN, SYMBOLS, by_risk, cap_rows, finding_rows, next_steps

CONTENT_TYPE = "application/pdf"
TEMPLATE = "report/pdf.html"
PDF_VARIANT = "pdf/ua-1"
FOOTER_NAME_MAX = 100


def render_pdf(
    data: Mapping[str, object],
    *,
    generated_on: datetime.date,
    brand: Brand | None = None,
    progress: Mapping[str, Any] | None = None,
    notes: Mapping[str, Mapping[str, Any]] | None = None,
    changes: Sequence[Mapping[str, Any]] = (),
    documents: Sequence[RenderedDocument] = (),
    details_given: bool = False,
) -> tuple[str, str, bytes]:
    """Render `Result.to_dict()` output as a tagged PDF/UA-1 report in the result's language.

    brand:    the consultant's name, address, logo, accent colour and introduction on the report
    progress: `engine.progress.compare_results()` against the client's previous check
    notes:    requirement id -> {"comment", "due_date", "responsible"}, the consultant's notes on findings
    changes:  `engine.changelog.change_rows()`: what changed in the rule files since the check, touching it
    documents: `engine.documents.render_documents()`, in the result's language, for the appendix
    details_given: whether the owner has given details for the documents (see appendix_documents())

    Raises limits.ReportTooLong, and writes nothing, when the report would have more than REPORT_MAX_PAGES pages.
    """
    with translation.override(str(data["language"])):
        context = report_context(data, generated_on, brand=brand, progress=progress, notes=notes, changes=changes)
        context["documents"] = appendix_documents(documents, details_given)
        html = render_to_string(TEMPLATE, context)
    html_document = weasyprint.HTML(string=html, base_url=PSEUDO_ORIGIN, url_fetcher=_fetcher())
    # Laid out first and counted before anything is written: a report that has run away is refused whole.
    document = html_document.render(pdf_variant=PDF_VARIANT)
    check_page_count(len(document.pages))
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    return report_filename(data, generated_on), CONTENT_TYPE, pdf


_fetchers: dict[type[ReportFetcher], ReportFetcher] = {}


def _fetcher() -> ReportFetcher:
    """One fetcher per process: building one sets up urllib's handlers and an SSL context every time.

    Looked up by the class currently named ReportFetcher, so that a subclass put in its place gets its own.
    """
    cls = ReportFetcher
    if cls not in _fetchers:
        _fetchers[cls] = cls()
    return _fetchers[cls]


def report_filename(data: Mapping[str, object], generated_on: datetime.date) -> str:
    """ASCII only, so it is safe in a Content-Disposition header without any quoting."""
    d = cast(Mapping[str, Any], data)
    parts = ["dsgvo-check", slugify(d["checklist"]["id"])]
    name = name_slug(d["business"]["name"])
    if name:
        parts.append(name)
    parts.append(generated_on.isoformat())
    return "-".join(parts) + ".pdf"


def report_context(
    data: Mapping[str, object],
    generated_on: datetime.date,
    *,
    brand: Brand | None = None,
    progress: Mapping[str, Any] | None = None,
    notes: Mapping[str, Mapping[str, Any]] | None = None,
    changes: Sequence[Mapping[str, Any]] = (),
) -> dict[str, object]:
    """What the template needs beyond the raw result: rows sorted into sections, counts, numbered sources."""
    d = cast(Mapping[str, Any], data)
    rows = finding_rows(d)
    for row in rows:
        row["consultant_note"] = _note(notes.get(row["id"])) if notes else None
    counts = {kind: sum(1 for r in rows if r["kind"] == kind) for kind in SYMBOLS}
    lang = str(d["language"])
    # One number per open point, the same in the plan, its details and the next steps on the first page.
    open_rows = by_risk([r for r in rows if r["kind"] in OPEN])
    for number, row in enumerate(open_rows, 1):
        row["number"] = number
    return {
        "data": d,
        "checklist": d["checklist"],
        "short_hash": d["checklist"]["hash"][:12],
        "business": d["business"],
        "generated_on": generated_on,
        "rows": rows,
        "open_rows": open_rows,
        "next_steps": next_steps(open_rows),
        "chart": risk_chart(rows, lang),
        "notes": [r for r in rows if r["kind"] == "note"],
        "met": [r for r in rows if r["kind"] == "met"],
        "not_applicable": [r for r in rows if r["kind"] == "not_applicable"],
        "page_footer": _page_footer(),
        "footer_name": _footer_name(d["business"]["name"] or gettext("Your business")),
        "footer_brand": _footer_name(brand.name) if brand else "",
        "counts": counts,
        "cap": cap_rows(d, rows),
        "sources": d["sources"],
        "symbols": SYMBOLS,
        "status_labels": {status: labels[lang] for status, labels in STATUS_LABELS.items()},
        "status_words": {status: words[lang] for status, words in STATUS_WORDS.items()},
        "brand": _brand(brand),
        "progress": _progress(progress),
        "changes": list(changes),
    }


def appendix_documents(documents: Sequence[RenderedDocument], details_given: bool) -> list[RenderedDocument]:
    """The documents the appendix prints: all of them once the owner has given details, else none.

    Without details every document but the filing checklist is mostly "[noch auszufüllen: ...]" marks, which are
    of no use on paper, and the appendix of text templates already holds those texts with their blanks. Printed
    anyway they would stretch a typical report (examples/malerbetrieb-muster.yaml) past its twelve pages even as a
    bare list of titles. Once details are given, every document is printed, filled in, and whatever is still
    missing is listed at its top, so that the filed report carries the texts as they are in use.
    """
    return list(documents) if details_given else []


def _page_footer() -> str:
    """The page number as the value of a CSS `content` property: a margin box counts pages by itself, while a
    running element is laid out again on every page. Only our own translation goes in, every character escaped."""
    words = re.split(r"(%\(pages?\)s)", gettext("Page %(page)s of %(pages)s"))
    counters = {"%(page)s": "counter(page)", "%(pages)s": "counter(pages)"}
    # Safe for the <style> it goes into: counters and _css_string() output only, which HTML escaping would break.
    footer = " ".join(counters.get(word) or _css_string(word) for word in words if word)
    return mark_safe(footer)  # noqa: S308  # nosec B308 B703


def _footer_name(name: str) -> str:
    """A name for every page's footer, as a CSS string. Cut short: the footer has two lines' room."""
    name = " ".join(name.split())
    if len(name) > FOOTER_NAME_MAX:
        name = name[: FOOTER_NAME_MAX - 1].rstrip() + "…"
    # No quote, backslash or "<" survives _css_string().
    return mark_safe(_css_string(name))  # noqa: S308  # nosec B308 B703


def _css_string(text: str) -> str:
    """Whatever the text, a CSS string that holds exactly it: everything but letters, digits and spaces is
    written as an escape, so no quote, backslash or line break can end the string or the rule."""
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text) + '"'


def _brand(brand: Brand | None) -> dict[str, str] | None:
    if brand is None:
        return None
    logo = brand.logo_png or b""
    return {
        "name": brand.name,
        "address": brand.address.strip(),
        "intro": brand.intro.strip(),
        "logo_src": "data:image/png;base64," + base64.b64encode(logo).decode("ascii") if _stored_logo(logo) else "",
        "accent": _accent(brand.accent_color),
    }


def _stored_logo(logo: bytes) -> bool:
    """Whether the bytes look like what branding.logo stores: a PNG of at most MAX_SIZE pixels.

    Anything else (a row edited by hand, say) is left out rather than handed to the renderer, which would
    decode whatever size a header claims.
    """
    if len(logo) < 24 or not logo.startswith(PNG_SIGNATURE) or logo[12:16] != b"IHDR":
        return False
    width, height = struct.unpack(">II", logo[16:24])
    return 0 < width <= MAX_SIZE[0] and 0 < height <= MAX_SIZE[1]


def _accent(value: str) -> str:
    """The colour goes into CSS: it is written there only in the one spelling normalize_hex() returns."""
    try:
        color = normalize_hex(value)
    except ValueError:
        return ""
    return color if color_problem(color) is None else ""


def _note(note: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not note:
        return None
    comment = str(note.get("comment") or "").strip()
    responsible = str(note.get("responsible") or "").strip()
    due_date = note.get("due_date")
    if not isinstance(due_date, datetime.date):
        due_date = None
    if not (comment or responsible or due_date):
        return None
    return {"comment": comment, "responsible": responsible, "due_date": due_date}


def _progress(progress: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if progress is None:
        return None
    previous = progress["previous"]
    change = int(progress["score_change"])
    return {
        **progress,
        # Closed is closed, whatever the requirement's status is now; open ones keep their own shape.
        "closed": [{**item, "symbol": SYMBOLS["met"]} for item in progress["closed"]],
        "new": [{**item, "symbol": SYMBOLS.get(item["status"], SYMBOLS["gap"])} for item in progress["new"]],
        "still_open": [
            {**item, "symbol": SYMBOLS.get(item["status"], SYMBOLS["gap"])} for item in progress["still_open"]
        ],
        "previous_date": _date(previous.get("date")),
        # A real minus sign: a screen reader says "minus", not "dash".
        "change": f"+{change}" if change > 0 else f"\u2212{-change}" if change < 0 else "±0",
    }


def _date(value: object) -> str:
    """The ISO date compare_results() is given, written the way the report's language writes dates."""
    if not isinstance(value, datetime.date):
        try:
            value = datetime.date.fromisoformat(str(value or ""))
        except ValueError:
            return str(value or "")
    return formats.date_format(value, "DATE_FORMAT")
