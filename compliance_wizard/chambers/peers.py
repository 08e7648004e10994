"""A chamber member's result next to the chamber's other checks of the same checklist ("Betriebe wie Ihrer").

Counted from the anonymous statistics only (never from other members' checks), by the rules in statistics.py.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any, Protocol

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance_wizard.catalog import registry
from compliance_wizard.engine import UNKNOWN

from . import statistics as stats
from .models import CheckStatistic


class FinishedCheck(Protocol):
    """What the comparison reads of a finished check (an assessments.Assessment; chambers sit below
    assessments and do not import it)."""

    chamber_id: int | None
    chamber: Any
    checklist_id: str
    finished_at: datetime.datetime | None


def peer_counts(query: QuerySet[CheckStatistic]) -> stats.PeerCounts:
    """Two grouped queries: checks per score, and per combination of open requirements."""
    scores = dict(query.values_list("score").annotate(n=Count("pk")).order_by())
    gaps: Counter[str] = Counter()
    for combination, n in query.values_list("gaps").annotate(n=Count("pk")).order_by():
        for gap in set(combination or ()):
            gaps[gap] += n
    return stats.PeerCounts(scores=scores, gaps=gaps)


def comparison(assessment: FinishedCheck, data: dict[str, Any]) -> stats.Comparison | None:
    """The comparison for a chamber member's finished check, or None (no chamber, or groups too small)."""
    if assessment.chamber_id is None or assessment.finished_at is None or data.get("score") is None:
        return None
    # The months before the check's own: its row is never counted, and the group no longer changes.
    before = stats.first_of_month(timezone.localdate(assessment.finished_at))
    rows = CheckStatistic.objects.filter(
        chamber_id=assessment.chamber_id, checklist_id=assessment.checklist_id, month__lt=before, score__isnull=False
    )
    sector = _sector(assessment, data)
    same_sector = peer_counts(rows.filter(sector=sector)) if sector else None
    if same_sector is not None and same_sector.total >= stats.K:
        all_members = stats.PeerCounts({}, {})  # not shown, so not counted
    else:
        all_members = peer_counts(rows)
    met = [f["id"] for f in data.get("findings", ()) if f.get("status") == "met"]
    return stats.compare(int(data["score"]), met, all_members, same_sector)


def _sector(assessment: FinishedCheck, data: dict[str, Any]) -> str:
    question = _checklist_sector_question(assessment.checklist_id)
    answer = (data.get("answers") or {}).get(question, "") if question else ""
    return "" if answer == UNKNOWN else answer


def _checklist_sector_question(checklist_id: str) -> str | None:
    try:
        return registry.get(checklist_id).sector_question
    except KeyError:  # a checklist no longer installed: compared with all members
        return None


def sector_label(checklist_id: str, option_id: str, lang: str) -> str:
    try:
        checklist = registry.get(checklist_id)
    except KeyError:
        return ""
    question = checklist.questions.get(checklist.sector_question or "")
    option = next((o for o in question.options if o.id == option_id), None) if question else None
    return option.label.get(lang) if option else ""


def box(assessment: FinishedCheck, data: dict[str, Any]) -> dict[str, Any] | None:
    """What the result page shows: the group, where the member stands, and the frequent gaps they closed."""
    found = comparison(assessment, data)
    if found is None:
        return None
    chamber = assessment.chamber.name if assessment.chamber else ""
    if found.group == stats.SECTOR:
        kind = sector_label(assessment.checklist_id, _sector(assessment, data), data.get("language", ""))
        group = _(
            "Compared with the businesses of your kind (%(kind)s) that took this check with %(chamber)s before you."
        ) % {"kind": kind, "chamber": chamber}
    else:
        group = _("Compared with the member businesses that took this check with %(chamber)s before you.") % {
            "chamber": chamber
        }
    titles = {f["id"]: f["title"] for f in data.get("findings", ())}
    return {
        "group": group,
        "standing": standing_text(found.standing),
        "closed": [titles[requirement] for requirement in found.closed],
        "K": stats.K,
    }


def standing_text(standing: stats.Standing | None) -> str:
    if standing is None:
        return ""
    if standing.kind == stats.FEW_BELOW:
        return _("Fewer than %(k)s of them had a lower score than yours.") % {"k": stats.K}
    if standing.kind == stats.FEW_ABOVE:
        return _("Fewer than %(k)s of them reached your score or a higher one.") % {"k": stats.K}
    if standing.percent == 0:
        return _("Your result is better than that of fewer than %(percent)s %% of them.") % {"percent": 10}
    return _("Your result is better than that of %(percent)s %% of them.") % {"percent": standing.percent}
