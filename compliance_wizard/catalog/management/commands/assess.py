import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from compliance_wizard.catalog import registry
from compliance_wizard.catalog.summary import format_summary
from compliance_wizard.engine import check_answers, read_answers_file, score
from compliance_wizard.report.pdf import render_pdf

BAD_INPUT = 2


class Command(BaseCommand):
    help = "Score an answers file (YAML or JSON) against a checklist and print a summary."

    def add_arguments(self, parser):
        parser.add_argument("answers_file", help="answers file, YAML or JSON (format: see README)")
        parser.add_argument("--checklist", help="checklist id (default: from the file, or the only one loaded)")
        parser.add_argument(
            "--lang", choices=["de", "en"], help="language of the output (default: from the file, else de)"
        )
        parser.add_argument(
            "--json", dest="json_out", metavar="OUT", help="write the full result as JSON ('-' for stdout)"
        )
        parser.add_argument("--pdf", dest="pdf_out", metavar="OUT", help="write the report as a PDF file")

    def handle(self, *args, **options):
        document = read_answers_file(Path(options["answers_file"]))
        problems = list(document.problems)

        checklist = None
        checklist_id = options["checklist"] or document.checklist
        available = [c.id for c in registry.all_checklists()]
        if checklist_id is None and len(available) == 1:
            checklist_id = available[0]
        if checklist_id is None:
            problems.append(f"say which checklist with --checklist or 'checklist:' (available: {', '.join(available)})")
        else:
            try:
                checklist = registry.get(checklist_id)
            except KeyError:
                problems.append(f"unknown checklist '{checklist_id}' (available: {', '.join(available) or 'none'})")

        check = None
        if checklist is not None and document.answers is not None:
            check = check_answers(checklist, document.answers)
            problems += [f"answers: {p}" for p in check.problems]
        if problems or checklist is None or check is None:
            for problem in problems:
                self.stderr.write(problem)
            noun = "problem" if len(problems) == 1 else "problems"
            raise CommandError(f"{len(problems)} {noun} in {options['answers_file']}", returncode=BAD_INPUT)

        for warning in check.warnings:
            self.stderr.write(f"warning: {warning}")
        lang = options["lang"] or document.language or "de"
        if lang not in checklist.languages:
            raise CommandError(f"checklist '{checklist.id}' has no language '{lang}'", returncode=BAD_INPUT)
        data = score(checklist, check.answers).to_dict(lang, document.business_name, document.website)

        pdf_out = options["pdf_out"]
        if pdf_out:
            _, _, content = render_pdf(data, generated_on=timezone.localdate())
            Path(pdf_out).write_bytes(content)
        out = options["json_out"]
        if out:
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
            if out == "-":
                self.stdout.write(text, ending="")
                if pdf_out:
                    self.stderr.write(f"PDF: {pdf_out}")  # stdout holds the JSON
                return
            Path(out).write_text(text, encoding="utf-8")
        self.stdout.write(format_summary(data, lang), ending="")
        if out:
            self.stdout.write(f"\nJSON: {out}")
        if pdf_out:
            self.stdout.write(f"\nPDF: {pdf_out}")
