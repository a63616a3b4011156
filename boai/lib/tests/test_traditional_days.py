"""Qingming and the Winter Solstice come from the calendar library, and agree with the dates the
Purple Mountain Observatory publishes (recomputed from an ephemeris, Beijing time, for 2024–2035)."""

from datetime import date

import pytest

from boai.lib.traditional_days import (
    QINGMING,
    WINTER_SOLSTICE,
    next_traditional_days,
    qingming,
    traditional_days,
    winter_solstice,
)

# year: (Qingming, Winter Solstice), day in April and day in December
PUBLISHED = {
    2024: (4, 21),
    2025: (4, 21),
    2026: (5, 22),
    2027: (5, 22),
    2028: (4, 21),
    2029: (4, 21),
    2030: (5, 22),
    2031: (5, 22),
    2032: (4, 21),
    2033: (4, 21),
    2034: (5, 22),
    2035: (5, 22),
}


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_qingming_and_the_winter_solstice_match_the_published_dates(year):
    april, december = PUBLISHED[year]
    assert qingming(year) == date(year, 4, april)
    assert winter_solstice(year) == date(year, 12, december)


def test_the_days_between_two_dates_are_listed_in_order():
    found = traditional_days(date(2026, 4, 5), date(2027, 4, 4))
    assert [(d.kind, d.day) for d in found] == [(QINGMING, date(2026, 4, 5)), (WINTER_SOLSTICE, date(2026, 12, 22))]
    assert [d.day for d in next_traditional_days(date(2026, 12, 23))] == [date(2027, 4, 5), date(2027, 12, 22)]


def test_a_year_outside_the_calendar_is_refused():
    with pytest.raises(ValueError):
        qingming(2101)
