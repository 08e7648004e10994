from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from compliance_wizard.reminders import notices


class Command(BaseCommand):
    help = (
        "Mail every confirmed change notice whose check a change of the rule files touches and that has not been "
        "told of it (one mail per check, each change once, even with two servers running it at once), and delete "
        "requests not confirmed within REMINDER_CONFIRM_HOURS. Meant for a daily cron job; needs SITE_URL."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only count what would be sent and deleted")

    def handle(self, *args, **options):
        now = timezone.now()
        if options["dry_run"]:
            due = sum(1 for notice in notices.confirmed(now) if notices.untold(notice))
            expired = notices.expired_requests(now).count()
            self.stdout.write(f"Would mail {due} check(s) about changes and delete {expired} unconfirmed request(s).")
            return
        sent, failed = notices.send_due(now)
        expired = notices.purge(now)
        self.stdout.write(f"Mailed {sent} check(s) about changes and deleted {expired} unconfirmed request(s).")
        if failed:
            raise CommandError(f"{failed} mail(s) could not be sent; they are tried again on the next run.")
