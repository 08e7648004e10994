from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from compliance_wizard.assessments.reports import purge_unused_reports, unused_reports
from compliance_wizard.assessments.services import expired_assessments, purge_expired
from compliance_wizard.workspace.services import expired_clients, purge_expired_clients


class Command(BaseCommand):
    help = (
        "Delete what has outlived its retention period: anonymous drafts and finished checks "
        "(RETENTION_DRAFT_DAYS, RETENTION_FINISHED_DAYS), unused client links (RETENTION_CLIENT_DRAFT_DAYS) "
        "and archived clients with all their data (RETENTION_ARCHIVED_CLIENT_DAYS); stored PDFs nobody downloaded "
        "for REPORT_CACHE_DAYS (they render again on demand). Meant for a daily cron job."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only count what would be deleted")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=None,
            help="checks deleted per transaction (default: the RETENTION_BATCH_SIZE setting, 2000)",
        )

    def handle(self, *args, **options):
        periods = (
            f"drafts after {settings.RETENTION_DRAFT_DAYS} days, finished after {settings.RETENTION_FINISHED_DAYS}, "
            f"client drafts after {settings.RETENTION_CLIENT_DRAFT_DAYS}, "
            f"archived clients after {settings.RETENTION_ARCHIVED_CLIENT_DAYS}"
        )
        if options["dry_run"]:
            drafts, finished = (qs.count() for qs in expired_assessments())
            clients = expired_clients().count()
            self.stdout.write(
                f"Would delete {drafts} draft(s), {finished} finished assessment(s) "
                f"and {clients} archived client(s) ({periods})."
            )
            self.stdout.write(f"Would delete {unused_reports().count()} {self._reports}.")
            return
        batch_size = options["batch_size"]
        if batch_size is not None and batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        drafts, finished = purge_expired(batch_size=batch_size)
        clients = purge_expired_clients(batch_size=batch_size)
        self.stdout.write(
            f"Deleted {drafts} draft(s), {finished} finished assessment(s) "
            f"and {clients} archived client(s) ({periods})."
        )
        # After the checks: a report of a check deleted above went with it.
        self.stdout.write(f"Deleted {purge_unused_reports()} {self._reports}.")

    @property
    def _reports(self) -> str:
        return f"stored PDF report(s) not downloaded for {settings.REPORT_CACHE_DAYS} days"
