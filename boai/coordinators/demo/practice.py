"""The demo's practice: the 2025 assessments of 杨洁, 李娜, 王磊 and 赵敏, the 2025 awards (杨洁 provincial
excellent coordinator, a hospital staff member's award), and Kunming's on-call roster this week and
next (李娜 and 杨洁). Each part is skipped when it is already there (or its people are not). Written
directly (the demo people's qualifications may be dated after the moment a service would check
them), each with its audit entry."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from boai.accounts.models import User
from boai.audit.services import audit_log
from boai.core.models import Organisation, Region

from ..models import Assessment, Award, Coordinator, OnCallShift

ASSESSMENTS = [
    ("杨洁", "96.5", Assessment.Rating.EXCELLENT, "全年见证捐献案例工作规范，带教新协调员。"),
    ("李娜", "88.0", Assessment.Rating.GOOD, "按时完成州市轮值，案例随访记录完整。"),
    ("王磊", "79.0", Assessment.Rating.PASS, "当年取得资格，参与家属沟通。"),
    ("赵敏", "58.0", Assessment.Rating.FAIL, "资格暂停期间未参与案例工作。"),
]


def _person(name):
    return Coordinator.objects.filter(name=name).select_related("region", "organisation").first()


@transaction.atomic
def load() -> None:
    admin = User.objects.filter(username="prov_admin").first()
    kunming_staff = User.objects.filter(username="kunming_staff").first() or admin
    if admin is None:
        return
    now = timezone.now()
    for name, score, rating, comment in ASSESSMENTS:
        person = _person(name)
        if person is None or Assessment.objects.filter(coordinator=person, year=2025).exists():
            continue
        a = Assessment.objects.create(
            coordinator=person,
            year=2025,
            score=Decimal(score),
            rating=rating,
            assessor=admin,
            comment=comment,
            assessed_on=date(2026, 1, 20),
            recorded_at=now,
        )
        audit_log(action="coordinators.assessment.recorded", actor=admin, obj=a, changes={"year": 2025}, now=now)

    yang = _person("杨洁")
    if yang is not None and not Award.objects.filter(coordinator=yang, year=2025).exists():
        award = Award.objects.create(
            kind=Award.Kind.EXCELLENT_COORDINATOR,
            title="2025年度云南省优秀人体器官捐献协调员",
            year=2025,
            coordinator=yang,
            name=yang.name,
            organisation=yang.organisation,
            region=yang.region,
            document_number="云红发〔2025〕12号",
            awarded_on=date(2025, 12, 18),
            awarded_by="云南省红十字会",
            created_by=admin,
            created_at=now,
        )
        audit_log(action="coordinators.award.recorded", actor=admin, obj=award, changes={"year": 2025}, now=now)
    hospital = Organisation.objects.filter(code="OPO-KMU1").first()
    if hospital is not None and not Award.objects.filter(name="周建华", year=2025).exists():
        award = Award.objects.create(
            kind=Award.Kind.EXCELLENT_HOSPITAL_STAFF,
            title="2025年度云南省人体器官捐献先进工作者",
            year=2025,
            coordinator=None,
            name="周建华",
            organisation=hospital,
            region=hospital.region,
            document_number="云红发〔2025〕12号",
            awarded_on=date(2025, 12, 18),
            awarded_by="云南省红十字会",
            created_by=admin,
            created_at=now,
        )
        audit_log(action="coordinators.award.recorded", actor=admin, obj=award, changes={"year": 2025}, now=now)

    kunming = Region.objects.filter(code="530100").first()
    monday = timezone.localdate(now) - timedelta(days=timezone.localdate(now).weekday())
    for name in ("李娜", "杨洁"):
        person = _person(name)
        if person is None or kunming is None or OnCallShift.objects.filter(coordinator=person).exists():
            continue
        for start in (monday, monday + timedelta(days=7)):
            shift = OnCallShift.objects.create(
                region=kunming,
                coordinator=person,
                starts_on=start,
                ends_on=start + timedelta(days=6),
                note="昆明市器官捐献协调员轮值",
                created_by=kunming_staff,
                created_at=now,
            )
            audit_log(action="coordinators.shift.added", actor=kunming_staff, obj=shift, now=now)
