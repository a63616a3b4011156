"""``bulk.new_ids`` takes ids from the id's sequence before the rows are written (PostgreSQL), so that
an import sends each registration's consent record along instead of looking the ids up; a row written
afterwards in the ordinary way never gets one of them. SQLite has no sequence: the database numbers the
rows as they go in."""

from datetime import date

import pytest
from django.db import connection
from django.utils import timezone

from boai.core.bulk import insert_rows, instances, new_ids, rows_for
from boai.core.tests.personas import user
from boai.registry.data import PersonData
from boai.registry.models import ConsentRecord
from boai.registry.notices import CURRENT
from boai.registry.services import registration_create
from boai.registry.tests.helpers import resident_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration():
    data = PersonData(
        name="李文",
        id_type="resident_id",
        id_number=resident_id("530102", date(1980, 3, 3), "21", "M"),
        phone="13900001111",
        region_code="530102",
        organs=["all"],
    )
    return registration_create(actor=user("prov_admin"), channel="paper", consent_version=CURRENT, data=data)


def consent(registration):
    now = timezone.now()
    return {"registration_id": registration.pk, "kind": "sensitive_data", "channel": "paper", "given_at": now}


@pytest.mark.postgres
def test_rows_written_with_ids_taken_beforehand_keep_them_and_the_sequence_moves_past_them(registration):
    ids = new_ids(ConsentRecord, 3)
    assert ids == sorted(set(ids)) and len(ids) == 3
    made = instances(ConsentRecord, [{**consent(registration), "id": i} for i in ids])
    insert_rows(ConsentRecord, rows_for(ConsentRecord, made, with_ids=True), with_ids=True)
    assert (
        list(ConsentRecord.objects.filter(pk__in=ids).values_list("registration_id", flat=True))
        == [registration.pk] * 3
    )
    later = ConsentRecord.objects.create(**consent(registration))
    assert later.pk > max(ids)  # never one of the ids taken
    assert new_ids(ConsentRecord, 1)[0] > later.pk


def test_rows_written_without_ids_are_numbered_by_the_database(registration):
    before = ConsentRecord.objects.filter(registration=registration).count()
    made = instances(ConsentRecord, [consent(registration), consent(registration)])
    insert_rows(ConsentRecord, rows_for(ConsentRecord, made))
    assert ConsentRecord.objects.filter(registration=registration).count() == before + 2
    assert (new_ids(ConsentRecord, 1) is None) == (connection.vendor != "postgresql")  # SQLite: no sequence
