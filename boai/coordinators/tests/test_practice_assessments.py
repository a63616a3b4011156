"""Yearly assessments (at most one per coordinator and year, by an assessor of the coordinator's area,
never for a year to come) with their evidence scans, and awards (to a coordinator once per kind and
year, or to hospital staff without a coordinator record); the pages and the API."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from boai.audit.models import AuditEntry
from boai.core.errors import DomainError
from boai.core.models import Attachment
from boai.core.tests.personas import user

from ..models import Assessment, Award
from ..services.practice import assessment_record, award_record
from .factories import make_qualified, today

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def client(username):
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(user(username))
    return c


def api(username):
    c = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(user(username))
    return c


def snapshot():
    return Assessment.objects.count(), Award.objects.count(), Attachment.objects.count(), AuditEntry.objects.count()


def test_a_county_branch_assesses_its_coordinator_with_a_scan_and_the_list_offers_the_scan():
    wang = make_qualified(name="评估王", region="530102")
    year = today().year - 1
    response = client("wuhua_staff").post(
        "/workspace/coordinators/assessments/new/",
        {
            "coordinator": wang.pk,
            "year": year,
            "score": "91.5",
            "rating": "excellent",
            "assessed_on": today().isoformat(),
            "comment": "表现突出",
            "evidence": [SimpleUploadedFile("scan.png", PNG, content_type="image/png")],
        },
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get(coordinator=wang, year=year)
    assert assessment.assessor == user("wuhua_staff") and str(assessment.score) == "91.5"
    page = client("wuhua_staff").get(f"/workspace/coordinators/assessments/?year={year}").content.decode()
    assert "评估王" in page and "91.5" in page
    scan = Attachment.objects.get(owner_type="coordinators.assessment", owner_id=str(assessment.pk))
    download = client("kunming_staff").get(f"/workspace/coordinators/assessments/{assessment.pk}/evidence/{scan.pk}/")
    assert download.status_code == 200
    assert AuditEntry.objects.filter(action="coordinators.assessment.evidence_viewed").exists()
    assert (
        client("qilin_staff")
        .get(f"/workspace/coordinators/assessments/{assessment.pk}/evidence/{scan.pk}/")
        .status_code
        == 404
    )


def test_a_second_assessment_for_the_same_year_is_refused_with_a_clear_message_and_nothing_written():
    person = make_qualified(name="重复评估", region="530102")
    year = today().year - 1
    assessment_record(
        actor=user("wuhua_staff"), coordinator=person, year=year, score=80, rating="good", assessed_on=today()
    )
    before = snapshot()
    response = client("kunming_staff").post(
        "/workspace/coordinators/assessments/new/",
        {"coordinator": person.pk, "year": year, "score": "70", "rating": "pass", "assessed_on": today().isoformat()},
    )
    assert response.status_code == 200
    assert "already has an assessment for" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("case", ["future_year", "score", "outside", "future_date"])
def test_a_wrong_assessment_is_refused_with_its_rule_and_nothing_written(case, english):
    person = make_qualified(name="错误评估", region="530302" if case == "outside" else "530102")
    args = {"year": today().year - 1, "score": 75, "rating": "pass", "assessed_on": today()}
    if case == "future_year":
        args["year"] = today().year + 1
    elif case == "score":
        args["score"] = "100.5"
    elif case == "future_date":
        args["assessed_on"] = date(today().year + 1, 1, 1)
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        assessment_record(actor=user("wuhua_staff"), coordinator=person, **args)
    assert snapshot() == before
    expected = {
        "future_year": "cannot be in the future",
        "score": "from 0 to 100",
        "outside": "outside your area",
        "future_date": "cannot be in the future",
    }[case]
    assert expected in str(refused.value.message)


def test_the_api_creates_lists_and_refuses_a_second_assessment():
    person = make_qualified(name="接口评估", region="530100")
    body = {
        "coordinator": person.pk,
        "year": today().year - 1,
        "score": "85",
        "rating": "good",
        "assessed_on": str(today()),
    }
    created = api("kunming_staff").post("/api/v1/coordinator-assessments/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["assessor"] == "kunming_staff"
    before = snapshot()
    again = api("kunming_staff").post("/api/v1/coordinator-assessments/", body, format="json")
    assert again.status_code == 409 and "at most one per year" in again.json()["detail"]
    assert snapshot() == before
    listed = api("auditor").get(f"/api/v1/coordinator-assessments/?coordinator={person.pk}&year={today().year - 1}")
    assert [r["coordinator_name"] for r in listed.json()["results"]] == ["接口评估"]
    assert api("qilin_staff").get(f"/api/v1/coordinator-assessments/{created.json()['id']}/").status_code == 404
    assert api("coordinator").post("/api/v1/coordinator-assessments/", body, format="json").status_code == 403


def test_the_province_awards_a_coordinator_once_per_kind_and_year_and_hospital_staff_too():
    person = make_qualified(name="优秀杨", region="530100")
    year = today().year - 1
    response = client("prov_admin").post(
        "/workspace/coordinators/awards/new/",
        {
            "kind": "excellent_coordinator",
            "year": year,
            "coordinator": person.pk,
            "document_number": "云红发〔2025〕99号",
            "awarded_on": today().isoformat(),
            "awarded_by": "云南省红十字会",
        },
    )
    assert response.status_code == 302
    award = Award.objects.get(coordinator=person)
    assert award.region_id == "530100" and award.name == "优秀杨"
    before = snapshot()
    again = client("prov_admin").post(
        "/workspace/coordinators/awards/new/",
        {
            "kind": "excellent_coordinator",
            "year": year,
            "coordinator": person.pk,
            "document_number": "云红发〔2025〕100号",
            "awarded_on": today().isoformat(),
            "awarded_by": "云南省红十字会",
        },
    )
    assert again.status_code == 200 and "already has this award" in again.content.decode()
    assert snapshot() == before
    staff = award_record(
        actor=user("prov_admin"),
        kind="excellent_staff",
        year=year,
        name="医院张",
        organisation="OPO-KMU1",
        document_number="云红发〔2025〕99号",
        awarded_on=today(),
        awarded_by="云南省红十字会",
    )
    assert staff.coordinator is None and staff.organisation.code == "OPO-KMU1"
    page = client("kunming_staff").get(f"/workspace/coordinators/awards/?year={year}").content.decode()
    assert "优秀杨" in page and "云红发〔2025〕99号" in page


def test_an_award_without_a_person_or_by_branch_staff_is_refused_with_nothing_written(english):
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        award_record(
            actor=user("prov_admin"),
            kind="excellent_staff",
            year=today().year - 1,
            document_number="X1",
            awarded_on=today(),
            awarded_by="云南省红十字会",
        )
    assert "name and organisation" in str(refused.value.message)
    assert client("kunming_staff").get("/workspace/coordinators/awards/new/").status_code == 403
    r = api("kunming_staff").post("/api/v1/coordinator-awards/", {"kind": "other"}, format="json")
    assert r.status_code == 403
    assert snapshot()[:3] == before[:3]


def test_the_award_api_creates_and_filters_by_year_and_region():
    person = make_qualified(name="接口获奖", region="530302")
    year = today().year - 1
    body = {
        "kind": "other",
        "title": "先进个人",
        "year": year,
        "coordinator": person.pk,
        "document_number": "曲红发〔2025〕3号",
        "awarded_on": str(today()),
        "awarded_by": "曲靖市红十字会",
    }
    created = api("prov_admin").post("/api/v1/coordinator-awards/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["region"] == "530302"
    listed = api("prov_admin").get(f"/api/v1/coordinator-awards/?year={year}&region=5303").json()
    assert "接口获奖" in [r["name"] for r in listed["results"]]
    assert api("kunming_staff").get(f"/api/v1/coordinator-awards/{created.json()['id']}/").status_code == 404
