"""Practice's rows of the permission matrix: the on-call roster, assessments, awards, the overview and
their API. The records: a shift of Kunming (530100) and an assessment (with a scan) and an award of a
Wuhua (530102) coordinator."""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from boai.core.models import Region
from boai.core.services import attachment_store
from boai.core.tests.matrix_rules import EXPORTERS, MANAGERS, VIEWERS, only, scoped
from boai.core.tests.personas import EXPECTED_SCOPE, user

from ..models import Assessment, Award, OnCallShift
from .factories import make_qualified


def _end(role, ctx):
    if role not in MANAGERS:
        return 403
    return 302 if EXPECTED_SCOPE[role] in ("53", "5301") else 404


MATRIX = [
    ("workspace/coordinators/on-call/", "get", "/workspace/coordinators/on-call/", only(VIEWERS), 302),
    ("workspace/coordinators/on-call/new/", "get", "/workspace/coordinators/on-call/new/", only(MANAGERS), 302),
    (
        "workspace/coordinators/on-call/<int:pk>/end/",
        "post",
        "/workspace/coordinators/on-call/{practice_shift.pk}/end/",
        _end,
        302,
    ),
    ("workspace/coordinators/assessments/", "get", "/workspace/coordinators/assessments/", only(VIEWERS), 302),
    ("workspace/coordinators/assessments/new/", "get", "/workspace/coordinators/assessments/new/", only(MANAGERS), 302),
    (
        "workspace/coordinators/assessments/<int:pk>/evidence/<int:attachment_pk>/",
        "get",
        "/workspace/coordinators/assessments/{practice_assessment.pk}/evidence/{practice_scan.pk}/",
        scoped("practice_coordinator"),
        302,
    ),
    ("workspace/coordinators/awards/", "get", "/workspace/coordinators/awards/", only(VIEWERS), 302),
    ("workspace/coordinators/awards/new/", "get", "/workspace/coordinators/awards/new/", only({"prov_admin"}), 302),
    ("workspace/coordinators/overview/", "get", "/workspace/coordinators/overview/", only(VIEWERS), 302),
    (
        "workspace/coordinators/overview/export/",
        "get",
        "/workspace/coordinators/overview/export/",
        only(EXPORTERS),
        302,
    ),
    # the API
    ("api/v1/coordinator-assessments/", "get", "/api/v1/coordinator-assessments/", only(VIEWERS), 401),
    ("api/v1/coordinator-assessments/", "post", "/api/v1/coordinator-assessments/", only(MANAGERS, 400), 401),
    (
        "api/v1/coordinator-assessments/<pk>/",
        "get",
        "/api/v1/coordinator-assessments/{practice_assessment.pk}/",
        scoped("practice_coordinator"),
        401,
    ),
    ("api/v1/coordinator-assessments/export/", "get", "/api/v1/coordinator-assessments/export/", only(EXPORTERS), 401),
    ("api/v1/coordinator-awards/", "get", "/api/v1/coordinator-awards/", only(VIEWERS), 401),
    ("api/v1/coordinator-awards/", "post", "/api/v1/coordinator-awards/", only({"prov_admin"}, 400), 401),
    (
        "api/v1/coordinator-awards/<pk>/",
        "get",
        "/api/v1/coordinator-awards/{practice_award.pk}/",
        scoped("practice_award"),
        401,
    ),
    ("api/v1/coordinator-awards/export/", "get", "/api/v1/coordinator-awards/export/", only(EXPORTERS), 401),
    ("api/v1/on-call-shifts/", "get", "/api/v1/on-call-shifts/", only(VIEWERS), 401),
    ("api/v1/on-call-shifts/", "post", "/api/v1/on-call-shifts/", only(MANAGERS, 400), 401),
    (
        "api/v1/on-call-shifts/<pk>/",
        "get",
        "/api/v1/on-call-shifts/{practice_shift.pk}/",
        scoped("practice_shift"),
        401,
    ),
    ("api/v1/on-call-shifts/export/", "get", "/api/v1/on-call-shifts/export/", only(EXPORTERS), 401),
]


def context(ctx):
    admin = user("prov_admin")
    now = timezone.now()
    today = timezone.localdate()
    wuhua = make_qualified(name="矩阵协调员", region="530102")
    kunming = make_qualified(name="矩阵轮值员", region="530100")
    assessment = Assessment.objects.create(
        coordinator=wuhua,
        year=today.year - 1,
        score=80,
        rating=Assessment.Rating.GOOD,
        assessor=admin,
        assessed_on=today,
        recorded_at=now,
    )
    scan = attachment_store(
        owner=assessment,
        kind="assessment_evidence",
        upload=SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        actor=admin,
    )
    award = Award.objects.create(
        kind=Award.Kind.OTHER,
        year=today.year - 1,
        coordinator=wuhua,
        name=wuhua.name,
        organisation=wuhua.organisation,
        region=wuhua.region,
        document_number="矩阵〔2025〕1号",
        awarded_on=date(today.year - 1, 12, 1),
        awarded_by="云南省红十字会",
        created_by=admin,
        created_at=now,
    )
    shift = OnCallShift.objects.create(
        region=Region.objects.get(code="530100"),
        coordinator=kunming,
        starts_on=today + timedelta(days=400),
        ends_on=today + timedelta(days=406),
        created_by=admin,
        created_at=now,
    )
    return {
        "practice_coordinator": wuhua,
        "practice_assessment": assessment,
        "practice_scan": scan,
        "practice_award": award,
        "practice_shift": shift,
    }
