"""Every write in the workspace goes through here: clients, assessments for them, notes, branding."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from compliance_wizard.assessments.models import Assessment
from compliance_wizard.assessments.services import (
    assessment_changes,
    assessment_details_save,
    assessment_submit,
    draft_start,
    purge_in_batches,
)
from compliance_wizard.catalog import registry
from compliance_wizard.engine import Checklist, visible_steps
from compliance_wizard.engine.answers import normalise
from compliance_wizard.engine.changelog import is_before, latest_change_version
from compliance_wizard.engine.progress import compare_results

from .exchange import ImportDocument
from .models import Client, Consultant, FindingNote


def consultant_clients(consultant: Consultant, query: str = "", archived: bool = False) -> QuerySet[Client]:
    clients = consultant.clients.filter(archived_at__isnull=not archived)
    for word in query.split():
        clients = clients.filter(
            Q(name__icontains=word)
            | Q(contact_person__icontains=word)
            | Q(website__icontains=word)
            | Q(notes__icontains=word)
        )
    return clients


def client_save(client: Client) -> Client:
    client.updated_at = timezone.now()
    client.save()
    return client


def client_archive(client: Client, archived: bool) -> None:
    client.archived_at = timezone.now() if archived else None
    client_save(client)


def client_delete(client: Client) -> None:
    client.delete()  # assessments, their notes and cached reports go with it (on_delete=CASCADE)


def expired_clients(now: datetime.datetime | None = None) -> QuerySet[Client]:
    """Clients archived longer ago than RETENTION_ARCHIVED_CLIENT_DAYS: deleted with all their data."""
    now = now or timezone.now()
    return Client.objects.filter(archived_at__lt=now - datetime.timedelta(days=settings.RETENTION_ARCHIVED_CLIENT_DAYS))


def purge_expired_clients(now: datetime.datetime | None = None, batch_size: int | None = None) -> int:
    """Delete the expired clients with all their data, in batches of their own transactions; returns how many.

    Their checks go first, a batch at a time, each DELETE repeating "its client is still expired" (a client
    restored meanwhile keeps what is left); then the clients, which by then have nothing left to cascade to.
    A crash in between leaves an expired client with fewer checks, which the next run deletes.
    """
    now = now or timezone.now()
    batch_size = batch_size or settings.RETENTION_BATCH_SIZE
    purge_in_batches(Assessment.objects.filter(client__in=expired_clients(now).values("pk")), batch_size)
    deleted, after = 0, 0
    while True:
        ids = list(expired_clients(now).filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return deleted
        with transaction.atomic():
            # delete() counts the cascaded rows too (a check started in the last moment); only clients count here.
            deleted += expired_clients(now).filter(pk__in=ids).delete()[1].get("workspace.Client", 0)
        after = ids[-1]


def client_assessment_start(
    client: Client, checklist: Checklist, language: str, repeat_of: Assessment | None = None
) -> Assessment:
    """A draft for the client. A repeat starts with the earlier answers, so only changes need entering."""
    with transaction.atomic():
        assessment = draft_start(checklist, language, client.name, client.website)
        assessment.client = client
        if repeat_of is not None:
            assessment.previous = repeat_of
            assessment.answers = carried_answers(checklist, repeat_of.answers)
            assessment.current_step = checklist.steps[0].id
        assessment.save()
    return assessment


def carried_answers(checklist: Checklist, answers: Mapping[str, str]) -> dict[str, str]:
    """The earlier answers that still fit the (possibly changed) checklist; the rest will be asked again."""
    carried = {}
    for key, value in answers.items():
        question = checklist.questions.get(key)
        if question is not None and normalise(question, value) is not None:
            carried[key] = value
    shown = {q.id for _step, questions in visible_steps(checklist, carried) for q in questions}
    return {k: v for k, v in carried.items() if k in shown}


def comparison_base(assessment: Assessment) -> Assessment | None:
    """The check this one is compared with: the one it repeats, else the client's last one before it."""
    if assessment.client_id is None or not assessment.is_finished:
        return None
    if assessment.previous is not None and assessment.previous.is_finished:
        return assessment.previous
    return (
        Assessment.objects.filter(
            client_id=assessment.client_id,
            checklist_id=assessment.checklist_id,
            state=Assessment.State.FINISHED,
            finished_at__lt=assessment.finished_at,
        )
        .order_by("-finished_at")
        .first()
    )


def assessment_progress(assessment: Assessment, lang: str) -> dict[str, Any] | None:
    base = comparison_base(assessment)
    if base is None:
        return None
    date = timezone.localdate(base.finished_at).isoformat()
    return compare_results(base.result_for(lang), assessment.result_for(lang), date)


def finding_note_save(
    assessment: Assessment, requirement_id: str, comment: str, due_date: datetime.date | None, responsible: str
) -> FindingNote | None:
    """Create, change or (when everything is cleared) remove the note on one finding."""
    note, _created = FindingNote.objects.get_or_create(assessment=assessment, requirement_id=requirement_id)
    note.comment = comment.strip()
    note.due_date = due_date
    note.responsible = responsible.strip()
    if note.is_empty:
        note.delete()
        return None
    note.updated_at = timezone.now()
    note.save()
    return note


def notes_by_requirement(assessment: Assessment) -> dict[str, dict[str, Any]]:
    return {
        n.requirement_id: {"comment": n.comment, "due_date": n.due_date, "responsible": n.responsible}
        for n in assessment.finding_notes.all()
    }


def report_extras(assessment: Assessment, lang: str) -> dict[str, Any]:
    """What a client's report carries besides the result: the consultant's brand, the progress since the
    client's last check and the consultant's notes."""
    return {
        "brand": assessment.client.consultant.report_brand(),
        "progress": assessment_progress(assessment, lang),
        "notes": notes_by_requirement(assessment),
    }


def client_report_extras(assessment: Assessment, lang: str) -> dict[str, Any] | None:
    """report_extras() for a client's check, None for any other (the hook WorkspaceConfig.ready() registers)."""
    return report_extras(assessment, lang) if assessment.client_id is not None else None


@transaction.atomic
def assessment_import(
    client: Client, checklist: Checklist, document: ImportDocument, name_from_file: bool = False
) -> Assessment:
    """A finished assessment from an import file; its result is scored anew, never taken from the file. It carries
    the client's name (and website, if the client has one) unless the file's are asked for."""
    assessment = draft_start(checklist, document.language or checklist.languages[0], client.name, client.website)
    assessment.client = client
    if name_from_file and document.business_name:
        assessment.business_name = document.business_name
    if document.website and (name_from_file or not client.website):
        assessment.website = document.website
    assessment.save()
    assessment = assessment_submit(assessment.token, checklist, document.answers)
    if document.details:
        assessment_details_save(assessment, document.details)
    for comment in document.comments:
        finding_note_save(
            assessment,
            comment["requirement"],
            comment.get("comment", ""),
            comment.get("due_date"),
            comment.get("responsible", ""),
        )
    return assessment


def branding_save(consultant: Consultant, fields: Mapping[str, str], logo: bytes | None, remove_logo: bool) -> None:
    for name in ("display_name", "address", "accent_color", "intro"):
        setattr(consultant, name, fields[name])
    if logo is not None:
        consultant.logo = logo
    elif remove_logo:
        consultant.logo = None
    consultant.save()


def calendar_link_renew(consultant: Consultant) -> str:
    """A new secret key to the consultant's calendar feed; the old link stops working at once."""
    consultant.calendar_token = secrets.token_urlsafe(32)  # 256 bits, like a check's token
    consultant.save(update_fields=["calendar_token"])
    return consultant.calendar_token


def calendar_link_remove(consultant: Consultant) -> None:
    consultant.calendar_token = None
    consultant.save(update_fields=["calendar_token"])


def consultant_by_calendar_token(token: str) -> Consultant | None:
    if not token:
        return None
    return Consultant.objects.filter(calendar_token=token).first()


def clients_affected_by_changes(consultant: Consultant, lang: str) -> list[dict[str, Any]]:
    """Every change of the rule files that touches a client's latest finished check, newest effective first:
    the consultant's list of whom to tell and repeat a check for. Archived clients are left out."""
    latest: dict[int, Assessment] = {}
    finished = Assessment.objects.filter(
        client__consultant=consultant, client__archived_at__isnull=True, state=Assessment.State.FINISHED
    )
    for assessment in finished.order_by("finished_at").defer("result", "answers"):
        latest[assessment.client_id] = assessment  # ordered, so the last one wins
    rows = []
    for assessment in latest.values():
        try:
            checklist = registry.get(assessment.checklist_id)
        except KeyError:
            continue
        changed_in = latest_change_version(checklist.changelog)
        # Only a check judged before the latest change can be touched: the others need not load their results.
        if changed_in is None or not is_before(assessment.checklist_version, changed_in):
            continue
        full = Assessment.objects.select_related("client").get(pk=assessment.pk)
        rows += [{"assessment": full, "client": full.client, "change": c} for c in assessment_changes(full, lang)]
    return sorted(rows, key=lambda row: (-row["change"]["effective"].toordinal(), row["client"].name.casefold()))
