"""``/api/v1/media-reports/``: scoped like the pages, filtered by year, kind, event and campaign, written
through the same services (a refusal is a 400 or 409 with nothing written)."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from boai.audit.models import AuditEntry
from boai.core.tests.personas import user

from ..models import MediaReport
from .factories import make_campaign, make_event, make_media

pytestmark = pytest.mark.django_db
URL = "/api/v1/media-reports/"


def api(username="wuhua_staff"):
    c = APIClient()
    c.force_authenticate(user(username))
    c.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return c


def ids(response):
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def body(**over) -> dict:
    return {
        "outlet": "云南网",
        "title": "接口录入的报道",
        "url": "https://www.yunnan.cn/a.html",
        "published_on": "2025-05-08",
        "kind": "news",
        "national": False,
        "reach": 100,
        "region": "530102",
    } | over


def test_the_list_is_scoped_and_a_report_of_another_area_not_found():
    wuhua = make_media(region="530102")
    qilin = make_media(region="530302", created_by="qilin_staff")
    assert ids(api().get(URL)) == {wuhua.pk}
    assert ids(api("qilin_staff").get(URL)) == {qilin.pk}
    assert ids(api("prov_admin").get(URL)) == {wuhua.pk, qilin.pk}
    assert api().get(f"{URL}{qilin.pk}/").status_code == 404
    assert api().patch(f"{URL}{qilin.pk}/", {"version": 1, "title": "x"}, format="json").status_code == 404
    assert api("opo_staff").get(URL).status_code == 403


def test_the_list_filters_by_year_kind_event_and_campaign():
    event = make_event(region="530102")
    campaign = make_campaign(region="530102")
    a = make_media(event=event, published_on=date(2025, 12, 31))
    b = make_media(campaign=campaign, kind="psa", published_on=date(2026, 1, 1))
    c = api()
    assert ids(c.get(f"{URL}?year=2025")) == {a.pk}
    assert ids(c.get(f"{URL}?kind=psa")) == {b.pk}
    assert ids(c.get(f"{URL}?event={event.pk}")) == {a.pk}
    assert ids(c.get(f"{URL}?campaign={campaign.pk}")) == {b.pk}
    for bad in ("year=20x5", "kind=rumour", "event=abc", "campaign=-1"):
        assert c.get(f"{URL}?{bad}").status_code == 400, bad


def test_a_report_is_created_and_updated_with_the_version():
    c = api()
    response = c.post(URL, body(), format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["region"] == "530102" and response.json()["version"] == 1
    assert AuditEntry.objects.filter(action="outreach.media.created", object_id=str(pk)).exists()
    assert c.patch(f"{URL}{pk}/", {"reach": 200}, format="json").status_code == 400  # no version
    assert c.patch(f"{URL}{pk}/", {"version": 7, "reach": 200}, format="json").status_code == 409
    ok = c.patch(f"{URL}{pk}/", {"version": 1, "reach": 200}, format="json")
    assert ok.status_code == 200 and ok.json()["reach"] == 200 and ok.json()["version"] == 2


@pytest.mark.parametrize(
    "over, field",
    [
        ({"url": "javascript:alert(1)"}, "url"),
        ({"published_on": "2099-05-08"}, "published_on"),
        ({"reach": -1}, "reach"),
        ({"region": "530302"}, "region"),
        ({"kind": "rumour"}, "kind"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_nothing_written(over, field):
    before = (MediaReport.objects.count(), AuditEntry.objects.count())
    response = api().post(URL, body(**over), format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert (MediaReport.objects.count(), AuditEntry.objects.count()) == before


def test_an_event_outside_the_area_is_refused():
    qilin = make_event(region="530302", created_by="qilin_staff")
    response = api().post(URL, body(event=qilin.pk), format="json")
    assert response.status_code == 400 and "event" in response.json()["errors"]
    assert not MediaReport.objects.exists()


def test_a_coordinator_reads_but_cannot_write():
    make_media(region="530102")
    assert len(ids(api("coordinator").get(URL))) == 1
    assert api("coordinator").post(URL, body(region="530000"), format="json").status_code == 403


@pytest.mark.parametrize(
    "over",
    [
        {"reach": "many"},
        {"reach": True},
        {"event": "x"},
        {"campaign": [1]},
        {"published_on": "2025-13-01"},
        {"url": ["https://a.org"]},
        {"national": "maybe"},
        {"outlet": {"a": 1}},
    ],
)
def test_odd_values_are_a_400_never_a_crash(over):
    response = api().post(URL, body(**over), format="json")
    assert response.status_code == 400, response.content
    assert not MediaReport.objects.exists()
