"""The training API: classes, enrolments (with results) and attendance, through the same services and
scoping as the pages; filters; refusals with nothing written."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from boai.core.tests.personas import user

from ..models import Attendance, Course, Enrolment, TrainingClass
from ..services import training as services
from .factories import make_coordinator, today
from .test_training_pages import scene
from .test_training_services import klass, last_day, snapshot

pytestmark = pytest.mark.django_db


def api(username: str) -> APIClient:
    c = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    c.force_authenticate(user(username))
    return c


def test_classes_are_listed_filtered_and_read_by_every_holder_of_the_view_right():
    c = klass()
    national = klass(kind="national", first=today() - timedelta(days=400), last=today() - timedelta(days=398))
    ids = {r["id"] for r in api("qilin_staff").get("/api/v1/trainings/").json()["results"]}
    assert {c.pk, national.pk} <= ids
    ids = {r["id"] for r in api("coordinator").get("/api/v1/trainings/", {"kind": "national"}).json()["results"]}
    assert national.pk in ids and c.pk not in ids
    ids = {r["id"] for r in api("auditor").get("/api/v1/trainings/", {"year": c.starts_on.year}).json()["results"]}
    assert c.pk in ids and national.pk not in ids or national.starts_on.year == c.starts_on.year
    assert api("prov_admin").get("/api/v1/trainings/", {"kind": "county"}).status_code == 400
    assert api("prov_admin").get("/api/v1/trainings/", {"year": "x"}).status_code == 400
    one = api("wuhua_staff").get(f"/api/v1/trainings/{c.pk}/").json()
    assert one["title"] == c.title and one["region"] == "530000"
    assert api("opo_staff").get("/api/v1/trainings/").status_code == 403


def test_a_class_is_created_through_the_api_by_whoever_may_run_it():
    course = Course.objects.create(
        title="岗位培训", kind="provincial", created_by=user("prov_admin"), created_at=timezone.now()
    )
    body = {
        "course": course.pk,
        "title": "API培训班",
        "organiser": "云南省卫生健康委员会",
        "starts_on": today().isoformat(),
        "ends_on": today().isoformat(),
        "hours": "8",
        "place": "昆明",
        "capacity": 20,
    }
    before = snapshot()
    assert api("kunming_staff").post("/api/v1/trainings/", body, format="json").status_code == 403
    assert api("coordinator").post("/api/v1/trainings/", body, format="json").status_code == 403
    wrong = api("prov_admin").post("/api/v1/trainings/", {**body, "capacity": 0}, format="json")
    assert wrong.status_code == 400
    wrong = api("prov_admin").post(
        "/api/v1/trainings/", {**body, "ends_on": (today() - timedelta(days=1)).isoformat()}, format="json"
    )
    assert wrong.status_code == 400
    assert snapshot() == before
    done = api("prov_admin").post("/api/v1/trainings/", body, format="json")
    assert done.status_code == 201 and done.json()["kind"] == "provincial"
    assert TrainingClass.objects.filter(title="API培训班").count() == 1
    prefecture = api("kunming_staff").post("/api/v1/trainings/", {**body, "kind": "prefecture"}, format="json")
    assert prefecture.status_code == 201 and prefecture.json()["region"] == "530100"


def test_enrolments_through_the_api_scoped_by_the_coordinator_s_area():
    c, _held, _coming, e1, e2 = scene()
    ids = {r["id"] for r in api("qilin_staff").get("/api/v1/training-enrolments/", {"class": c.pk}).json()["results"]}
    assert ids == {e2.pk}
    ids = {r["id"] for r in api("prov_admin").get("/api/v1/training-enrolments/", {"class": c.pk}).json()["results"]}
    assert ids == {e1.pk, e2.pk}
    assert api("qilin_staff").get(f"/api/v1/training-enrolments/{e1.pk}/").status_code == 404
    person = make_coordinator(state="trainee")
    done = api("wuhua_staff").post(
        "/api/v1/training-enrolments/", {"training_class": c.pk, "coordinator": person.pk}, format="json"
    )
    assert done.status_code == 201 and done.json()["nominated_by"] == "RC530102"
    before = snapshot()
    twice = api("prov_admin").post(
        "/api/v1/training-enrolments/", {"training_class": c.pk, "coordinator": person.pk}, format="json"
    )
    assert twice.status_code == 409 and "already enrolled" in twice.json()["detail"]
    out = api("qilin_staff").post(
        "/api/v1/training-enrolments/", {"training_class": c.pk, "coordinator": person.pk}, format="json"
    )
    assert out.status_code == 404
    assert api("auditor").post("/api/v1/training-enrolments/", {}, format="json").status_code == 403
    assert snapshot() == before


def test_results_and_attendance_through_the_api():
    c, held, coming, e1, e2 = scene()
    last_day(c)  # results from the class's last day
    before = snapshot()
    wrong = api("prov_admin").post(f"/api/v1/training-enrolments/{e1.pk}/result/", {"result": "passed", "score": 120})
    assert wrong.status_code == 400
    not_runner = api("wuhua_staff").post(f"/api/v1/training-enrolments/{e1.pk}/result/", {"result": "passed"})
    assert not_runner.status_code == 403
    future = api("prov_admin").post(
        "/api/v1/training-attendance/", {"enrolment": e1.pk, "session": coming.pk, "status": "present"}
    )
    assert future.status_code == 409
    assert snapshot() == before
    done = api("prov_admin").post(f"/api/v1/training-enrolments/{e1.pk}/result/", {"result": "passed", "score": 95})
    assert done.status_code == 200 and done.json()["result"] == "passed"
    ok = api("prov_admin").post(
        "/api/v1/training-attendance/", {"enrolment": e1.pk, "session": held.pk, "status": "late"}
    )
    assert ok.status_code == 201 and Attendance.objects.get(enrolment=e1, session=held).status == "late"
    services.attendance_record(actor=user("prov_admin"), enrolment=e2, session=held, status="present")
    rows = api("wuhua_staff").get("/api/v1/training-attendance/", {"class": c.pk}).json()["results"]
    assert [r["enrolment"] for r in rows] == [e1.pk]
    assert len(api("prov_admin").get("/api/v1/training-attendance/", {"class": c.pk}).json()["results"]) == 2
    assert Enrolment.objects.get(pk=e1.pk).score == 95
