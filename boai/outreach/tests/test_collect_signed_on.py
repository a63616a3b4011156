"""An entry taken offline at an event counts on the day the person signed (Beijing), however late
the phone syncs it."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from boai.core.fields import index_for
from boai.core.figures import figure
from boai.core.tests.personas import user
from boai.registry.models import Registration

from ..services import collect as services
from .collect_helpers import entry, person
from .factories import make_event

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_an_entry_signed_at_23_50_on_31_december_and_synced_on_2_january_counts_in_the_old_year():
    event = make_event(region="530102", title="跨年登记", starts_on=date(2025, 12, 31))
    registrations = figure("registry.registrations")
    before = registrations.count(2025, "53"), registrations.count(2026, "53")
    signed = datetime(2025, 12, 31, 23, 50, tzinfo=SHANGHAI)  # 15:50 UTC: the same day in either zone
    synced = datetime(2026, 1, 2, 10, 0, tzinfo=SHANGHAI)
    item = entry(collected_at=signed, person=person(seq="81"))
    [result] = services.collected_sync(event=event, actor=user("wuhua_staff"), entries=[item], now=synced)
    assert result["state"] == "landed", result
    reg = Registration.objects.get(number=result["number"])
    assert reg.signed_on == date(2025, 12, 31) and timezone.localtime(reg.registered_at) == synced
    assert (registrations.count(2025, "53"), registrations.count(2026, "53")) == (before[0] + 1, before[1])


def test_an_entry_signed_at_00_20_on_1_january_beijing_counts_in_the_new_year():
    event = make_event(region="530102", title="跨年登记", starts_on=date(2025, 12, 31), ends_on=date(2026, 1, 1))
    signed = datetime(2026, 1, 1, 0, 20, tzinfo=SHANGHAI)  # still 31 December in UTC
    item = entry(collected_at=signed.astimezone(ZoneInfo("UTC")), person=person(seq="83"))
    now = datetime(2026, 1, 2, 10, 0, tzinfo=SHANGHAI)
    [result] = services.collected_sync(event=event, actor=user("wuhua_staff"), entries=[item], now=now)
    assert Registration.objects.get(number=result["number"]).signed_on == date(2026, 1, 1)


def test_an_entry_signed_before_the_person_turned_18_is_returned_and_not_registered(english):
    event = make_event(region="530102", title="跨年登记", starts_on=date(2025, 12, 31))
    minor = person(seq="85", born=date(2008, 1, 1))  # 18 on 1 January 2026
    item = entry(collected_at=datetime(2025, 12, 31, 20, 0, tzinfo=SHANGHAI), person=minor)
    now = datetime(2026, 1, 2, 10, 0, tzinfo=SHANGHAI)
    [result] = services.collected_sync(event=event, actor=user("wuhua_staff"), entries=[item], now=now)
    assert result["state"] == "returned" and "under 18" in result["reason"]
    assert not Registration.objects.filter(id_number_index=index_for("id_number", minor["id_number"])).exists()
