"""The outcome of a check, shaped so that a web page and a PDF render from the same data."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from .model import Checklist, Requirement, Severity
from .texts import BAND_LABELS, PLACEHOLDER_DEFAULTS, SEVERITY_LABELS, STATUS_LABELS


class Status(StrEnum):
    GAP = "gap"
    TO_CLARIFY = "to_clarify"
    MET = "met"
    NOT_APPLICABLE = "not_applicable"

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

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (self.requirement.severity.rank, self.status.rank, self.requirement.order)


@dataclass(frozen=True)
class Result:
    checklist: Checklist
    answers: Mapping[str, str]
    findings: tuple[Finding, ...]  # most severe first
    score: int  # 0..100
    band: str  # green / amber / red
    capped_by: tuple[str, ...]  # open critical requirements that held the band down

    def with_status(self, *statuses: Status) -> list[Finding]:
        return [f for f in self.findings if f.status in statuses]

    @property
    def open_findings(self) -> list[Finding]:
        """Gaps and open questions, most severe first: the action list."""
        return [f for f in self.findings if f.status.is_open]

    def counts(self) -> dict[str, int]:
        return {s.value: len(self.with_status(s)) for s in Status}

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
            "capped_by": list(self.capped_by),
            "counts": self.counts(),
            "findings": [self._finding_dict(f, lang) for f in self.findings],
            "templates": [
                {
                    "id": t.id,
                    "title": t.title.get(lang),
                    "usage": t.usage.get(lang),
                    "text": fill_template(t.text.get(lang), lang, business_name, website),
                }
                for t in (checklist.templates[i] for i in template_ids)
            ],
            "sources": self._sources(lang),
            "answers": dict(self.answers),
        }

    def _sources(self, lang: str) -> list[dict[str, str]]:
        """Every source a finding cites, in checklist order, so a report can list them once."""
        cited = {s for f in self.findings for s in f.requirement.sources}
        return [
            {"id": s.id, "title": s.title.get(lang), "origin": s.origin.get(lang) if s.origin else ""}
            for s in self.checklist.sources.values()
            if s.id in cited
        ]

    def _finding_dict(self, finding: Finding, lang: str) -> dict[str, object]:
        r = finding.requirement
        questions = self.checklist.questions
        return {
            "id": r.id,
            "status": finding.status.value,
            "status_label": STATUS_LABELS[finding.status.value][lang],
            "severity": r.severity.value,
            "severity_label": SEVERITY_LABELS[r.severity.value][lang],
            "title": r.title.get(lang),
            "why": r.why.get(lang),
            "norms": list(r.norms),
            "sources": [{"id": s, "title": self.checklist.sources[s].title.get(lang)} for s in r.sources],
            "clarify": r.clarify.get(lang) if finding.status is Status.TO_CLARIFY else "",
            "unclear_questions": [{"id": q, "text": questions[q].text.get(lang)} for q in finding.unclear],
            "remediation": [step.get(lang) for step in r.remediation] if finding.status.is_open else [],
            "templates": list(r.templates),
        }


def fill_template(text: str, lang: str, business_name: str = "", website: str = "") -> str:
    """Put the business's name and website into a template; plain replacement, no format()."""
    values = {
        "business_name": business_name.strip() or PLACEHOLDER_DEFAULTS["business_name"][lang],
        "website": website.strip().rstrip("/") or PLACEHOLDER_DEFAULTS["website"][lang],
    }
    # One pass, so a business name that itself contains "{website}" stays as typed.
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


_PLACEHOLDER = re.compile(r"\{(business_name|website)\}")


__all__ = ["Finding", "Result", "Severity", "Status", "fill_template"]
