"""The demo's practice: 2025 assessments of the four demo coordinators, 杨洁's provincial excellent
coordinator award and a hospital staff award, and Kunming's on-call roster this week and next."""

from datetime import timedelta

import pytest

from boai.core.tests.personas import user

from ..demo import practice
from ..models import Assessment, Award, Coordinator, OnCallShift
from ..selectors.practice import week_start
from .factories import make_coordinator, make_qualified, today

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_assessments_awards_and_kunmings_roster():
    if not Coordinator.objects.filter(name="杨洁").exists():  # without the people's demo: make them
        make_qualified(name="杨洁", region="530000", account=user("coordinator"))
        make_qualified(name="李娜", region="530100", valid_until=today() + timedelta(days=45))
        make_qualified(name="王磊", region="530102", organisation="OPO-KMU1")
        make_coordinator(name="赵敏", region="530302", state=Coordinator.State.SUSPENDED)
        practice.load()
    assert set(Assessment.objects.filter(year=2025).values_list("coordinator__name", flat=True)) >= {
        "杨洁",
        "李娜",
        "王磊",
        "赵敏",
    }
    award = Award.objects.get(coordinator__name="杨洁", kind=Award.Kind.EXCELLENT_COORDINATOR, year=2025)
    assert award.document_number == "云红发〔2025〕12号"
    assert Award.objects.filter(year=2025, coordinator__isnull=True).exists()
    monday = week_start(today())
    for week in (monday, monday + timedelta(days=7)):
        names = set(
            OnCallShift.objects.filter(region_id="530100", starts_on__lte=week, ends_on__gte=week).values_list(
                "coordinator__name", flat=True
            )
        )
        assert names >= {"李娜", "杨洁"}
