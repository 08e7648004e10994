from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from compliance_wizard.reminders import services


class Command(BaseCommand):
    help = (
        "Mail the reminders that are due (confirmed ones only, each once, in the language of its check) and "
        "delete requests not confirmed within REMINDER_CONFIRM_HOURS. Safe to run again; meant for a daily "
        "cron job. Links in the mails are built from SITE_URL and the chamber's host or slug."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only count what would be sent and deleted")

    def handle(self, *args, **options):
        now = timezone.now()
        if options["dry_run"]:
            due, expired = services.due(now).count(), services.expired_requests(now).count()
            self.stdout.write(f"Would send {due} reminder(s) and delete {expired} unconfirmed request(s).")
            return
        sent, failed = services.send_due(now)
        expired = services.purge(now)
        self.stdout.write(f"Sent {sent} reminder(s) and deleted {expired} unconfirmed request(s).")
        if failed:
            # A non-zero exit, so that cron or the monitoring notices.
            raise CommandError(f"{failed} reminder(s) could not be sent; they are tried again on the next run.")
