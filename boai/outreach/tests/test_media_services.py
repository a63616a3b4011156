"""The media reports' services: a report is added and changed with its audit entry; every bad input
(a link that is not http/https, a date more than a day ahead, a negative reach, an event or campaign
or area outside the user's, a stale version) is refused with its field named and nothing written."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from boai.audit.models import AuditEntry
from boai.core.errors import Conflict, InvalidFields, InvalidInput, NotAllowed
from boai.core.tests.personas import user

from ..models import MediaReport
from ..services.media import MediaData, media_create, media_update
from .factories import make_campaign, make_event, make_media

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def data(**over) -> MediaData:
    values = {
        "outlet": "云南日报",
        "title": "五华区器官捐献宣传进社区",
        "url": "https://www.yndaily.com/a/1.html",
        "published_on": date(2025, 5, 9),
        "kind": "news",
        "national": False,
        "reach": 5000,
        "region": "530102",
    }
    return MediaData(**(values | over))


def refused(fn, **kwargs) -> dict:
    """The refusal's fields and messages; asserts that nothing was written."""
    before = (MediaReport.objects.count(), AuditEntry.objects.count())
    with pytest.raises(InvalidFields) as exc:
        fn(**kwargs)
    assert (MediaReport.objects.count(), AuditEntry.objects.count()) == before
    return exc.value.errors


def test_a_report_is_added_with_its_event_and_audited():
    event = make_event(region="530102")
    report = media_create(actor=user("wuhua_staff"), data=data(event=event.pk), now=NOW)
    assert report.event == event and report.region_id == "530102" and report.reach == 5000
    entry = AuditEntry.objects.get(action="outreach.media.created", object_id=str(report.pk))
    assert entry.actor_username == "wuhua_staff"


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>x</script>", "ftp://x.org/a", "www.x"],
)
def test_a_link_that_is_not_a_web_address_is_refused(url, english):
    errors = refused(media_create, actor=user("wuhua_staff"), data=data(url=url), now=NOW)
    assert errors["url"] == ["Give a web address starting with http:// or https://."]


def test_an_empty_link_is_allowed():
    assert media_create(actor=user("wuhua_staff"), data=data(url=""), now=NOW).url == ""


def test_a_date_more_than_a_day_ahead_is_refused_but_tomorrow_is_not(english):
    errors = refused(media_create, actor=user("wuhua_staff"), data=data(published_on=date(2025, 6, 3)), now=NOW)
    assert "later than tomorrow" in errors["published_on"][0]
    assert media_create(actor=user("wuhua_staff"), data=data(published_on=date(2025, 6, 2)), now=NOW)


def test_a_negative_reach_is_refused_and_an_unknown_one_allowed(english):
    errors = refused(media_create, actor=user("wuhua_staff"), data=data(reach=-1), now=NOW)
    assert "0 or more" in errors["reach"][0]
    assert media_create(actor=user("wuhua_staff"), data=data(reach=None), now=NOW).reach is None


def test_an_event_or_campaign_outside_the_area_is_refused(english):
    qilin = make_event(region="530302", created_by="qilin_staff")
    qujing = make_campaign(region="530300", created_by="qilin_staff")
    errors = refused(media_create, actor=user("wuhua_staff"), data=data(event=qilin.pk, campaign=qujing.pk), now=NOW)
    assert errors["event"] == ["Choose a publicity event of your area, or none."]
    assert errors["campaign"] == ["Choose a campaign of your area, or none."]


def test_a_campaign_of_the_province_may_be_linked_by_a_county(english):
    """A province campaign runs in every county: a county's report on it links to it."""
    province = make_campaign(region="530000")
    report = media_create(actor=user("wuhua_staff"), data=data(campaign=province.pk), now=NOW)
    assert report.campaign == province


def test_an_area_outside_the_users_is_refused(english):
    errors = refused(media_create, actor=user("wuhua_staff"), data=data(region="530302"), now=NOW)
    assert "outside your own" in errors["region"][0]


def test_several_bad_fields_are_all_named(english):
    errors = refused(
        media_create,
        actor=user("wuhua_staff"),
        data=data(outlet="", title="", kind="rumour", published_on=None, region=""),
        now=NOW,
    )
    assert {"outlet", "title", "kind", "published_on", "region"} <= set(errors)


def test_an_event_of_another_campaign_than_the_one_chosen_is_refused(english):
    season = make_campaign(region="530102", code="wuhua-season")
    other = make_campaign(region="530102", code="wuhua-other")
    event = make_event(region="530102", campaign=season)
    errors = refused(media_create, actor=user("wuhua_staff"), data=data(event=event.pk, campaign=other.pk), now=NOW)
    assert "another campaign" in errors["campaign"][0]


def test_a_coordinator_cannot_add_a_report():
    with pytest.raises(NotAllowed):
        media_create(actor=user("coordinator"), data=data(region="530000"), now=NOW)


def test_a_change_needs_the_version_read_and_is_audited(english):
    report = make_media(region="530102")
    with pytest.raises(Conflict):
        media_update(report=report, actor=user("wuhua_staff"), data=data(), version=report.version + 1, now=NOW)
    with pytest.raises(Conflict):
        media_update(report=report, actor=user("wuhua_staff"), data=data(), version=None, now=NOW)
    assert not AuditEntry.objects.filter(action="outreach.media.changed").exists()
    changed = media_update(
        report=report, actor=user("wuhua_staff"), data=data(national=True), version=report.version, now=NOW
    )
    assert changed.national is True and changed.version == 2
    entry = AuditEntry.objects.get(action="outreach.media.changed", object_id=str(report.pk))
    assert entry.changes["national"] == [False, True]


def test_a_report_of_another_area_cannot_be_changed():
    report = make_media(region="530302", created_by="qilin_staff")
    with pytest.raises(InvalidInput):
        media_update(report=report, actor=user("wuhua_staff"), data=data(), version=report.version, now=NOW)
