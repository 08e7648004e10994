"""Every write to an assessment goes through here: start, save a step, submit, delete, expire."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from compliance_wizard.chambers.models import Chamber, CheckStatistic
from compliance_wizard.engine import Checklist, check_answers, score
from compliance_wizard.reminders.services import assessments_held

from .models import Assessment


class IncompleteAnswers(Exception):
    """The answers do not cover every question asked; the wizard sends the user back."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


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
    )


def draft_save(assessment: Assessment, answers: Mapping[str, str], current_step: str) -> bool:
    """Store the answers so far. False if the assessment was submitted meanwhile (e.g. in another tab)."""
    assessment.answers = dict(answers)
    assessment.current_step = current_step
    assessment.updated_at = timezone.now()
    # A conditional update, so a late save from a second tab never reopens a finished assessment.
    saved = Assessment.objects.filter(pk=assessment.pk, state=Assessment.State.DRAFT).update(
        answers=assessment.answers, current_step=current_step, updated_at=assessment.updated_at
    )
    return bool(saved)


@transaction.atomic
def assessment_submit(token: str, checklist: Checklist, answers: Mapping[str, str]) -> Assessment:
    """Score the answers and freeze the result. Submitting twice returns the first result unchanged."""
    assessment = Assessment.objects.select_for_update().get(token=token)
    if assessment.is_finished:
        return assessment
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
            month=timezone.localdate(now).replace(day=1),
            band=result.band,
            gaps=[f.requirement.id for f in result.open_findings if f.requirement.severity.value != "info"],
        )
    return assessment


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
    ).exclude(pk__in=assessments_held(now))  # a confirmed reminder still links to its result
    return drafts, finished


def purge_expired(now: datetime | None = None) -> tuple[int, int]:
    """Delete what has outlived its retention period; returns (drafts, finished) deleted."""
    drafts, finished = expired_assessments(now)
    with transaction.atomic():
        draft_ids = list(drafts.values_list("pk", flat=True))
        finished_ids = list(finished.values_list("pk", flat=True))
        Assessment.objects.filter(pk__in=draft_ids + finished_ids).delete()
    return len(draft_ids), len(finished_ids)
