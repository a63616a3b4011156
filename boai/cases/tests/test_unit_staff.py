"""The unit's list of procurement and transplant staff, kept on a staff page: the death
determination refuses anyone on it."""

import pytest
from django.test import Client

from boai.audit.models import AuditEntry
from boai.cases.models import TransplantStaff
from boai.core.models import Organisation
from boai.core.tests.personas import user

from .helpers import open_organ, take, walk_organ

pytestmark = pytest.mark.django_db

URL = "/workspace/cases/unit-staff/"


def web(username):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user(username))
    return client


def test_opo_staff_add_a_physician_who_then_cannot_determine_death():
    page = web("opo_staff")
    response = page.post(URL, {"name": " 钱红 ", "team": "transplant"}, follow=True)
    assert "钱红 已加入名单" in response.content.decode()
    assert AuditEntry.objects.filter(action="cases.unit_staff.added").count() == 1
    case = open_organ()["id"]
    walk_organ(case, "evaluating")
    refused = take("organ", case, "first_determination", "opo_staff", {"physicians": "赵军、钱红"})
    assert refused.status_code == 409 and refused.json()["code"] == "death.independent_physicians"


def test_the_same_physician_twice_is_refused_with_a_message_and_nothing_written():
    page = web("opo_staff")
    page.post(URL, {"name": "钱红", "team": "transplant"})
    before = AuditEntry.objects.count()
    response = page.post(URL, {"name": "钱红", "team": "transplant"})
    assert response.status_code == 200 and "钱红 已在名单中" in response.content.decode()
    assert AuditEntry.objects.count() == before and TransplantStaff.objects.count() == 1
    blank = page.post(URL, {"name": "", "team": "nonsense"})
    assert blank.status_code == 200 and TransplantStaff.objects.count() == 1


def test_taking_a_physician_off_keeps_the_row_and_frees_them():
    page = web("opo_staff")
    page.post(URL, {"name": "钱红", "team": "transplant"})
    staff = TransplantStaff.objects.get()
    page.post(URL, {"remove": staff.pk})
    staff.refresh_from_db()
    assert staff.active is False
    case = open_organ()["id"]
    walk_organ(case, "evaluating")
    assert take("organ", case, "first_determination", "opo_staff", {"physicians": "赵军、钱红"}).status_code == 200


def test_another_units_list_is_neither_shown_nor_changed():
    other = TransplantStaff.objects.create(
        unit=Organisation.objects.get(code="OPO-YNPH"), name="外院医师", team="procurement"
    )
    page = web("opo_staff")
    assert "外院医师" not in page.get(URL).content.decode()
    assert page.post(URL, {"remove": other.pk}).status_code == 404
    assert page.post(URL, {"remove": "abc"}).status_code == 404
    other.refresh_from_db()
    assert other.active


def test_only_the_units_own_staff_change_the_list():
    assert web("coordinator").post(URL, {"name": "钱红", "team": "transplant"}).status_code == 403
    assert TransplantStaff.objects.count() == 0
