"""Every write to an assessment goes through here: start, save a step, submit, delete, expire."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from compliance_wizard.catalog import registry
from compliance_wizard.chambers.models import Chamber, CheckStatistic
from compliance_wizard.engine import (
    Checklist,
    ChecklistUpdate,
    check_answers,
    checklist_update,
    question_outline,
    score,
)
from compliance_wizard.engine.answers import first_open_step
from compliance_wizard.engine.changelog import change_rows, changes_since, compare_versions, judged_in

from . import hooks
from .models import Assessment


class IncompleteAnswers(Exception):
    """The answers do not cover every question asked; the wizard sends the user back."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class DraftDeleted(Assessment.DoesNotExist):  # type: ignore[name-defined]  # made by Django's model metaclass
    """The draft was deleted while its user was still answering: by the retention job or in another tab."""


class DraftMoved(Exception):
    """Another worker moved the draft to other rule files while this one was answering from its own: what this
    worker would save no longer fits the draft, so it saves nothing."""


def draft_start(
    checklist: Checklist, language: str, business_name: str = "", website: str = "", chamber: Chamber | None = None
) -> Assessment:
    return Assessment.objects.create(
        chamber=chamber,
        checklist_id=checklist.id,
        checklist_version=checklist.version,
        content_hash=checklist.content_hash,
        language=language if language in checklist.languages else checklist.languages[0],
        business_name=business_name.strip(),
        website=website.strip(),
        current_step=checklist.steps[0].id,
        outline=question_outline(checklist),
    )


def draft_save(
    assessment: Assessment, answers: Mapping[str, str], current_step: str, content_hash: str | None = None
) -> bool:
    """Store the answers so far. False if the assessment was submitted meanwhile (e.g. in another tab).

    content_hash: the rules the answers were given under (this worker's checklist; by default the draft's
    as read). Raises DraftDeleted if the draft no longer exists and DraftMoved if it was moved to other rules
    meanwhile, so the user is told instead of losing an answer silently.
    """
    content_hash = content_hash or assessment.content_hash
    now = timezone.now()
    # A conditional update: a late save from a second tab never reopens a finished assessment, and a worker
    # still on older rules never writes its answers over a draft that a newer worker has moved on.
    saved = Assessment.objects.filter(pk=assessment.pk, state=Assessment.State.DRAFT, content_hash=content_hash).update(
        answers=dict(answers), current_step=current_step, updated_at=now
    )
    if saved:
        assessment.answers, assessment.current_step, assessment.updated_at = dict(answers), current_step, now
        return True
    state = Assessment.objects.filter(pk=assessment.pk).values_list("state", flat=True).first()
    if state is None:
        raise DraftDeleted(f"assessment #{assessment.pk} was deleted")
    if state == Assessment.State.DRAFT:
        raise DraftMoved(f"assessment #{assessment.pk} is no longer on rules {content_hash[:12]}")
    return False


def draft_adopt_checklist(assessment: Assessment, checklist: Checklist, update: ChecklistUpdate) -> bool:
    """Move a draft to the current version of its checklist, with the answers that still fit it.

    False if it was submitted or moved already (another tab), or if the draft is on a later version than
    `checklist` (a worker still on older rules must never take it back); DraftDeleted if it is gone.
    """
    if compare_versions(assessment.checklist_version, checklist.version) > 0:
        return False
    now = timezone.now()
    changes = {
        "answers": update.answers,
        "checklist_version": checklist.version,
        "content_hash": checklist.content_hash,
        "outline": question_outline(checklist),
        "updated_at": now,
    }
    # Only from the version the answers were fitted from: a second tab must not undo what the first one did.
    unchanged = Assessment.objects.filter(
        pk=assessment.pk, state=Assessment.State.DRAFT, content_hash=assessment.content_hash
    )
    saved = unchanged.update(**changes)
    if not saved and not Assessment.objects.filter(pk=assessment.pk).exists():
        raise DraftDeleted(f"assessment #{assessment.pk} was deleted")
    if saved:
        for name, value in changes.items():
            setattr(assessment, name, value)
    return bool(saved)


@transaction.atomic
def assessment_submit(token: str, checklist: Checklist, answers: Mapping[str, str]) -> Assessment:
    """Score the answers and freeze the result. Submitting twice returns the first result unchanged."""
    try:
        assessment = Assessment.objects.select_for_update().get(token=token)
    except Assessment.DoesNotExist:
        raise DraftDeleted("the assessment to submit was deleted") from None
    if assessment.is_finished:
        return assessment
    if assessment.content_hash != checklist.content_hash:
        # Moved to other rules since this request read it: scoring it by these would drop answers.
        raise DraftMoved(f"assessment #{assessment.pk} is on rules {assessment.content_hash[:12]}")
    check = check_answers(checklist, dict(answers))
    if not check.ok:
        raise IncompleteAnswers(check.problems)
    result = score(checklist, check.answers)
    now = timezone.now()
    assessment.answers = check.answers
    assessment.result = {
        lang: result.to_dict(lang, assessment.business_name, assessment.website) for lang in checklist.languages
    }
    assessment.score = result.score
    assessment.band = result.band
    assessment.checklist_version = checklist.version
    assessment.content_hash = checklist.content_hash
    assessment.state = Assessment.State.FINISHED
    assessment.finished_at = now
    assessment.updated_at = now
    assessment.save()
    if assessment.chamber_id is not None:
        # The chamber's figures outlive the check: an anonymous row, counted only in groups of five.
        CheckStatistic.objects.create(
            chamber_id=assessment.chamber_id,
            checklist_id=checklist.id,
            checklist_version=checklist.version,
            month=timezone.localdate(now).replace(day=1),
            band=result.band,
            score=result.score,
            gaps=[f.requirement.id for f in result.open_findings],
            sector=check.answers.get(checklist.sector_question, "") if checklist.sector_question else "",
        )
    return assessment


def assessment_changes(assessment: Assessment, lang: str) -> list[dict[str, Any]]:
    """What changed in the rule files since a finished check was judged, and touches what it judged: the
    notice on its pages and in its report. Nothing for a draft, or a checklist no longer offered."""
    if not assessment.is_finished or not assessment.result:
        return []
    try:
        checklist = registry.get(assessment.checklist_id)
    except KeyError:
        return []
    judged = judged_in(assessment.result_for(lang))
    return change_rows(changes_since(checklist.changelog, assessment.checklist_version, judged), lang)


def assessment_recheck(previous: Assessment, checklist: Checklist) -> Assessment:
    """A new draft, with a token of its own, that starts from a finished check's answers as far as they fit the
    current rules; it opens on the first step with a question still to answer."""
    update = checklist_update(checklist, previous.answers or {}, previous.outline or None)
    return Assessment.objects.create(
        chamber_id=previous.chamber_id,
        checklist_id=checklist.id,
        checklist_version=checklist.version,
        content_hash=checklist.content_hash,
        language=previous.language if previous.language in checklist.languages else checklist.languages[0],
        business_name=previous.business_name,
        website=previous.website,
        answers=update.answers,
        current_step=first_open_step(checklist, update.answers),
        outline=question_outline(checklist),
        previous=previous,
    )


def assessment_details_save(assessment: Assessment, details: Mapping[str, str]) -> None:
    """Store the details for the documents (validated by DetailsForm); they stay editable after submit."""
    assessment.details = dict(details)
    assessment.updated_at = timezone.now()
    assessment.save(update_fields=["details", "updated_at"])


def assessment_delete(assessment: Assessment) -> None:
    assessment.delete()  # its cached reports go with it (on_delete=CASCADE)


def expired_assessments(now: datetime | None = None) -> tuple[QuerySet[Assessment], QuerySet[Assessment]]:
    """Drafts untouched and finished anonymous checks older than the retention periods in the settings."""
    now = now or timezone.now()

    def days_ago(days: int) -> datetime:
        return now - timedelta(days=days)

    drafts = Assessment.objects.filter(state=Assessment.State.DRAFT).filter(
        Q(client__isnull=True, updated_at__lt=days_ago(settings.RETENTION_DRAFT_DAYS))
        | Q(client__isnull=False, updated_at__lt=days_ago(settings.RETENTION_CLIENT_DRAFT_DAYS))
    )
    # A consultant's finished checks stay with the client (to compare with later ones) and go with it.
    finished = Assessment.objects.filter(
        state=Assessment.State.FINISHED,
        client__isnull=True,
        finished_at__lt=days_ago(settings.RETENTION_FINISHED_DAYS),
    )
    for held in hooks.retention_holds(now):  # e.g. a confirmed reminder that still links to its result
        finished = finished.exclude(pk__in=held)
    return drafts, finished


def purge_expired(now: datetime | None = None, batch_size: int | None = None) -> tuple[int, int]:
    """Delete what has outlived its retention period; returns (drafts, finished) deleted."""
    drafts, finished = expired_assessments(now)
    return purge_in_batches(drafts, batch_size), purge_in_batches(finished, batch_size)


def purge_in_batches(expired: QuerySet[Assessment], batch_size: int | None = None) -> int:
    """Delete the assessments `expired` selects, RETENTION_BATCH_SIZE at a time, each batch its own transaction.

    One transaction for everything held locks for minutes and sent 50,000 ids in one statement; batches keep
    each transaction short and the time per row the same however many rows there are. The batches walk the
    primary key upwards, so no row is looked at twice. A crash loses the batch under way only: every batch
    leaves the database consistent, and the next run deletes what is left.
    """
    batch_size = batch_size or settings.RETENTION_BATCH_SIZE
    deleted, after = 0, 0
    while True:
        ids = list(expired.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return deleted
        with transaction.atomic():
            deleted += _delete_still_expired(expired, ids)
        after = ids[-1]


def _delete_still_expired(expired: QuerySet[Assessment], ids: list[int]) -> int:
    # One statement with the condition: QuerySet.delete() would select the rows again and delete them by
    # primary key, which opens the gap this closes (a draft answered after the ids were selected no longer
    # matches it and stays). The foreign keys are checked at commit (deferred), so the rows that depend on
    # the deleted ones can follow in the same transaction.
    still_expired = expired.filter(pk__in=ids)
    deleted = still_expired._raw_delete(still_expired.db)
    gone = set(ids) - set(Assessment.objects.filter(pk__in=ids).values_list("pk", flat=True))
    for relation in _keys_to_assessments():
        dependents = relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": gone})
        if relation.on_delete is models.SET_NULL:
            dependents.update(**{relation.field.name: None})
        elif relation.on_delete is models.CASCADE:
            dependents.delete()
        else:
            raise NotImplementedError(f"purge_expired does not know how to apply {relation.on_delete.__name__}")
    return deleted


def _keys_to_assessments() -> list[Any]:
    # Hidden ones too: `previous` (related_name="+") is not among Options.related_objects.
    fields = Assessment._meta.get_fields(include_hidden=True)
    return [f for f in fields if f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one)]
