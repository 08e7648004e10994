"""The outcome of a check, shaped so that a web page and a PDF render from the same data."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from .model import Checklist, Note, Requirement, Template, Text
from .texts import (
    BAND_LABELS,
    NOTE_SEVERITY,
    PLACEHOLDER_DEFAULTS,
    PLACEHOLDER_ON_WEBSITE,
    SEVERITY_LABELS,
    STATUS_LABELS,
)


class Status(StrEnum):
    GAP = "gap"
    TO_CLARIFY = "to_clarify"
    MET = "met"
    NOT_APPLICABLE = "not_applicable"
    NOTE = "note"  # a residual risk (a Note), never a requirement's status

    @property
    def rank(self) -> int:
        return list(Status).index(self)

    @property
    def is_open(self) -> bool:
        return self in (Status.GAP, Status.TO_CLARIFY)


@dataclass(frozen=True)
class Finding:
    requirement: Requirement
    status: Status
    unclear: tuple[str, ...]  # questions answered "don't know" that left it open
    clarify_reason: Text | None = None  # why answers without "don't know" still leave it open (clarify_if)

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (self.requirement.severity.rank, self.status.rank, self.requirement.order)


@dataclass(frozen=True)
class Cap:
    """The ceiling an open serious point puts on the score, and the requirements that hold it there."""

    limit: int
    kind: str  # "critical_gap" (red at most) or "serious_open" (amber at most)
    requirements: tuple[str, ...]


@dataclass(frozen=True)
class Result:
    checklist: Checklist
    answers: Mapping[str, str]
    findings: tuple[Finding, ...]  # most severe first
    notes: tuple[Note, ...]  # the residual risks that apply, in rule-file order
    score: int  # 0..100, after the cap: the one number every report shows
    band: str  # green / amber / red, always the band of the score
    cap: Cap | None  # set when a cap lowered the score

    @property
    def capped_by(self) -> tuple[str, ...]:
        return self.cap.requirements if self.cap else ()

    def with_status(self, *statuses: Status) -> list[Finding]:
        return [f for f in self.findings if f.status in statuses]

    @property
    def open_findings(self) -> list[Finding]:
        """Gaps and open questions, most severe first: the action list."""
        return [f for f in self.findings if f.status.is_open]

    def counts(self) -> dict[str, int]:
        counts = {s.value: len(self.with_status(s)) for s in Status}
        counts[Status.NOTE.value] = len(self.notes)
        return counts

    def to_dict(self, lang: str, business_name: str = "", website: str = "") -> dict[str, object]:
        """Everything a report shows, in one language, as plain JSON-ready data."""
        checklist = self.checklist
        if lang not in checklist.languages:
            raise ValueError(f"checklist '{checklist.id}' has no language '{lang}'")
        template_ids: list[str] = []
        for finding in self.open_findings:
            template_ids.extend(t for t in finding.requirement.templates if t not in template_ids)
        return {
            "checklist": {
                "id": checklist.id,
                "version": checklist.version,
                "hash": checklist.content_hash,
                "title": checklist.title.get(lang),
            },
            "language": lang,
            "business": {"name": business_name, "website": website},
            "score": self.score,
            "band": {"id": self.band, "label": BAND_LABELS[self.band][lang]},
            "cap": {"limit": self.cap.limit, "kind": self.cap.kind} if self.cap else None,
            "capped_by": list(self.capped_by),
            "counts": self.counts(),
            "findings": [self._finding_dict(f, lang) for f in self.findings]
            + [self._note_dict(n, lang) for n in self.notes],
            "templates": [
                {
                    "id": t.id,
                    "title": t.title.get(lang),
                    "usage": t.usage.get(lang),
                    "text": render_template(t, self.answers, lang, business_name, website),
                }
                for t in (checklist.templates[i] for i in template_ids)
            ],
            "sources": self._sources(lang),
            "answers": dict(self.answers),
        }

    def _sources(self, lang: str) -> list[dict[str, str]]:
        """Every source a finding or note cites, in checklist order, so a report can list them once."""
        cited = {s for f in self.findings for s in f.requirement.sources} | {s for n in self.notes for s in n.sources}
        return [
            {"id": s.id, "title": s.title.get(lang), "origin": s.origin.get(lang) if s.origin else ""}
            for s in self.checklist.sources.values()
            if s.id in cited
        ]

    def _cited(self, source_ids: tuple[str, ...], lang: str) -> list[dict[str, str]]:
        return [{"id": s, "title": self.checklist.sources[s].title.get(lang)} for s in source_ids]

    def _finding_dict(self, finding: Finding, lang: str) -> dict[str, object]:
        r = finding.requirement
        questions = self.checklist.questions
        return {
            "id": r.id,
            "status": finding.status.value,
            "status_label": STATUS_LABELS[finding.status.value][lang],
            "severity": r.severity.value,
            "severity_label": SEVERITY_LABELS[r.severity.value][lang],
            "severity_reason": r.severity_reason.get(lang),
            "reviewed": r.reviewed.isoformat(),
            "title": r.title.get(lang),
            "why": r.why.get(lang),
            "norms": [n.get(lang) for n in r.norms],
            "sources": self._cited(r.sources, lang),
            "clarify": r.clarify.get(lang) if finding.status is Status.TO_CLARIFY else "",
            "clarify_reason": finding.clarify_reason.get(lang) if finding.clarify_reason else "",
            "unclear_questions": [{"id": q, "text": questions[q].text.get(lang)} for q in finding.unclear],
            "remediation": [step.get(lang) for step in r.remediation] if finding.status.is_open else [],
            "next_step": self._next_step(finding, lang),
            "lowers_risk": [],
            "templates": list(r.templates),
        }

    @staticmethod
    def _next_step(finding: Finding, lang: str) -> str:
        next_step = finding.requirement.next_step
        if finding.status is Status.GAP:
            return next_step.gap.get(lang)
        if finding.status is Status.TO_CLARIFY:
            return next_step.to_clarify.get(lang)
        return ""

    def _note_dict(self, note: Note, lang: str) -> dict[str, object]:
        # The same keys as a finding, so that every report lists notes with the rest; never open, never scored.
        return {
            "id": note.id,
            "status": Status.NOTE.value,
            "status_label": STATUS_LABELS[Status.NOTE.value][lang],
            "severity": NOTE_SEVERITY,
            "severity_label": SEVERITY_LABELS[NOTE_SEVERITY][lang],
            "severity_reason": note.note_reason.get(lang),
            "reviewed": note.reviewed.isoformat(),
            "title": note.title.get(lang),
            "why": note.risk.get(lang),
            "norms": [n.get(lang) for n in note.norms],
            "sources": self._cited(note.sources, lang),
            "clarify": "",
            "clarify_reason": "",
            "unclear_questions": [],
            "remediation": [],
            "next_step": "",
            "lowers_risk": [step.get(lang) for step in note.lowers_risk],
            "templates": [],
        }


def render_template(
    template: Template, answers: Mapping[str, str], lang: str, business_name: str = "", website: str = ""
) -> str:
    """The paragraphs whose conditions hold for these answers, with the placeholders filled in."""
    paragraphs = [
        part.text.get(lang)
        for part in template.parts
        if part.condition is None or part.condition.evaluate(answers) is True
    ]
    return fill_template("\n\n".join(paragraphs), lang, business_name, website)


def fill_template(text: str, lang: str, business_name: str = "", website: str = "") -> str:
    """Put the business's details into a template; plain replacement, no format().

    What the check does not know yet (the addresses of the privacy policy and the legal notice) stays a
    marked blank in square brackets for the owner to fill in.
    """
    values = {name: defaults[lang] for name, defaults in PLACEHOLDER_DEFAULTS.items()}
    if business_name.strip():
        values["business_name"] = business_name.strip()
    if website.strip():
        values["website"] = website.strip().rstrip("/")
        for name, hints in PLACEHOLDER_ON_WEBSITE.items():
            values[name] = hints[lang].replace("WEBSITE", values["website"])
    # One pass, so a business name that itself contains "{website}" stays as typed.
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDER_DEFAULTS) + r")\}")


__all__ = ["Cap", "Finding", "Result", "Status", "fill_template", "render_template"]
