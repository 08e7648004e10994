from django.conf import settings
from django.core.management.base import BaseCommand

from compliance_wizard.assessments.services import expired_assessments, purge_expired


class Command(BaseCommand):
    help = (
        "Delete drafts and finished assessments older than their retention period "
        "(RETENTION_DRAFT_DAYS, RETENTION_FINISHED_DAYS). Meant for a daily cron job."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only count what would be deleted")

    def handle(self, *args, **options):
        periods = (
            f"drafts after {settings.RETENTION_DRAFT_DAYS} days, finished after {settings.RETENTION_FINISHED_DAYS}"
        )
        if options["dry_run"]:
            drafts, finished = (qs.count() for qs in expired_assessments())
            self.stdout.write(f"Would delete {drafts} draft(s) and {finished} finished assessment(s) ({periods}).")
            return
        drafts, finished = purge_expired()
        self.stdout.write(f"Deleted {drafts} draft(s) and {finished} finished assessment(s) ({periods}).")
