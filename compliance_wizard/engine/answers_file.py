"""The answers file that `manage.py assess` reads (YAML or JSON):

checklist: whatsapp-business        # optional when --checklist is given
language: de                        # optional, de or en
business:                           # optional, used in the text templates
  name: Malerbetrieb Muster
  website: https://www.maler-muster.de
answers:
  app_variant: business_app
  avv_whatsapp: yes
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .texts import SUPPORTED_LANGUAGES
from .yamlfile import MAX_FILE_BYTES, parse_yaml

DOCUMENT_KEYS = ("checklist", "language", "business", "answers")
BUSINESS_KEYS = ("name", "website")
MAX_NAME = 200
MAX_WEBSITE = 300


@dataclass
class AnswersDocument:
    checklist: str | None = None
    language: str | None = None
    business_name: str = ""
    website: str = ""
    answers: object = None
    problems: list[str] = field(default_factory=list)


def read_answers_file(path: Path) -> AnswersDocument:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return AnswersDocument(problems=[f"{path}: file is {size} bytes; the limit is {MAX_FILE_BYTES}"])
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return AnswersDocument(problems=[f"{path}: not valid UTF-8 text"])
    except OSError as exc:
        return AnswersDocument(problems=[f"{path}: cannot be read: {exc.strerror or exc}"])
    return parse_answers(text, str(path), as_json=path.suffix.lower() == ".json")


def parse_answers(text: str, label: str, as_json: bool = False) -> AnswersDocument:
    if as_json:
        try:
            data: object = json.loads(text)
        except json.JSONDecodeError as exc:
            return AnswersDocument(problems=[f"{label}: line {exc.lineno}, column {exc.colno}: JSON error: {exc.msg}"])
    else:
        data, errors = parse_yaml(text, label)
        if errors:
            return AnswersDocument(problems=[str(e) for e in errors])
    return _document(data, label)


def _document(data: object, label: str) -> AnswersDocument:
    doc = AnswersDocument()
    if not isinstance(data, dict):
        doc.problems.append(f"{label}: must be a mapping with the keys {', '.join(DOCUMENT_KEYS)}")
        return doc
    for key in data:
        if key not in DOCUMENT_KEYS:
            doc.problems.append(f"{label}: unknown key '{key}' (allowed: {', '.join(DOCUMENT_KEYS)})")
    if "answers" not in data:
        doc.problems.append(f"{label}: missing key 'answers'")
    doc.answers = data.get("answers")

    checklist = data.get("checklist")
    if checklist is not None and not isinstance(checklist, str):
        doc.problems.append(f"{label}: checklist: must be a checklist id")
    doc.checklist = checklist if isinstance(checklist, str) else None

    language = data.get("language")
    if language is not None and language not in SUPPORTED_LANGUAGES:
        doc.problems.append(f"{label}: language: '{language}' is not one of {', '.join(SUPPORTED_LANGUAGES)}")
    doc.language = language if language in SUPPORTED_LANGUAGES else None

    business = data.get("business") or {}
    if not isinstance(business, dict):
        doc.problems.append(f"{label}: business: must be a mapping with name and website")
        return doc
    for key in business:
        if key not in BUSINESS_KEYS:
            doc.problems.append(f"{label}: business: unknown key '{key}' (allowed: {', '.join(BUSINESS_KEYS)})")
    name = business.get("name", "")
    website = business.get("website", "")
    if not isinstance(name, str) or len(name) > MAX_NAME:
        doc.problems.append(f"{label}: business.name: must be text of at most {MAX_NAME} characters")
    else:
        doc.business_name = name.strip()
    problem = website_problem(website)
    if problem:
        doc.problems.append(f"{label}: business.website: {problem}")
    else:
        doc.website = str(website).strip()
    return doc


def website_problem(value: object) -> str | None:
    """Why a website address is unusable, or None; empty is allowed."""
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value) > MAX_WEBSITE:
        return f"must be an address of at most {MAX_WEBSITE} characters"
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value.strip()):
        return "must be a web address starting with http:// or https://"
    return None
