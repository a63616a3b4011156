"""The annual and period figures API against the hand-counted data set (``dataset.EXPECTED``): every
figure, for the province and each prefecture, as the province's administrator and as Kunming's staff
(who sees Kunming only); the bad inputs (400 with a message) and the scoping (403)."""

import pytest
from rest_framework.test import APIClient

from boai.core.figures import figure
from boai.core.tests.personas import user
from boai.stats.selectors.annual import PUBLISHED

from .dataset import EXPECTED, PREFIXES, YEARS, build, expected, figures_now

pytestmark = pytest.mark.django_db

NAMES = {"5301": "昆明市", "5303": "曲靖市", "5329": "大理白族自治州", "53": "云南省"}


def api(username="prov_admin", lang="en"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(user(username))
    return client


def answer(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_data_set_covers_every_published_figure_and_the_figures_count_it():
    before = build()
    after = expected(before)
    for (year, prefix), added in EXPECTED.items():
        assert set(added) == {name for name, _code in PUBLISHED}
        assert {name: figure(code).count(year, prefix) for name, code in PUBLISHED} == after[(year, prefix)], (
            year,
            prefix,
        )
    assert figures_now() == after
    for name, _code in PUBLISHED:  # every figure is non-zero somewhere: a wrong count would show
        assert any(added[name] for added in EXPECTED.values()), name


def test_the_province_reads_every_figure_of_every_year_and_area():
    after = expected(build())
    client = api()
    for year in YEARS:
        for prefix in PREFIXES:
            body = answer(client, f"/api/v1/stats/annual/?year={year}&region={prefix}")
            assert body == {
                "year": year,
                "region": prefix.ljust(6, "0"),  # the 6-digit code, as the pages and the CSV give it
                "region_name": NAMES[prefix],
                "figures": after[(year, prefix)],
            }
    default = answer(client, "/api/v1/stats/annual/?year=2025")  # the user's own area: the province
    assert default["region"] == "530000" and default["figures"] == after[(2025, "53")]
    assert EXPECTED[(2025, "53")]["outreach_events"] == 5  # the province's own event counts for the province only
    by_code = answer(client, "/api/v1/stats/annual/?year=2025&region=530100")  # a full code names the same area
    assert by_code["region"] == "530100" and by_code["figures"] == after[(2025, "5301")]


def test_the_period_sums_the_years():
    after = expected(build())
    client = api()
    for prefix in PREFIXES:
        body = answer(client, f"/api/v1/stats/period/?from=2024&to=2026&region={prefix}")
        assert body["from"] == 2024 and body["to"] == 2026 and body["region"] == prefix.ljust(6, "0")
        assert body["figures"] == {
            name: sum(after[(year, prefix)][name] for year in YEARS) for name, _code in PUBLISHED
        }
    one_year = answer(client, "/api/v1/stats/period/?from=2025&to=2025&region=5303")
    assert one_year["figures"] == after[(2025, "5303")]
    whole = answer(client, "/api/v1/stats/period/?from=2024&to=2026")["figures"]  # the default: the province
    assert whole == {name: sum(after[(year, "53")][name] for year in YEARS) for name, _code in PUBLISHED}


def test_a_prefecture_sees_its_own_figures_and_no_other_area():
    after = expected(build())
    client = api("kunming_staff")
    for year in YEARS:
        body = answer(client, f"/api/v1/stats/annual/?year={year}")  # default: Kunming
        assert body["region"] == "530100" and body["region_name"] == "昆明市"
        assert body["figures"] == after[(year, "5301")]
    period = answer(client, "/api/v1/stats/period/?from=2024&to=2026&region=5301")
    assert period["figures"] == {name: sum(after[(year, "5301")][name] for year in YEARS) for name, _code in PUBLISHED}
    assert answer(client, "/api/v1/stats/annual/?year=2025&region=530102")["region"] == "530102"  # a county of its own
    for url in (
        "/api/v1/stats/annual/?year=2025&region=5303",
        "/api/v1/stats/annual/?year=2025&region=53",
        "/api/v1/stats/period/?from=2024&to=2025&region=5329",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "outside your area" in response.json()["detail"]


def test_roles_without_the_statistics_are_refused():
    for username in ("opo_staff", "sysadmin"):
        assert api(username).get("/api/v1/stats/annual/?year=2025").status_code == 403
    assert APIClient().get("/api/v1/stats/annual/?year=2025").status_code in (401, 403)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("annual/", "year", "Give the year, such as 2025."),
        ("annual/?year=twenty", "year", "Give a year from 2000 to"),
        ("annual/?year=25", "year", "Give a year from 2000 to"),
        ("annual/?year=1999", "year", "Give a year from 2000 to"),
        ("annual/?year=2999", "year", "Give a year from 2000 to"),
        ("annual/?year=２０２５", "year", "Give a year from 2000 to"),
        ("annual/?year=2025&region=yunnan", "region", "No region has the code yunnan."),
        ("annual/?year=2025&region=5399", "region", "No region has the code 5399."),
        ("annual/?year=2025&region=999999", "region", "No region has the code 999999."),
        ("annual/?year=2025&region=5300", "region", "No region has the code 5300."),
        ("annual/?year=2025&region=530", "region", "No region has the code 530."),
        ("annual/?year=2025&region=530101", "region", "No region has the code 530101."),
        ("period/?from=2025", "to", "Give the year, such as 2025."),
        ("period/?from=2026&to=2024", "to", "The last year cannot come before the first."),
        ("period/?from=2010&to=2025", "to", "A period is at most 10 years."),
    ],
)
def test_bad_input_is_a_400_with_a_message(query, field, message, english):
    response = api().get(f"/api/v1/stats/{query}")
    assert response.status_code == 400, response.content
    assert any(text.startswith(message) for text in response.json()["errors"][field]), response.json()


def test_the_messages_are_in_the_users_language():
    response = api(lang="zh-hans").get("/api/v1/stats/annual/?year=abc")
    assert response.status_code == 400
    text = response.json()["errors"]["year"][0]
    assert "2000" in text and not any("a" <= c <= "z" for c in text.lower())


def test_ten_years_is_the_longest_period():
    assert api().get("/api/v1/stats/period/?from=2016&to=2025").status_code == 200
