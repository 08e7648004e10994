"""A finished month's figures are counted once and then kept: a month that is over gets no more checks.

Kept, they must never turn wrong: not when a check lands in the last seconds of a month, not when a
chamber is deleted, not when rows are deleted, and not when the cache itself is gone.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance_wizard.chambers import figures_cache
from compliance_wizard.chambers.models import Chamber, CheckStatistic

WHATSAPP = "whatsapp-business"
JANUARY, FEBRUARY, MARCH = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)
IN_APRIL = date(2026, 4, 20)  # January to March are over and settled


@pytest.fixture
def musterstadt(db):
    return Chamber.objects.create(slug="musterstadt", name="Handwerkskammer Musterstadt")


def record(chamber, month, n, band="amber", gaps=("avv-whatsapp",), version="1.0.0"):
    CheckStatistic.objects.bulk_create(
        CheckStatistic(
            chamber=chamber, checklist_id=WHATSAPP, month=month, band=band, gaps=list(gaps), checklist_version=version
        )
        for _ in range(n)
    )


def counts(chamber, months=(JANUARY, FEBRUARY, MARCH), today=IN_APRIL, is_earlier=None):
    with CaptureQueriesContext(connection) as queries:
        found = figures_cache.counts(chamber, WHATSAPP, list(months), today, is_earlier)
    statistics = [q for q in queries.captured_queries if "chambers_checkstatistic" in q["sql"]]
    return found, len(statistics)


def test_finished_months_are_counted_once_and_then_read_from_the_cache(musterstadt):
    record(musterstadt, JANUARY, 6, "green")
    record(musterstadt, FEBRUARY, 7, "red", gaps=("avv-whatsapp", "cloud-backup"))
    first, queries = counts(musterstadt)
    assert queries == 3  # bands, versions and gaps, each grouped by month, for all three months at once
    assert first.months == {JANUARY: 6, FEBRUARY: 7}
    assert first.bands == {"green": 6, "red": 7}
    assert first.gaps == {"avv-whatsapp": 13, "cloud-backup": 7}

    again, queries = counts(musterstadt)
    assert queries == 0
    assert again == first


def test_the_changelog_is_applied_to_cached_counts_not_stored_in_them(musterstadt):
    record(musterstadt, JANUARY, 6, version="1.0.0")
    record(musterstadt, FEBRUARY, 5, version="1.2.0")
    assert counts(musterstadt, is_earlier="1.0.0".__eq__)[0].earlier == 6
    # A later rule change makes 1.2.0 "earlier" too: the cached counts answer that without a recount.
    found, queries = counts(musterstadt, is_earlier=lambda v: v in ("1.0.0", "1.2.0"))
    assert (found.earlier, queries) == (11, 0)


def test_a_month_over_for_less_than_a_day_is_counted_again_every_time(musterstadt):
    # On 1 April, a check submitted just before midnight may still be committing into March.
    record(musterstadt, MARCH, 5)
    counts(musterstadt, today=date(2026, 4, 1))
    record(musterstadt, MARCH, 1)
    found, queries = counts(musterstadt, today=date(2026, 4, 1))
    assert found.months == {MARCH: 6} and queries == 3
    # From the 2nd it is settled: kept from then on.
    counts(musterstadt, today=date(2026, 4, 2))
    assert counts(musterstadt, today=date(2026, 4, 2))[1] == 0


def test_deleting_statistics_rows_and_forgetting_them_gives_fresh_counts(musterstadt):
    record(musterstadt, JANUARY, 8)
    counts(musterstadt)
    CheckStatistic.objects.filter(pk__in=CheckStatistic.objects.values("pk")[:3]).delete()
    figures_cache.forget_figures(musterstadt.pk)
    assert counts(musterstadt)[0].months == {JANUARY: 5}


def test_a_deleted_chambers_counts_are_never_read_again(musterstadt):
    record(musterstadt, JANUARY, 8)
    counts(musterstadt)
    generation = figures_cache.generation_key(musterstadt.pk)
    from django.core.cache import cache

    assert cache.get(generation) is not None
    pk = musterstadt.pk
    musterstadt.delete()
    assert cache.get(generation) is None
    # Even a chamber that got the same number (SQLite may give it again) starts from its own rows.
    successor = Chamber.objects.create(pk=pk, slug="nordheim", name="Handwerkskammer Nordheim")
    assert counts(successor)[0].months == {}


def test_without_a_cache_everything_is_counted_in_the_database(musterstadt, monkeypatch, caplog):
    class Down:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("redis unreachable")

            return fail

    record(musterstadt, JANUARY, 6)
    monkeypatch.setattr(figures_cache, "cache", Down())
    found, queries = counts(musterstadt)
    assert found.months == {JANUARY: 6} and queries == 3
    assert "cache unavailable" in caplog.text
    figures_cache.forget_figures(musterstadt.pk)  # does not fail either
