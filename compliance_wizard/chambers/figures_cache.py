"""A finished month's counts, kept in Django's cache: a month that is over gets no more checks.

The dashboard and the CSV sum the cached counts of the selected months, so a chamber with 200,000
statistics rows costs them about as much as one with 2,000 (bench/README.md, the scale plan).

Why a cached count cannot go wrong:

- Rows are only ever added to the month they are written in (assessment_submit), so a month's counts are
  cached only once it has been over for a day: a check submitted a moment before midnight on the last
  day, and committed after it, is counted first.
- The counts are raw (per band, per open requirement, per checklist version): the protection rules and
  the changelog are applied afterwards, so a change to either needs no cache to be dropped. A change to
  what is cached needs SCHEMA raised.
- Every key carries the chamber's *generation*, a random value kept in the cache. Deleting a chamber
  (its rows go with it) drops the generation, and so does anything else that deletes statistics rows
  (it must call `forget_figures`): every count cached before is then unreachable and expires. A
  generation lost from the cache (a flush, an eviction) has the same effect, so a lost key can only
  cost a recount, never give old figures. The retention job (purge_assessments) deletes checks, not
  statistics rows, which have no link to them: it changes no figure.
- Without a cache (Redis unreachable), everything is counted in the database, as before.
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count

from . import statistics as stats
from .models import Chamber, CheckStatistic

logger = logging.getLogger(__name__)

SCHEMA = 1  # raise when what is cached, or how it is counted, changes
TIMEOUT = 60 * 60 * 24 * 40  # long enough for a month's visits; anything unreachable goes by itself
SETTLED = timedelta(days=1)

MonthCounts = dict[str, dict[str, int]]  # "bands", "gaps", "versions" -> value -> checks


def generation_key(chamber_id: int) -> str:
    return f"chambers:figures-generation:{chamber_id}"


def forget_figures(chamber_id: int) -> None:
    """Make every cached count of the chamber unreachable: call after deleting any of its statistics rows."""
    try:
        cache.delete(generation_key(chamber_id))
    except Exception:  # the cache is down: whatever it holds is unreachable once it is back (see _generation)
        logger.warning("cache unavailable, chamber figures not dropped", exc_info=True)


def _generation(chamber_id: int) -> str:
    key = generation_key(chamber_id)
    cache.add(key, uuid.uuid4().hex, None)
    found = cache.get(key)
    if found is None:  # evicted between the two calls: this request counts without the cache
        raise LookupError("no generation")
    return str(found)


def _owner(chamber: Chamber) -> str:
    # With the chamber's creation time, so that a number used again (SQLite can) is another chamber.
    return f"{chamber.pk}-{chamber.created_at.timestamp():.6f}:{_generation(chamber.pk)}"


def settled(month: date, today: date) -> bool:
    return stats.first_of_month(today - SETTLED) > month


def counts(
    chamber: Chamber,
    checklist_id: str,
    months: Sequence[date],
    today: date,
    is_earlier: Callable[[str], bool] | None,
) -> stats.Counts:
    """The counts of the chamber's checks of `checklist_id` in `months`, as stats.count_rows counts them."""
    chamber_id = chamber.pk
    cached: dict[date, MonthCounts] = {}
    keys: dict[date, str] = {}
    try:
        owner = _owner(chamber)
        keys = {m: f"chambers:figures:v{SCHEMA}:{owner}:{checklist_id}:{m:%Y-%m}" for m in months if settled(m, today)}
        found = cache.get_many(list(keys.values()))
        cached = {m: found[key] for m, key in keys.items() if key in found}
    except Exception:  # the cache is down or lost the generation: count everything
        logger.warning("cache unavailable, chamber figures counted in the database", exc_info=True)
        keys = {}
    missing = [m for m in months if m not in cached]
    counted = count_months(chamber_id, checklist_id, missing) if missing else {}
    if keys:
        try:
            cache.set_many({keys[m]: counted[m] for m in missing if m in keys}, TIMEOUT)
        except Exception:
            logger.warning("cache unavailable, chamber figures not kept", exc_info=True)
    return combine([*cached.values(), *counted.values()], {**cached, **counted}, is_earlier)


def recorded_checklists(chamber: Chamber, today: date) -> set[str]:
    """The checklists the chamber has statistics of: those of the settled months kept, the rest looked up.

    Finding them takes a pass over all the chamber's rows (there is no index that lists them cheaply), so it
    is done once per month, like the counts; only the months not yet settled are looked at every time.
    """
    boundary = stats.first_of_month(today - SETTLED)
    rows = CheckStatistic.objects.filter(chamber_id=chamber.pk)

    def distinct(query: Any) -> set[str]:
        return set(query.values_list("checklist_id", flat=True).distinct().order_by())

    recent = distinct(rows.filter(month__gte=boundary))
    try:
        key = f"chambers:figures:v{SCHEMA}:{_owner(chamber)}:checklists-before:{boundary:%Y-%m}"
        settled_ids = cache.get(key)
        if settled_ids is None:
            settled_ids = distinct(rows.filter(month__lt=boundary))
            cache.set(key, settled_ids, TIMEOUT)
    except Exception:
        logger.warning("cache unavailable, chamber checklists looked up in the database", exc_info=True)
        settled_ids = distinct(rows.filter(month__lt=boundary))
    return recent | set(settled_ids)


def count_months(chamber_id: int, checklist_id: str, months: Sequence[date]) -> dict[date, MonthCounts]:
    """Three grouped queries for all the months together; a month without checks is counted as empty."""
    query = CheckStatistic.objects.filter(chamber_id=chamber_id, checklist_id=checklist_id, month__in=months)
    result: dict[date, MonthCounts] = {m: {"bands": {}, "gaps": {}, "versions": {}} for m in months}

    def grouped(field: str) -> list[tuple[date, Any, int]]:
        return list(query.values_list("month", field).annotate(n=Count("pk")).order_by())

    for month, band, n in grouped("band"):
        result[month]["bands"][band] = n
    for month, version, n in grouped("checklist_version"):
        result[month]["versions"][version] = n
    # Grouped by the whole list: Python sees each combination of open requirements once per month.
    for month, gaps, n in grouped("gaps"):
        per_gap = result[month]["gaps"]
        for gap in set(gaps or ()):
            per_gap[gap] = per_gap.get(gap, 0) + n
    return result


def combine(
    parts: Sequence[MonthCounts], by_month: dict[date, MonthCounts], is_earlier: Callable[[str], bool] | None
) -> stats.Counts:
    bands: Counter[str] = Counter()
    gaps: Counter[str] = Counter()
    versions: Counter[str] = Counter()
    for part in parts:
        bands.update(part["bands"])
        gaps.update(part["gaps"])
        versions.update(part["versions"])
    per_month = {m: n for m, part in by_month.items() if (n := sum(part["bands"].values()))}
    earlier = None if is_earlier is None else sum(n for version, n in versions.items() if is_earlier(version))
    return stats.Counts(months=per_month, bands=dict(bands), gaps=dict(gaps), earlier=earlier)
