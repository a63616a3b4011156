"""The open data: the yearly published figures (``annual.PUBLISHED``) by prefecture, with small numbers
suppressed (``lib.suppression``), for anyone. The counted table is cached a few minutes: the page is
public, and every load would otherwise count 13 figures in 17 areas."""

from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from boai.core.figures import figure
from boai.core.models import Region
from boai.lib.suppression import Cell, suppress_related

from .annual import PUBLISHED

PROVINCE = "530000"
FIRST_YEAR = 2010  # the earliest year the open data looks for figures in
CACHE_SECONDS = 300
_KEY = "stats.open_data.v1"
# columns counting the same records, (the smaller, the larger) row by row, 0 exactly together: suppressed
# as one (``lib.suppression.suppress_related``), else a hidden cell could be set against the other
# column. Households visited ≤ person-visits (a visit is recorded only with someone met). Memorial
# events and their participants are not: an event may record 0 participants, so neither bounds the other
# (that participants need an event concerns only zeros, which are shown anyway).
RELATED = (("families_visited_households", "families_visited_person_visits"),)


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    cells: list[Cell]


@dataclass(frozen=True)
class Table:
    year: int
    columns: list[tuple[str, str]]  # (API name, label)
    rows: list[Row]  # the prefectures, by code
    total: Row  # the province

    @property
    def suppressed(self) -> bool:
        return any(c.hidden for row in [*self.rows, self.total] for c in row.cells)


def last_full_year(today=None) -> int:
    return (today or timezone.localdate()).year - 1


def _prefectures() -> list[Region]:
    return list(Region.objects.filter(level=Region.Level.PREFECTURE, code__startswith="53").order_by("code"))


def years_with_data(today=None) -> list[int]:
    """The years up to the last full one in which the province has any published figure, newest first."""
    last = last_full_year(today)
    key = f"{_KEY}.years.{last}"
    years = cache.get(key)
    if years is None:
        years = [
            year
            for year in range(last, FIRST_YEAR - 1, -1)
            if any(figure(code).count(year, "53") for _name, code in PUBLISHED)
        ]
        cache.set(key, years, CACHE_SECONDS)
    return years


def _counts(year: int) -> dict:
    """{region code: [count per published figure]} for the prefectures and the province (cached)."""
    key = f"{_KEY}.counts.{year}"
    counts = cache.get(key)
    if counts is None:
        areas = [(r.code, r.prefix) for r in _prefectures()] + [(PROVINCE, "53")]
        counts = {code: [figure(fig).count(year, prefix) for _n, fig in PUBLISHED] for code, prefix in areas}
        cache.set(key, counts, CACHE_SECONDS)
    return counts


def table(year: int) -> Table:
    """The year's table as published: each figure's column suppressed against the province's total (the
    ``RELATED`` columns together)."""
    counts = _counts(year)
    prefectures = _prefectures()
    counted = []
    for i, _name in enumerate(PUBLISHED):
        values = [counts[r.code][i] for r in prefectures]
        # the province counts what no prefecture does too (a record of the province itself): never less
        counted.append((values, max(counts[PROVINCE][i], sum(values))))
    names = [name for name, _code in PUBLISHED]
    related = [(names.index(a), names.index(b)) for a, b in RELATED]
    published = suppress_related(counted, related)
    columns_cells = [cells for cells, _total in published]
    totals = [total for _cells, total in published]
    rows = [Row(r.code, r.name, [col[n] for col in columns_cells]) for n, r in enumerate(prefectures)]
    province = Region.objects.get(code=PROVINCE)
    columns = [(name, str(figure(code).label)) for name, code in PUBLISHED]
    return Table(year=year, columns=columns, rows=rows, total=Row(PROVINCE, province.name, totals))
