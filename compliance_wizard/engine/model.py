"""The checklist as the engine sees it: immutable, validated, language-neutral."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .changelog import Change
    from .conditions import Condition
    from .documents import Authority, Document

# The option every question offers for "I don't know". It is never treated as met.
UNKNOWN = "unknown"


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


@dataclass(frozen=True)
class Text:
    """A text in every language of its checklist."""

    values: Mapping[str, str]

    def get(self, lang: str) -> str:
        return self.values[lang]


@dataclass(frozen=True)
class Option:
    id: str
    label: Text


@dataclass(frozen=True)
class Question:
    id: str
    type: str  # "yes_no" or "choice"
    text: Text
    help: Text
    options: tuple[Option, ...]
    show_if: Condition | None
    step_id: str

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options)


@dataclass(frozen=True)
class Step:
    id: str
    title: Text
    intro: Text | None
    show_if: Condition | None
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Source:
    id: str
    title: Text
    origin: Text | None


@dataclass(frozen=True)
class TemplatePart:
    """A paragraph of a template, included only when its condition holds (always, without one)."""

    text: Text
    condition: Condition | None


@dataclass(frozen=True)
class Template:
    id: str
    title: Text
    usage: Text
    parts: tuple[TemplatePart, ...]


@dataclass(frozen=True)
class ClarifyRule:
    """Answers that leave a requirement open although nothing was answered "don't know", and why."""

    condition: Condition
    reason: Text


@dataclass(frozen=True)
class NextStep:
    """One sentence each: what to do first while the requirement is a gap, and while it is to be clarified."""

    gap: Text
    to_clarify: Text


@dataclass(frozen=True)
class Requirement:
    id: str
    title: Text
    why: Text
    clarify: Text
    severity: Severity
    severity_reason: Text  # why this severity, citing a source or norm: for consultants and the docs
    reviewed: datetime.date  # when the content was last checked against the law
    norms: tuple[Text, ...]
    sources: tuple[str, ...]
    applies_if: Condition | None
    met_if: Condition
    clarify_if: tuple[ClarifyRule, ...]
    remediation: tuple[Text, ...]
    next_step: NextStep  # the first thing to do, shown under the score among the most urgent steps
    templates: tuple[str, ...]
    order: int  # position in the rule files, the last tie-breaker when sorting


@dataclass(frozen=True)
class Note:
    """A residual risk that remains even when everything is set up: shown, never scored, never a gap."""

    id: str
    title: Text
    risk: Text  # what the risk is
    lowers_risk: tuple[Text, ...]  # what lowers it
    note_reason: Text  # why a note and not a requirement, citing a source or norm
    reviewed: datetime.date
    norms: tuple[Text, ...]
    sources: tuple[str, ...]
    applies_if: Condition | None


@dataclass(frozen=True)
class Checklist:
    id: str
    version: str
    content_hash: str  # sha256 of the rule content, so a result says exactly what scored it
    languages: tuple[str, ...]
    title: Text
    summary: Text
    steps: tuple[Step, ...]
    requirements: tuple[Requirement, ...]
    sources: Mapping[str, Source]
    templates: Mapping[str, Template]
    notes: tuple[Note, ...] = ()
    changelog: tuple[Change, ...] = ()  # what each version changed, oldest version first
    # The question that asks for the kind of business (first step); a chamber may offer fewer of its options.
    sector_question: str | None = None
    origin: str = ""  # the file or folder it was loaded from
    documents: tuple[Document, ...] = ()  # texts to fill in and use, offered where they fit the answers
    # The data protection authority of each federal state, by state code: the complaint right names it.
    authorities: Mapping[str, Authority] = field(default_factory=dict)
    # The details asked only on some answers, each with its `asked_if`; every other detail is always asked.
    details_asked_if: Mapping[str, Condition] = field(default_factory=dict)
    questions: Mapping[str, Question] = field(init=False)

    def __post_init__(self) -> None:
        questions = {q.id: q for s in self.steps for q in s.questions}
        object.__setattr__(self, "questions", questions)

    @property
    def short_hash(self) -> str:
        return self.content_hash[:12]
