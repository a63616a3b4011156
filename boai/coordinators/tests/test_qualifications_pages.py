"""The qualification pages and API as their users meet them: the work list (expired and expiring
first, the badge), one qualification with its history, recording one, a step with a wrong input
refused on its form with nothing written, the API's list filters and actions, the home lines."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from boai.audit.models import AuditEntry
from boai.cases.tests.helpers import PDF
from boai.core.tests.personas import user

from ..models import Coordinator, Qualification, QualificationEvent
from ..selectors import qualifications as selectors
from .factories import make_coordinator, make_qualified, today

pytestmark = pytest.mark.django_db


def page_client(username):
    c = Client()
    c.force_login(user(username))
    return c


def api(username):
    c = APIClient()
    c.force_authenticate(user(username))
    return c


def pdf():
    return SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")


def test_the_work_list_shows_expired_then_expiring_and_the_badge_counts_them():
    make_qualified(name="过期者", region="530102", valid_until=today() - timedelta(days=3))
    html = page_client("wuhua_staff").get(reverse("coordinators:qualifications")).content.decode()
    assert "过期者" in html and html.index("过期者") < html.index("王磊")  # expired first; 王磊 in the full list
    assert "李娜" not in html  # Kunming's prefecture coordinator: not in Wuhua's area
    assert selectors.expiring_count(user("wuhua_staff")) == 1
    assert selectors.expiring_count(user("prov_admin")) == 2  # 过期者 and 李娜 (45 days)
    lines = list(selectors.home_items(user("prov_admin")))
    assert [line.label.split()[0] for line in lines] == ["过期者", "李娜"]


def test_filters_by_state_and_expiry():
    client = page_client("prov_admin")
    html = client.get(reverse("coordinators:qualifications"), {"state": "suspended"}).content.decode()
    assert "赵敏" in html
    rows = api("prov_admin").get("/api/v1/coordinator-qualifications/", {"expiring_within": 60}).json()
    names = [r["coordinator_name"] for r in rows.get("results", rows)]
    assert names == ["李娜"]
    assert api("prov_admin").get("/api/v1/coordinator-qualifications/", {"state": "bogus"}).status_code == 400


def test_the_detail_page_shows_the_history_and_only_the_province_gets_the_actions():
    q = Qualification.objects.get(coordinator__name="赵敏")
    url = reverse("coordinators:qualification", args=[q.pk])
    html = page_client("prov_admin").get(url).content.decode()
    assert "滇红协〔2026〕3号" in html and "reinstate" in html and "/suspend/" not in html
    assert "/reinstate/" not in page_client("qilin_staff").get(url).content.decode()
    assert page_client("wuhua_staff").get(url).status_code == 404  # Qilin's coordinator


def test_recording_on_the_page_makes_the_trainee_qualified():
    chen = Coordinator.objects.get(name="陈晨")
    url = reverse("coordinators:qualify", args=[chen.pk])
    client = page_client("prov_admin")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "number": "OPDC-2026-0777",
            "issued_on": (today() - timedelta(days=3)).isoformat(),
            "issuing_body": "中国人体器官捐献管理中心",
            "valid_until": "",
            "scan": pdf(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    chen.refresh_from_db()
    assert chen.state == "qualified"


def test_a_step_with_a_missing_document_stays_on_its_form_with_nothing_written():
    q = Qualification.objects.get(coordinator__name="王磊")
    before = (QualificationEvent.objects.count(), AuditEntry.objects.count())
    response = page_client("prov_admin").post(
        reverse("coordinators:qualification_step", args=[q.pk, "suspend"]),
        {"suspend-reason": "调查中", "suspend-document_number": ""},
    )
    assert response.status_code == 400
    assert (QualificationEvent.objects.count(), AuditEntry.objects.count()) == before
    q.refresh_from_db()
    assert q.state == "active"


def test_a_step_on_the_page_moves_the_coordinator():
    q = Qualification.objects.get(coordinator__name="王磊")
    response = page_client("prov_admin").post(
        reverse("coordinators:qualification_step", args=[q.pk, "suspend"]),
        {
            "suspend-version": q.version,
            "suspend-reason": "调查中",
            "suspend-document_number": "滇红协〔2026〕8号",
            "suspend-scan": pdf(),
        },
    )
    assert response.status_code == 302
    assert Coordinator.objects.get(name="王磊").state == "suspended"


def test_the_api_records_and_steps_through_the_same_services():
    trainee = make_coordinator(name="接口甲", state=Coordinator.State.TRAINEE)
    client = api("prov_admin")
    body = {
        "coordinator": trainee.pk,
        "number": "OPDC-2026-0888",
        "issued_on": (today() - timedelta(days=1)).isoformat(),
        "scan": io.BytesIO(PDF),
    }
    body["scan"].name = "scan.pdf"
    response = client.post("/api/v1/coordinator-qualifications/", body, format="multipart")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    scan = io.BytesIO(PDF)
    scan.name = "scan.pdf"
    response = client.post(
        f"/api/v1/coordinator-qualifications/{pk}/suspend/",
        {"reason": "调查", "document_number": "滇红协〔2026〕9号", "scan": scan},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "suspended"
    # no scan: refused, nothing written
    before = QualificationEvent.objects.count()
    response = client.post(
        f"/api/v1/coordinator-qualifications/{pk}/reinstate/",
        {"reason": "结束", "document_number": "滇红协〔2026〕10号"},
        format="multipart",
    )
    assert response.status_code == 400 and QualificationEvent.objects.count() == before
    assert api("wuhua_staff").post(f"/api/v1/coordinator-qualifications/{pk}/revoke/", {}).status_code == 403


def test_the_coordinator_section_lists_the_qualification():
    yang = Coordinator.objects.get(name="杨洁")
    ctx = selectors.section(coordinator=yang, user=user("prov_admin"))
    assert [row["q"].number for row in ctx["qualifications"]] == ["OPDC-2019-0412"]
    assert selectors.section(coordinator=yang, user=user("wuhua_staff")) == {}


def test_the_list_exports_as_excel_for_those_who_may_and_is_audited():
    url = reverse("coordinators:qualifications")
    response = page_client("prov_admin").get(url, {"format": "xlsx", "state": "active"})
    assert response.status_code == 200
    assert AuditEntry.objects.filter(action="coordinators.qualification.exported").count() == 1
    csv = b"".join(page_client("prov_admin").get(url, {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert "OPDC-2019-0412" in csv and "赵敏" in csv
    assert page_client("coordinator").get(url, {"format": "csv"}).status_code == 403
