"""Review findings on training: results only from the class's last day and consistent with the
pass mark, no class before 2000, a stale or incomplete edit says why, and enrolments of another
area are 404s written to the audit log."""

from datetime import date

import pytest
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from boai.audit.models import AuditEntry
from boai.core.errors import Conflict, InvalidFields, InvalidInput
from boai.core.tests.personas import user

from ..models import Attendance, Enrolment
from ..services import training as services
from .test_training_pages import scene
from .test_training_services import klass, last_day, refused

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_no_result_while_the_class_is_still_running():
    c, _held, _coming, e1, _e2 = scene()  # began two days ago, ends in two days
    err = refused(Conflict, services.result_record, actor=user("prov_admin"), enrolment=e1, result="passed", score="90")
    assert err.code == "training.result_too_early" and "last day" in str(err.message)
    last_day(e1.training_class)
    done = services.result_record(actor=user("prov_admin"), enrolment=e1, result="passed", score="90")
    assert done.result == "passed"


def test_a_result_agrees_with_the_pass_mark():
    c, _held, _coming, e1, _e2 = scene()
    last_day(e1.training_class)
    assert services.PASS_MARK == 60
    err = refused(
        InvalidInput, services.result_record, actor=user("prov_admin"), enrolment=e1, result="passed", score="30"
    )
    assert "at least 60" in str(err.message)
    refused(InvalidInput, services.result_record, actor=user("prov_admin"), enrolment=e1, result="failed", score="60")
    assert services.result_record(actor=user("prov_admin"), enrolment=e1, result="passed", score="60").score == 60
    assert (
        services.result_record(actor=user("prov_admin"), enrolment=e1, result="failed", score="59.5").result == "failed"
    )


def test_the_api_refuses_a_mid_class_pass_with_a_low_score():
    _c, _held, _coming, e1, _e2 = scene()
    c = APIClient()
    c.force_login(user("prov_admin"))
    response = c.post(f"/api/v1/training-enrolments/{e1.pk}/result/", {"result": "passed", "score": 30})
    assert response.status_code == 409
    assert Enrolment.objects.get(pk=e1.pk).result == Enrolment.Result.PENDING


def test_a_class_before_2000_is_refused():
    with pytest.raises(InvalidFields) as info:
        klass(first=date(1900, 1, 1), last=date(1900, 1, 3))
    assert "2000" in str(info.value.errors)


def test_an_edit_without_the_version_says_what_is_wrong_on_the_form():
    training_class = klass()
    form = {
        "title": "改名的培训班",
        "organiser": training_class.organiser,
        "starts_on": training_class.starts_on.isoformat(),
        "ends_on": training_class.ends_on.isoformat(),
        "hours": "30",
        "place": "大理",
        "capacity": "40",
        "version": "",
    }
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(user("prov_admin"))
    page = c.post(f"/workspace/coordinators/classes/{training_class.pk}/edit/", form)
    assert page.status_code == 200
    assert "This field is required." in page.content.decode()  # the hidden field's error is shown


def test_out_of_scope_enrolments_are_404s_written_to_the_audit_log():
    _c, held, _coming, e1, _e2 = scene()  # e1: a Wuhua (Kunming) trainee
    qilin = APIClient()
    qilin.force_login(user("qilin_staff"))

    def denied():
        return AuditEntry.objects.filter(
            action="security.access.denied", object_type="coordinators.enrolment", object_id=str(e1.pk)
        ).count()

    n = denied()
    assert qilin.get(f"/api/v1/training-enrolments/{e1.pk}/").status_code == 404
    assert denied() == n + 1
    result = qilin.post(f"/api/v1/training-enrolments/{e1.pk}/result/", {"result": "passed", "score": 90})
    assert result.status_code == 404 and denied() == n + 2
    before = Attendance.objects.count()
    response = qilin.post("/api/v1/training-attendance/", {"enrolment": e1.pk, "session": held.pk, "status": "present"})
    assert response.status_code == 404 and denied() == n + 3 and Attendance.objects.count() == before
    enrolments = Enrolment.objects.count()
    nominated = qilin.post(
        "/api/v1/training-enrolments/", {"training_class": e1.training_class_id, "coordinator": e1.coordinator_id}
    )
    assert nominated.status_code == 404 and Enrolment.objects.count() == enrolments
    assert AuditEntry.objects.filter(
        action="security.access.denied", object_type="coordinators.coordinator", object_id=str(e1.coordinator_id)
    ).exists()
