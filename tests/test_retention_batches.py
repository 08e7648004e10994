"""The retention job deletes in batches, each its own transaction: short locks and commits however much has
expired, and a crash part-way leaves a consistent database that the next run finishes.

The transactions are real (transactional_db): the deferred foreign keys are checked at each commit, on
SQLite and on PostgreSQL (DATABASE_URL=postgres://postgres@127.0.0.1:5432/test).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connections
from django.utils import timezone

from compliance_wizard.assessments import services
from compliance_wizard.assessments.models import Assessment, ReportFile
from compliance_wizard.assessments.services import purge_expired
from compliance_wizard.reminders.models import Reminder
from compliance_wizard.workspace.models import Client, FindingNote
from compliance_wizard.workspace.services import purge_expired_clients
from tests.conftest import make_consultant

pytestmark = pytest.mark.django_db(transaction=True)

DRAFT, FINISHED = Assessment.State.DRAFT, Assessment.State.FINISHED


def make(state, days_ago, **fields) -> Assessment:
    then = timezone.now() - timedelta(days=days_ago)
    return Assessment.objects.create(
        checklist_id="whatsapp-business",
        checklist_version="1.1.0",
        content_hash="0" * 64,
        language="de",
        state=state,
        created_at=then,
        updated_at=then,
        finished_at=then if state == FINISHED else None,
        **fields,
    )


def with_belongings(check: Assessment) -> Assessment:
    """A cached report, a consultant's note and a reminder request nobody confirmed (which holds nothing)."""
    ReportFile.objects.create(assessment=check, key="de", filename="report.pdf", content=b"%PDF-")
    FindingNote.objects.create(assessment=check, requirement_id="avv-whatsapp", comment="Vertrag ablegen")
    Reminder.objects.create(
        assessment=check, email="info@krause.example", months=12, confirm_digest=secrets.token_hex(32)
    )
    return check


def remaining() -> set[int]:
    return set(Assessment.objects.values_list("pk", flat=True))


class CrashIn:
    """Stands in for the deletion of one batch: the n-th batch fails as a killed process or lost database would."""

    def __init__(self, monkeypatch, batch: int) -> None:
        self.calls, self.batch = 0, batch
        self.real = services._delete_still_expired
        monkeypatch.setattr(services, "_delete_still_expired", self)

    def __call__(self, expired, ids):
        self.calls += 1
        if self.calls == self.batch:
            raise RuntimeError("the database went away")
        return self.real(expired, ids)


def test_every_batch_is_a_transaction_of_its_own(monkeypatch):
    expired = [make(DRAFT, 31).pk for _ in range(7)]
    fresh = make(DRAFT, 1)
    database = connections["default"]
    commits = []
    real_commit = database.commit
    monkeypatch.setattr(database, "commit", lambda: commits.append(remaining()) or real_commit())

    assert purge_expired(batch_size=3) == (7, 0)

    # Three commits of at most three checks each, every one visible to the next batch.
    assert len(commits) == 3
    assert [len(set(expired) - left) for left in commits] == [3, 6, 7]
    assert remaining() == {fresh.pk}


def test_a_crash_in_the_third_batch_keeps_the_first_two_done_and_the_next_run_finishes(monkeypatch):
    expired = [make(FINISHED, 91).pk for _ in range(8)]
    kept = make(FINISHED, 10)
    crash = CrashIn(monkeypatch, batch=3)

    with pytest.raises(RuntimeError):
        purge_expired(batch_size=2)

    assert remaining() == {*expired[4:], kept.pk}
    monkeypatch.setattr(services, "_delete_still_expired", crash.real)
    assert purge_expired(batch_size=2) == (0, 4)
    assert remaining() == {kept.pk}


def test_what_belongs_to_a_check_goes_with_it_in_every_batch():
    expired = [with_belongings(make(FINISHED, 91)) for _ in range(5)]
    kept = with_belongings(make(FINISHED, 10, previous=expired[0]))

    assert purge_expired(batch_size=2) == (0, 5)

    assert remaining() == {kept.pk}
    for model in (ReportFile, FindingNote, Reminder):
        assert set(model.objects.values_list("assessment_id", flat=True)) == {kept.pk}, model.__name__
    kept.refresh_from_db()
    assert kept.previous is None  # it pointed at a deleted check


def test_an_archived_client_goes_with_all_its_checks_in_batches_and_a_crash_leaves_it_for_the_next_run(monkeypatch):
    dana = make_consultant("dana@dsb-schulz.example", "Datenschutz Schulz")
    long_ago = timezone.now() - timedelta(days=400)
    gone = Client.objects.create(consultant=dana, name="Malerei Krause", archived_at=long_ago)
    recent = Client.objects.create(consultant=dana, name="Elektro Schmidt", archived_at=timezone.now())
    checks = [with_belongings(make(FINISHED, 400, client=gone)).pk for _ in range(5)]
    recent_check = with_belongings(make(FINISHED, 400, client=recent))
    crash = CrashIn(monkeypatch, batch=2)

    with pytest.raises(RuntimeError):
        purge_expired_clients(batch_size=2)

    # The first batch is gone, the client and the rest of its checks are intact, with their notes.
    assert Client.objects.filter(pk=gone.pk).exists()
    assert set(gone.assessments.values_list("pk", flat=True)) == set(checks[2:])
    assert FindingNote.objects.filter(assessment__client=gone).count() == 3

    monkeypatch.setattr(services, "_delete_still_expired", crash.real)
    assert purge_expired_clients(batch_size=2) == 1
    assert set(Client.objects.values_list("pk", flat=True)) == {recent.pk}
    assert remaining() == {recent_check.pk}
    assert set(FindingNote.objects.values_list("assessment_id", flat=True)) == {recent_check.pk}


def test_the_command_takes_a_batch_size(capsys):
    for _ in range(5):
        make(DRAFT, 31)
    make(FINISHED, 91)

    call_command("purge_assessments", "--batch-size", "2")

    assert "Deleted 5 draft(s), 1 finished assessment(s) and 0 archived client(s)" in capsys.readouterr().out
    assert remaining() == set()
    with pytest.raises(CommandError):
        call_command("purge_assessments", "--batch-size", "0")
