"""The benchmark's people and their answers, and the finished checks it downloads reports of.

Run by the benchmark in a process with the app's settings (`python bench/scenario.py COMMAND ...`), so
that checks are created through the app's own services, exactly as the wizard creates them:

    answers typical|worst         print the answers, business name and website as JSON
    answers-file worst PATH       write them as an answers file for `manage.py assess`
    finished typical|worst N      create N finished checks and print their tokens as JSON
    rules                         time loading and validating every rule file, as at start-up
"""

from __future__ import annotations

import json
import os
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
    else:
        raise SystemExit(f"unknown command {command!r}")
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
