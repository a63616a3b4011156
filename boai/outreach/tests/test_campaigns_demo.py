"""The demo's campaigns: the 2025 season with about 60 registrations attributed over many days and every
prefecture (the registry's demo ones first), events of its dates joined to it, the 2026 one; once only."""

from datetime import date

import pytest

from boai.core.tests.personas import user
from boai.registry.models import Registration

from ..demo import campaigns as demo
from ..models import Campaign
from ..selectors import campaigns as selectors
from .factories import make_event

pytestmark = pytest.mark.django_db


def test_the_demo_season_has_registrations_over_days_prefectures_and_channels():
    event = make_event(starts_on=date(2025, 5, 8), region="530102")
    assert demo.load() is True
    season = Campaign.objects.get(code="yunling-2025")
    assert (season.title, season.starts_on, season.ends_on, season.region_id) == (
        "云岭同心·边疆聚力·生命传递",
        date(2025, 3, 1),
        date(2025, 12, 31),
        "530000",
    )
    assert Campaign.objects.filter(code="shengming-2026").exists()
    event.refresh_from_db()
    assert event.campaign == season
    data = selectors.breakdowns(user=user("prov_admin"), campaign=season)
    assert data["total"] == demo.ATTRIBUTED == Registration.objects.exclude(campaign="").count()
    assert len(data["days"]) > 30 and all(n > 0 for _r, n in data["prefectures"])
    assert sum(1 for _v, _l, n in data["channels"] if n) >= 3
    assert demo.load() is False  # once only
