"""The checklist as the engine sees it: immutable, validated, language-neutral."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .conditions import Condition

# The option every question offers for "I don't know". It is never treated as met.
UNKNOWN = "unknown"


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

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
class Template:
    id: str
    title: Text
    usage: Text
    text: Text


@dataclass(frozen=True)
class Requirement:
    id: str
    title: Text
    why: Text
    clarify: Text
    severity: Severity
    norms: tuple[str, ...]
    sources: tuple[str, ...]
    applies_if: Condition | None
    met_if: Condition
    remediation: tuple[Text, ...]
    templates: tuple[str, ...]
    order: int  # position in the rule files, the last tie-breaker when sorting


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
    origin: str = ""  # the file or folder it was loaded from
    questions: Mapping[str, Question] = field(init=False)

    def __post_init__(self) -> None:
        questions = {q.id: q for s in self.steps for q in s.questions}
        object.__setattr__(self, "questions", questions)

    @property
    def short_hash(self) -> str:
        return self.content_hash[:12]
