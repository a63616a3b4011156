"""Demo training: two courses; the 45th national class of 2025 (中国人体器官捐献管理中心, Beijing) that
王磊 and 杨洁 attended and passed; this year's provincial class (云南省卫生健康委员会) with three sessions
around today, 陈晨 and 李娜 enrolled, attendance kept for the sessions already held. Written through
the services (the people come from ``demo.people``; a missing one is left out)."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from boai.accounts.models import User

from ..models import Coordinator, TrainingClass
from ..services import training as services


def _account(username: str) -> User:
    accounts = User.objects.select_related("organization__region")
    return accounts.filter(username=username).first() or accounts.get(username="prov_admin")


def _person(name: str) -> Coordinator | None:
    return Coordinator.objects.filter(name=name).first()


def load() -> None:
    if TrainingClass.objects.exists():
        return
    province = _account("prov_admin")
    branch = _account("kunming_staff")  # the Kunming branch nominates its people to the provincial class
    national_course = services.course_create(
        actor=province,
        title="全国人体器官捐献协调员培训",
        kind="national",
        description="中国人体器官捐献管理中心组织的协调员资格培训，考核合格者可申请协调员资格。",
    )
    provincial_course = services.course_create(
        actor=province,
        title="云南省人体器官捐献协调员培训",
        kind="provincial",
        description="全省协调员的岗位培训与继续教育：政策法规、捐献流程、沟通技巧。",
    )
    # the national class of 2025, over; nominated before it ended, results recorded after
    national = services.class_create(
        actor=province,
        course=national_course,
        title="第45期全国人体器官捐献协调员培训班",
        organiser="中国人体器官捐献管理中心",
        starts_on=date(2025, 6, 16),
        ends_on=date(2025, 6, 20),
        hours="40",
        place="北京",
        capacity=120,
    )
    nominated = timezone.make_aware(datetime(2025, 5, 20, 10, 0))
    for name, score in (("王磊", "92"), ("杨洁", "88")):
        person = _person(name)
        if person is None:
            continue
        enrolment = services.enrol(actor=province, training_class=national, coordinator=person, now=nominated)
        services.result_record(actor=province, enrolment=enrolment, result="passed", score=score)

    # this year's provincial class: three sessions around today (kept inside the year)
    today = timezone.localdate()
    first = max(date(today.year, 1, 1), today - timedelta(days=2))
    last = min(date(today.year, 12, 31), today + timedelta(days=2))
    provincial = services.class_create(
        actor=province,
        course=provincial_course,
        title="云南省人体器官捐献协调员培训班",
        organiser="云南省卫生健康委员会",
        starts_on=first,
        ends_on=last,
        hours="24",
        place="昆明",
        capacity=60,
    )
    topics = ("人体器官捐献政策法规", "捐献流程与见证", "与家属沟通的技巧")
    sessions = [
        services.session_add(actor=province, training_class=provincial, day=day, topic=topic, hours="6")
        for day, topic in zip((first, today, last), topics, strict=True)
    ]
    for name in ("陈晨", "李娜"):
        person = _person(name)
        if person is None:
            continue
        nominator = branch if person.region_id.startswith("5301") else province
        enrolment = services.enrol(actor=nominator, training_class=provincial, coordinator=person)
        for session in sessions:
            if session.day <= today:
                status = "late" if (name, session.day) == ("李娜", today) else "present"
                services.attendance_record(actor=province, enrolment=enrolment, session=session, status=status)
