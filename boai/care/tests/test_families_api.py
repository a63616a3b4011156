"""``/api/v1/families/``: scoped, masked, filtered; create refuses bad input under its field and writes
nothing; a case number of the clerk's area links the case, one elsewhere is refused."""

import pytest
from rest_framework.test import APIClient

from boai.audit.models import AuditEntry
from boai.cases.models import OrganCase
from boai.cases.tests.helpers import open_organ
from boai.core.tests.personas import user

from ..models import Family
from .factories import make_family

pytestmark = pytest.mark.django_db


def api(username):
    c = APIClient()
    c.force_authenticate(user(username))
    return c


def body(**changes):
    return {
        "reference": "YN-OD-2020-555",
        "donation_kind": "organ",
        "donor_name": "接口捐献者",
        "donated_on": "2020-02-02",
        "region": "530102",
        "member": {"name": "接口家属", "relationship": "parent", "phone": "13666667777"},
    } | changes


def test_list_and_retrieve_are_scoped_masked_and_filtered():
    mine = make_family(members=(("接口家属", "spouse", "13611112222"),))
    other = make_family(region="530302")
    c = api("wuhua_staff")
    listed = c.get("/api/v1/families/").json()
    ids = [row["id"] for row in listed["results"]]
    assert mine.pk in ids and other.pk not in ids
    assert "13611112222" not in str(listed) and "136****2222" in str(listed) and "address" not in listed["results"][0]
    assert c.get(f"/api/v1/families/{other.pk}/").status_code == 404
    assert c.get(f"/api/v1/families/{mine.pk}/").json()["members"][0]["phone"] == "136****2222"
    province = api("prov_admin")
    by_region = [row["id"] for row in province.get("/api/v1/families/?region=5303").json()["results"]]
    assert other.pk in by_region and mine.pk not in by_region
    by_reference = province.get(f"/api/v1/families/?reference={mine.reference}").json()["results"]
    assert [row["id"] for row in by_reference] == [mine.pk]
    assert province.get("/api/v1/families/?region=abc").status_code == 400


def test_create_refuses_bad_input_and_writes_nothing_then_makes_the_family():
    c = api("wuhua_staff")
    before = (Family.objects.count(), AuditEntry.objects.count())
    refused = c.post("/api/v1/families/", body(region="530302"), format="json")
    assert refused.status_code == 400 and "region" in str(refused.json())
    refused = c.post(
        "/api/v1/families/", body(member={"name": "X", "relationship": "spouse", "phone": "1"}), format="json"
    )
    assert refused.status_code == 400
    assert (Family.objects.count(), AuditEntry.objects.count()) == before
    made = c.post("/api/v1/families/", body(), format="json")
    assert made.status_code == 201 and made.json()["members"][0]["phone"] == "136****7777"
    assert api("coordinator").post("/api/v1/families/", body(reference="X-1"), format="json").status_code == 403


def test_a_case_number_of_the_area_links_the_case_one_elsewhere_is_refused():
    case = OrganCase.objects.get(pk=open_organ()["id"])
    refused = api("qilin_staff").post("/api/v1/families/", body(reference=case.number, region="530302"), format="json")
    assert refused.status_code == 400 and not Family.objects.exists()
    made = api("wuhua_staff").post("/api/v1/families/", body(reference=case.number), format="json")
    assert made.status_code == 201 and made.json()["organ_case"] == case.pk
    again = api("wuhua_staff").post("/api/v1/families/", body(reference=case.number), format="json")
    assert again.status_code == 400 and Family.objects.count() == 1
