"""Old cases stay valid: the death category recorded under the old order becomes the donation
category whose order continues the case (migration 0004)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("cases", "0003_sex_choices_from_core_people")
AFTER = ("cases", "0004_donation_categories_witnesses")  # the old column stays until 0006


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def test_old_cases_get_the_category_that_continues_their_order():
    old = _migrate(BEFORE)
    OrganCase = old.get_model("cases", "OrganCase")
    Region, Organisation, User = (
        old.get_model("core", "Region"),
        old.get_model("core", "Organisation"),
        old.get_model("accounts", "User"),
    )
    region = Region.objects.get_or_create(code="530102", defaults={"name": "五华区", "level": 3})[0]
    unit = Organisation.objects.get_or_create(
        code="OPO-MIG", defaults={"name": "迁移测试医院", "type": "opo_unit", "region": region}
    )[0]
    actor = User.objects.get_or_create(username="migration-test")[0]
    now = timezone.now()
    rows = {}
    for n, (state, death) in enumerate(
        [
            ("closed", "dbd"),  # ended: its category is its death category
            ("procured", "dcd"),
            ("death_determined", "dbcd"),
            ("death_determined", "dbd"),  # consent and ethics done under the old order: C-III's last step
            ("consented", ""),  # no death yet, already at the family: the old order is C-II's
            ("evaluating", ""),  # chooses at the evaluation
        ]
    ):
        rows[n] = OrganCase.objects.create(
            number=f"OD2024{n:05d}", state=state, death_category=death, unit=unit, region=region,
            hospital="h", diagnosis="d", referred_at=now, opened_at=now, opened_by=actor, name="某",
            sex="M", id_type="resident_id", id_number="", birth_date=now.date(),
        ).pk  # fmt: skip
    new = _migrate(AFTER)
    OrganCase = new.get_model("cases", "OrganCase")
    got = [OrganCase.objects.get(pk=rows[n]).donation_category for n in range(6)]
    assert got == ["c1", "c2", "c3", "c3", "c2", ""]
    # every app back to its latest migration (going back unapplied the apps built on cases, family care's)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
