"""On PostgreSQL: registrations written at the same moment in the same county and month are all
counted (the tally's UPSERT: the second writer of a new row waits on the unique key, then adds)."""

from datetime import date

import pytest

from boai.core.tests.concurrency import race
from boai.core.tests.personas import user
from boai.registry import selectors
from boai.registry.models import RegistrationTally
from boai.registry.notices import CURRENT
from boai.registry.services import PersonData, registration_create, tally_recount
from boai.registry.tests.helpers import resident_id

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def register(seq: str):
    return lambda: registration_create(
        actor=user("prov_admin"),
        channel="paper",
        consent_version=CURRENT,
        data=PersonData(
            name="并发测试",
            id_type="resident_id",
            id_number=resident_id("530102", date(1980, 5, 5), seq),
            phone="13800006666",
            region_code="530102",
            ethnic_group="27",
            organs=["all"],
            signed_on=date(2021, 2, 10),  # a month nobody else signed in: both writers insert its rows
        ),
    )


def test_registrations_written_at_once_in_the_same_county_are_all_counted(transactional_base_data):
    before = selectors.registrations_in_year(2021, "530102")
    assert race(register("81"), register("82")) == ["saved", "saved"]
    assert race(register("83"), register("84"), register("85")) == ["saved", "saved", "saved"]
    assert selectors.registrations_in_year(2021, "530102") == before + 5
    assert selectors.registrations_by("month", 2021, "530102")["02"] == before + 5
    assert selectors.registrations_by("ethnic_group", 2021, "530102") == selectors.recount_registrations_by(
        "ethnic_group", 2021, "530102"
    )
    rows = {(t.month, t.region_id, t.dimension, t.value): t.count for t in RegistrationTally.objects.exclude(count=0)}
    assert rows == {key: n for key, n in tally_recount().items() if n}
