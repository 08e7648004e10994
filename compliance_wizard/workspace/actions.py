"""The consultant's open actions: every open finding of each active client's latest check, with its plan.

What a consultant works through in the morning, across all clients: the findings still open (gaps and points
to clarify) together with the comment, responsible person and due date entered for them. Overdue ones first.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from compliance_wizard.assessments.models import Assessment
from compliance_wizard.engine.progress import finding_kind
from compliance_wizard.report.sections import SEVERITY_ORDER

from .models import Client, Consultant, FindingNote

OPEN_KINDS = ("gap", "to_clarify")
OVERDUE = "overdue"
STATES = (*OPEN_KINDS, OVERDUE)


@dataclass(frozen=True)
class Action:
    client: Client
    assessment: Assessment
    requirement_id: str
    title: str
    kind: str  # gap or to_clarify
    status_label: str
    severity: str
    severity_label: str
    responsible: str
    due_date: datetime.date | None
    comment: str
    overdue: bool
    updated_at: datetime.datetime | None  # of the note; None without one

    @property
    def uid(self) -> str:
        # Per client, not per check: after a repeat the same open finding stays the same calendar entry.
        return f"{self.client.pk}-{self.requirement_id}"


def latest_checks(consultant: Consultant, client_ids: Iterable[int] | None = None) -> dict[int, Assessment]:
    """The latest finished check of each of the consultant's active clients, with its client and notes."""
    finished = Assessment.objects.filter(
        client__consultant=consultant, client__archived_at__isnull=True, state=Assessment.State.FINISHED
    )
    if client_ids is not None:
        finished = finished.filter(client_id__in=list(client_ids))
    latest: dict[int, int] = {}
    for pk, client_id in finished.order_by("finished_at", "pk").values_list("pk", "client_id"):
        latest[client_id] = pk  # ordered, so the last one wins
    checks = Assessment.objects.filter(pk__in=latest.values()).select_related("client")
    checks = checks.prefetch_related("finding_notes")
    return {a.client_id: a for a in checks}


def open_findings(assessment: Assessment, lang: str) -> list[dict[str, object]]:
    return [f for f in assessment.result_for(lang)["findings"] if finding_kind(f) in OPEN_KINDS]


def open_actions(consultant: Consultant, lang: str, today: datetime.date) -> list[Action]:
    """Every open action of the consultant: overdue first, then by due date (none last), then by risk."""
    actions = []
    for assessment in latest_checks(consultant).values():
        notes = {n.requirement_id: n for n in assessment.finding_notes.all()}
        for finding in open_findings(assessment, lang):
            note = notes.get(str(finding["id"]))
            due = note.due_date if note else None
            actions.append(
                Action(
                    client=assessment.client,
                    assessment=assessment,
                    requirement_id=str(finding["id"]),
                    title=str(finding["title"]),
                    kind=finding_kind(finding),
                    status_label=str(finding["status_label"]),
                    severity=str(finding["severity"]),
                    severity_label=str(finding["severity_label"]),
                    responsible=note.responsible if note else "",
                    due_date=due,
                    comment=note.comment if note else "",
                    overdue=due is not None and due < today,
                    updated_at=note.updated_at if note else None,
                )
            )
    return sorted(actions, key=_urgency)


def _urgency(action: Action) -> tuple[object, ...]:
    return (
        not action.overdue,
        action.due_date is None,
        action.due_date or datetime.date.max,
        SEVERITY_ORDER.index(action.severity) if action.severity in SEVERITY_ORDER else len(SEVERITY_ORDER),
        action.client.name.casefold(),
        action.title.casefold(),
    )


def filter_actions(
    actions: list[Action], client_id: int | None = None, responsible: str | None = None, state: str = ""
) -> list[Action]:
    """The actions of one client, of one responsible person ("" for nobody named) and in one state."""
    if client_id is not None:
        actions = [a for a in actions if a.client.pk == client_id]
    if responsible is not None:
        actions = [a for a in actions if a.responsible == responsible]
    if state == OVERDUE:
        actions = [a for a in actions if a.overdue]
    elif state in OPEN_KINDS:
        actions = [a for a in actions if a.kind == state]
    return actions


@dataclass(frozen=True)
class Direction:
    """Where a client stands and which way it is going: the latest check against the one before."""

    latest: Assessment
    change: int | None  # score points since the previous finished check of the same checklist; None if first
    open_gaps: int
    overdue: int


def client_directions(client_ids: Iterable[int], lang: str, today: datetime.date) -> dict[int, Direction]:
    """Direction of each client, in three queries however many clients: checks, latest results, overdue notes."""
    finished = Assessment.objects.filter(client_id__in=list(client_ids), state=Assessment.State.FINISHED)
    history: dict[int, list[Assessment]] = {}
    for check in finished.order_by("finished_at", "pk").only("pk", "client_id", "checklist_id", "score", "finished_at"):
        history.setdefault(check.client_id, []).append(check)
    latest = {checks[-1].pk: checks[-1] for checks in history.values()}
    results = dict(Assessment.objects.filter(pk__in=latest).values_list("pk", "result"))
    overdue_notes: dict[int, set[str]] = {}
    notes = FindingNote.objects.filter(assessment_id__in=latest, due_date__lt=today)
    for assessment_id, requirement_id in notes.values_list("assessment_id", "requirement_id"):
        overdue_notes.setdefault(assessment_id, set()).add(requirement_id)
    directions = {}
    for client_id, checks in history.items():
        last = checks[-1]
        last.result = results[last.pk]
        findings = open_findings(last, lang)
        earlier = [c for c in checks[:-1] if c.checklist_id == last.checklist_id]
        directions[client_id] = Direction(
            latest=last,
            change=int(last.score or 0) - int(earlier[-1].score or 0) if earlier else None,
            open_gaps=sum(1 for f in findings if finding_kind(f) == "gap"),
            overdue=sum(1 for f in findings if f["id"] in overdue_notes.get(last.pk, ())),
        )
    return directions
