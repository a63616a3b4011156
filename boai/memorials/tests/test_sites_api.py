"""``/api/v1/memorial-sites/`` and ``/api/v1/memorial-events/``: scoped like the pages, written through
the same services (a refusal is a 400 or 409 with nothing written)."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from boai.audit.models import AuditEntry
from boai.care.tests.factories import make_event, make_site
from boai.core.tests.personas import user
from boai.lib.traditional_days import qingming

from ..models import MemorialEvent, MemorialSite

pytestmark = pytest.mark.django_db


def api(username="wuhua_staff"):
    c = APIClient()
    c.force_authenticate(user(username))
    c.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return c


def ids(response):
    body = response.json()
    rows = body["results"] if isinstance(body, dict) and "results" in body else body
    return {row["id"] for row in rows}


def test_lists_are_scoped_and_filtered():
    wuhua = make_site(region="530102")
    qilin = make_site(region="530302", kind="wall", created_by="qilin_staff")
    assert ids(api().get("/api/v1/memorial-sites/")) == {wuhua.pk}
    assert ids(api("prov_admin").get("/api/v1/memorial-sites/?kind=wall")) == {qilin.pk}
    assert ids(api("prov_admin").get("/api/v1/memorial-sites/?region=5303")) == {qilin.pk}
    assert api().get(f"/api/v1/memorial-sites/{qilin.pk}/").status_code == 404
    e1 = make_event(held_on=date(2025, 4, 4))
    make_event(held_on=date(2024, 4, 4))
    assert ids(api().get("/api/v1/memorial-events/?year=2025")) == {e1.pk}
    assert api().get("/api/v1/memorial-events/?year=20x5").status_code == 400


def test_a_site_is_created_and_updated_with_the_version():
    c = api()
    response = c.post(
        "/api/v1/memorial-sites/",
        {
            "name": "接口纪念园",
            "kind": "room",
            "region": "530102",
            "opened_on": "2025-06-01",
            "offers": ["life_education"],
            "manager": "昆明医科大学",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    site = MemorialSite.objects.get(pk=response.json()["id"])
    assert site.kind == "room" and AuditEntry.objects.filter(action="memorials.site.created").exists()
    stale = c.patch(f"/api/v1/memorial-sites/{site.pk}/", {"version": 5, "active": False}, format="json")
    assert stale.status_code == 409
    missing = c.patch(f"/api/v1/memorial-sites/{site.pk}/", {"active": False}, format="json")
    assert missing.status_code == 400
    ok = c.patch(f"/api/v1/memorial-sites/{site.pk}/", {"version": 1, "active": False}, format="json")
    assert ok.status_code == 200 and ok.json()["active"] is False and ok.json()["version"] == 2


def test_bad_input_is_a_400_with_the_fields_and_nothing_written():
    before = (MemorialSite.objects.count(), MemorialEvent.objects.count(), AuditEntry.objects.count())
    response = api().post("/api/v1/memorial-sites/", {"name": "x", "kind": "park", "region": "530302"}, format="json")
    assert response.status_code == 400
    assert "region" in str(response.json()) and "opened_on" in str(response.json())
    response = api().post(
        "/api/v1/memorial-events/",
        {
            "title": "活动",
            "occasion": "qingming",
            "held_on": "2025-04-04",
            "region": "530102",
            "organisers": "五华区红十字会",
            "participants": 10,
            "families_invited": 2,
            "families_attended": 3,
        },
        format="json",
    )
    assert response.status_code == 400 and "families_attended" in str(response.json())
    assert api().post("/api/v1/memorial-events/", {"participants": "many"}, format="json").status_code == 400
    assert (MemorialSite.objects.count(), MemorialEvent.objects.count(), AuditEntry.objects.count()) == before


def test_an_event_is_created_at_a_site_and_changed():
    site = make_site()
    c = api("kunming_staff")
    response = c.post(
        "/api/v1/memorial-events/",
        {
            "title": "接口清明活动",
            "occasion": "qingming",
            "held_on": qingming(2025).isoformat(),
            "site": site.pk,
            "organisers": "昆明市红十字会",
            "participants": 250,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["region"] == "530102" and body["site_name"] == site.name
    changed = c.put(
        f"/api/v1/memorial-events/{body['id']}/",
        {
            **{k: body[k] for k in ("title", "occasion", "held_on", "site", "organisers")},
            "participants": 260,
            "version": body["version"],
        },
        format="json",
    )
    assert changed.status_code == 200 and changed.json()["participants"] == 260


def test_readers_cannot_write():
    site = make_site()
    assert api("auditor").post("/api/v1/memorial-sites/", {}, format="json").status_code == 403
    assert (
        api("coordinator").patch(f"/api/v1/memorial-sites/{site.pk}/", {"version": 1}, format="json").status_code == 403
    )
    assert api("opo_staff").get("/api/v1/memorial-sites/").status_code == 403
