"""Training through its services: every step, and every wrong step refused with nothing written."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from boai.audit.models import AuditEntry
from boai.core.errors import Conflict, InvalidFields, InvalidInput, NotAllowed
from boai.core.tests.personas import user

from ..models import Attendance, ClassSession, Coordinator, Course, Enrolment, TrainingClass
from ..services import training as services
from .factories import make_coordinator, make_qualified, today

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):  # the refusals' wording is checked in English
        yield


def snapshot():
    return (
        Course.objects.count(),
        list(TrainingClass.objects.order_by("id").values_list("title", "hours", "capacity", "starts_on", "version")),
        ClassSession.objects.count(),
        list(Enrolment.objects.order_by("id").values_list("result", "score", "certificate_number")),
        list(Attendance.objects.order_by("id").values_list("status")),
        AuditEntry.objects.exclude(action__startswith="security.").count(),  # refusals of access are logged, by design
    )


def course(kind="provincial"):
    return services.course_create(actor=user("prov_admin"), title="协调员岗位培训", kind=kind)


def klass(actor="prov_admin", kind="provincial", first=None, last=None, hours="24", capacity=30):
    first = first or today() - timedelta(days=2)
    last = last or today() + timedelta(days=2)
    return services.class_create(
        actor=user(actor),
        course=course(kind if kind != "prefecture" else "provincial"),
        kind=kind,
        title="测试培训班",
        organiser="云南省卫生健康委员会",
        starts_on=first,
        ends_on=last,
        hours=hours,
        place="昆明",
        capacity=capacity,
    )


def refused(exc_type, fn, **kwargs):
    before = snapshot()
    with pytest.raises(exc_type) as info:
        fn(**kwargs)
    assert snapshot() == before, "a refused step wrote something"
    return info.value


# --- courses and classes ---------------------------------------------------------------------------


def test_a_course_is_added_and_audited():
    c = course()
    assert c.kind == "provincial"
    assert AuditEntry.objects.filter(action="coordinators.course.created", object_id=str(c.pk)).exists()


def test_a_course_needs_a_title_and_a_known_kind():
    refused(InvalidInput, services.course_create, actor=user("prov_admin"), title="  ", kind="provincial")
    refused(InvalidInput, services.course_create, actor=user("prov_admin"), title="x", kind="county")
    refused(NotAllowed, services.course_create, actor=user("coordinator"), title="x", kind="provincial")


def test_the_province_runs_national_and_provincial_classes():
    c = klass()
    assert c.region_id == "530000" and c.version == 1
    assert AuditEntry.objects.filter(action="coordinators.class.created", object_id=str(c.pk)).exists()
    assert klass(kind="national").region_id == "530000"


def test_a_prefecture_branch_runs_a_class_for_its_own_prefecture_only():
    assert klass(actor="kunming_staff", kind="prefecture").region_id == "530100"
    base = course()
    args = dict(
        course=base,
        title="x",
        organiser="昆明市红十字会",
        starts_on=today(),
        ends_on=today(),
        hours="8",
        place="昆明",
        capacity=10,
    )
    e = refused(NotAllowed, services.class_create, actor=user("kunming_staff"), kind="provincial", **args)
    assert "provincial branch" in str(e.message)
    refused(NotAllowed, services.class_create, actor=user("kunming_staff"), kind="national", **args)
    refused(NotAllowed, services.class_create, actor=user("prov_admin"), kind="prefecture", **args)
    refused(NotAllowed, services.class_create, actor=user("wuhua_staff"), kind="prefecture", **args)  # a county
    refused(NotAllowed, services.class_create, actor=user("auditor"), kind="provincial", **args)


def test_a_class_with_wrong_dates_hours_and_capacity_is_refused_naming_each():
    e = refused(
        InvalidFields,
        services.class_create,
        actor=user("prov_admin"),
        course=course(),
        title="x",
        organiser="y",
        starts_on=today(),
        ends_on=today() - timedelta(days=1),
        hours="0",
        place="昆明",
        capacity=0,
    )
    assert set(e.errors) == {"ends_on", "hours", "capacity"}
    refused(
        InvalidFields,
        services.class_create,
        actor=user("prov_admin"),
        course=course(),
        title="",
        organiser="",
        starts_on=None,
        ends_on=today(),
        hours="abc",
        place="",
        capacity=5,
    )


def edit_args(c, **changes):
    return {
        "title": c.title,
        "organiser": c.organiser,
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
        "hours": c.hours,
        "place": c.place,
        "capacity": c.capacity,
        "version": c.version,
        **changes,
    }


def test_a_class_is_edited_by_its_runner_and_a_stale_edit_is_refused():
    c = klass()
    changed = services.class_update(actor=user("prov_admin"), training_class=c, **edit_args(c, place="大理"))
    assert changed.place == "大理" and changed.version == 2
    entry = AuditEntry.objects.get(action="coordinators.class.changed")
    assert entry.changes == {"place": ["昆明", "大理"]}
    refused(Conflict, services.class_update, actor=user("prov_admin"), training_class=c, **edit_args(c, version=1))
    refused(
        NotAllowed,
        services.class_update,
        actor=user("kunming_staff"),
        training_class=changed,
        **edit_args(changed, place="x"),
    )


def test_an_edit_keeps_the_sessions_and_the_enrolled_inside_the_class():
    c = klass(hours="10", capacity=2)
    services.session_add(actor=user("prov_admin"), training_class=c, day=c.starts_on, topic="法规", hours="6")
    services.enrol(actor=user("prov_admin"), training_class=c, coordinator=make_coordinator(state="trainee"))
    services.enrol(actor=user("prov_admin"), training_class=c, coordinator=make_coordinator(state="trainee"))
    c.refresh_from_db()
    e = refused(
        InvalidFields,
        services.class_update,
        actor=user("prov_admin"),
        training_class=c,
        **edit_args(c, starts_on=c.starts_on + timedelta(days=1), hours="5", capacity=1),
    )
    assert set(e.errors) == {"starts_on", "hours", "capacity"}


# --- sessions --------------------------------------------------------------------------------------


def test_sessions_lie_within_the_class_and_within_its_hours():
    c = klass(hours="12")
    s = services.session_add(actor=user("prov_admin"), training_class=c, day=c.starts_on, topic="法规", hours="8")
    assert s.hours == Decimal("8.0")
    e = refused(
        InvalidFields,
        services.session_add,
        actor=user("prov_admin"),
        training_class=c,
        day=c.ends_on + timedelta(days=1),
        topic="沟通",
        hours="2",
    )
    assert "within the class's dates" in e.errors["day"][0]
    e = refused(
        InvalidFields,
        services.session_add,
        actor=user("prov_admin"),
        training_class=c,
        day=c.ends_on,
        topic="x",
        hours="5",
    )
    assert "more than the class's 12.0 hours" in e.errors["hours"][0]
    refused(
        InvalidFields,
        services.session_add,
        actor=user("prov_admin"),
        training_class=c,
        day=c.ends_on,
        topic="",
        hours="0",
    )
    refused(
        NotAllowed,
        services.session_add,
        actor=user("kunming_staff"),
        training_class=c,
        day=c.ends_on,
        topic="x",
        hours="1",
    )


# --- enrolment -------------------------------------------------------------------------------------


def test_a_branch_nominates_a_coordinator_of_its_area():
    c = klass()
    person = make_coordinator(state="trainee")  # Wuhua
    e = services.enrol(actor=user("wuhua_staff"), training_class=c, coordinator=person)
    assert e.nominated_by.code == "RC530102" and e.result == "pending"
    created = AuditEntry.objects.filter(action="coordinators.enrolment.created", changes__class=c.pk)
    assert list(created.values_list("object_id", flat=True)) == [str(e.pk)]


def test_enrolling_someone_twice_in_a_class_is_refused():
    c = klass()
    person = make_qualified()
    services.enrol(actor=user("prov_admin"), training_class=c, coordinator=person)
    e = refused(Conflict, services.enrol, actor=user("wuhua_staff"), training_class=c, coordinator=person)
    assert e.code == "training.enrolled_twice" and person.name in str(e.message)


def test_a_full_class_and_an_ended_class_take_nobody():
    full = klass(capacity=1)
    services.enrol(actor=user("prov_admin"), training_class=full, coordinator=make_coordinator(state="trainee"))
    e = refused(
        Conflict,
        services.enrol,
        actor=user("prov_admin"),
        training_class=full,
        coordinator=make_coordinator(state="trainee"),
    )
    assert e.code == "training.class_full"
    ended = klass(first=today() - timedelta(days=10), last=today() - timedelta(days=1))
    e = refused(
        Conflict,
        services.enrol,
        actor=user("prov_admin"),
        training_class=ended,
        coordinator=make_coordinator(state="trainee"),
    )
    assert e.code == "training.class_ended"


@pytest.mark.parametrize("state", ["rejected", "revoked", "left", "suspended"])
def test_only_trainees_qualified_and_applicants_are_nominated(state):
    c = klass()
    e = refused(
        Conflict, services.enrol, actor=user("prov_admin"), training_class=c, coordinator=make_coordinator(state=state)
    )
    assert e.code == "training.not_nominable"


def test_a_branch_cannot_nominate_outside_its_area_nor_to_another_prefectures_class():
    c = klass()
    qilin_person = make_coordinator(region="530302", state="trainee")
    e = refused(NotAllowed, services.enrol, actor=user("wuhua_staff"), training_class=c, coordinator=qilin_person)
    assert e.code == "training.out_of_area"
    refused(NotAllowed, services.enrol, actor=user("auditor"), training_class=c, coordinator=qilin_person)
    kunming_class = klass(actor="kunming_staff", kind="prefecture")
    e = refused(
        Conflict, services.enrol, actor=user("prov_admin"), training_class=kunming_class, coordinator=qilin_person
    )
    assert e.code == "training.other_prefecture"


# --- attendance ------------------------------------------------------------------------------------


def last_day(training_class):
    """Move the class's last day to today: its results may be recorded from then."""
    TrainingClass.objects.filter(pk=training_class.pk).update(ends_on=today())
    training_class.ends_on = today()


def held_class():
    """A class that began two days ago: a session held yesterday and one tomorrow, one enrolment."""
    c = klass()
    held = services.session_add(
        actor=user("prov_admin"), training_class=c, day=today() - timedelta(days=1), topic="法规", hours="6"
    )
    coming = services.session_add(
        actor=user("prov_admin"), training_class=c, day=today() + timedelta(days=1), topic="沟通", hours="6"
    )
    e = services.enrol(actor=user("prov_admin"), training_class=c, coordinator=make_coordinator(state="trainee"))
    return c, held, coming, e


def test_attendance_is_recorded_once_and_a_correction_replaces_it():
    _c, held, _coming, e = held_class()
    a = services.attendance_record(actor=user("prov_admin"), enrolment=e, session=held, status="absent")
    again = services.attendance_record(actor=user("prov_admin"), enrolment=e, session=held, status="excused")
    assert again.pk == a.pk and Attendance.objects.get(enrolment=e, session=held).status == "excused"
    corrected = AuditEntry.objects.get(action="coordinators.attendance.corrected", object_id=str(a.pk))
    assert corrected.changes == {"status": ["absent", "excused"]}


def test_attendance_beyond_the_class_s_dates_or_in_the_future_is_refused():
    c, held, coming, e = held_class()
    err = refused(
        Conflict, services.attendance_record, actor=user("prov_admin"), enrolment=e, session=coming, status="present"
    )
    assert err.code == "training.attendance_future"
    TrainingClass.objects.filter(pk=c.pk).update(starts_on=today())  # the session now lies before the class
    e.training_class.refresh_from_db()
    err = refused(
        Conflict, services.attendance_record, actor=user("prov_admin"), enrolment=e, session=held, status="present"
    )
    assert err.code == "training.attendance_outside"


def test_attendance_needs_a_known_status_a_session_of_the_class_and_the_runner():
    _c, held, _coming, e = held_class()
    other = klass()
    other_session = services.session_add(
        actor=user("prov_admin"), training_class=other, day=other.starts_on, topic="x", hours="1"
    )
    refused(
        InvalidInput, services.attendance_record, actor=user("prov_admin"), enrolment=e, session=held, status="asleep"
    )
    refused(
        InvalidInput,
        services.attendance_record,
        actor=user("prov_admin"),
        enrolment=e,
        session=other_session,
        status="present",
    )
    refused(
        NotAllowed, services.attendance_record, actor=user("wuhua_staff"), enrolment=e, session=held, status="present"
    )


# --- results and the certificate -----------------------------------------------------------------------


def test_a_result_is_recorded_on_the_last_day_with_a_score_from_0_to_100():
    _c, _held, _coming, e = held_class()
    last_day(e.training_class)
    done = services.result_record(actor=user("prov_admin"), enrolment=e, result="passed", score="86.5")
    assert (done.result, done.score) == ("passed", Decimal("86.5"))
    refused(InvalidInput, services.result_record, actor=user("prov_admin"), enrolment=e, result="failed", score="101")
    refused(InvalidInput, services.result_record, actor=user("prov_admin"), enrolment=e, result="failed", score="-1")
    refused(InvalidInput, services.result_record, actor=user("prov_admin"), enrolment=e, result="absent", score="50")
    refused(InvalidInput, services.result_record, actor=user("prov_admin"), enrolment=e, result="pending")
    refused(NotAllowed, services.result_record, actor=user("wuhua_staff"), enrolment=e, result="failed", score="10")


def test_no_result_before_the_class_begins():
    c = klass(first=today() + timedelta(days=3), last=today() + timedelta(days=5))
    e = services.enrol(actor=user("prov_admin"), training_class=c, coordinator=make_coordinator(state="trainee"))
    err = refused(Conflict, services.result_record, actor=user("prov_admin"), enrolment=e, result="passed", score="90")
    assert err.code == "training.result_too_early"


def test_the_certificate_number_is_given_on_the_first_print_only_for_a_pass():
    _c, _held, _coming, e = held_class()
    last_day(e.training_class)
    err = refused(Conflict, services.certificate_printed, actor=user("prov_admin"), enrolment=e)
    assert err.code == "training.certificate_not_passed"
    services.result_record(actor=user("prov_admin"), enrolment=e, result="passed", score="90")
    first = services.certificate_printed(actor=user("prov_admin"), enrolment=e)
    assert first.certificate_number == f"YNXT{e.training_class.starts_on.year}{e.pk:06d}"
    second = services.certificate_printed(actor=user("wuhua_staff"), enrolment=e)
    assert second.certificate_number == first.certificate_number
    assert AuditEntry.objects.filter(action="coordinators.training.certificate_printed").count() == 2
    # once printed, the pass stands
    refused(Conflict, services.result_record, actor=user("prov_admin"), enrolment=e, result="failed", score="10")
    other = services.enrol(actor=user("prov_admin"), training_class=e.training_class, coordinator=make_qualified())
    services.result_record(actor=user("prov_admin"), enrolment=other, result="passed", score="70")
    assert (
        services.certificate_printed(actor=user("prov_admin"), enrolment=other).certificate_number
        != first.certificate_number
    )
    assert Coordinator.objects.filter(enrolments__certificate_number=first.certificate_number).count() == 1
