"""Who sees which case, the documents behind a permission check, and personal data kept encrypted."""

from datetime import date

import pytest
from django.test import Client

from boai.audit.models import AuditEntry
from boai.cases.models import BodyCase, FamilyHandover, OrganCase, Signer
from boai.core.tests.personas import user
from boai.registry.tests.helpers import resident_id
from boai.registry.tests.test_protection import database_dump

from .helpers import (
    FAMILY,
    PATIENT_ID,
    client_for,
    notice,
    open_body,
    open_organ,
    referral,
    staff_account,
    walk_organ,
)

pytestmark = pytest.mark.django_db

# username -> sees the organ case referred by OPO-KMU1 for a patient of Wuhua (530102)?
ORGAN_SEES = {
    "prov_admin": True,
    "kunming_staff": True,
    "wuhua_staff": True,
    "qilin_staff": False,
    "coordinator": True,
    "opo_staff": True,
    "station_staff": False,
    "auditor": True,
    "sysadmin": False,
    "secadmin": False,
}
BODY_SEES = {**ORGAN_SEES, "opo_staff": False, "station_staff": True}


@pytest.mark.parametrize("username", list(ORGAN_SEES))
def test_each_role_sees_exactly_the_cases_of_its_scope(username):
    organ, body = open_organ(), open_body()
    client = client_for(username)
    for kind, case, sees in (("organ", organ, ORGAN_SEES), ("body", body, BODY_SEES)):
        listed = client.get(f"/api/v1/{kind}-cases/")
        detail = client.get(f"/api/v1/{kind}-cases/{case['id']}/")
        if sees[username]:
            assert [c["id"] for c in listed.json()["results"]] == [case["id"]]
            assert detail.status_code == 200
        else:
            assert listed.status_code in (200, 403) and (listed.status_code == 403 or listed.json()["results"] == [])
            assert detail.status_code in (403, 404)


def test_staff_of_another_opo_unit_cannot_see_or_touch_the_case():
    other = staff_account("opo_other", "opo_staff", "OPO-YNPH", "OPO 另一家")
    case = open_organ()
    client = Client()
    client.force_login(other)
    assert client.get(f"/workspace/cases/organ/{case['id']}/").status_code == 404
    assert AuditEntry.objects.filter(action="security.access.denied", actor_username="opo_other").exists()


def test_the_consent_scan_is_served_only_through_the_permission_check():
    case = open_organ()
    walk_organ(case["id"], "consented")
    from boai.core.models import Attachment

    attachment = Attachment.objects.get(owner_type="cases.casestep", kind="scan")
    url = f"/workspace/cases/organ/{case['id']}/attachments/{attachment.pk}/"
    coordinator = Client()
    coordinator.force_login(user("coordinator"))
    response = coordinator.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment") and response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="cases.attachment.viewed").exists()
    outsider = Client()
    outsider.force_login(user("qilin_staff"))
    assert outsider.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page
    other_case = open_organ(id_number=resident_id("530102", date(1980, 1, 2), "33", "M"), name="另一人")
    assert coordinator.get(f"/workspace/cases/organ/{other_case['id']}/attachments/{attachment.pk}/").status_code == 404


def test_the_api_masks_id_numbers_and_phones():
    case = open_body()
    body = client_for("prov_admin").get(f"/api/v1/body-cases/{case['id']}/").json()
    assert "*" in body["id_number"] and "*" in body["notifier_phone"]
    assert "13900002222" not in str(body)


@pytest.mark.django_db(transaction=True)
def test_a_database_dump_holds_no_case_id_number_phone_or_health_fact(transactional_base_data):
    case = open_organ()
    walk_organ(case["id"], "closed")
    body = open_body()
    assert Signer.objects.count() == 5 and FamilyHandover.objects.count() == 1
    dump = database_dump()
    assert "cases_organcase" in dump and "cases_casestep" in dump
    diagnosis, place = referral()["diagnosis"], notice()["place_of_death"]
    for secret in [PATIENT_ID, "13700003333", "13900002222", *(s["id_number"] for s in FAMILY), diagnosis, place]:
        assert secret not in dump
    organ = OrganCase.objects.get()
    assert organ.id_number == PATIENT_ID and organ.diagnosis == diagnosis
    assert organ.steps.first().data["diagnosis"] == diagnosis  # the timeline still reads it
    assert BodyCase.objects.get(pk=body["id"]).place_of_death == place


def test_the_case_list_exports_to_excel_without_id_numbers():
    from io import BytesIO

    from openpyxl import load_workbook

    case = open_organ()
    walk_organ(case["id"], "closed")
    staff = Client()
    staff.force_login(user("wuhua_staff"))
    response = staff.get("/workspace/cases/organ/?format=xlsx")
    rows = list(load_workbook(BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[1][0] == case["number"] and rows[1][-1] == 2
    assert PATIENT_ID not in str(rows)
    assert AuditEntry.objects.filter(action="cases.export.downloaded", actor_username="wuhua_staff").exists()
    coordinator = Client()
    coordinator.force_login(user("coordinator"))
    assert coordinator.get("/workspace/cases/organ/?format=xlsx").status_code == 403
