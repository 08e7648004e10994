"""Anonymous checks do not stay forever: drafts go after 30 days, finished checks after 90."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from compliance_wizard.assessments.models import Assessment
from compliance_wizard.assessments.services import purge_expired

pytestmark = pytest.mark.django_db


def make(state, days_ago):
    then = timezone.now() - timedelta(days=days_ago)
    return Assessment.objects.create(
        checklist_id="whatsapp-business",
        checklist_version="1.0.0",
        content_hash="0" * 64,
        language="de",
        state=state,
        created_at=then,
        updated_at=then,
        finished_at=then if state == Assessment.State.FINISHED else None,
    )


@pytest.fixture
def history():
    return {
        "fresh draft": make(Assessment.State.DRAFT, 29),
        "abandoned draft": make(Assessment.State.DRAFT, 31),
        "recent result": make(Assessment.State.FINISHED, 89),
        "old result": make(Assessment.State.FINISHED, 91),
    }


def remaining():
    return set(Assessment.objects.values_list("pk", flat=True))


def test_dry_run_counts_but_deletes_nothing(history, capsys):
    call_command("purge_assessments", "--dry-run")
    assert "Would delete 1 draft(s), 1 finished assessment(s) and 0 archived client(s)" in capsys.readouterr().out
    assert len(remaining()) == 4


def test_the_command_deletes_only_what_outlived_its_period(history, capsys):
    call_command("purge_assessments")
    assert "Deleted 1 draft(s), 1 finished assessment(s) and 0 archived client(s)" in capsys.readouterr().out
    assert remaining() == {history["fresh draft"].pk, history["recent result"].pk}


def test_a_draft_counts_from_its_last_answer_not_from_its_start(history):
    draft = history["abandoned draft"]
    Assessment.objects.filter(pk=draft.pk).update(updated_at=timezone.now())
    purge_expired()
    assert draft.pk in remaining()


def test_time_moves_on_and_everything_expires(history):
    assert purge_expired(now=timezone.now() + timedelta(days=100)) == (2, 2)
    assert remaining() == set()


def test_periods_come_from_the_settings(history, settings):
    settings.RETENTION_DRAFT_DAYS = 7
    settings.RETENTION_FINISHED_DAYS = 365
    assert purge_expired() == (2, 0)
