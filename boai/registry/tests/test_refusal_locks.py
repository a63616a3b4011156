"""On PostgreSQL: a refusal recorded for a person with an active registration (which it withdraws)
while someone registers another person in the same county and month: both are saved. The withdrawal
moves the registration's count in the tally, and a registration takes the tally rows and then the
audit chain's head; were the refusal audited before its withdrawal, each would wait for the other and
PostgreSQL would undo one of them."""

import pytest
from django.db import transaction
from django.utils import timezone

from boai.core.fields import index_for
from boai.core.tests.concurrency import Meanwhile, attempt
from boai.core.tests.personas import user
from boai.registry.data import PersonData
from boai.registry.models import Refusal, Registration
from boai.registry.notices import CURRENT
from boai.registry.services import refusals as refusing
from boai.registry.services import registration_create
from boai.registry.tests.helpers import resident_id

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def person(name: str, id_number: str) -> PersonData:
    return PersonData(
        name=name, id_type="resident_id", id_number=id_number, phone="13900002222", region_code="530102", organs=["all"]
    )


def test_a_refusal_that_withdraws_a_registration_and_a_new_registration_are_both_saved(
    transactional_base_data, monkeypatch
):
    clerk = user("wuhua_staff")
    refusing_id, other_id = resident_id(seq="61"), resident_id(seq="63")
    registration_create(actor=clerk, channel="paper", consent_version=CURRENT, data=person("孙六", refusing_id))

    other = Meanwhile(
        lambda: registration_create(
            actor=clerk, channel="paper", consent_version=CURRENT, data=person("李七", other_id)
        )
    )
    withdraw = refusing.registration_withdraw

    def pausing(**kwargs):  # the refusal is written; its registration is about to be withdrawn
        other.pause()  # the registration goes as far as it can meanwhile
        return withdraw(**kwargs)

    monkeypatch.setattr(refusing, "registration_withdraw", pausing)

    def record():
        with transaction.atomic():  # as the refusal form calls it
            refusing.refusal_record(
                actor=clerk,
                name="孙六",
                id_type="resident_id",
                id_number=refusing_id,
                region_code="530102",
                stated_on=timezone.localdate(),
            )
        return "saved"

    outcome = {"refusal": attempt(record), "registration": other.outcome()}
    assert outcome == {"refusal": "saved", "registration": "saved"}
    statuses = dict(
        Registration.objects.filter(
            id_number_index__in=[index_for("id_number", refusing_id), index_for("id_number", other_id)]
        ).values_list("name", "status")
    )
    assert statuses == {"孙六": "withdrawn", "李七": "active"}
    assert Refusal.objects.filter(id_number_index=index_for("id_number", refusing_id), revoked_at=None).exists()
