"""Review findings on practice: odd digits in filters answer 400 (not 500), out-of-scope ids are
404s written to the audit log, and assessments, excellent-coordinator awards and shifts are only for
those who were qualified, with the reason that fits."""

from datetime import date, timedelta

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from boai.audit.models import AuditEntry
from boai.core.errors import Conflict, DomainError, InvalidFields
from boai.core.tests.personas import user

from ..models import Assessment, Award, Coordinator, OnCallShift, Qualification
from ..services.practice import assessment_record, award_record, shift_add
from .factories import make_coordinator, make_qualified, today

pytestmark = pytest.mark.django_db


def api(username):
    c = APIClient()  # the default language: Chinese
    c.force_login(user(username))
    return c


def chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def snapshot():
    return Assessment.objects.count(), Award.objects.count(), OnCallShift.objects.count(), AuditEntry.objects.count()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/coordinator-assessments/?coordinator=%C2%B2",
        "/api/v1/coordinator-assessments/export/?coordinator=%C2%B2",
        "/api/v1/coordinator-awards/?year=%C2%B2%C2%B2%C2%B2%C2%B2",
        "/api/v1/on-call-shifts/?year=%E2%91%A0%E2%91%A0%E2%91%A0%E2%91%A0",
        "/api/v1/on-call-shifts/?region=%C2%B2",
        "/api/v1/coordinator-qualifications/?coordinator=%C2%B2",
        "/api/v1/coordinators/?region=%C2%B2",
        "/api/v1/coordinator-applications/?coordinator=%C2%B2",
        "/api/v1/trainings/?year=%C2%B2",
    ],
)
def test_superscript_and_circled_digits_in_a_filter_are_a_400_in_chinese(url):
    response = api("prov_admin").get(url)
    assert response.status_code == 400
    assert chinese(str(response.json()))


def test_superscript_digits_as_an_id_are_not_found():
    assert api("prov_admin").get("/api/v1/coordinator-qualifications/%C2%B2/").status_code == 404


def test_out_of_scope_records_are_404s_written_to_the_audit_log():
    kunming = make_qualified(name="昆明记录", region="530100")
    shift = shift_add(
        actor=user("kunming_staff"), prefecture="530100", coordinator=kunming, starts_on=today(), ends_on=today()
    )
    award = award_record(
        actor=user("prov_admin"),
        kind="other",
        year=today().year,
        coordinator=kunming,
        document_number="云红发〔2026〕1号",
        awarded_on=today(),
        awarded_by="云南省红十字会",
    )
    qualification = Qualification.objects.get(coordinator=kunming)
    qilin = api("qilin_staff")
    for url, model in (
        (f"/api/v1/coordinator-qualifications/{qualification.pk}/", "coordinators.qualification"),
        (f"/api/v1/on-call-shifts/{shift.pk}/", "coordinators.oncallshift"),
        (f"/api/v1/coordinator-awards/{award.pk}/", "coordinators.award"),
    ):
        before = AuditEntry.objects.filter(action="security.access.denied").count()
        assert qilin.get(url).status_code == 404, url
        denied = AuditEntry.objects.filter(action="security.access.denied").order_by("-id")
        assert denied.count() == before + 1, url
        assert denied.first().object_type == model
    # a POST naming a coordinator of another area
    before = snapshot()
    response = api("qilin_staff").post(
        "/api/v1/coordinator-assessments/",
        {
            "coordinator": kunming.pk,
            "year": today().year,
            "score": "90",
            "rating": "excellent",
            "assessed_on": today().isoformat(),
        },
        format="json",
    )
    assert response.status_code == 404
    assert Assessment.objects.count() == before[0]
    assert AuditEntry.objects.filter(
        action="security.access.denied", object_type="coordinators.coordinator", object_id=str(kunming.pk)
    ).exists()


def test_an_assessment_is_only_for_someone_who_was_a_coordinator():
    applicant = make_coordinator(name="申请人", region="530102", state=Coordinator.State.APPLICANT)
    before = snapshot()
    response = api("wuhua_staff").post(
        "/api/v1/coordinator-assessments/",
        {
            "coordinator": applicant.pk,
            "year": today().year,
            "score": "90",
            "rating": "excellent",
            "assessed_on": today().isoformat(),
        },
        format="json",
    )
    assert response.status_code == 409 and snapshot() == before
    # a suspended coordinator, and one revoked since but qualified during that year, are assessed
    suspended = make_qualified(name="暂停者", region="530102")
    Coordinator.objects.filter(pk=suspended.pk).update(state=Coordinator.State.SUSPENDED)
    assessment_record(
        actor=user("wuhua_staff"),
        coordinator=suspended,
        year=today().year,
        score="80",
        rating="good",
        assessed_on=today(),
    )
    revoked = make_qualified(name="撤销者", region="530102", issued_on=date(2020, 1, 1), valid_until=date(2023, 12, 31))
    Coordinator.objects.filter(pk=revoked.pk).update(state=Coordinator.State.REVOKED)
    assessment_record(
        actor=user("wuhua_staff"), coordinator=revoked, year=2022, score="80", rating="good", assessed_on=today()
    )
    before = snapshot()
    with pytest.raises(Conflict):
        assessment_record(
            actor=user("wuhua_staff"), coordinator=revoked, year=2024, score="80", rating="good", assessed_on=today()
        )
    assert snapshot() == before


def test_the_excellent_coordinator_award_is_only_for_a_qualified_coordinator():
    trainee = make_coordinator(name="学员", region="530100", state=Coordinator.State.TRAINEE)
    body = {
        "kind": "excellent_coordinator",
        "year": today().year,
        "coordinator": trainee.pk,
        "document_number": "云红发〔2026〕2号",
        "awarded_on": today().isoformat(),
        "awarded_by": "云南省红十字会",
    }
    before = snapshot()
    response = api("prov_admin").post("/api/v1/coordinator-awards/", body, format="json")
    assert response.status_code == 409 and chinese(str(response.json())) and snapshot() == before
    no_one = {**body, "coordinator": None, "name": "医院张", "organisation": "OPO-KMU1"}
    assert api("prov_admin").post("/api/v1/coordinator-awards/", no_one, format="json").status_code == 400
    assert snapshot() == before
    # other awards still go to anyone of the area
    assert (
        api("prov_admin").post("/api/v1/coordinator-awards/", {**body, "kind": "other"}, format="json").status_code
        == 201
    )


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_an_assessment_year_before_2000_says_so(english):
    person = make_qualified(name="年度", region="530102")
    with pytest.raises(InvalidFields) as refused:
        assessment_record(
            actor=user("wuhua_staff"), coordinator=person, year=1800, score="80", rating="good", assessed_on=today()
        )
    assert "from 2000" in str(refused.value.errors) and "future" not in str(refused.value.errors)


@pytest.mark.parametrize(
    "case, expected",
    [
        ("trainee", "is not a qualified coordinator"),
        ("past_the_end", "runs past the end of 到期者's qualification on"),
        ("before_qualified", "starts before 新持证 was qualified"),
    ],
)
def test_a_shift_gives_the_right_reason(case, expected, english):
    start, end = today(), today() + timedelta(days=3)
    if case == "trainee":
        person = make_coordinator(name="学员陈", region="530100", state=Coordinator.State.TRAINEE)
    elif case == "past_the_end":
        person = make_qualified(name="到期者", region="530100", valid_until=today() + timedelta(days=30))
        start, end = today(), date(2036, 1, 1)
    else:
        person = make_qualified(name="新持证", region="530100", issued_on=today() - timedelta(days=1))
        start, end = today() - timedelta(days=20), today()
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        shift_add(actor=user("kunming_staff"), prefecture="530100", coordinator=person, starts_on=start, ends_on=end)
    assert snapshot() == before
    assert expected in str(refused.value.message), refused.value.message
