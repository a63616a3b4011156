"""The events' and partners' API: scoped lists with their filters, one event (404 outside the area),
create and update through the same services (bad input 400, a stale version 409), partners listed for
every viewer and added by managers only."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from boai.core.tests.personas import user

from ..models import Event, Partner
from .factories import make_campaign, make_event, make_partner

pytestmark = pytest.mark.django_db


def api(username="wuhua_staff"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user(username))
    return client


def titles(response) -> set:
    assert response.status_code == 200, response.content
    return {row["title"] for row in response.json()["results"]}


def test_the_list_is_scoped_and_filtered():
    campaign = make_campaign()
    make_event(region="530102", title="五华", starts_on=date(2025, 5, 8), campaign=campaign)
    make_event(region="530302", title="麒麟", kind="lecture", starts_on=date(2026, 1, 1), created_by="qilin_staff")
    assert titles(api().get("/api/v1/events/")) == {"五华"}
    province = api("prov_admin")
    assert titles(province.get("/api/v1/events/")) == {"五华", "麒麟"}
    assert titles(province.get("/api/v1/events/?year=2025")) == {"五华"}
    assert titles(province.get("/api/v1/events/?kind=lecture")) == {"麒麟"}
    assert titles(province.get(f"/api/v1/events/?campaign={campaign.pk}")) == {"五华"}
    assert titles(province.get("/api/v1/events/?region=5303")) == {"麒麟"}
    for bad in ("year=20x5", "kind=party", "campaign=abc", "region=yunnan"):
        assert province.get(f"/api/v1/events/?{bad}").status_code == 400


def test_another_areas_event_is_not_found():
    event = make_event(region="530302", created_by="qilin_staff")
    assert api().get(f"/api/v1/events/{event.pk}/").status_code == 404
    assert api().patch(f"/api/v1/events/{event.pk}/", {"version": 1}, format="json").status_code == 404
    assert api("qilin_staff").get(f"/api/v1/events/{event.pk}/").json()["code"] == event.code


def test_an_event_is_created_and_updated_with_its_version():
    partner = make_partner()
    body = {
        "title": "API 宣传",
        "kind": "lecture",
        "starts_on": "2025-05-08",
        "ends_on": "2025-05-08",
        "region": "530102",
        "organisers": "五华区红十字会",
        "partners": [partner.pk],
        "audience": 50,
    }
    created = api().post("/api/v1/events/", body, format="json")
    assert created.status_code == 201, created.content
    event = created.json()
    assert event["code"].startswith("ev-") and event["partners"] == [partner.pk] and event["version"] == 1
    changed = api().patch(f"/api/v1/events/{event['id']}/", {"version": 1, "audience": 80}, format="json")
    assert changed.status_code == 200 and changed.json()["audience"] == 80 and changed.json()["version"] == 2
    stale = api().patch(f"/api/v1/events/{event['id']}/", {"version": 1, "audience": 90}, format="json")
    assert stale.status_code == 409
    assert api().patch(f"/api/v1/events/{event['id']}/", {"audience": 90}, format="json").status_code == 400


def test_bad_input_is_refused_field_by_field_and_nothing_is_written():
    body = {"title": "坏", "kind": "lecture", "starts_on": "2025-05-08", "ends_on": "2025-05-01", "region": "530302"}
    response = api().post("/api/v1/events/", body | {"organisers": "x", "audience": -3}, format="json")
    assert response.status_code == 400
    assert {"ends_on", "region", "audience"} <= set(response.json()["errors"])
    assert not Event.objects.exists()
    assert api("coordinator").post("/api/v1/events/", body, format="json").status_code == 403


def test_partners_are_listed_for_viewers_and_added_by_managers():
    make_partner(name="云南日报", kind="media")
    names = {p["name"] for p in api("auditor").get("/api/v1/partners/").json()["results"]}
    assert "云南日报" in names
    assert api("auditor").post("/api/v1/partners/", {"name": "某单位"}, format="json").status_code == 403
    response = api().post("/api/v1/partners/", {"name": "大理大学", "kind": "school"}, format="json")
    assert response.status_code == 201 and Partner.objects.filter(name="大理大学").exists()
    assert api().post("/api/v1/partners/", {"name": "大理大学"}, format="json").status_code == 400
