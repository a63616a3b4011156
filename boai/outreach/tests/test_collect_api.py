"""The sync API: POST /api/v1/events/<id>/collected/, scoped, with its permission, session (CSRF) or
token auth."""

import pytest
from rest_framework.test import APIClient

from boai.accounts.services import token_issue
from boai.core.tests.personas import user
from boai.registry.models import Registration

from ..models import CollectedEntry
from .collect_helpers import data_url, entry, event_today, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return event_today(region="530102")


def client(who):
    c = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    c.force_authenticate(user(who))
    return c


def url(event):
    return f"/api/v1/events/{event.pk}/collected/"


def test_staff_sync_a_batch_and_get_one_answer_per_entry(event):
    batch = [entry(person=person(seq="41")), entry(attested=False)]
    response = client("wuhua_staff").post(url(event), {"entries": batch}, format="json")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["state"] for r in results] == ["landed", "returned"]
    assert [r["key"] for r in results] == [e["key"] for e in batch]
    assert Registration.objects.get(number=results[0]["number"]).campaign == event.code
    again = client("wuhua_staff").post(url(event), {"entries": batch}, format="json")
    assert again.json() == response.json()
    assert Registration.objects.filter(campaign=event.code).count() == 1


@pytest.mark.parametrize("who, status", [("coordinator", 403), ("auditor", 403), ("opo_staff", 403)])
def test_roles_without_the_collect_permission_are_refused(event, who, status):
    response = client(who).post(url(event), {"entries": [entry()]}, format="json")
    assert response.status_code == status
    assert not CollectedEntry.objects.exists()


def test_an_event_outside_the_area_is_not_found(event):
    response = client("qilin_staff").post(url(event), {"entries": [entry()]}, format="json")
    assert response.status_code == 404
    assert not CollectedEntry.objects.exists()


def test_a_province_admin_and_the_prefecture_may_sync(event):
    for who, seq in (("prov_admin", "51"), ("kunming_staff", "52")):
        response = client(who).post(url(event), {"entries": [entry(person=person(seq=seq))]}, format="json")
        assert response.json()["results"][0]["state"] == "landed"


def test_more_than_50_entries_are_refused(event):
    response = client("wuhua_staff").post(url(event), {"entries": [entry() for _ in range(51)]}, format="json")
    assert response.status_code == 400
    assert not CollectedEntry.objects.exists()


def test_a_batch_with_bad_entries_among_good_ones_lands_the_good_ones(event):
    good = [entry(person=person(seq=f"8{n}")) for n in range(3)]
    too_large = entry(signature=data_url(b"\x89PNG\r\n\x1a\n" + b"\x00" * 400 * 1024))
    not_png = entry(signature=data_url(b"GIF89a" + b"0" * 200, "image/gif"))
    batch = [good[0], {"key": "not-a-uuid"}, too_large, good[1], not_png, {"person": {}}, good[2]]
    response = client("wuhua_staff").post(url(event), {"entries": batch}, format="json")
    assert response.status_code == 200
    results = response.json()["results"]
    states = ["landed", "returned", "returned", "landed", "returned", "returned", "landed"]
    assert [r["state"] for r in results] == states
    assert [r["key"] for r in results] == [
        good[0]["key"],
        "not-a-uuid",
        too_large["key"],
        good[1]["key"],
        not_png["key"],
        "",
        good[2]["key"],
    ]
    assert "too large" in results[2]["reason"] and "not a PNG" in results[4]["reason"]
    assert Registration.objects.filter(campaign=event.code).count() == 3


def test_an_envelope_that_is_not_a_list_of_objects_is_a_400(event):
    for body in ({"entries": [entry(), "junk"]}, {"entries": "junk"}, {}):
        response = client("wuhua_staff").post(url(event), body, format="json")
        assert response.status_code == 400
        assert "entries" in response.json()["errors"]
    assert not CollectedEntry.objects.exists()


def test_a_session_needs_the_csrf_header(event):
    c = APIClient(enforce_csrf_checks=True)
    c.force_login(user("wuhua_staff"))
    response = c.post(url(event), {"entries": [entry()]}, format="json")
    assert response.status_code == 403
    assert not CollectedEntry.objects.exists()


def test_a_token_works_as_for_the_rest_of_the_api(event):
    key = token_issue(user=user("wuhua_staff"))
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = c.post(url(event), {"entries": [entry()]}, format="json")
    assert response.json()["results"][0]["state"] == "landed"


def test_anonymous_callers_are_refused(event):
    response = APIClient().post(url(event), {"entries": [entry()]}, format="json")
    assert response.status_code in (401, 403)
