import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, no_translations
from django.utils import timezone

from compliance_wizard.catalog import registry
from compliance_wizard.catalog.summary import format_summary
from compliance_wizard.engine import (
    AnswerCheck,
    AnswersDocument,
    Checklist,
    check_answers,
    score,
)
from compliance_wizard.engine.answers_file import answers_document, read_answers_data
from compliance_wizard.engine.documents import RenderedDocument, render_documents
from compliance_wizard.engine.errors import shown
from compliance_wizard.engine.progress import finding_kind
from compliance_wizard.engine.texts import STATUS_WORDS

# Like a download: in a child process within REPORT_RENDER_TIMEOUT and REPORT_MAX_PAGES (report/limits.py).
from compliance_wizard.report.docx import documents_docx
from compliance_wizard.report.isolated import render_pdf
from compliance_wizard.report.limits import ReportUnavailable
from compliance_wizard.workspace.exchange import split_export

BAD_INPUT = 2

# One line per file in batch mode, in the language of the result like the full summary.
LINE = {
    "de": "{score}/100 · {band} · Lücken: {gaps}, {to_clarify}: {clarify}",
    "en": "{score}/100 · {band} · gaps: {gaps}, {to_clarify}: {clarify}",
}


class Command(BaseCommand):
    help = (
        "Score answers files (YAML or JSON, or files exported from the workspace) against a checklist. "
        "With one file: print a full summary (--json, --pdf write the result). With several files or "
        "--pdf-dir: print one line per file and write DIR/<name of the answers file>.pdf for each "
        "(a.yaml -> DIR/a.pdf); bad files are listed and skipped, and the exit status is then 2. "
        "--docx and --docx-dir write the documents that fit the answers as Word files, filled with the "
        "file's `details:`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "answers_files", nargs="+", metavar="ANSWERS_FILE", help="answers file, YAML or JSON (format: see README)"
        )
        parser.add_argument("--checklist", help="checklist id (default: from the file, or the only one loaded)")
        parser.add_argument(
            "--lang", choices=["de", "en"], help="language of the output (default: from the file, else de)"
        )
        parser.add_argument(
            "--json", dest="json_out", metavar="OUT", help="write the full result as JSON ('-' for stdout)"
        )
        parser.add_argument("--pdf", dest="pdf_out", metavar="OUT", help="write the report as a PDF file")
        parser.add_argument(
            "--pdf-dir",
            metavar="DIR",
            help="write one PDF per answers file into DIR, named after the answers file (a.yaml -> DIR/a.pdf)",
        )
        parser.add_argument(
            "--docx", dest="docx_out", metavar="OUT", help="write the documents as one Word file (.docx)"
        )
        parser.add_argument(
            "--docx-dir",
            metavar="DIR",
            help="write one Word file of documents per answers file into DIR (a.yaml -> DIR/a.docx)",
        )

    # The engine reports problems in English; without translations the export checks do too.
    @no_translations
    def handle(self, *args, **options):
        files = options["answers_files"]
        if len(files) == 1 and not options["pdf_dir"] and not options["docx_dir"]:
            return self._single(files[0], options)
        if options["json_out"] or options["pdf_out"] or options["docx_out"]:
            raise CommandError(
                "--json, --pdf and --docx take a single answers file; for several files use --pdf-dir DIR "
                "and --docx-dir DIR",
                returncode=BAD_INPUT,
            )
        return self._batch(files, options)

    def _single(self, name: str, options: dict[str, Any]) -> None:
        document, checklist, check, problems, warnings = self._check(Path(name), options)
        if problems or checklist is None or check is None:
            for problem in problems:
                # Like the batch lines: every problem names its file, also the ones about the answers.
                self.stderr.write(problem if problem.startswith(f"{name}: ") else f"{name}: {problem}")
            noun = "problem" if len(problems) == 1 else "problems"
            raise CommandError(f"{len(problems)} {noun} in {name}", returncode=BAD_INPUT)

        for warning in warnings:
            self.stderr.write(f"warning: {warning}")
        lang = options["lang"] or document.language or "de"
        if lang not in checklist.languages:
            raise CommandError(f"checklist '{checklist.id}' has no language '{lang}'", returncode=BAD_INPUT)
        data = score(checklist, check.answers).to_dict(lang, document.business_name, document.website)
        documents = file_documents(checklist, document, check, lang)

        pdf_out = options["pdf_out"]
        if pdf_out:
            try:
                _, _, content = render_pdf(data, generated_on=timezone.localdate(), **documents)
            except ReportUnavailable as exc:
                raise CommandError(f"{pdf_out} not written: {exc}", returncode=BAD_INPUT) from None
            Path(pdf_out).write_bytes(content)
        docx_out = options["docx_out"]
        if docx_out:
            Path(docx_out).write_bytes(file_docx(document, documents["documents"], lang))
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
        if docx_out:
            self.stdout.write(f"\nWord: {docx_out}")

    def _batch(self, files: list[str], options: dict[str, Any]) -> None:
        pdf_dir = Path(options["pdf_dir"]) if options["pdf_dir"] else None
        docx_dir = Path(options["docx_dir"]) if options["docx_dir"] else None
        for directory, suffix in ((pdf_dir, ".pdf"), (docx_dir, ".docx")):
            if directory is not None:
                _check_targets(files, directory, suffix)
        bad = []
        for path in map(Path, files):
            name = str(path)  # how the engine names the file in its problems, so every line agrees
            document, checklist, check, problems, warnings = self._check(path, options)
            lang = options["lang"] or document.language or "de"
            if checklist is not None and lang not in checklist.languages:
                problems.append(f"checklist '{checklist.id}' has no language '{lang}'")
            if problems or checklist is None or check is None:
                for problem in problems:
                    self.stderr.write(problem if problem.startswith(f"{name}: ") else f"{name}: {problem}")
                bad.append(name)
                continue
            for warning in warnings:
                self.stderr.write(f"{name}: warning: {warning}")
            data = score(checklist, check.answers).to_dict(lang, document.business_name, document.website)
            documents = file_documents(checklist, document, check, lang)
            line = f"{name}: {_one_line(data, lang)}"
            if docx_dir is not None:
                target = docx_dir / _target_name(name, ".docx")
                try:
                    target.write_bytes(file_docx(document, documents["documents"], lang))
                except OSError as exc:
                    self.stderr.write(f"{name}: cannot write {target}: {exc.strerror or exc}")
                    bad.append(name)
                    continue
                line += f" · Word: {target}"
            if pdf_dir is not None:
                target = pdf_dir / _target_name(name, ".pdf")
                try:
                    _, _, content = render_pdf(data, generated_on=timezone.localdate(), **documents)
                except ReportUnavailable as exc:
                    self.stderr.write(f"{name}: {target} not written: {exc}")
                    bad.append(name)
                    continue
                try:
                    target.write_bytes(content)
                except OSError as exc:
                    self.stderr.write(f"{name}: cannot write {target}: {exc.strerror or exc}")
                    bad.append(name)
                    continue
                line += f" · PDF: {target}"
            self.stdout.write(line)
        if bad:
            raise CommandError(f"{len(bad)} of {len(files)} files not scored: {', '.join(bad)}", returncode=BAD_INPUT)

    def _check(
        self, path: Path, options: dict[str, Any]
    ) -> tuple[AnswersDocument, Checklist | None, AnswerCheck | None, list[str], list[str]]:
        """The document, its checklist and checked answers, every problem, and the warnings."""
        document, exported = read_document(path)
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
                problems.append(
                    f"unknown checklist '{shown(checklist_id)}' (available: {', '.join(available) or 'none'})"
                )

        check = None
        warnings: list[str] = []
        if checklist is not None and document.answers is not None:
            check = check_answers(checklist, document.answers)
            problems += [f"answers: {p}" for p in check.problems]
            warnings += check.warnings
        if checklist is not None and exported.get("checklist_hash") not in (None, checklist.content_hash):
            warnings.append(
                f"the file was exported with checklist version {exported.get('checklist_version', '?')}; "
                f"it is scored with version {checklist.version}"
            )
        return document, checklist, check, problems, warnings


def read_document(path: Path) -> tuple[AnswersDocument, dict[str, Any]]:
    """An answers file read by the engine, or an exported assessment (it has `format`) read as the
    answers file it contains, together with the whole export."""
    data, unreadable = read_answers_data(path)  # read once, within the engine's limits
    if unreadable:
        return AnswersDocument(problems=unreadable), {}
    if not (isinstance(data, dict) and "format" in data):
        return answers_document(data, str(path)), {}
    # The answers-file part is checked by the engine exactly like a plain answers file.
    answers_part, problems = split_export(data)
    document = answers_document(answers_part, str(path))
    document.problems[:0] = [f"{path}: {p}" for p in problems]
    return document, data


def file_documents(checklist: Checklist, document: AnswersDocument, check: AnswerCheck, lang: str) -> dict[str, Any]:
    """The documents that fit the answers, filled with the file's details, as render_pdf() takes them; as on the
    web, the business name and website stand in for the controller's name and website the details leave out."""
    start = {"controller_name": document.business_name, "website": document.website}
    details = {k: v for k, v in start.items() if v} | document.details
    return {
        "documents": render_documents(checklist, check.answers, details, lang),
        "details_given": bool(document.details),
    }


def file_docx(document: AnswersDocument, documents: list[RenderedDocument], lang: str) -> bytes:
    return documents_docx(documents, lang, document.details.get("controller_name", document.business_name), None)


def _target_name(name: str, suffix: str) -> str:
    return Path(name).stem + suffix


def _check_targets(files: list[str], directory: Path, suffix: str) -> None:
    """Refuse before writing anything if two answers files would write the same file."""
    by_target: dict[str, list[str]] = {}
    for name in files:
        by_target.setdefault(_target_name(name, suffix), []).append(name)
    clashes = [" and ".join(names) for names in by_target.values() if len(names) > 1]
    if clashes:
        kind = "PDF" if suffix == ".pdf" else "Word file"
        raise CommandError(
            f"these files would write the same {kind} in {directory}: {'; '.join(clashes)}; rename one of each",
            returncode=BAD_INPUT,
        )
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandError(f"cannot create {directory}: {exc.strerror or exc}", returncode=BAD_INPUT) from exc


def _one_line(data: dict[str, Any], lang: str) -> str:
    kinds = [finding_kind(f) for f in data["findings"]]
    return LINE[lang].format(
        score=data["score"],
        band=data["band"]["label"],
        gaps=kinds.count("gap"),
        to_clarify=STATUS_WORDS["to_clarify"][lang],
        clarify=kinds.count("to_clarify"),
    )
