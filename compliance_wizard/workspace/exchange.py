"""Assessments and clients as files: export to JSON or YAML, and read such a file back for an import.

An exported assessment is an answers file (what `manage.py assess` reads) with export-only keys
added, so one file serves both the terminal and the workspace. Nothing here writes to the database.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compliance_wizard.assessments.models import Assessment
from compliance_wizard.catalog import registry
from compliance_wizard.engine import Checklist, check_answers
from compliance_wizard.engine.answers import AnswerIssue
from compliance_wizard.engine.answers_file import (
    BUSINESS_KEYS,
    DOCUMENT_KEYS,
    MAX_NAME,
    MAX_WEBSITE,
    clean_name,
    clean_text,
    website_problem,
)
from compliance_wizard.engine.details import DETAIL_LIMITS, clean_details
from compliance_wizard.engine.texts import SUPPORTED_LANGUAGES
from compliance_wizard.engine.yamlfile import MAX_DEPTH, parse_yaml, too_deep
from compliance_wizard.report.filenames import name_slug

from .models import MAX_COMMENT, Client, FindingNote
from .models import MAX_NAME as MAX_RESPONSIBLE

FORMAT = "compliance-wizard/assessment"
CLIENT_FORMAT = "compliance-wizard/client"
FORMAT_VERSION = 1
MAX_IMPORT_BYTES = 1024 * 1024
# A real export holds a few thousand values, none of its mappings or lists more than a few hundred entries.
# A file beyond these is refused before any entry is checked: 110,000 answer keys in 1 MB kept a worker
# busy for 20 s and gave a problem list of 5 MB.
MAX_IMPORT_ENTRIES = 1000  # in one mapping or list
MAX_IMPORT_VALUES = 20_000  # in the whole file
MAX_PROBLEMS = 50  # listed; then how many more

# What an export adds to the answers file; `assess` sets these aside, an import reads only the comments.
EXPORT_ONLY_KEYS = (
    "format",
    "format_version",
    "exported_at",
    "checklist_version",
    "checklist_hash",
    "state",
    "finished_at",
    "result",
    "comments",
)
COMMENT_KEYS = ("requirement", "comment", "due_date", "responsible")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
CONTENT_TYPES = {"json": "application/json", "yaml": "application/yaml"}


# --- export -------------------------------------------------------------------------------------


def assessment_document(assessment: Assessment) -> dict[str, Any]:
    """The assessment as JSON-ready data; without the export-only keys it is an answers file."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": _iso(timezone.now()),
        "checklist": assessment.checklist_id,
        "language": assessment.language,
        "business": {"name": assessment.business_name, "website": assessment.website},
        "answers": dict(assessment.answers),
        "details": dict(assessment.details or {}),
        "checklist_version": assessment.checklist_version,
        "checklist_hash": assessment.content_hash,
        "state": str(assessment.state),  # a TextChoices member until reloaded, which YAML cannot write
        "finished_at": _iso(assessment.finished_at),
        "result": assessment.result_for(assessment.language) if assessment.is_finished and assessment.result else None,
        "comments": [_comment(note) for note in _notes_in_report_order(assessment)],
    }


def client_document(client: Client) -> dict[str, Any]:
    """Everything stored about a client, its assessments oldest first (e.g. for a data subject request)."""
    assessments = client.assessments.order_by("created_at", "pk").prefetch_related("finding_notes")
    return {
        "format": CLIENT_FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": _iso(timezone.now()),
        "name": client.name,
        "contact_person": client.contact_person,
        "website": client.website,
        "notes": client.notes,
        "archived_at": _iso(client.archived_at),
        "created_at": _iso(client.created_at),
        "assessments": [assessment_document(a) for a in assessments],
    }


def dump_document(doc: Mapping[str, Any], fmt: str) -> tuple[str, str, bytes]:
    """(filename, content type, bytes), like the PDF report; fmt is "json" or "yaml"."""
    if fmt == "json":
        content = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "yaml":
        content = yaml.dump(doc, Dumper=_SafeDumperWithoutAliases, allow_unicode=True, sort_keys=False)
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    return _filename(doc, fmt), CONTENT_TYPES[fmt], content.encode("utf-8")


class _SafeDumperWithoutAliases(yaml.SafeDumper):
    # The import refuses anchors and aliases (they are how "billion laughs" files work), so an
    # export must never contain one, even where two values happen to be the same object.
    def ignore_aliases(self, data: object) -> bool:
        return True


def _filename(doc: Mapping[str, Any], fmt: str) -> str:
    """ASCII only, so it goes into a Content-Disposition header unquoted; named like the PDF report."""
    day = str(doc["exported_at"])[:10]
    if doc["format"] == CLIENT_FORMAT:
        parts = ["dsgvo-check", "client", name_slug(doc["name"])]
    else:
        parts = ["dsgvo-check", slugify(doc["checklist"]), name_slug(doc["business"]["name"])]
    return "-".join(p for p in [*parts, day] if p) + "." + fmt


def _iso(moment: datetime.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _comment(note: FindingNote) -> dict[str, Any]:
    return {
        "requirement": note.requirement_id,
        "comment": note.comment,
        "due_date": note.due_date.isoformat() if note.due_date else None,
        "responsible": note.responsible,
    }


def _notes_in_report_order(assessment: Assessment) -> list[FindingNote]:
    notes = [n for n in assessment.finding_notes.all() if not n.is_empty]
    order = {}
    if assessment.result:
        order = {f["id"]: i for i, f in enumerate(assessment.result_for(assessment.language)["findings"])}
    return sorted(notes, key=lambda n: (order.get(n.requirement_id, len(order)), n.requirement_id))


# --- import -------------------------------------------------------------------------------------


@dataclass
class ImportDocument:
    """What an import file asks for. Use the other fields only when `problems` is empty.

    An exported `result` is ignored on purpose: the import scores the answers anew with the
    checklist loaded now, so a file can never plant a result that its answers do not give.
    """

    checklist_id: str = ""
    language: str = ""
    business_name: str = ""
    website: str = ""
    answers: dict[str, str] = field(default_factory=dict)  # only answers to questions that are asked
    details: dict[str, str] = field(default_factory=dict)  # for the documents, checked as the details form does
    comments: list[dict[str, Any]] = field(default_factory=list)  # requirement, comment, due_date, responsible
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # worth telling, but the import may go ahead

    @property
    def ok(self) -> bool:
        return not self.problems


def parse_import(content: bytes, filename: str) -> ImportDocument:
    """Read an exported assessment or a plain answers file (JSON or YAML); the first MAX_PROBLEMS problems are
    listed, and how many more there are."""
    doc = _parse_import(content, filename)
    if len(doc.problems) > MAX_PROBLEMS:
        more = len(doc.problems) - MAX_PROBLEMS
        doc.problems[MAX_PROBLEMS:] = [
            ngettext("… and %(count)d more problem.", "… and %(count)d more problems.", more) % {"count": more}
        ]
    return doc


def _too_big(data: object) -> bool:
    """Whether parsed data holds more than MAX_IMPORT_ENTRIES in one place or MAX_IMPORT_VALUES in all."""
    stack, values = [data], 0
    while stack:
        item = stack.pop()
        if isinstance(item, dict | list):
            if len(item) > MAX_IMPORT_ENTRIES:
                return True
            stack.extend(item.values() if isinstance(item, dict) else item)
        values += 1
        if values > MAX_IMPORT_VALUES:
            return True
    return False


def _parse_import(content: bytes, filename: str) -> ImportDocument:
    doc = ImportDocument()
    data = _decode(content, filename, doc.problems)
    if data is None:
        return doc
    if _too_big(data):
        doc.problems.append(
            _("The file holds too many entries (more than %(max)s in one place): it is not an assessment export.")
            % {"max": MAX_IMPORT_ENTRIES}
        )
        return doc
    if not isinstance(data, dict):
        doc.problems.append(
            _("This is not an assessment export: the file must hold keys with values, such as checklist and answers.")
        )
        return doc
    _check_envelope(data, doc.problems)
    checklist = _checklist(data, doc)
    _language(data, checklist, doc)
    _business(data.get("business"), doc)
    _answers(data, checklist, doc)
    _details(data.get("details"), doc)
    _comments(data.get("comments"), checklist, doc)
    if checklist is not None and data.get("checklist_hash") not in (None, checklist.content_hash):
        doc.warnings.append(
            _("The file was made with checklist version %(old)s; it is scored with the current version %(new)s.")
            % {"old": _shown(data.get("checklist_version", "?")), "new": checklist.version}
        )
    return doc


def split_export(data: Mapping[Any, Any]) -> tuple[dict[Any, Any], list[str]]:
    """An exported assessment without its export-only keys, which is an answers file, and the
    problems with the export envelope. A document without `format` is returned unchanged."""
    problems: list[str] = []
    if "format" not in data:
        return dict(data), problems
    _check_format(data, problems)
    return {k: v for k, v in data.items() if k not in EXPORT_ONLY_KEYS}, problems


def _decode(content: bytes, filename: str, problems: list[str]) -> object:
    if len(content) > MAX_IMPORT_BYTES:
        problems.append(_("The file is larger than 1 MB."))
        return None
    try:
        text = content.decode("utf-8-sig")  # a byte order mark, as some Windows editors write, is fine
    except UnicodeDecodeError:
        problems.append(_("The file is not UTF-8 text. Please save it as UTF-8 and try again."))
        return None
    if not text.strip():
        problems.append(_("The file is empty."))
        return None
    suffix = filename.lower().rpartition(".")[2] if "." in filename else ""
    as_json = suffix == "json" or (suffix not in ("yaml", "yml") and text.lstrip().startswith(("{", "[")))
    if as_json:
        try:
            data = json.loads(text)
            deep = too_deep(data)
        except json.JSONDecodeError as exc:
            problems.append(
                _("The file is not valid JSON (line %(line)s, column %(column)s: %(detail)s).")
                % {"line": exc.lineno, "column": exc.colno, "detail": exc.msg}
            )
            return None
        except RecursionError:  # thousands of levels deep: deeper than the parser itself goes
            deep = True
        except ValueError:  # a number of more than 4300 digits
            problems.append(_("The file holds a number too long to read."))
            return None
        if deep:
            problems.append(_("The file is nested more than %(depth)s levels deep.") % {"depth": MAX_DEPTH})
            return None
        return data
    data, errors = parse_yaml(text, "")
    for error in errors:
        where = f"{error.path}: " if error.path else ""
        detail = where + error.message.removeprefix("YAML error: ")
        problems.append(_("The file is not valid YAML (%(detail)s).") % {"detail": detail})
    return None if errors else data


def _check_envelope(data: Mapping[Any, Any], problems: list[str]) -> None:
    """format and format_version for an export; for a file without them, only answers-file keys."""
    exported = "format" in data
    if exported:
        _check_format(data, problems)
    elif "answers" not in data:
        problems.append(_("This is not an assessment export or answers file: it has neither 'format' nor 'answers'."))
    allowed = DOCUMENT_KEYS + EXPORT_ONLY_KEYS if exported else DOCUMENT_KEYS
    for key in data:
        if key not in allowed:
            problems.append(f"{_shown(key)}: " + _("unknown key (allowed: %(keys)s)") % {"keys": ", ".join(allowed)})


def _check_format(data: Mapping[Any, Any], problems: list[str]) -> None:
    version = data.get("format_version")
    if data["format"] != FORMAT:
        problems.append(
            "format: "
            + _("this is not an assessment export (format '%(format)s')") % {"format": _shown(data["format"])}
        )
    elif version != FORMAT_VERSION or isinstance(version, bool):
        problems.append(
            "format_version: "
            + _("version '%(version)s' cannot be read; this tool reads version %(supported)s")
            % {"version": _shown(version), "supported": FORMAT_VERSION}
        )


def _checklist(data: Mapping[Any, Any], doc: ImportDocument) -> Checklist | None:
    available = [c.id for c in registry.all_checklists()]
    checklist_id = data.get("checklist")
    if checklist_id is None and len(available) == 1:
        checklist_id = available[0]
    if checklist_id is None:
        doc.problems.append("checklist: " + _("missing (available: %(ids)s)") % {"ids": ", ".join(available)})
        return None
    if not isinstance(checklist_id, str):
        doc.problems.append("checklist: " + _("must be the id of a checklist"))
        return None
    try:
        checklist = registry.get(checklist_id)
    except KeyError:
        doc.problems.append(
            "checklist: "
            + _("there is no checklist '%(id)s' (available: %(ids)s)")
            % {"id": _shown(checklist_id), "ids": ", ".join(available) or "-"}
        )
        return None
    doc.checklist_id = checklist.id
    return checklist


def _language(data: Mapping[Any, Any], checklist: Checklist | None, doc: ImportDocument) -> None:
    offered = checklist.languages if checklist else SUPPORTED_LANGUAGES
    language = data.get("language")
    if language is None:
        doc.language = offered[0]
    elif language in offered:
        doc.language = language
    else:
        doc.problems.append(
            "language: "
            + _("'%(value)s' is not offered; choose one of: %(choices)s")
            % {"value": _shown(language), "choices": ", ".join(offered)}
        )


def _business(business: object, doc: ImportDocument) -> None:
    if business is None:
        return
    if not isinstance(business, dict):
        doc.problems.append("business: " + _("must hold a name and a website"))
        return
    for key in business:
        if key not in BUSINESS_KEYS:
            doc.problems.append(
                f"business.{_shown(key)}: " + _("unknown key (allowed: %(keys)s)") % {"keys": ", ".join(BUSINESS_KEYS)}
            )
    name = business.get("name") or ""
    if isinstance(name, str) and "\x00" in name:
        doc.problems.append("business.name: " + _nul_problem())
    elif isinstance(name, str) and len(name) <= MAX_NAME:
        doc.business_name = clean_name(name)  # as the start form keeps it
    else:
        doc.problems.append("business.name: " + _("must be text of at most %(max)s characters") % {"max": MAX_NAME})
    website = business.get("website") or ""
    if isinstance(website, str) and "\x00" in website:
        doc.problems.append("business.website: " + _nul_problem())
    elif website_problem(website) is None:
        doc.website = website.strip()
    else:
        doc.problems.append(
            "business.website: "
            + _("must be a web address starting with http:// or https://, at most %(max)s characters")
            % {"max": MAX_WEBSITE}
        )


def _answers(data: Mapping[Any, Any], checklist: Checklist | None, doc: ImportDocument) -> None:
    if "answers" not in data:
        if "format" in data:  # for a file without format, _check_envelope has said it already
            doc.problems.append("answers: " + _("missing"))
        return
    if checklist is None:
        return
    # The engine's own check, so an import accepts exactly what the wizard and `assess` accept.
    check = check_answers(checklist, data["answers"])
    doc.problems += [_answers_issue(issue) for issue in check.issues]
    doc.warnings += [_answers_issue(notice) for notice in check.notices]
    if check.ok:
        doc.answers = dict(check.answers)


def _details(raw: object, doc: ImportDocument) -> None:
    """The engine's checks of the details (engine/details.py), which an answers file gets too, each problem
    under its key; the size of the mapping is bounded by MAX_IMPORT_ENTRIES before this runs."""
    if raw is None:
        return
    if not isinstance(raw, dict):
        doc.problems.append("details: " + _("must hold keys with values, such as email: info@example.de"))
        return
    for key, value in raw.items():
        if key not in DETAIL_LIMITS:
            doc.problems.append(
                f"details.{_shown(key)}: " + _("unknown key (allowed: %(keys)s)") % {"keys": ", ".join(DETAIL_LIMITS)}
            )
            continue
        cleaned, problems = clean_details({key: value})
        if problems:
            # The engine words why in English, naming the key; the sentence around it is in the page's language.
            doc.problems.append(f"details.{key}: " + _("not taken over (%(reason)s)") % {"reason": problems[0]})
        else:
            doc.details.update(cleaned)


def _answers_issue(issue: AnswerIssue) -> str:
    # The engine words its findings in English; makemessages has found those messages in it, so here they are
    # said in the page's language.
    return "answers: " + _(issue.message) % issue.params


def _comments(raw: object, checklist: Checklist | None, doc: ImportDocument) -> None:
    if raw is None:
        return
    if not isinstance(raw, list):
        doc.problems.append("comments: " + _("must be a list"))
        return
    requirement_ids = {r.id for r in checklist.requirements} if checklist else None
    seen: set[str] = set()
    for index, item in enumerate(raw):
        path = f"comments[{index}]"
        if not isinstance(item, dict):
            doc.problems.append(f"{path}: " + _("must hold the keys %(keys)s") % {"keys": ", ".join(COMMENT_KEYS)})
            continue
        problems_before = len(doc.problems)
        for key in item:
            if key not in COMMENT_KEYS:
                doc.problems.append(
                    f"{path}.{_shown(key)}: " + _("unknown key (allowed: %(keys)s)") % {"keys": ", ".join(COMMENT_KEYS)}
                )
        requirement = item.get("requirement")
        if not isinstance(requirement, str) or not requirement:
            doc.problems.append(f"{path}.requirement: " + _("missing: say which requirement the comment is on"))
        elif requirement_ids is not None and requirement not in requirement_ids:
            doc.problems.append(
                f"{path}.requirement: " + _("the checklist has no requirement '%(id)s'") % {"id": _shown(requirement)}
            )
        elif requirement in seen:
            doc.problems.append(
                f"{path}.requirement: "
                + _("'%(id)s' has a comment already; each requirement takes one") % {"id": _shown(requirement)}
            )
        comment = _text(item, "comment", MAX_COMMENT, path, doc.problems)
        responsible = clean_name(_text(item, "responsible", MAX_RESPONSIBLE, path, doc.problems))
        due_date = _date(item.get("due_date"), f"{path}.due_date", doc.problems)
        if len(doc.problems) == problems_before and isinstance(requirement, str):
            seen.add(requirement)
            doc.comments.append(
                {"requirement": requirement, "comment": comment, "due_date": due_date, "responsible": responsible}
            )


def _text(item: Mapping[str, Any], key: str, limit: int, path: str, problems: list[str]) -> str:
    value = item.get(key)
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > limit:
        problems.append(f"{path}.{key}: " + _("must be text of at most %(max)s characters") % {"max": limit})
        return ""
    if "\x00" in value:
        problems.append(f"{path}.{key}: " + _nul_problem())
        return ""
    return clean_text(value)  # the rule of the forms: no bidi or other control characters


def _date(value: object, path: str, problems: list[str]) -> datetime.date | None:
    # YAML reads an unquoted 2025-03-01 as a date already; JSON (and our own YAML export) gives a string.
    if value is None or value == "":
        return None
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:  # 2025-02-30
            pass
    problems.append(f"{path}: " + _("not a date (YYYY-MM-DD)"))
    return None


def _nul_problem() -> str:
    # PostgreSQL refuses NUL in text columns; a file carrying one was not written by a person anyway.
    return _("contains a NUL character (a zero byte), which cannot be stored")


def _shown(value: object) -> str:
    """A value from the file, short enough to quote in a message."""
    try:
        text = value if isinstance(value, str) else json.dumps(value, default=str)
    except (TypeError, ValueError):  # a YAML mapping with dates or other non-JSON keys
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
