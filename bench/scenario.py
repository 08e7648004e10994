"""The benchmark's people and their answers, and the finished checks it downloads reports of.

Run by the benchmark in a process with the app's settings (`python bench/scenario.py COMMAND ...`), so
that checks are created through the app's own services, exactly as the wizard creates them:

    answers typical|worst         print the answers, business name and website as JSON
    answers-file worst PATH       write them as an answers file for `manage.py assess`
    finished typical|worst N      create N finished checks and print their tokens as JSON
    rules                         time loading and validating every rule file, as at start-up
    storage N                     bytes in the database per finished check, with its PDF and once that expired
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CHECKLIST_ID = "whatsapp-business"
TYPICAL = ROOT / "examples" / "malerbetrieb-muster.yaml"


def answers(kind: str) -> dict[str, object]:
    """typical: the painter of examples/ (many gaps, 12 pages); worst: "don't know" to every question, the longest
    name and website allowed, so that every requirement is open, every text template is offered, and every
    question is asked."""
    from compliance_wizard.engine import UNKNOWN, check_answers, load_checklist, read_answers_file
    from compliance_wizard.engine.answers_file import MAX_NAME, MAX_WEBSITE

    checklist = load_checklist(ROOT / "checklists" / CHECKLIST_ID)
    if kind == "typical":
        document = read_answers_file(TYPICAL)
        asked = check_answers(checklist, document.answers).answers  # option ids, as a form posts them
        return {"answers": asked, "name": document.business_name, "website": document.website}
    name = ("Malerwerkstätten und Raumausstattung Müller-Lüdenscheidt & Söhne GmbH & Co. KG " * 3)[:MAX_NAME]
    path = "/".join(["datenschutz-und-kundenkommunikation-über-messenger"] * 6)
    website = f"https://www.malerwerkstaetten-mueller-luedenscheidt.de/{path}"[:MAX_WEBSITE]
    return {"answers": {q: UNKNOWN for q in checklist.questions}, "name": name.strip(), "website": website}


def finished(kind: str, count: int) -> list[str]:
    from compliance_wizard.assessments.services import assessment_submit, draft_start
    from compliance_wizard.catalog import registry
    from compliance_wizard.engine import check_answers

    checklist = registry.get(CHECKLIST_ID)
    person = answers(kind)
    asked = check_answers(checklist, person["answers"]).answers
    tokens = []
    for _ in range(count):
        draft = draft_start(checklist, "de", str(person["name"]), str(person["website"]))
        tokens.append(assessment_submit(draft.token, checklist, asked).token)
    return tokens


def rules() -> dict[str, object]:
    from django.conf import settings

    from compliance_wizard.engine import load_checklists, rule_paths

    started = time.perf_counter()
    checklists, errors = load_checklists(rule_paths(Path(settings.CHECKLIST_DIR)))
    seconds = time.perf_counter() - started
    files = len(list(Path(settings.CHECKLIST_DIR).rglob("*.yaml")))
    return {"seconds": seconds, "checklists": len(checklists), "errors": len(errors), "files": files}


def database_bytes() -> int:
    """The database's size with its free space given back, so that differences are what the rows take."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
            cursor.execute("PRAGMA page_size")
            return pages * cursor.fetchone()[0]
        cursor.execute("VACUUM FULL")
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


def storage(count: int, rendered: int = 2) -> dict[str, object]:
    """10. What `count` typical finished checks add to the database: with a stored PDF, and at rest once the
    retention job has deleted the PDFs nobody downloaded for REPORT_CACHE_DAYS."""
    import datetime

    from django.conf import settings
    from django.db import connection
    from django.db.models.functions import Length
    from django.utils import timezone

    from compliance_wizard.assessments.models import Assessment, ReportFile
    from compliance_wizard.assessments.reports import purge_unused_reports, report_extras, report_pdf

    empty = database_bytes()
    tokens = finished("typical", count)
    with_results = database_bytes()
    checks = Assessment.objects.filter(token__in=tokens)
    for check in checks[:rendered]:
        report_pdf(check, "de", report_extras(check, "de"))
    with_pdfs = database_bytes()
    pdf_bytes = list(ReportFile.objects.values_list(Length("content"), flat=True))
    later = timezone.now() + datetime.timedelta(days=settings.REPORT_CACHE_DAYS + 1)
    purged = purge_unused_reports(now=later)
    at_rest = database_bytes()
    stored = checks.annotate(size=Length("result")).values_list("size", flat=True)
    json_bytes = [len(json.dumps(c.result, ensure_ascii=False).encode()) for c in checks[:rendered]]
    return {
        "database": connection.vendor,
        "checks": count,
        "bytes_per_check_at_rest": (at_rest - empty) / count,
        "bytes_per_check_before_the_pdfs": (with_results - empty) / count,
        "pdf_bytes_per_check": (with_pdfs - with_results) / max(1, rendered),
        "pdf_content_bytes": statistics.mean(pdf_bytes) if pdf_bytes else 0,
        "pdfs_purged": purged,
        "result_json_bytes": statistics.mean(json_bytes),
        "result_stored_bytes": statistics.mean(stored),
    }


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compliance_wizard.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    command, *args = argv
    if command == "answers":
        out: object = answers(args[0])
    elif command == "answers-file":
        person = answers(args[0])
        document = {
            "checklist": CHECKLIST_ID,
            "language": "de",
            "business": {"name": person["name"], "website": person["website"]},
            "answers": person["answers"],
        }
        Path(args[1]).write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        out = args[1]
    elif command == "finished":
        out = finished(args[0], int(args[1]))
    elif command == "rules":
        out = rules()
    elif command == "storage":
        out = storage(int(args[0]))
    else:
        raise SystemExit(f"unknown command {command!r}")
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
