"""Training pages: the lists, a class with its roster and attendance, the forms and their refusals,
the two Excel files (opened and read), the training certificate PDF (its text) and the section on
the coordinator's page."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from boai.audit.models import AuditEntry
from boai.core.tests.personas import user

from ..models import Attendance, ClassSession, Course, Enrolment, TrainingClass
from ..selectors import training as selectors
from ..services import training as services
from .factories import make_coordinator, make_qualified, today
from .test_training_services import klass, last_day, snapshot

pytestmark = pytest.mark.django_db


def client(username: str) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(user(username))
    return c


def text(response) -> str:
    return response.content.decode()


def scene():
    """A provincial class that began two days ago with a session held yesterday and one tomorrow, a
    Wuhua trainee and a Qilin qualified coordinator enrolled."""
    c = klass()
    held = services.session_add(
        actor=user("prov_admin"), training_class=c, day=today() - timedelta(days=1), topic="政策法规", hours="6"
    )
    coming = services.session_add(
        actor=user("prov_admin"), training_class=c, day=today() + timedelta(days=1), topic="沟通技巧", hours="4"
    )
    wuhua = make_coordinator(name="陈小晨", state="trainee")
    qilin = make_qualified(name="赵小敏", region="530302")
    e1 = services.enrol(actor=user("prov_admin"), training_class=c, coordinator=wuhua)
    e2 = services.enrol(actor=user("prov_admin"), training_class=c, coordinator=qilin)
    return c, held, coming, e1, e2


def test_every_holder_of_the_view_right_sees_the_classes_with_filters():
    c = klass()
    national = klass(kind="national")
    TrainingClass.objects.filter(pk=national.pk).update(title="第45期全国培训班", organiser="中国人体器官捐献管理中心")
    for who in ("coordinator", "auditor", "qilin_staff", "wuhua_staff"):
        page = text(client(who).get("/workspace/coordinators/classes/"))
        assert c.title in page and "第45期全国培训班" in page
    page = text(client("prov_admin").get("/workspace/coordinators/classes/", {"kind": "national"}))
    assert "第45期全国培训班" in page and f'/classes/{c.pk}/"' not in page
    page = text(client("prov_admin").get("/workspace/coordinators/classes/", {"organiser": "管理中心"}))
    assert "第45期全国培训班" in page and f'/classes/{c.pk}/"' not in page
    page = text(client("prov_admin").get("/workspace/coordinators/classes/", {"year": today().year - 5}))
    assert "第45期全国培训班" not in page
    page = text(client("prov_admin").get("/workspace/coordinators/classes/", {"q": "第45期"}))
    assert "第45期全国培训班" in page and f'/classes/{c.pk}/"' not in page
    assert client("opo_staff").get("/workspace/coordinators/classes/").status_code == 403


def test_a_class_is_created_on_its_page_and_a_wrong_one_is_refused_with_nothing_written():
    base = Course.objects.create(
        title="岗位培训", kind="provincial", created_by=user("prov_admin"), created_at=timezone.now()
    )
    form = {
        "course": base.pk,
        "title": "云南省协调员培训班",
        "organiser": "云南省卫生健康委员会",
        "starts_on": today().isoformat(),
        "ends_on": (today() + timedelta(days=2)).isoformat(),
        "hours": "24",
        "place": "昆明",
        "capacity": "50",
    }
    before = snapshot()
    wrong = client("prov_admin").post(
        "/workspace/coordinators/classes/new/", {**form, "ends_on": (today() - timedelta(days=1)).isoformat()}
    )
    assert wrong.status_code == 200 and "The last day cannot be before the first day." in text(wrong)
    wrong = client("kunming_staff").post("/workspace/coordinators/classes/new/", form)
    assert "provincial branch only" in text(wrong)
    assert (
        client("prov_admin").post("/workspace/coordinators/classes/new/", {**form, "capacity": "0"}).status_code == 200
    )
    assert snapshot() == before
    done = client("prov_admin").post("/workspace/coordinators/classes/new/", form)
    created = TrainingClass.objects.get(title="云南省协调员培训班")
    assert done.status_code == 302 and done["Location"].endswith(f"/classes/{created.pk}/")
    assert client("coordinator").get("/workspace/coordinators/classes/new/").status_code == 403


def test_courses_are_listed_and_added():
    done = client("prov_admin").post(
        "/workspace/coordinators/courses/new/", {"title": "器官捐献见证培训", "kind": "provincial"}
    )
    assert done.status_code == 302
    assert "器官捐献见证培训" in text(client("auditor").get("/workspace/coordinators/courses/"))
    before = snapshot()
    assert (
        client("prov_admin").post("/workspace/coordinators/courses/new/", {"title": "", "kind": "x"}).status_code == 200
    )
    assert snapshot() == before
    assert (
        client("auditor").post("/workspace/coordinators/courses/new/", {"title": "x", "kind": "national"}).status_code
        == 403
    )


def test_the_class_page_shows_the_roster_of_the_reader_s_area_only():
    c, _held, _coming, _e1, _e2 = scene()
    page = text(client("prov_admin").get(f"/workspace/coordinators/classes/{c.pk}/"))
    assert "陈小晨" in page and "赵小敏" in page and "政策法规" in page
    page = text(client("qilin_staff").get(f"/workspace/coordinators/classes/{c.pk}/"))
    assert "赵小敏" in page and "陈小晨" not in page
    assert client("opo_staff").get(f"/workspace/coordinators/classes/{c.pk}/").status_code == 403
    assert client("prov_admin").get("/workspace/coordinators/classes/999999/").status_code == 404


def test_a_branch_enrols_on_the_class_page_and_twice_is_refused():
    c = klass()
    person = make_coordinator(name="孙小悦", state="applicant")
    done = client("wuhua_staff").post(f"/workspace/coordinators/classes/{c.pk}/enrol/", {"coordinator": person.pk})
    assert done.status_code == 302 and Enrolment.objects.filter(coordinator=person).count() == 1
    before = snapshot()
    again = client("kunming_staff").post(f"/workspace/coordinators/classes/{c.pk}/enrol/", {"coordinator": person.pk})
    assert again.status_code == 400  # no longer offered: the form says so
    assert snapshot() == before
    qilin_person = make_coordinator(region="530302", state="trainee")
    out = client("wuhua_staff").post(f"/workspace/coordinators/classes/{c.pk}/enrol/", {"coordinator": qilin_person.pk})
    assert out.status_code == 400 and snapshot() == before


def test_sessions_attendance_and_results_on_the_class_page():
    c, held, coming, e1, e2 = scene()
    admin = client("prov_admin")
    before = snapshot()
    wrong = admin.post(
        f"/workspace/coordinators/classes/{c.pk}/sessions/",
        {"day": (c.ends_on + timedelta(days=3)).isoformat(), "topic": "x", "hours": "1"},
    )
    assert wrong.status_code == 400 and "within the class" in text(wrong)
    assert snapshot() == before
    ok = admin.post(
        f"/workspace/coordinators/classes/{c.pk}/sessions/",
        {"day": c.ends_on.isoformat(), "topic": "案例讨论", "hours": "2"},
    )
    assert ok.status_code == 302 and ClassSession.objects.filter(topic="案例讨论").exists()
    admin.post(
        f"/workspace/coordinators/classes/{c.pk}/sessions/{held.pk}/attendance/",
        {f"status-{e1.pk}": "present", f"status-{e2.pk}": "late"},
    )
    recorded = Attendance.objects.filter(session=held).values_list("enrolment_id", "status")
    assert dict(recorded) == {e1.pk: "present", e2.pk: "late"}
    before = snapshot()
    future = admin.post(
        f"/workspace/coordinators/classes/{c.pk}/sessions/{coming.pk}/attendance/", {f"status-{e1.pk}": "present"}
    )
    assert future.status_code == 302 and snapshot() == before
    page = text(admin.get(future["Location"]))
    assert "still to come" in page
    last_day(e1.training_class)
    done = admin.post(f"/workspace/coordinators/enrolments/{e1.pk}/result/", {"result": "passed", "score": "91"})
    assert done.status_code == 302
    e1.refresh_from_db()
    assert e1.result == "passed" and str(e1.score) == "91.0"
    before = snapshot()
    admin.post(f"/workspace/coordinators/enrolments/{e2.pk}/result/", {"result": "failed", "score": "120"})
    assert snapshot() == before
    # the Wuhua branch does not run the class: it cannot keep its results
    refused = client("wuhua_staff").post(f"/workspace/coordinators/enrolments/{e1.pk}/result/", {"result": "failed"})
    assert refused.status_code == 302 and snapshot() == before
    # nor see the Qilin coordinator's enrolment at all
    assert (
        client("wuhua_staff")
        .post(f"/workspace/coordinators/enrolments/{e2.pk}/result/", {"result": "failed"})
        .status_code
        == 404
    )


def test_the_class_is_edited_on_its_page():
    c = klass()
    page = client("prov_admin").get(f"/workspace/coordinators/classes/{c.pk}/edit/")
    assert page.status_code == 200 and c.title in text(page)
    form = {
        "title": "改名的培训班",
        "organiser": c.organiser,
        "starts_on": c.starts_on.isoformat(),
        "ends_on": c.ends_on.isoformat(),
        "hours": "30",
        "place": "大理",
        "capacity": "40",
        "version": "1",
    }
    assert client("prov_admin").post(f"/workspace/coordinators/classes/{c.pk}/edit/", form).status_code == 302
    before = snapshot()
    stale = client("prov_admin").post(f"/workspace/coordinators/classes/{c.pk}/edit/", {**form, "place": "丽江"})
    assert "Someone changed this class meanwhile" in text(stale) and snapshot() == before
    assert client("kunming_staff").get(f"/workspace/coordinators/classes/{c.pk}/edit/").status_code == 302


def test_the_roster_as_excel():
    c, held, _coming, e1, e2 = scene()
    services.attendance_record(actor=user("prov_admin"), enrolment=e1, session=held, status="present")
    last_day(e1.training_class)
    services.result_record(actor=user("prov_admin"), enrolment=e1, result="passed", score="88")
    before = AuditEntry.objects.filter(action="coordinators.training.exported").count()
    response = client("prov_admin").get(f"/workspace/coordinators/classes/{c.pk}/roster.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Name", "Sex", "Organisation", "Area", "Phone", "Result", "Score", "Hours attended")
    chen = next(r for r in rows if r[0] == "陈小晨")
    assert chen[5] == "Passed" and chen[6] == 88 and chen[7] == 6
    assert "*" in chen[4] and e1.coordinator.phone not in chen[4]  # masked
    assert len(rows) == 3
    assert AuditEntry.objects.filter(action="coordinators.training.exported").count() == before + 1
    # a Qilin reader gets only Qilin's people
    rows = list(
        load_workbook(
            BytesIO(
                b"".join(
                    client("qilin_staff").get(f"/workspace/coordinators/classes/{c.pk}/roster.xlsx").streaming_content
                )
            )
        ).active.iter_rows(values_only=True)
    )
    assert [r[0] for r in rows[1:]] == ["赵小敏"]
    assert client("coordinator").get(f"/workspace/coordinators/classes/{c.pk}/roster.xlsx").status_code == 403


def test_the_sign_in_sheet_has_a_row_per_person_and_a_box_per_session():
    c, held, coming, _e1, _e2 = scene()
    response = client("auditor").get(f"/workspace/coordinators/classes/{c.pk}/sign-in.xlsx")
    rows = list(load_workbook(BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0] == ("No.", "Name", "Organisation", f"{held.day:%m-%d} 政策法规", f"{coming.day:%m-%d} 沟通技巧")
    assert sorted(r[1] for r in rows[1:]) == sorted(["陈小晨", "赵小敏"]) and [r[0] for r in rows[1:]] == [1, 2]
    assert all(cell is None for r in rows[1:] for cell in r[3:])  # empty boxes to sign
    assert AuditEntry.objects.filter(action="coordinators.training.exported", changes__sheet="signin").exists()


def test_the_training_certificate_pdf_for_a_pass():
    c, _held, _coming, e1, e2 = scene()
    last_day(e1.training_class)
    services.result_record(actor=user("prov_admin"), enrolment=e1, result="passed", score="90")
    response = client("wuhua_staff").get(f"/workspace/coordinators/enrolments/{e1.pk}/certificate.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(BytesIO(response.content))
    content = "".join(p.extract_text() for p in reader.pages).replace("\n", "").replace(" ", "")
    e1.refresh_from_db()
    assert e1.certificate_number and e1.certificate_number in content
    for part in ("培训合格证书", "陈小晨", c.title, c.organiser, "24学时", f"{c.starts_on.year}年"):
        assert part in content, part
    assert len(reader.pages) == 1
    # a failed result has no certificate: back to the class with the reason, no number given
    last_day(e2.training_class)
    services.result_record(actor=user("prov_admin"), enrolment=e2, result="failed", score="40")
    before = snapshot()
    refused = client("prov_admin").get(f"/workspace/coordinators/enrolments/{e2.pk}/certificate.pdf")
    assert refused.status_code == 302 and snapshot() == before
    # out of the reader's area: not found
    assert client("wuhua_staff").get(f"/workspace/coordinators/enrolments/{e2.pk}/certificate.pdf").status_code == 404


def test_the_coordinator_s_page_section_lists_the_trainings_and_hours_per_year(english):
    c, held, _coming, e1, _e2 = scene()
    services.attendance_record(actor=user("prov_admin"), enrolment=e1, session=held, status="late")
    national = klass(
        kind="national",
        first=today().replace(year=today().year - 1, day=1),
        last=today().replace(year=today().year - 1, day=2),
        hours="40",
    )
    e_old = Enrolment.objects.create(
        training_class=national,
        coordinator=e1.coordinator,
        nominated_by=user("prov_admin").organization,
        nominated_at=e1.nominated_at,
        created_by=user("prov_admin"),
        result="passed",
        score=90,
    )
    data = selectors.section(coordinator=e1.coordinator, user=user("wuhua_staff"))
    assert [e.pk for e in data["training_rows"]] == [e1.pk, e_old.pk]
    assert [(y["year"], y["classes"], y["hours"]) for y in data["training_years"]] == [
        (c.starts_on.year, 1, 6),
        (national.starts_on.year, 1, 40),  # a class without sessions kept here: its hours on a pass
    ]
    html = render_to_string("coordinators/sections/training.html", data)
    assert c.title in html and "Hours per year" in html
    assert selectors.section(coordinator=e1.coordinator, user=user("qilin_staff"))["training_rows"] == []


def test_a_session_s_attendance_is_saved_whole_or_not_at_all():
    c, held, _coming, e1, e2 = scene()
    admin = client("prov_admin")
    before = snapshot()
    url = f"/workspace/coordinators/classes/{c.pk}/sessions/{held.pk}/attendance/"
    response = admin.post(url, {f"status-{e1.pk}": "present", f"status-{e2.pk}": "asleep"}, follow=True)
    assert "Choose present, late, absent or excused." in text(response) and snapshot() == before
    nothing = admin.post(url, {}, follow=True)
    assert "Choose a status for at least one coordinator." in text(nothing) and snapshot() == before
