"""The campaigns API: scoped lists, the detail with the registrations attributed, create and update
with the version read (stale: 409), and the three breakdowns as JSON."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from boai.core.tests.personas import user

from ..models import Campaign
from .factories import make_campaign, make_event
from .test_campaigns_pages import make_registration

pytestmark = pytest.mark.django_db


def api(username="prov_admin"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user(username))
    return client


def test_the_list_is_scoped_and_includes_the_provinces_campaigns():
    make_campaign(region="530000", code="prov-camp")
    make_campaign(region="530100", code="km-camp", created_by="kunming_staff")
    make_campaign(region="530300", code="qj-camp", created_by="qilin_staff")
    codes = {c["code"] for c in api("kunming_staff").get("/api/v1/campaigns/").json()["results"]}
    assert {"prov-camp", "km-camp"} <= codes and "qj-camp" not in codes


def test_create_update_and_a_stale_version():
    client = api()
    body = {"title": "接口登记季", "code": "api-season", "starts_on": "2026-03-01", "ends_on": "2026-09-30"}
    bad = client.post("/api/v1/campaigns/", {**body, "region": "530102"}, format="json")
    assert bad.status_code == 400 and "region" in str(bad.json())
    created = client.post("/api/v1/campaigns/", {**body, "region": "530000"}, format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert (data["code"], data["registrations"], data["region"]) == ("api-season", 0, "530000")
    changed = client.patch(
        f"/api/v1/campaigns/{data['id']}/", {"title": "改名", "version": data["version"]}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["title"] == "改名"
    stale = client.patch(
        f"/api/v1/campaigns/{data['id']}/", {"title": "再改", "version": data["version"]}, format="json"
    )
    assert stale.status_code == 409 and Campaign.objects.get(pk=data["id"]).title == "改名"
    missing = client.patch(f"/api/v1/campaigns/{data['id']}/", {"title": "再改"}, format="json")
    assert missing.status_code == 400 and "version" in missing.json()["errors"]


def test_the_breakdowns_as_json_counted_in_the_callers_area():
    campaign = make_campaign(code="api-breakdown")
    event = make_event(campaign=campaign)
    beijing = ZoneInfo("Asia/Shanghai")
    make_registration("api-breakdown", region="530102", at=datetime(2026, 1, 1, 0, 30, tzinfo=beijing))
    make_registration(event.code, region="530302", at=datetime(2026, 1, 2, 9, 0, tzinfo=beijing), channel="event")
    province = api().get(f"/api/v1/campaigns/{campaign.pk}/registrations/").json()
    assert province["total"] == 2
    assert province["per_day"] == [
        {"day": "2026-01-01", "registrations": 1},
        {"day": "2026-01-02", "registrations": 1},
    ]
    assert {p["region"]: p["registrations"] for p in province["per_prefecture"]}["530300"] == 1
    wuhua = api("wuhua_staff").get(f"/api/v1/campaigns/{campaign.pk}/registrations/").json()
    assert wuhua["total"] == 1 and [p["region"] for p in wuhua["per_prefecture"]] == ["530100"]
    assert {c["channel"]: c["registrations"] for c in wuhua["per_channel"]}["event"] == 0
    assert api("opo_staff").get(f"/api/v1/campaigns/{campaign.pk}/registrations/").status_code == 403
