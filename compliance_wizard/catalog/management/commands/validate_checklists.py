from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from compliance_wizard.engine import expand_paths, load_checklists


class Command(BaseCommand):
    help = "Validate rule files: exit 0 with a summary when valid, exit 1 listing every error."
    # This command reports broken rule files itself; the system check would stop it first.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="*",
            help="checklist files or folders (default: the CHECKLIST_DIR setting)",
        )

    def handle(self, *args, **options):
        paths = [Path(p) for p in options["paths"]] or [Path(settings.CHECKLIST_DIR)]
        targets = expand_paths(paths)
        if not targets:
            raise CommandError(f"no checklists found in {', '.join(map(str, paths))}", returncode=1)
        checklists, errors = load_checklists(targets)
        if errors:
            for error in errors:
                self.stderr.write(str(error))
            noun = "error" if len(errors) == 1 else "errors"
            raise CommandError(f"{len(errors)} {noun} in the rule files", returncode=1)
        for c in checklists:
            self.stdout.write(
                f"{c.id} {c.version} ({c.short_hash}): {len(c.steps)} steps, {len(c.questions)} questions, "
                f"{len(c.requirements)} requirements, {len(c.notes)} notes, {len(c.templates)} templates, "
                f"languages {', '.join(c.languages)}  [{c.origin}]"
            )
        self.stdout.write(self.style.SUCCESS(f"{len(checklists)} checklist(s) valid."))
