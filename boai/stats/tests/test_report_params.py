"""The report and the API parse the year and the area alike (``selectors.params``): any area inside the
user's own (a county too, by 2, 4 or 6 digits), one wording per refusal; the province level's row (what
the province recorded itself) makes the prefectures add up to the province; the report is cached."""

import subprocess

import pytest
from rest_framework.test import APIClient

from boai.core.models import Region
from boai.core.tests.personas import user
from boai.stats.selectors.annual import PUBLISHED
from boai.stats.selectors.report import annual_report
from boai.stats.services.report import build_pdf

from .dataset import build

pytestmark = pytest.mark.django_db
URL = "/workspace/stats/report/"
NAMES = [name for name, _code in PUBLISHED]


def logged_in(client, username="prov_admin"):
    client.force_login(user(username))
    return client


def test_the_province_reports_on_a_county_and_on_a_prefecture_by_its_prefix(client, english):
    c = logged_in(client)
    county = c.get(URL, {"year": 2025, "region": "530102"})
    assert county.status_code == 200, county.content.decode()[:2000]
    report = county.context["report"]
    assert report.region.code == "530102"
    assert [r.code for r, _v in report.rows] == ["530102"]  # its table is the county itself
    assert "outside" not in county.content.decode()
    codes = [code for code, _name in county.context["form"].fields["region"].widget.choices]
    assert "530102" in codes and "530000" in codes
    for short in ("5301", "530100"):
        page = c.get(URL, {"year": 2025, "region": short})
        assert page.status_code == 200
        assert page.context["report"].region.code == "530100"


def test_the_province_level_row_makes_the_prefectures_add_up(client, english):
    build()
    report = annual_report(Region.objects.get(code="530000"), 2025)
    assert report.own_level is not None
    assert report.own_level["outreach_events"] >= 1  # the province's own event is in no prefecture
    for name in NAMES:
        assert sum(v[name] for _r, v in report.rows) + report.own_level[name] == report.totals[name], name
    html = logged_in(client).get(URL, {"year": 2025, "region": "530000"}).content.decode()
    assert "Province level" in html and "report-area-note" in html
    assert 'class="total"' in html
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=build_pdf(report), capture_output=True, check=True
    ).stdout.decode()
    assert "Province level" in text and "(continued)" in text
    prefecture = annual_report(Region.objects.get(code="530100"), 2025)
    assert prefecture.own_level is None


def test_the_page_and_the_api_refuse_in_the_same_words(client, english):
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_login(user("kunming_staff"))
    c = logged_in(client, "kunming_staff")
    for query, field, message in (
        ({"year": "1990"}, "year", "Give a year from 2000 to"),
        ({"year": "twenty"}, "year", "Give a year from 2000 to"),
        ({"year": "2025", "region": "539999"}, "region", "No region has the code 539999."),
        ({"year": "2025", "region": "5300"}, "region", "No region has the code 5300."),
    ):
        page = c.get(URL, query)
        assert page.status_code == 400 and message in page.content.decode(), query
        answer = api.get("/api/v1/stats/annual/", query)
        assert answer.status_code == 400 and answer.json()["errors"][field][0].startswith(message), query
    page = c.get(URL, {"year": 2025, "region": "5303"})
    assert page.status_code == 400 and "The region 5303 is outside your area." in page.content.decode()
    answer = api.get("/api/v1/stats/annual/", {"year": 2025, "region": "5303"})
    assert answer.status_code == 403 and answer.json()["detail"] == "The region 5303 is outside your area."


def test_the_report_is_counted_once_a_minute(django_assert_max_num_queries):
    province = Region.objects.get(code="530000")
    first = annual_report(province, 2024, 2025)
    with django_assert_max_num_queries(0):
        again = annual_report(province, 2024, 2025)
    assert again.totals == first.totals and again.period == "2024—2025"
