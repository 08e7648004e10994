"""What a finished check keeps at rest: a compressed result, and a stored PDF only while people download it.

A stored PDF is several times the rest of the check; nobody needs it kept for months, because it renders
again from the frozen result. Lists read the columns they show, never the result.
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from compliance_wizard.assessments.models import Assessment, ReportFile
from compliance_wizard.assessments.reports import purge_unused_reports
from tests.downloads import download
from tests.test_report_download import painter_check
from tests.workspace import add_client, finished_check, neglected_answers


def days_later(days: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def age_report(token: str, days: float) -> None:
    """As if the stored report had last been downloaded `days` ago."""
    ReportFile.objects.filter(assessment__token=token).update(last_downloaded_at=days_later(-days))


@pytest.mark.django_db
class TestStoredReports:
    def test_a_report_nobody_downloaded_for_the_set_days_is_deleted_and_renders_again_the_same(
        self, client, settings, capsys
    ):
        settings.REPORT_CACHE_DAYS = 14
        kept, unused = painter_check(client), painter_check(client)
        url = "/result/{}/report.pdf?lang=de"
        first = {token: download(client, url.format(token)).content for token in (kept, unused)}
        age_report(kept, 13)
        age_report(unused, 15)

        call_command("purge_assessments")
        assert "Deleted 1 stored PDF report(s) not downloaded for 14 days." in capsys.readouterr().out
        assert set(ReportFile.objects.values_list("assessment__token", flat=True)) == {kept}
        assert Assessment.objects.filter(token=unused).exists()  # only the PDF went, never the check

        again = download(client, url.format(unused))
        assert again.status_code == 200 and again.content == first[unused]
        assert ReportFile.objects.filter(assessment__token=unused).count() == 1

    def test_every_download_of_a_stored_report_puts_off_its_deletion(self, client, settings):
        settings.REPORT_CACHE_DAYS = 14
        token = painter_check(client)
        download(client, f"/result/{token}/report.pdf?lang=de")
        age_report(token, 13)
        assert client.get(f"/result/{token}/report.pdf?lang=de").status_code == 200  # served from the store

        assert purge_unused_reports(now=days_later(13)) == 0  # 13 days after that download: still there
        assert purge_unused_reports(now=days_later(15)) == 1

    def test_the_dry_run_counts_the_unused_reports_and_deletes_none(self, client, settings, capsys):
        settings.REPORT_CACHE_DAYS = 3
        token = painter_check(client)
        download(client, f"/result/{token}/report.pdf?lang=de")
        age_report(token, 4)
        call_command("purge_assessments", "--dry-run")
        assert "Would delete 1 stored PDF report(s) not downloaded for 3 days." in capsys.readouterr().out
        assert ReportFile.objects.count() == 1

    def test_the_purge_deletes_in_batches_and_keeps_reports_still_in_use(self, client):
        token = painter_check(client)
        download(client, f"/result/{token}/report.pdf?lang=de")
        stored = ReportFile.objects.get()
        copies = [
            ReportFile(
                assessment=stored.assessment,
                key=f"x{n}",
                filename="r.pdf",
                content=b"%PDF",
                created_at=stored.created_at,
            )
            for n in range(5)
        ]
        ReportFile.objects.bulk_create(copies)
        ReportFile.objects.exclude(pk=stored.pk).update(last_downloaded_at=days_later(-30))
        assert purge_unused_reports(batch=2) == 5
        assert list(ReportFile.objects.all()) == [stored]


@pytest.mark.django_db
class TestFrozenResult:
    def test_is_stored_compressed_and_read_back_unchanged(self, client):
        token = painter_check(client)
        check = Assessment.objects.get(token=token)
        as_json = len(json.dumps(check.result, ensure_ascii=False).encode())
        with connection.cursor() as cursor:
            cursor.execute("SELECT result FROM assessments_assessment WHERE id = %s", [check.pk])
            stored = bytes(cursor.fetchone()[0])
        assert as_json > 150_000  # both languages, every finding's texts
        assert len(stored) < as_json / 3
        assert Assessment.objects.get(pk=check.pk).result == check.result
        assert client.get(f"/result/{token}/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_migration_compresses_the_results_stored_as_json_and_keeps_them():
    before, after = [("assessments", "0007_reportfile_last_downloaded_at")], [("assessments", "0008_compress_result")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("assessments", "Assessment")
    result = {"de": {"score": 42, "findings": [{"id": "r1", "why": "Weil ß und “Anführungszeichen”"}]}}
    legacy = old.objects.create(
        checklist_id="whatsapp-business", checklist_version="1", content_hash="0" * 64, language="de", result=result
    )
    draft = old.objects.create(
        checklist_id="whatsapp-business", checklist_version="1", content_hash="1" * 64, language="de"
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    assert Assessment.objects.get(pk=legacy.pk).result == result
    assert Assessment.objects.get(pk=draft.pk).result is None


@pytest.mark.django_db
def test_the_workspace_lists_read_scores_not_results(client, dana, django_assert_max_num_queries):
    krause = add_client(dana)
    for _ in range(3):
        latest = finished_check(krause, neglected_answers())
    client.force_login(dana.user)
    for url in ("/workspace/", f"/workspace/clients/{krause.pk}/"):
        with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(12):
            page = client.get(url)
        assert page.status_code == 200 and "/100" in page.content.decode()
        reads = [q["sql"] for q in queries if 'FROM "assessments_assessment"' in q["sql"]]
        assert reads, "the page lists no checks"
        results = [sql for sql in reads if '"assessments_assessment"."result"' in sql]
        if url == "/workspace/":
            # The client list counts each listed client's open gaps in its latest check: one query for the
            # latest results of the clients on the page, never one per check in the lists.
            assert len(results) == 1 and f"IN ({latest.pk})" in results[0], results
        else:
            assert not results, reads
        assert not [sql for sql in reads if '"assessments_assessment"."answers"' in sql], reads
