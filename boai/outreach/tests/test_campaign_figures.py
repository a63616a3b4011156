"""``outreach.campaign_registrations``: the registrations attributed to a campaign or an event, counted
by the day they were signed (a paper form entered in January counts in the December it was signed), from
the registry's tally — the same number as ``registrations_by("campaign", ...)``, which the statistics
dashboard's campaign breakdown shows — by region prefix; a code that is no campaign's or event's adds
nothing."""

from datetime import date, datetime, timedelta
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from boai.core.figures import figure
from boai.core.models import Region
from boai.registry.models import Registration
from boai.registry.selectors import registrations_by
from boai.registry.tally import tally_add
from boai.registry.tests.helpers import resident_id

from ..figures import campaign_registrations
from .factories import make_campaign, make_event

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")
_n = count(500)


def _registration(code: str, *, signed_on: date, entered: datetime, region: str = "530102") -> Registration:
    n = next(_n)
    born = date(1960, 1, 1) + timedelta(days=n)
    reg = Registration.objects.create(
        number=f"YNF{n:09d}",
        name="测试",
        sex="F",
        id_type="resident_id",
        id_number=resident_id(region=region, born=born, seq=f"{n % 100:02d}"),
        birth_date=born,
        phone="13800001111",
        region=Region.objects.get(code=region),
        campaign=code,
        channel="paper",
        registered_at=entered,
        signed_on=signed_on,
    )
    tally_add([reg])
    return reg


def test_a_registration_counts_in_the_year_it_was_signed_not_the_year_it_was_entered():
    campaign = make_campaign(code="winter-drive")
    # signed on paper on 20 December, typed in on 5 January
    _registration("winter-drive", signed_on=date(2025, 12, 20), entered=datetime(2026, 1, 5, 10, tzinfo=BEIJING))
    # signed online late on 31 December, Beijing time (16:30 UTC): still 2025
    _registration("winter-drive", signed_on=date(2025, 12, 31), entered=datetime(2025, 12, 31, 23, 30, tzinfo=BEIJING))
    assert campaign_registrations(2025, "53") == 2
    assert campaign_registrations(2026, "53") == 0
    assert figure("outreach.campaign_registrations").count(2025, "53") == 2
    assert campaign.code == "winter-drive"


def test_it_is_the_dashboards_campaign_breakdown_restricted_to_campaigns_and_events():
    make_campaign(code="spring")
    event = make_event(region="530302", created_by="qilin_staff")
    at = datetime(2025, 6, 1, 10, tzinfo=BEIJING)
    for code, region in [("spring", "530102"), ("spring", "530302"), (event.code, "530302")]:
        _registration(code, signed_on=date(2025, 6, 1), entered=at, region=region)
    _registration("no-such-campaign", signed_on=date(2025, 6, 1), entered=at)  # not outreach's: not counted
    _registration("", signed_on=date(2025, 6, 1), entered=at)  # not attributed at all
    breakdown = registrations_by("campaign", 2025, "53")
    assert breakdown["spring"] == 2 and breakdown[event.code] == 1 and breakdown["no-such-campaign"] == 1
    assert campaign_registrations(2025, "53") == 3 == breakdown["spring"] + breakdown[event.code]
    assert campaign_registrations(2025, "5303") == 2
    assert campaign_registrations(2025, "530102") == 1
    assert campaign_registrations(2025, "5325") == 0


def test_it_reads_the_tally_not_the_registration_table():
    make_campaign(code="tally-read")
    _registration("tally-read", signed_on=date(2025, 3, 3), entered=datetime(2025, 3, 3, 9, tzinfo=BEIJING))
    with CaptureQueriesContext(connection) as queries:
        assert campaign_registrations(2025, "53") == 1
    assert not any('"registry_registration"' in q["sql"] for q in queries.captured_queries)
