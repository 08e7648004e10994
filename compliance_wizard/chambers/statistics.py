"""A chamber's figures, protected so that no group of fewer than K member checks can be made out.

Pure functions over plain rows (month, band, gaps); the view fetches the rows, the templates and the
CSV only display what comes out of here, so both always show the same figures.

The rules, and why:

1. **Small cells.** A count from 1 to K-1 is never shown, only "fewer than K" (zero is shown: it
   describes nobody). If the whole selection holds fewer than K checks, nothing is shown at all.
2. **Tables that add up to the total.** Months and bands each split the selection's total, which is
   shown, so hiding a small cell alone is useless: total minus the other cells gives it back. The
   largest cell is hidden with it, so subtraction only gives their sum; where even that would pin a
   small cell down, the whole selection is withheld. See `protect_partition`.
3. **Complements.** "A requirement was a gap in 41 of 43 checks" says that exactly 2 checks met it.
   A gap count within K-1 of the total is therefore shown only as "all but fewer than K".
4. **Order.** Requirements are ordered by what is displayed (a hidden count ranks by its bounds),
   never by the hidden value itself, with ties in rule-file order.
5. **Selections that could be subtracted from each other.** The filters only offer selections that
   do not overlap: one checklist (no "all checklists", which minus one checklist would give the
   others) and one calendar year (no sliding "last 12 months" next to the years, which minus the
   current year would give a part of last year). And the running month is left out until it is
   over: otherwise comparing the page before and after one member's check would show that check's
   band and gaps. What stays possible is comparing this year's page at the end of two months,
   which gives the band and gap figures of the one month in between, however few checks it had.
6. **A member's comparison** ("Betriebe wie Ihrer", see `compare`) shows no count and no total: only
   which share of the group scored lower, floored to tens, and which requirements were open in at
   least K of them. Its group is fixed by the check (the months before the check's month), so the
   page never changes while other members finish theirs; see `compare` for the rest.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import reduce

# The smallest group a figure may describe. The one place it is set.
K = 5

BANDS = ("green", "amber", "red")

SHOWN = "shown"
SMALL = "small"  # 1..K-1: shown as "fewer than K"
PROTECTIVE = "protective"  # hidden so that a small cell cannot be worked out from the total
NEAR_TOTAL = "near_total"  # within K-1 of the total: shown as "all but fewer than K"

# What a selection shows: nothing (no checks, or fewer than K, or figures that would give a small
# group away) or its protected figures.
EMPTY, TOO_FEW, WITHHELD, READY = "empty", "too_few", "withheld", "ready"


@dataclass(frozen=True)
class Cell:
    """One figure as it may be displayed: the count and share only when `kind` is SHOWN."""

    kind: str
    count: int | None = None
    share: float | None = None  # of the selection's total, 0..1

    @property
    def shown(self) -> bool:
        return self.kind == SHOWN


@dataclass(frozen=True)
class Row:
    """What a chamber knows of one finished check (mirrors models.CheckStatistic)."""

    month: date
    band: str
    gaps: tuple[str, ...] = ()
    version: str = ""  # the checklist version it was judged under


@dataclass(frozen=True)
class Figures:
    """Nothing but displayable figures: unless `state` is READY, not even the number of checks."""

    state: str
    total: int | None = None
    months: tuple[tuple[date, Cell], ...] = ()
    bands: tuple[tuple[str, Cell], ...] = ()
    gaps: tuple[tuple[str, Cell], ...] = ()  # requirement id, most frequent first
    # Checks judged under a version before the latest change that touches finished checks (None: no such change).
    earlier: Cell | None = None


# -- periods -----------------------------------------------------------------------------------------


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def closed_months(year: int, today: date) -> tuple[date, ...]:
    """The months of `year` that are over by `today`: a running month only counts once it has ended."""
    current = first_of_month(today)
    return tuple(m for m in (date(year, n, 1) for n in range(1, 13)) if m < current)


def selectable_years(first_month: date | None, today: date) -> tuple[int, ...]:
    """Newest first, from the year of the first recorded check to this year."""
    start = first_month.year if first_month else today.year
    return tuple(range(today.year, min(start, today.year) - 1, -1))


def default_year(months_with_data: Iterable[date], today: date) -> int:
    """The latest year with a closed month holding checks, so the page does not open empty in January."""
    current = first_of_month(today)
    closed = [m for m in months_with_data if m < current]
    return max(closed).year if closed else today.year


# -- the figures ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """The raw counts of one selection, before any protection: never displayed as they are."""

    months: Mapping[date, int]  # checks finished in each month
    bands: Mapping[str, int]
    gaps: Mapping[str, int]  # checks in which each requirement was open (a check counts once per requirement)
    earlier: int | None = None  # checks judged before the latest change; None: no such change

    @property
    def total(self) -> int:
        return sum(self.months.values())


def count_rows(rows: Iterable[Row], months: Sequence[date], is_earlier: Callable[[str], bool] | None = None) -> Counts:
    """The counts of the rows that fall in `months` (the database counts them the same way, see views)."""
    wanted = set(months)
    selected = [row for row in rows if row.month in wanted]
    return Counts(
        months=Counter(row.month for row in selected),
        bands=Counter(row.band for row in selected),
        gaps=Counter(gap for row in selected for gap in set(row.gaps)),
        earlier=None if is_earlier is None else sum(1 for row in selected if is_earlier(row.version)),
    )


def figures(
    rows: Iterable[Row],
    months: Sequence[date],
    requirement_ids: Sequence[str] = (),
    is_earlier: Callable[[str], bool] | None = None,
) -> Figures:
    """The protected figures of the checks in `rows` that fall in `months`.

    `requirement_ids` (in rule-file order) are listed even when never a gap; an id that only occurs
    in the rows (a requirement since removed from the rules) is listed after them. `is_earlier` tells a
    version judged before the latest change of the checklist; the checks under one are counted like a gap
    (on their own, protected when small and when close to the total).
    """
    return protected(count_rows(rows, months, is_earlier), months, requirement_ids)


def protected(counts: Counts, months: Sequence[date], requirement_ids: Sequence[str] = ()) -> Figures:
    """The displayable figures of `counts`, whose months must all be among `months`."""
    total = counts.total
    if total == 0:
        return Figures(EMPTY)
    if total < K:
        return Figures(TOO_FEW)

    per_month = counts.months
    month_cells, months_exposed = protect_partition([per_month.get(m, 0) for m in months], total)
    per_band = counts.bands
    bands = list(BANDS) + sorted(set(per_band) - set(BANDS))
    band_cells, bands_exposed = protect_partition([per_band.get(b, 0) for b in bands], total)
    if months_exposed or bands_exposed:
        return Figures(WITHHELD)

    per_gap = counts.gaps
    ids = list(dict.fromkeys([*requirement_ids, *sorted(per_gap)]))
    position = {gap: i for i, gap in enumerate(ids)}
    gap_cells = sorted(
        ((gap, gap_cell(per_gap.get(gap, 0), total)) for gap in ids),
        key=lambda item: (-display_rank(item[1], total), position[item[0]]),
    )
    earlier = None if counts.earlier is None else gap_cell(counts.earlier, total)
    return Figures(
        READY,
        total=total,
        months=tuple(zip(months, month_cells, strict=True)),
        bands=tuple(zip(bands, band_cells, strict=True)),
        gaps=tuple(gap_cells),
        earlier=earlier,
    )


def _near_total(total: int) -> tuple[int, int]:
    """The gap counts shown as "all but fewer than K": at least two values, so none is given away."""
    low, high = max(K, total - K + 1), total - 1
    return (low, total) if high == low else (low, high)


def gap_cell(count: int, total: int) -> Cell:
    """How often one requirement was a gap. Gap counts are independent of each other (a check has
    any number of gaps), so each is protected on its own: small, and close to the total."""
    low, high = _near_total(total)
    if 0 < count < K:
        return Cell(SMALL)
    if low <= count <= high:
        return Cell(NEAR_TOTAL)
    return Cell(SHOWN, count, count / total)


def display_rank(cell: Cell, total: int) -> float:
    """A sort key from what is displayed only: a hidden count sorts between its possible neighbours."""
    if cell.kind == SMALL:
        return K / 2
    if cell.kind == NEAR_TOTAL:
        return sum(_near_total(total)) / 2
    return float(cell.count or 0)


# -- complementary suppression ------------------------------------------------------------------------

Intervals = list[tuple[int, int]]


def protect_partition(counts: Sequence[int], total: int) -> tuple[list[Cell], bool]:
    """Cells for counts that add up to the shown `total`; True if a small count would still be exact.

    Every count from 1 to K-1 is hidden as SMALL ("fewer than K"). Hiding it alone is useless, since
    total minus the other cells gives it back, so if there is one, the largest cell (the first of
    equal ones) is hidden too, as PROTECTIVE. The largest, because it is at once the safest to hide
    (it has no upper bound a reader could use) and the cheapest: the reader still knows it to within
    a few checks. Example: bands 20 / 3 / 10 of 33 show as "hidden / fewer than 5 / 10"; a reader can
    tell that green is 19 to 22 and amber 1 to 4, and that is all.

    How many cells are hidden never depends on the hidden values, so the reader learns from the page
    exactly this and nothing more: each SMALL cell lies in 1..K-1, the PROTECTIVE one is at least K
    and at least every cell shown after it (greater than every one before it), and the hidden cells
    add up to the total minus the shown ones. A rule that hid "as many cells as needed" would leak
    through its own stopping point; tests/test_chamber_statistics.py checks this rule against a
    reader who tries every possible table. The returned flag is True when even so some SMALL cell
    has only one possible value, e.g. 1 / 5 (1 + at-least-5 = 6 allows only 1) or 4 / 4 of 8. The
    caller then withholds the whole selection, total included, which leaves nothing to subtract
    from. The flag depends only on what the page would show, so every table a reader could take the
    page for is withheld or shown alike, and a shown page never hides a table that was withheld.
    """
    kinds = [SMALL if 0 < c < K else SHOWN for c in counts]
    if SMALL in kinds:
        big = [i for i, c in enumerate(counts) if c >= K]
        if big:
            kinds[max(big, key=lambda i: (counts[i], -i))] = PROTECTIVE
    cells = [Cell(kind, c, c / total) if kind == SHOWN else Cell(kind) for c, kind in zip(counts, kinds, strict=True)]
    return cells, _exposed(counts, kinds, total)


def _exposed(counts: Sequence[int], kinds: Sequence[str], total: int) -> bool:
    """True if some SMALL cell has only one value consistent with everything displayed."""
    hidden = [i for i, kind in enumerate(kinds) if kind != SHOWN]
    hidden_sum = total - sum(c for c, kind in zip(counts, kinds, strict=True) if kind == SHOWN)
    domains = {i: _domain(counts, kinds, i, hidden_sum) for i in hidden}
    for i in hidden:
        if kinds[i] != SMALL:
            continue
        rest = reduce(_sumset, (domains[j] for j in hidden if j != i), [(0, 0)])
        possible = [v for v in range(1, K) if _contains(rest, hidden_sum - v)]
        if len(possible) < 2:
            return True
    return False


def _domain(counts: Sequence[int], kinds: Sequence[str], i: int, hidden_sum: int) -> Intervals:
    """The values a reader who knows the rules must still consider for hidden cell `i`."""
    if kinds[i] == SMALL:
        return [(1, K - 1)]
    # The protective cell is the largest: ties with a shown cell go to the first of them.
    floor = max([K] + [c if j > i else c + 1 for j, c in enumerate(counts) if kinds[j] == SHOWN])
    return [(floor, hidden_sum)] if floor <= hidden_sum else []


def _sumset(a: Intervals, b: Intervals) -> Intervals:
    """Every sum of one value from `a` and one from `b`, as merged intervals."""
    merged: Intervals = []
    for lo, hi in sorted((x0 + y0, x1 + y1) for x0, x1 in a for y0, y1 in b):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _contains(intervals: Intervals, value: int) -> bool:
    return any(lo <= value <= hi for lo, hi in intervals)


# -- one member's check against the chamber's others ("Betriebe wie Ihrer") ---------------------------

SECTOR, ALL_MEMBERS = "sector", "all"
SHARE = "share"  # the share of the group with a lower score, floored to tens
FEW_BELOW = "few_below"  # fewer than K scored lower (none included)
FEW_ABOVE = "few_above"  # fewer than K reached the member's score or more


@dataclass(frozen=True)
class PeerCounts:
    """The raw counts of a comparison group: checks per score and per open requirement. Never displayed."""

    scores: Mapping[int, int]
    gaps: Mapping[str, int]

    @property
    def total(self) -> int:
        return sum(self.scores.values())


@dataclass(frozen=True)
class Standing:
    kind: str
    percent: int | None = None  # only for SHARE: 0, 10, ... 90


@dataclass(frozen=True)
class Comparison:
    group: str  # SECTOR or ALL_MEMBERS
    standing: Standing | None  # None: the scores of this group would say too much
    closed: tuple[str, ...]  # requirement ids, most often open among the group first


def standing(scores: Mapping[int, int], own: int) -> Standing | None:
    """Where `own` stands among the group's scores, as coarsely as a group of K allows.

    Those below and those at or above are two cells that add up to the group, so each is protected
    like a small cell: under K it is only "fewer than K", and if both are, nothing is said. The share
    is floored, not rounded, so "better than 60 %" is always true, and never reaches 100 (at least K
    are at or above). No total is shown, so a share cannot be turned back into a count.
    """
    total = sum(scores.values())
    if total < K:
        return None
    below = sum(n for score, n in scores.items() if score < own)
    rest = total - below
    if below < K and rest < K:
        return None
    if below < K:
        return Standing(FEW_BELOW)
    if rest < K:
        return Standing(FEW_ABOVE)
    return Standing(SHARE, below * 10 // total * 10)


def closed_gaps(gaps: Mapping[str, int], met: Sequence[str], limit: int = 3) -> tuple[str, ...]:
    """The requirements the member has met that were most often open in the group: only those open in at
    least K of its checks (fewer would describe a small group), most frequent first, ties in `met`'s order.
    Only the order is shown, never a count."""
    position = {requirement: i for i, requirement in enumerate(met)}
    frequent = [requirement for requirement in met if gaps.get(requirement, 0) >= K]
    return tuple(sorted(frequent, key=lambda r: (-gaps[r], position[r]))[:limit])


def compare(own: int, met: Sequence[str], all_members: PeerCounts, same_sector: PeerCounts | None) -> Comparison | None:
    """The member's comparison with the chamber's other checks of the same checklist, or None.

    The businesses of the member's own kind when they are at least K, otherwise all members (if they
    are at least K). Only one group is ever shown, so that no page offers two groups to subtract from
    each other. The check's own statistics row is always left out: the caller counts only months
    before the check's month (the row has no link to its check, so the month is what tells them apart).
    """
    if same_sector is not None and same_sector.total >= K:
        group, name = same_sector, SECTOR
    else:
        group, name = all_members, ALL_MEMBERS
    if group.total < K:
        return None
    result = Comparison(name, standing(group.scores, own), closed_gaps(group.gaps, met))
    return result if result.standing is not None or result.closed else None
