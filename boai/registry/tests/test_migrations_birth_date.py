"""Existing birth dates move into the encrypted column with their year beside it (registry 0012,
cases 0009), and back again if the migrations are reversed."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from boai.registry.tests.helpers import resident_id

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("registry", "0011_refusal_revocation_national_registry"), ("cases", "0008_body_donation_records")]
AFTER = [("registry", "0012_encrypt_birth_date"), ("cases", "0009_encrypt_birth_date")]
BORN = date(1948, 11, 30)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _raw(table, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT birth_date, birth_year FROM {table} WHERE id = %s", [pk])  # noqa: S608 - fixed names
        return cursor.fetchone()


def test_birth_dates_are_encrypted_and_decrypted_again(transactional_base_data):
    old = _migrate(BEFORE)
    Registration, OrganCase = old.get_model("registry", "Registration"), old.get_model("cases", "OrganCase")
    Region, Organisation, User = (
        old.get_model("core", "Region"),
        old.get_model("core", "Organisation"),
        old.get_model("accounts", "User"),
    )
    region = Region.objects.get(code="530102")
    now = timezone.now()
    reg = Registration.objects.create(
        number="YN9999000001", name="某", id_number="", phone="", sex="M", birth_date=BORN, region=region,
        registered_at=now,
    )  # fmt: skip
    unit = Organisation.objects.filter(type="opo_unit").first()
    actor = User.objects.get_or_create(username="migration-test")[0]
    case = OrganCase.objects.create(
        number="OD2099000001", state="evaluating", unit=unit, region=region, hospital="h", diagnosis="d",
        referred_at=now, opened_at=now, opened_by=actor, name="某", sex="M", id_type="resident_id",
        id_number=resident_id(born=BORN), birth_date=BORN,
    )  # fmt: skip

    after = _migrate(AFTER)
    for table, pk in (("registry_registration", reg.pk), ("cases_organcase", case.pk)):
        stored, year = _raw(table, pk)
        assert year == 1948 and "1948" not in stored and "11-30" not in stored  # ciphertext, the year beside it
    # read as the code of that migration reads (today's models have columns added since)
    assert after.get_model("registry", "Registration").objects.get(pk=reg.pk).birth_date == BORN
    assert after.get_model("cases", "OrganCase").objects.get(pk=case.pk).birth_date == BORN

    back = _migrate(BEFORE)
    assert back.get_model("registry", "Registration").objects.get(pk=reg.pk).birth_date == BORN
    assert back.get_model("cases", "OrganCase").objects.get(pk=case.pk).birth_date == BORN
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # every app: the apps on top of cases too
    from boai.registry.models import Registration as Current

    assert Current.objects.get(pk=reg.pk).birth_year == 1948 and Current.objects.get(pk=reg.pk).birth_date == BORN
