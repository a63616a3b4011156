"""The traditional days on which families remember their dead: Qingming (清明, a solar term, 4 or 5
April) and the Winter Solstice (冬至, 21 or 22 December). Their dates move from year to year with the
sun and are taken from the calendar library ``cnlunar`` (Beijing time), never typed in. The library
stops at 2100."""

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

import cnlunar
from django.utils.translation import gettext_lazy as _

QINGMING = "qingming"
WINTER_SOLSTICE = "winter_solstice"

_TERMS = {QINGMING: "清明", WINTER_SOLSTICE: "冬至"}
LABELS = {QINGMING: _("Qingming"), WINTER_SOLSTICE: _("Winter Solstice")}
FIRST_YEAR, LAST_YEAR = 1901, 2100


@dataclass(frozen=True)
class TraditionalDay:
    kind: str  # QINGMING or WINTER_SOLSTICE
    day: date

    @property
    def label(self):
        return LABELS[self.kind]


@lru_cache(maxsize=256)
def _terms(year: int) -> dict:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"the calendar covers {FIRST_YEAR}–{LAST_YEAR}, not {year}")
    return cnlunar.Lunar(datetime(year, 6, 1)).thisYearSolarTermsDic  # {term: (month, day)}


def traditional_day(kind: str, year: int) -> date:
    month, day = _terms(year)[_TERMS[kind]]
    return date(year, month, day)


def qingming(year: int) -> date:
    return traditional_day(QINGMING, year)


def winter_solstice(year: int) -> date:
    return traditional_day(WINTER_SOLSTICE, year)


def traditional_days(start: date, end: date) -> list[TraditionalDay]:
    """Every traditional day from ``start`` to ``end`` (both included), in order."""
    found = [
        TraditionalDay(kind, traditional_day(kind, year))
        for year in range(start.year, end.year + 1)
        for kind in (QINGMING, WINTER_SOLSTICE)
    ]
    return [d for d in found if start <= d.day <= end]


def next_traditional_days(after: date, count: int = 2) -> list[TraditionalDay]:
    """The next ``count`` traditional days on or after ``after`` (for suggesting event dates)."""
    return traditional_days(after, date(after.year + count, 12, 31))[:count]
