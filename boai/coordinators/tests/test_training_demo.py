"""The demo training data: the 2025 national class that 王磊 and 杨洁 passed, this year's provincial
class with three sessions, 陈晨 and 李娜 enrolled and the held sessions' attendance."""

import pytest

from boai.core.tests.personas import user

from ..demo import training as demo
from ..models import Attendance, ClassSession, Coordinator, Course, Enrolment, TrainingClass
from ..selectors import training as selectors
from .factories import make_coordinator, make_qualified, today

pytestmark = pytest.mark.django_db

PEOPLE = {  # as demo.people makes them (made here when that part is not loaded)
    "杨洁": dict(region="530000", state="qualified"),
    "李娜": dict(region="530100", state="qualified"),
    "王磊": dict(region="530102", organisation="OPO-KMU1", state="qualified"),
    "陈晨": dict(region="530102", state="trainee"),
}


def fresh_demo():
    for model in (Attendance, Enrolment, ClassSession, TrainingClass, Course):
        model.objects.all().delete()
    for name, kw in PEOPLE.items():
        if Coordinator.objects.filter(name=name).exists():
            continue
        kw = dict(kw)
        if kw.pop("state") == "qualified":
            make_qualified(name=name, **kw)
        else:
            make_coordinator(name=name, state="trainee", **kw)
    demo.load()


def test_the_demo_classes_enrolments_and_attendance():
    fresh_demo()
    national = TrainingClass.objects.get(title="第45期全国人体器官捐献协调员培训班")
    assert (national.kind, national.organiser, national.place, national.starts_on.year) == (
        "national",
        "中国人体器官捐献管理中心",
        "北京",
        2025,
    )
    passed = dict(national.enrolments.values_list("coordinator__name", "result"))
    assert passed == {"王磊": "passed", "杨洁": "passed"}
    provincial = TrainingClass.objects.get(title="云南省人体器官捐献协调员培训班")
    assert provincial.organiser == "云南省卫生健康委员会" and provincial.starts_on.year == today().year
    assert provincial.sessions.count() == 3
    assert set(provincial.enrolments.values_list("coordinator__name", flat=True)) == {"陈晨", "李娜"}
    held = provincial.sessions.filter(day__lte=today()).count()
    assert Attendance.objects.filter(session__training_class=provincial).count() == 2 * held
    # 杨洁's page shows the national class and its 40 hours in 2025
    yang = Coordinator.objects.get(name="杨洁")
    years = selectors.section(coordinator=yang, user=user("prov_admin"))["training_years"]
    assert {"year": 2025, "classes": 1, "hours": 40} in years


def test_the_demo_loads_once():
    fresh_demo()
    count = TrainingClass.objects.count()
    demo.load()
    assert TrainingClass.objects.count() == count == 2
