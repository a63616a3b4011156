"""The person's own written wish carries a case: a registration that was active at death (defect 1 of
issue 11), and a registration in the national registry."""

import json

import pytest
from django.utils import timezone

from boai.cases.models import BodyCase
from boai.core.tests.personas import user
from boai.registry.models import Registration
from boai.registry.services import registration_mark_deceased, registration_withdraw

from .helpers import CATEGORY_STEPS, client_for, notice, open_organ, signer, station_id, take, walk_organ

pytestmark = pytest.mark.django_db

ON_OWN_WISH = {"basis": "written_intent", "signers": json.dumps([signer("spouse", "83")]), "organs": ["kidney"]}


def registrant(body=False) -> Registration:
    return Registration.objects.filter(status="active", body=body, organs=["all"]).order_by("id").first()


def deceased(reg: Registration) -> Registration:
    """The branch is told of the death and marks the registration deceased from its page."""
    response = _staff_page_client().post(
        f"/workspace/registrations/{reg.pk}/deceased/",
        {"died_on": timezone.localdate().isoformat(), "version": reg.version},
    )
    assert response.status_code == 302
    reg.refresh_from_db()
    assert reg.status == "deceased"
    return reg


def _staff_page_client():
    from django.test import Client

    client = Client()
    client.force_login(user("prov_admin"))
    return client


def test_a_registrant_marked_deceased_is_carried_by_their_own_written_wish():
    reg = deceased(registrant())
    case = open_organ(name=reg.name, id_number=reg.id_number, region=reg.region_id)
    assert case["registry_finding"] == "deceased" and reg.number in case["registry_note"]
    walk_organ(case["id"], "family_approached")
    response = take("organ", case["id"], "consented", "coordinator", ON_OWN_WISH)
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "consented"


def test_a_registration_withdrawn_before_death_is_no_written_wish():
    reg = registrant()
    registration_withdraw(registration=reg, actor=user("prov_admin"), reason="本人撤回")
    registration_mark_deceased(registration=reg, actor=user("prov_admin"), died_on=timezone.localdate())
    case = open_organ(name=reg.name, id_number=reg.id_number, region=reg.region_id)
    walk_organ(case["id"], "death_determined")
    approach = {**CATEGORY_STEPS["c1"]["family_approached"], "withdrawal_seen": "on"}
    assert take("organ", case["id"], "family_approached", "coordinator", approach).status_code == 200
    response = take("organ", case["id"], "consented", "coordinator", ON_OWN_WISH)
    assert response.status_code == 409 and response.json()["code"] == "consent.written_intent"


def test_a_deceased_registered_body_donor_needs_no_relatives_signatures():
    reg = deceased(Registration.objects.filter(status="active", body=True).first())
    data = notice(station=station_id(), name=reg.name, id_number=reg.id_number, region=reg.region_id)
    response = client_for("prov_admin").post("/api/v1/body-cases/", data, format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json()["basis"] == "registration"
    assert BodyCase.objects.get(pk=response.json()["id"]).registration_id == reg.pk
