"""The outcome letter: only for a family that asked, and once the organ case has outcomes; a Chinese PDF
saying how many people were helped and which organs were transplanted, naming no recipient nor
hospital; recorded and audited."""

from io import BytesIO

import pytest
from django.test import Client
from pypdf import PdfReader

from boai.audit.models import AuditEntry
from boai.cases.models import OrganCase
from boai.cases.tests.helpers import open_organ, walk_organ
from boai.core.models import Organisation
from boai.core.tests.personas import user

from ..models import Family, OutcomeLetter
from .factories import make_family

pytestmark = pytest.mark.django_db
BASE = "/workspace/care/families"


def client(username):
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(user(username))
    return c


def test_the_letter_is_refused_when_not_asked_for_or_without_outcome():
    c = client("wuhua_staff")
    not_asked = make_family(wants_outcome=False)
    no_case = make_family(wants_outcome=True)
    for family in (not_asked, no_case):
        response = c.post(f"{BASE}/{family.pk}/letter/", follow=True)
        assert response.status_code == 200
        assert "did not ask" in response.content.decode() or "no transplant outcome" in response.content.decode()
    assert not OutcomeLetter.objects.exists()
    assert not AuditEntry.objects.filter(action="care.outcome_letter.issued").exists()


def test_the_letter_says_how_many_were_helped_and_which_organs_and_names_no_one_else():
    case_id = open_organ()["id"]
    walk_organ(case_id, "closed")
    case = OrganCase.objects.select_related("unit").get(pk=case_id)
    family = Family.objects.get(organ_case=case)
    Family.objects.filter(pk=family.pk).update(wants_outcome=True)
    c = client("wuhua_staff")
    response = c.post(f"{BASE}/{family.pk}/letter/")
    letter = OutcomeLetter.objects.get(family=family)
    assert response.status_code == 302 and response["Location"].endswith(f"/letter/{letter.pk}/")
    assert letter.people_helped == 2 and letter.organs == ["kidney"]
    assert AuditEntry.objects.filter(action="care.outcome_letter.issued", object_id=str(family.pk)).exists()
    pdf = c.get(response["Location"])
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    compact = "".join(text.split())
    assert "器官捐献结果告知书" in compact and "2位患者" in compact and "肾" in compact and case.name in compact
    hospitals = Organisation.objects.filter(type__in=("hospital", "opo_unit")).values_list("name", flat=True)
    for secret in (case.unit.name, "COTRS-2026-0001", "医院", *hospitals):
        assert secret not in compact
    assert client("qilin_staff").get(response["Location"]).status_code == 404
