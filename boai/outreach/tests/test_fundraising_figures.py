"""The figures outreach.funds_raised and outreach.fundraising_donors: the days of the year (Beijing
dates), in the project's region and below it."""

from datetime import date

import pytest

from boai.core.figures import figure

from .factories import make_project

pytestmark = pytest.mark.django_db


def test_funds_and_donors_count_the_days_of_the_year_in_the_region():
    make_project(region="530102", days=((date(2025, 5, 8), 100_000, 10), (date(2025, 12, 31), 50, 1)))
    make_project(region="530302", days=((date(2025, 9, 9), 7_000, 3),))
    make_project(
        region="530102", starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 2), days=((date(2026, 1, 1), 9, 9),)
    )
    funds, donors = figure("outreach.funds_raised"), figure("outreach.fundraising_donors")
    assert funds.count(2025, "53") == 107_050
    assert donors.count(2025, "53") == 14
    assert funds.count(2025, "5301") == 100_050
    assert donors.count(2025, "530302") == 3
    assert funds.count(2026, "53") == 9
    assert funds.count(2024, "53") == 0
