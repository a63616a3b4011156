"""On PostgreSQL: two first entries of the same region and year at once both succeed, the later one as
a correction, leaving one row (the row lock has no row to hold before the first insert commits)."""

import pytest

from boai.audit.models import AuditEntry
from boai.core.tests.concurrency import race
from boai.core.tests.personas import user
from boai.stats.models import RegionPopulation
from boai.stats.services.population import population_set

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_first_entries_at_once_leave_one_row_and_no_error(transactional_base_data):
    for year in range(2015, 2023):  # several rounds, so that at least some truly overlap

        def entered(count, year=year):
            return lambda: population_set(actor=user("prov_admin"), region="530100", year=year, population=count)

        assert race(entered(8_600_000), entered(8_700_000)) == ["saved", "saved"]
        rows = RegionPopulation.objects.filter(region_id="530100", year=year)
        assert rows.count() == 1 and rows.get().population in (8_600_000, 8_700_000)
        audits = AuditEntry.objects.filter(action="stats.population.changed", object_id=str(rows.get().pk))
        assert audits.count() == 2  # the first entry and the correction, both recorded
