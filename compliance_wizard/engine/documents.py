"""Documents ready to use (privacy section, records entry, messages, instructions), filled from the answers and
the details a business gives for its texts.

A document is data in the rule files (`documents:`): sections of text or table rows, each with an optional
condition; `{placeholder}`s name the details. A detail that is missing is marked in the text and listed at
the top, so nothing is pasted half-filled without the owner seeing it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .conditions import Facts
from .details import CHAT_DELETION, DETAIL_LABELS, MISSING, MISSING_LIST

if TYPE_CHECKING:
    from .conditions import Condition
    from .model import Checklist, Text

PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Row:
    label: Text
    value: Text
    condition: Condition | None


@dataclass(frozen=True)
class Section:
    heading: Text | None
    text: Text | None
    rows: tuple[Row, ...]
    condition: Condition | None


@dataclass(frozen=True)
class Document:
    id: str
    title: Text
    usage: Text
    reason: Text  # the legal reasoning behind the text: for rule authors and consultants, never pasted
    applies_if: Condition | None
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class Authority:
    """The data protection authority for the private sector of one German federal state."""

    state: str  # ISO 3166-2 code without "DE-", lower case
    state_name: Text
    name: str
    address: str
    url: str

    @property
    def full(self) -> str:
        return f"{self.name}, {self.address}, {self.url}"


@dataclass(frozen=True)
class RenderedSection:
    heading: str
    paragraphs: tuple[str, ...]  # a paragraph may hold line breaks
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class RenderedDocument:
    id: str
    title: str
    usage: str
    missing: tuple[str, ...]  # what is still to fill in, in order of first appearance
    missing_line: str  # "Noch auszufüllen: ..." or ""
    sections: tuple[RenderedSection, ...]

    @property
    def text(self) -> str:
        """The whole document as plain text, ready to paste."""
        blocks = [self.missing_line] if self.missing_line else []
        for section in self.sections:
            lines = [section.heading] if section.heading else []
            if section.paragraphs:
                lines.append("\n\n".join(section.paragraphs))
            lines.extend(f"{label}: {value}" for label, value in section.rows)
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks)


def document_values(checklist: Checklist, details: Mapping[str, str], lang: str) -> dict[str, str]:
    """Each placeholder's value in `lang`, from cleaned details; a placeholder without a value is left out."""
    values = {name: value for name, value in details.items() if value and name not in ("state", "chat_deletion")}
    if "website" in values:
        values["website"] = values["website"].rstrip("/")
    authority = checklist.authorities.get(details.get("state", ""))
    if authority is not None:
        values["state"] = authority.state_name.get(lang)
        values["authority"] = authority.full
        values["authority_name"] = authority.name
    period = CHAT_DELETION.get(details.get("chat_deletion", ""))
    if period is not None:
        values["chat_deletion"] = period[lang]
    return values


def offered_documents(checklist: Checklist, answers: Mapping[str, str], details: Mapping[str, str]) -> list[Document]:
    """The documents that fit the answers; in doubt ("don't know") a document is offered."""
    facts = Facts(answers, (k for k, v in details.items() if v))
    return [d for d in checklist.documents if d.applies_if is None or d.applies_if.evaluate(facts) is not False]


def render_documents(
    checklist: Checklist, answers: Mapping[str, str], details: Mapping[str, str], lang: str
) -> list[RenderedDocument]:
    values = document_values(checklist, details, lang)
    facts = Facts(answers, values)
    return [_render(d, facts, values, lang) for d in offered_documents(checklist, answers, details)]


def _render(document: Document, facts: Facts, values: Mapping[str, str], lang: str) -> RenderedDocument:
    missing: list[str] = []

    def fill(text: str) -> str:
        def value(match: re.Match[str]) -> str:
            name = match.group(1)
            if values.get(name):
                return values[name]
            label = DETAIL_LABELS[name][lang]
            if label not in missing:
                missing.append(label)
            return f"[{MISSING[lang]}: {label}]"

        # One pass: a value that itself contains "{email}" stays as typed.
        return PLACEHOLDER_RE.sub(value, text)

    sections: list[RenderedSection] = []
    for section in document.sections:
        if section.condition is not None and section.condition.evaluate(facts) is not True:
            continue
        rows = tuple(
            (fill(row.label.get(lang)), fill(row.value.get(lang)))
            for row in section.rows
            if row.condition is None or row.condition.evaluate(facts) is True
        )
        paragraphs = tuple(fill(p) for p in section.text.get(lang).split("\n\n")) if section.text else ()
        if paragraphs or rows:
            heading = fill(section.heading.get(lang)) if section.heading else ""
            sections.append(RenderedSection(heading, paragraphs, rows))
    missing_line = f"{MISSING_LIST[lang]}: {', '.join(missing)}" if missing else ""
    return RenderedDocument(
        document.id,
        document.title.get(lang),
        document.usage.get(lang),
        tuple(missing),
        missing_line,
        tuple(sections),
    )
