"""On PostgreSQL: two staff adding campaigns with the same code at the same moment leave one campaign,
and the other is told the code is taken (not a server error); two editors of one campaign at once: the
second, holding the old version, is refused."""

from datetime import date

import pytest

from boai.core.tests.concurrency import race
from boai.core.tests.personas import user

from ..models import Campaign
from ..services import campaigns as services
from .factories import make_campaign

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def data(**overrides):
    values = dict(
        title="同时新增", code="same-time", starts_on=date(2026, 3, 1), ends_on=date(2026, 6, 30), region="530000"
    )
    return services.CampaignData(**(values | overrides))


def test_two_campaigns_with_one_code_at_once_leave_one(transactional_base_data):
    outcomes = race(
        lambda: services.campaign_create(actor=user("prov_admin"), data=data(title="甲")),
        lambda: services.campaign_create(actor=user("prov_admin"), data=data(title="乙")),
    )
    assert outcomes.count("saved") == 1 and len(outcomes) == 2
    assert Campaign.objects.filter(code="same-time").count() == 1


def test_two_editors_at_once_the_second_is_refused(transactional_base_data):
    campaign = make_campaign(code="two-editors")
    version = campaign.version
    outcomes = race(
        lambda: services.campaign_update(
            campaign=campaign, actor=user("prov_admin"), data=data(code="two-editors", title="甲"), version=version
        ),
        lambda: services.campaign_update(
            campaign=campaign, actor=user("prov_admin"), data=data(code="two-editors", title="乙"), version=version
        ),
    )
    assert outcomes == ["saved", "stale"]
    assert Campaign.objects.get(pk=campaign.pk).version == version + 1
