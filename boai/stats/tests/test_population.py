"""The population table: staff enter a region's population for a year inside their own area, with an
audit entry; bad input is refused with a message and nothing written; the donor pathway's look-up."""

import pytest

from boai.accounts.models import User
from boai.audit.models import AuditEntry
from boai.stats import demo
from boai.stats.models import RegionPopulation
from boai.stats.selectors.population import population

pytestmark = pytest.mark.django_db

URL = "/workspace/stats/population/"


def _login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def _post(client, **data):
    return client.post(URL, {"region": "530100", "year": "2024", "population": "8600000", "source": "", **data})


def test_province_enters_a_population_with_its_audit_entry(client):
    _login(client, "prov_admin")
    response = _post(client, population="8,612,000", source="统计年鉴")
    assert response.status_code == 302
    row = RegionPopulation.objects.get(region_id="530100", year=2024)
    assert row.population == 8_612_000 and row.source == "统计年鉴"
    entry = AuditEntry.objects.filter(action="stats.population.changed").latest("id")
    assert entry.object_id == str(row.pk) and entry.actor_username == "prov_admin"
    assert population("530100", 2024) == 8_612_000
    assert population("530300", 2024) is None
    # entered again: corrected, not duplicated
    assert _post(client, population="8620000").status_code == 302
    assert population("530100", 2024) == 8_620_000
    assert RegionPopulation.objects.filter(region_id="530100", year=2024).count() == 1
    listed = client.get(URL + "?year=2024").content.decode()
    assert "8620000" in listed and "昆明市" in listed


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"population": "-5"}, "population"),
        ({"population": "八百万"}, "population"),
        ({"population": "0"}, "population"),
        ({"year": "1999"}, "year"),
        ({"year": "2999"}, "year"),
        ({"year": "20x4"}, "year"),
        ({"region": "999999"}, "region"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(client, data, field):
    _login(client, "prov_admin")
    audits = AuditEntry.objects.count()
    response = _post(client, **data)
    assert response.status_code == 400
    assert response.context["form"].errors.get(field)
    assert 'role="alert"' in response.content.decode() or "errorlist" in response.content.decode()
    assert not RegionPopulation.objects.exists()
    assert AuditEntry.objects.filter(action="stats.population.changed").count() == 0
    assert AuditEntry.objects.count() >= audits


def test_a_prefecture_enters_only_its_own_area(client):
    _login(client, "kunming_staff")
    assert _post(client, region="530102", population="900000").status_code == 302  # Wuhua, in Kunming
    response = _post(client, region="530300", population="5700000")  # Qujing
    assert response.status_code == 400
    assert response.context["form"].errors["region"]
    assert not RegionPopulation.objects.filter(region_id="530300").exists()
    page = client.get(URL).content.decode()
    assert 'value="530300"' not in page and 'value="530102"' in page


def test_a_prefecture_lists_only_its_own_area(client):
    demo.load()
    _login(client, "kunming_staff")
    page = client.get(URL + "?year=2025").content.decode()
    assert "昆明市" in page and "曲靖市" not in page


def test_the_demo_populations_are_realistic():
    assert demo.load()
    assert 8_400_000 < population("530100", 2025) < 8_900_000
    assert 46_000_000 < population("530000", 2023) < 47_500_000
    assert RegionPopulation.objects.filter(year=2021).count() == 17
    assert not demo.load()  # once


def test_a_coordinator_may_not_open_the_table(client):
    _login(client, "coordinator")
    assert client.get(URL).status_code == 403
