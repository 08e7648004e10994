from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from compliance_wizard.catalog import registry
from compliance_wizard.catalog.reference import checklist_reference


def reference_files(directory: Path) -> dict[Path, str]:
    """Every loaded checklist's legal reference, one Markdown file per language."""
    return {
        directory / f"{checklist.id}.{lang}.md": checklist_reference(checklist, lang)
        for checklist in registry.all_checklists()
        for lang in checklist.languages
    }


class Command(BaseCommand):
    help = "Write the legal reference of every checklist (docs/checklists/<id>.<lang>.md), or --check it."

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(settings.BASE_DIR / "docs" / "checklists"), help="folder")
        parser.add_argument("--check", action="store_true", help="exit 1 if a file is missing or out of date")

    def handle(self, *args, **options):
        directory = Path(options["out"])
        files = reference_files(directory)
        if options["check"]:
            stale = [path for path, text in files.items() if not path.exists() or path.read_text("utf-8") != text]
            if stale:
                names = ", ".join(str(p) for p in stale)
                raise CommandError(f"out of date: {names}; run manage.py document_checklists", returncode=1)
            self.stdout.write(self.style.SUCCESS(f"{len(files)} reference file(s) up to date."))
            return
        directory.mkdir(parents=True, exist_ok=True)
        for path, text in files.items():
            path.write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {path}")
