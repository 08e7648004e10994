"""Load at worker start what the first report of a process would otherwise wait for.

Call `warm_up()` once in every app server worker before it takes requests (gunicorn: the
`post_worker_init` hook). It parses the rule files, compiles the report template, and renders a short
report, which loads Pango, HarfBuzz and our fonts and imports the rest of WeasyPrint. Reports rendered
later in children forked from the worker (see report/isolated.py) start from there. Beside wsgi.py, since it
brings up two apps at once: the catalog and the report.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Mapping
from typing import Any

from django.template.loader import get_template

from compliance_wizard.catalog import registry
from compliance_wizard.engine import UNKNOWN, Checklist, check_answers, score
from compliance_wizard.report.pdf import TEMPLATE, render_pdf

logger = logging.getLogger(__name__)


def warm_up() -> float:
    """Returns the seconds it took."""
    started = time.perf_counter()
    get_template(TEMPLATE)
    checklists = registry.all_checklists()
    if checklists:
        render_pdf(sample_result(checklists[0]), generated_on=datetime.date.today())
    seconds = time.perf_counter() - started
    logger.debug("report renderer warmed up in %.3f s", seconds)
    return seconds


def sample_result(checklist: Checklist) -> Mapping[str, object]:
    """A short result with every part of the report: "don't know" everywhere, cut to two findings and one text."""
    check = check_answers(checklist, {question: UNKNOWN for question in checklist.questions})
    data: dict[str, Any] = score(checklist, check.answers).to_dict(checklist.languages[0])
    return {**data, "findings": data["findings"][:2], "templates": data["templates"][:1]}
