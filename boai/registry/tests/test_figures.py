"""The registry's published figure counts registrations by the Beijing-time year they were made."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from boai.core.figures import figure, figures
from boai.core.tests.personas import user
from boai.registry.models import Registration
from boai.registry.notices import CURRENT
from boai.registry.services import PersonData, registration_create
from boai.registry.tests.helpers import resident_id

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def register(seq: str, when: datetime, region="530102"):
    return registration_create(
        actor=user("prov_admin"),
        channel="paper",
        consent_version=CURRENT,
        now=when,
        data=PersonData(
            name="年界测试",
            id_type="resident_id",
            id_number=resident_id(region=region, seq=seq),
            phone="13800009999",
            region_code=region,
            organs=["all"],
        ),
    )


def test_every_app_figure_is_collected_under_its_own_code():
    assert {"registry.registrations", "cases.organ_donations", "cases.beneficiaries", "cases.body_donations"} <= set(
        figures()
    )


def test_the_demo_registrations_are_counted_in_the_year_they_were_made():
    made_in_2025 = sum(1 for r in Registration.objects.all() if r.registered_at.astimezone(SHANGHAI).year == 2025)
    assert made_in_2025 == 12
    assert figure("registry.registrations").count(2025, "53") == made_in_2025


def test_half_past_midnight_on_new_years_day_in_beijing_belongs_to_the_new_year():
    before_2026 = figure("registry.registrations").count(2026, "53")
    register("31", datetime(2026, 1, 1, 0, 30, tzinfo=SHANGHAI))  # 2025-12-31 16:30 UTC
    assert figure("registry.registrations").count(2026, "53") == before_2026 + 1
    assert figure("registry.registrations").count(2025, "53") == 12


def test_a_prefecture_counts_only_its_own_counties():
    register("33", datetime(2025, 6, 1, 10, 0, tzinfo=SHANGHAI), region="530302")
    made_in_2025 = [r for r in Registration.objects.all() if timezone.localtime(r.registered_at).year == 2025]
    in_qujing = sum(1 for r in made_in_2025 if r.region_id.startswith("5303"))
    assert figure("registry.registrations").count(2025, "5303") == in_qujing
    in_kunming = sum(1 for r in made_in_2025 if r.region_id.startswith("5301"))
    assert figure("registry.registrations").count(2025, "5301") == in_kunming < 13
