"""The details a business gives for its documents (name, contact, addresses, Bundesland, ...).

Pure data and one cleaning function shared by every way details come in (the web form, an answers file), so
that a document never sees a control character, a bidi override or an unbounded value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from .errors import shown

if TYPE_CHECKING:
    from .model import Checklist

# Each detail a document may name as {placeholder}, with what the owner is asked to fill in when it is missing.
DETAIL_LABELS: dict[str, dict[str, str]] = {
    "controller_name": {"de": "Name des Betriebs", "en": "name of the business"},
    "controller_address": {"de": "Anschrift des Betriebs", "en": "postal address of the business"},
    "email": {"de": "E-Mail-Adresse", "en": "e-mail address"},
    "phone": {"de": "Telefonnummer", "en": "phone number"},
    "dpo_name": {"de": "Name der oder des Datenschutzbeauftragten", "en": "name of the data protection officer"},
    "dpo_contact": {
        "de": "Kontakt der oder des Datenschutzbeauftragten",
        "en": "contact details of the data protection officer",
    },
    "website": {"de": "Adresse Ihrer Website", "en": "address of your website"},
    "imprint_url": {"de": "Adresse Ihres Impressums", "en": "address of your legal notice"},
    "privacy_url": {"de": "Adresse Ihrer Datenschutzerklärung", "en": "address of your privacy policy"},
    "state": {"de": "Bundesland", "en": "federal state"},
    "authority": {
        "de": "zuständige Datenschutz-Aufsichtsbehörde (Bundesland angeben)",
        "en": "competent data protection authority (give your federal state)",
    },
    "authority_name": {
        "de": "zuständige Datenschutz-Aufsichtsbehörde (Bundesland angeben)",
        "en": "competent data protection authority (give your federal state)",
    },
    "bsp_name": {"de": "Name und Anschrift des Dienstleisters", "en": "name and address of the service provider"},
    "bsp_location": {"de": "Serverstandort des Dienstleisters", "en": "server location of the service provider"},
    "chat_deletion": {"de": "Löschfrist für Chats", "en": "deletion period for chats"},
}

# Derived from other details by the engine; an owner never types them.
DERIVED = ("authority", "authority_name")
# What the owner types, each with its longest accepted value.
DETAIL_LIMITS: dict[str, int] = {
    "controller_name": 200,
    "controller_address": 300,
    "email": 254,
    "phone": 40,
    "dpo_name": 200,
    "dpo_contact": 300,
    "website": 300,
    "imprint_url": 300,
    "privacy_url": 300,
    "state": 2,
    "bsp_name": 300,
    "bsp_location": 100,
    "chat_deletion": 2,
}

# The deletion period is a choice, so that it reads right in every language ("nach drei Monaten").
CHAT_DELETION: dict[str, dict[str, str]] = {
    "1": {"de": "einem Monat", "en": "one month"},
    "3": {"de": "drei Monaten", "en": "three months"},
    "6": {"de": "sechs Monaten", "en": "six months"},
    "12": {"de": "zwölf Monaten", "en": "twelve months"},
}

# The sixteen Länder by ISO 3166-2 code (without "DE-"): the complaint right needs the authority of each.
STATES = ("bw", "by", "be", "bb", "hb", "hh", "he", "mv", "ni", "nw", "rp", "sl", "sn", "st", "sh", "th")
WEB_ADDRESSES = ("website", "imprint_url", "privacy_url")
# A plausibility check, not RFC 5322: one @, a dot in the domain, nothing that would end a line or a list.
_EMAIL_RE = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\"]+$")
_WEB_RE = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)

MISSING = {"de": "noch auszufüllen", "en": "still to fill in"}
MISSING_LIST = {"de": "Noch auszufüllen", "en": "Still to fill in"}

# C0/C1 controls, and the marks that reorder text when shown (Trojan-Source style "bidi" overrides).
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_SPACES = re.compile(r"[ \t]+")


def clean_detail(value: object) -> str:
    """One line of plain text: line breaks become ", ", every other control or bidi character goes."""
    if not isinstance(value, str):
        return ""
    lines = (_SPACES.sub(" ", _INVISIBLE.sub("", line)).strip() for line in re.split(r"[\r\n]+", value))
    return ", ".join(line for line in lines if line)


def details_asked(checklist: Checklist, answers: Mapping[str, str], given: Mapping[str, str]) -> set[str]:
    """The details to ask for: every one an owner types, but one whose `asked_if` in the rule files is false
    for these answers (a business without a provider names none), unless it was given already."""
    return {
        name
        for name in DETAIL_LIMITS
        if name in given
        or name not in checklist.details_asked_if
        # Open ("don't know") asks, like a show_if: a blank the owner may leave costs less than a missing line.
        or checklist.details_asked_if[name].evaluate(answers) is not False
    }


def clean_details(raw: Mapping[str, object]) -> tuple[dict[str, str], list[str]]:
    """The valid details of `raw`, cleaned, with a problem naming the key for each one left out.

    The rules of the details form (compliance_wizard/assessments/forms.py), for the ways in without it: an
    answers file, a workspace import. Text only, within its length; an e-mail address, http(s) web addresses,
    a federal state and a deletion period the documents know.
    """
    details: dict[str, str] = {}
    problems: list[str] = []
    for name, value in raw.items():
        if name not in DETAIL_LIMITS:
            problems.append(f"unknown detail '{shown(name)}' (known: {', '.join(DETAIL_LIMITS)})")
            continue
        if isinstance(value, bool) or not isinstance(value, str | int | None):
            problems.append(f"detail '{name}' must be text")
            continue
        # A number is fine where YAML reads one: `chat_deletion: 3`, a phone number without spaces.
        cleaned = clean_detail(str(value) if isinstance(value, int) else value)
        problem = _detail_problem(name, cleaned) if cleaned else None
        if problem:
            problems.append(f"detail '{name}' {problem}")
        elif cleaned:
            details[name] = cleaned
    return details, problems


def _detail_problem(name: str, value: str) -> str | None:
    # A choice first: "must be one of" says more than "longer than 2 characters".
    if name == "state" and value not in STATES:
        return f"must be one of {', '.join(STATES)} (the federal state's code)"
    if name == "chat_deletion" and value not in CHAT_DELETION:
        return f"must be one of {', '.join(CHAT_DELETION)} (months)"
    if len(value) > DETAIL_LIMITS[name]:
        return f"is longer than {DETAIL_LIMITS[name]} characters"
    if name == "email" and not _EMAIL_RE.match(value):
        return f"'{shown(value)}' is not an e-mail address"
    if name in WEB_ADDRESSES and not _WEB_RE.match(value):
        return f"'{shown(value)}' is not a web address starting with http:// or https://"
    return None
