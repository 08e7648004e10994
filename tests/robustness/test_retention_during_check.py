"""The nightly retention job runs while Malermeister Krause is in the middle of his check.

Promised: a draft that is being answered is never deleted, even when the job picked it as expired a moment
before his answer arrived (the DELETE checks the expiry again); and when his draft really was deleted while
he was answering, he is told so in plain words instead of seeing an error page.
The races are played deterministically: the job or the request runs at the exact moment between the other's
statements, on real rows.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from compliance_wizard.assessments.models import Assessment, ReportFile
from compliance_wizard.assessments.services import purge_expired
from compliance_wizard.engine.conditions import as_option_id
from tests.robustness.conftest import KRAUSE_BUSINESS
from tests.test_wizard_flow import KRAUSE

pytestmark = pytest.mark.django_db

BUSINESS = KRAUSE_BUSINESS
LAST_STEP = "contact"


def days_ago(days: int):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def abandoned():
    """Somebody else's draft, untouched for 31 days: the job must still delete it."""
    return Assessment.objects.create(
        checklist_id="whatsapp-business",
        checklist_version="1.0.0",
        content_hash="0" * 64,
        language="de",
        business_name="Elektro Schmidt",
        created_at=days_ago(31),
        updated_at=days_ago(31),
    )


def exists(assessment_or_token) -> bool:
    if isinstance(assessment_or_token, str):
        return Assessment.objects.filter(token=assessment_or_token).exists()
    return Assessment.objects.filter(pk=assessment_or_token.pk).exists()


class AtStatement:
    """Runs `action` once, right before (or after) the first SQL statement that `matches`."""

    def __init__(self, matches, action, after: bool = False) -> None:
        self.matches, self.action, self.after = matches, action, after
        self.fired = False

    def __call__(self, execute, sql, params, many, context):
        if self.fired or not self.matches(sql):
            return execute(sql, params, many, context)
        self.fired = True
        if not self.after:
            self.action()
            return execute(sql, params, many, context)
        result = execute(sql, params, many, context)
        self.action()
        return result


def deletes_assessments(sql: str) -> bool:
    return sql.lstrip().upper().startswith("DELETE") and 'FROM "assessments_assessment"' in sql


def reads_draft_by_token(sql: str) -> bool:
    select = sql.lstrip().upper().startswith("SELECT")
    return select and 'FROM "assessments_assessment"' in sql and '"token" = ' in sql


def test_the_job_between_two_answers_leaves_a_check_started_long_ago_but_answered_today(krause, abandoned):
    Assessment.objects.filter(token=krause.token).update(created_at=days_ago(40))  # started, paused, resumed

    assert purge_expired() == (1, 0)

    assert not exists(abandoned)
    assert krause.post("devices", KRAUSE.answers).status_code == 302
    page = krause.answer_all(KRAUSE.answers)
    assert page.status_code == 200 and BUSINESS in page.content.decode()
    assert krause.assessment.is_finished


def test_an_answer_arriving_after_the_job_picked_the_draft_keeps_it(krause, abandoned):
    # He left the tab open for a month: the job selects his draft as expired, then his answer arrives.
    Assessment.objects.filter(token=krause.token).update(updated_at=days_ago(31))
    answered = []

    def krause_answers():
        answered.append(krause.post("devices", KRAUSE.answers))

    with connection.execute_wrapper(AtStatement(deletes_assessments, krause_answers)):
        drafts, finished = purge_expired()

    assert answered and answered[0].status_code == 302
    assert (drafts, finished) == (1, 0)
    assert exists(krause.token) and not exists(abandoned)
    stored = krause.assessment.answers
    assert stored["company_devices"] == str(as_option_id(KRAUSE.answers["company_devices"]))
    assert krause.assessment.updated_at > days_ago(1)


@pytest.mark.parametrize("step", ["devices", LAST_STEP], ids=["a middle step", "the last step"])
def test_a_draft_deleted_while_the_step_was_sent_is_explained_not_an_error(krause, step):
    if step == LAST_STEP:
        for earlier in ("devices", "information"):
            assert krause.post(earlier, KRAUSE.answers).status_code == 302
    Assessment.objects.filter(token=krause.token).update(updated_at=days_ago(31))

    # The job runs right after his request has read the draft, before his answer is stored.
    with connection.execute_wrapper(AtStatement(reads_draft_by_token, purge_expired, after=True)):
        response = krause.post(step, KRAUSE.answers)

    body = response.content.decode()
    assert response.status_code == 410
    assert "Dieser Check wurde gelöscht" in body
    assert "30 Tage nach der letzten Antwort" in body
    assert 'href="/check/whatsapp-business/"' in body
    assert not exists(krause.token)
    # The personal link now says the check may have been deleted after its retention period.
    later = krause.client.get(f"/draft/{krause.token}/")
    assert later.status_code == 404 and "Ablauf der Speicherfrist" in later.content.decode()


def test_the_job_still_takes_along_what_belongs_to_an_expired_check(abandoned):
    old_result = Assessment.objects.create(
        checklist_id="whatsapp-business",
        checklist_version="1.0.0",
        content_hash="0" * 64,
        language="de",
        state=Assessment.State.FINISHED,
        finished_at=days_ago(91),
        updated_at=days_ago(91),
    )
    ReportFile.objects.create(assessment=old_result, key="de-pdf", filename="dsgvo-check.pdf", content=b"%PDF")
    repeat = Assessment.objects.create(
        checklist_id="whatsapp-business",
        checklist_version="1.0.0",
        content_hash="0" * 64,
        language="de",
        previous=old_result,
    )

    assert purge_expired() == (1, 1)

    assert not exists(old_result) and not exists(abandoned)
    assert not ReportFile.objects.exists()
    repeat.refresh_from_db()
    assert repeat.previous is None
