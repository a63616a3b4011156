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
    assert "8,620,000" in listed and "昆明市" in listed


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


def test_populations_read_with_thousands_separators_and_fit_a_phone(client):
    demo.load()
    _login(client, "prov_admin")
    page = client.get(URL + "?year=2023").content.decode()
    row = page.split('<td class="num">')[1].split("</td>")[0]
    assert row.count(",") == 2 and len(row.replace(",", "")) >= 7  # e.g. 46,671,000
    # on a phone the source sits under the area (the wide columns hide), so the population stays in view
    assert 'class="population-source small muted"' in page or "population-more" in page
    assert page.count('class="population-more"') >= 2


@pytest.mark.parametrize("query", ["?year=abc", "?year=1850"])
def test_a_filter_that_cannot_apply_is_answered_400_in_the_workspace_beside_its_field(client, query):
    _login(client, "prov_admin")
    response = client.get(URL + query)
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="ws-nav"' in body  # the workspace page, not the public error page
    assert 'id="filter_year_error"' in body
    assert response.context["filters"].errors["year"]


def _enter(region, year, count):
    from boai.core.tests.personas import user
    from boai.stats.services.population import population_set

    return population_set(actor=user("prov_admin"), region=region, year=year, population=count)


def test_a_region_holds_no_more_than_the_one_around_it_and_no_fewer_than_those_inside(client):
    _enter("530000", 2024, 47_000_000)
    _enter("530100", 2024, 8_600_000)
    _enter("530102", 2024, 900_000)
    _enter("530103", 2024, 1_000_000)
    _login(client, "prov_admin")
    cases = [
        ("530300", "48000000", "云南省"),  # a prefecture more than the province
        ("530102", "9000000", "昆明市"),  # a county more than its prefecture
        ("530100", "1500000", "1,900,000"),  # a prefecture fewer than its counties entered
        ("530000", "8000000", "8,600,000"),  # the province fewer than its prefectures entered
    ]
    for region, count, words in cases:
        before = RegionPopulation.objects.filter(region_id=region, year=2024).values_list("population", flat=True)
        before = list(before)
        response = _post(client, region=region, population=count)
        assert response.status_code == 400, region
        message = " ".join(response.context["form"].errors["population"])
        assert words in message, message
        assert (
            list(RegionPopulation.objects.filter(region_id=region, year=2024).values_list("population", flat=True))
            == before
        )
    # within both bounds: saved
    assert _post(client, region="530100", population="8700000").status_code == 302
    assert population("530100", 2024) == 8_700_000
    # another year is not compared
    assert _post(client, region="530300", population="48000000", year="2023").status_code == 302


def test_a_nul_in_the_query_is_refused_in_the_workspace(client):
    _login(client, "prov_admin")
    response = client.get(URL + "?year=abc&q=%00")
    assert response.status_code == 400
    assert 'id="ws-nav"' in response.content.decode()  # the workspace's menu, not only a link to the home page
