"""The answers file that `manage.py assess` reads (YAML or JSON):

checklist: whatsapp-business        # optional when --checklist is given
language: de                        # optional, de or en
business:                           # optional, used in the text templates
  name: Malerbetrieb Muster
  website: https://www.maler-muster.de
answers:
  app_variant: business_app
  avv_whatsapp: yes
details:                            # optional, the details for the documents (engine/details.py)
  email: info@maler-muster.de
  state: by
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .details import clean_details
from .errors import shown
from .texts import SUPPORTED_LANGUAGES
from .yamlfile import MAX_DEPTH, parse_yaml, read_text, too_deep

DOCUMENT_KEYS = ("checklist", "language", "business", "answers", "details")
BUSINESS_KEYS = ("name", "website")
MAX_NAME = 200
MAX_WEBSITE = 300
# No web address holds one; NUL in particular cannot be stored by PostgreSQL.
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class AnswersDocument:
    checklist: str | None = None
    language: str | None = None
    business_name: str = ""
    website: str = ""
    answers: object = None
    details: dict[str, str] = field(default_factory=dict)  # cleaned and valid, as the details form keeps them
    problems: list[str] = field(default_factory=list)


def read_answers_file(path: Path) -> AnswersDocument:
    data, problems = read_answers_data(path)
    if problems:
        return AnswersDocument(problems=problems)
    return answers_document(data, str(path))


def read_answers_data(path: Path) -> tuple[object, list[str]]:
    """The parsed file (JSON if it is named .json, else YAML), or None and why it cannot be read."""
    text, errors = read_text(path, str(path))
    if text is None:
        return None, [str(e) for e in errors]
    return parse_answers_data(text, str(path), as_json=path.suffix.lower() == ".json")


def parse_answers(text: str, label: str, as_json: bool = False) -> AnswersDocument:
    data, problems = parse_answers_data(text, label, as_json)
    if problems:
        return AnswersDocument(problems=problems)
    return answers_document(data, label)


def parse_answers_data(text: str, label: str, as_json: bool = False) -> tuple[object, list[str]]:
    if not as_json:
        data, errors = parse_yaml(text, label)
        return data, [str(e) for e in errors]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [f"{label}: line {exc.lineno}, column {exc.colno}: JSON error: {exc.msg}"]
    except RecursionError:
        return None, [f"{label}: nested more than {MAX_DEPTH} levels deep"]
    except ValueError as exc:  # e.g. a number of more than 4300 digits
        return None, [f"{label}: JSON error: {shown(str(exc), 120)}"]
    if too_deep(data):
        return None, [f"{label}: nested more than {MAX_DEPTH} levels deep"]
    return data, []


def answers_document(data: object, label: str) -> AnswersDocument:
    """Check parsed data as an answers file; the answers themselves are checked against a checklist later."""
    doc = AnswersDocument()
    if not isinstance(data, dict):
        doc.problems.append(f"{label}: must be a mapping with the keys {', '.join(DOCUMENT_KEYS)}")
        return doc
    for key in data:
        if key not in DOCUMENT_KEYS:
            doc.problems.append(f"{label}: unknown key '{shown(key)}' (allowed: {', '.join(DOCUMENT_KEYS)})")
    if "answers" not in data:
        doc.problems.append(f"{label}: missing key 'answers'")
    doc.answers = data.get("answers")

    checklist = data.get("checklist")
    if checklist is not None and not isinstance(checklist, str):
        doc.problems.append(f"{label}: checklist: must be a checklist id")
    doc.checklist = checklist if isinstance(checklist, str) else None

    language = data.get("language")
    if language is not None and language not in SUPPORTED_LANGUAGES:
        doc.problems.append(f"{label}: language: '{shown(language)}' is not one of {', '.join(SUPPORTED_LANGUAGES)}")
    doc.language = language if language in SUPPORTED_LANGUAGES else None

    details = data.get("details") or {}
    if isinstance(details, dict):
        doc.details, problems = clean_details(details)
        doc.problems += [f"{label}: details: {p}" for p in problems]
    else:
        doc.problems.append(f"{label}: details: must be a mapping of detail -> value (e.g. email: info@example.de)")

    business = data.get("business") or {}
    if not isinstance(business, dict):
        doc.problems.append(f"{label}: business: must be a mapping with name and website")
        return doc
    for key in business:
        if key not in BUSINESS_KEYS:
            doc.problems.append(f"{label}: business: unknown key '{shown(key)}' (allowed: {', '.join(BUSINESS_KEYS)})")
    name = business.get("name", "")
    website = business.get("website", "")
    if not isinstance(name, str) or len(name) > MAX_NAME:
        doc.problems.append(f"{label}: business.name: must be text of at most {MAX_NAME} characters")
    elif "\x00" in name:  # as the workspace import: PostgreSQL cannot store it
        doc.problems.append(f"{label}: business.name: contains a NUL character (a zero byte), which cannot be stored")
    else:
        doc.business_name = clean_name(name)
    problem = website_problem(website)
    if problem:
        doc.problems.append(f"{label}: business.website: {problem}")
    else:
        doc.website = str(website).strip()
    return doc


def clean_name(value: str) -> str:
    """A name as one line of printable text, as every form keeps it: control and format characters (U+202E, say,
    which shows the text after it backwards) have no place in a name and would garble the report."""
    name = "".join(c for c in value if c.isprintable() or c.isspace())
    return " ".join(name.split())


def clean_text(value: str) -> str:
    """Free text over several lines (an address, an introduction, a comment), by the rule of clean_name: the
    lines stay, every other control or format character (bidi controls above all) goes."""
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept = ("".join(c for c in line if c.isprintable() or c in " \t") for line in lines)
    return "\n".join(line.rstrip() for line in kept).strip()


def website_problem(value: object) -> str | None:
    """Why a website address is unusable, or None; empty is allowed."""
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value) > MAX_WEBSITE:
        return f"must be an address of at most {MAX_WEBSITE} characters"
    if CONTROL_RE.search(value):
        return "must not contain control characters such as NUL"
    try:
        parts = urlsplit(value.strip())
    except ValueError:  # e.g. "http://[": brackets that hold no IPv6 address
        return "must be a web address starting with http:// or https://"
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value.strip()):
        return "must be a web address starting with http:// or https://"
    return None
