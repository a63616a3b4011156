"""Issue 16, "Done when": the dashboard, the annual report (its content, its PDF and its Word file) and
the hand-counted data set (``dataset.EXPECTED``) say the same figures — for the province and for a
prefecture, for each year of the data set and for the period of all its years (the five-year summary's
kind). The dashboard is read through its data endpoint (the key figures, and the map's value of every
figure for each prefecture, and the county drill-down), the report through its download (PDF read back
with ``pdftotext``, Word with python-docx)."""

import io
import re
import subprocess

import pytest
from django.urls import reverse
from docx import Document

from boai.core.figures import figure
from boai.core.models import Region
from boai.core.tests.personas import user
from boai.stats.selectors.annual import PUBLISHED
from boai.stats.selectors.report import annual_report, number, sentences

from .dataset import COUNTY, EXPECTED, YEARS, build, expected

pytestmark = pytest.mark.django_db

NAMES = [name for name, _code in PUBLISHED]
CODES = dict(PUBLISHED)
PREFECTURES = ("5301", "5303", "5329")
# (the report's area, who downloads it): the province's administrator, and Kunming's own staff
AREAS = (("53", "prov_admin"), ("5301", "kunming_staff"))


def county_counts() -> dict[tuple[int, str], dict[str, int]]:
    """The figures of the data set's three counties (the test database has a few records of its own)."""
    return {
        (year, county): {name: figure(CODES[name]).count(year, county) for name in NAMES}
        for year in YEARS
        for county in COUNTY.values()
    }


@pytest.fixture
def data():
    """(figures expected per (year, prefix), per (year, county)) once the data set is built."""
    counties_before = county_counts()
    after = expected(build())
    counties = {
        (year, county): {n: counties_before[(year, county)][n] + EXPECTED[(year, prefecture)][n] for n in NAMES}
        for year in YEARS
        for prefecture, county in COUNTY.items()
    }
    return after, counties


def period(after, prefix) -> dict[str, int]:
    return {name: sum(after[(year, prefix)][name] for year in YEARS) for name in NAMES}


def logged_in(client, username):
    client.force_login(user(username))
    return client


def region_of(prefix: str) -> Region:
    return Region.objects.get(code=prefix.ljust(6, "0"))


# --- the dashboard ---------------------------------------------------------------------------------------


def dashboard_data(client, **params) -> dict:
    response = client.get(reverse("stats:dashboard_data"), params)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_dashboards_figures_are_the_hand_counted_ones(client, data):
    after, counties = data
    c = logged_in(client, "prov_admin")
    for year in YEARS:
        for prefix in ("53", *PREFECTURES):
            body = dashboard_data(c, year=year, region=prefix.ljust(6, "0"))
            key = {k["name"]: k for k in body["key_figures"]}
            assert {name: key[name]["value"] for name in NAMES} == after[(year, prefix)], (year, prefix)
            if year - 1 in YEARS:  # the year before, beside it, is the data set's too
                assert {name: key[name]["previous"] for name in NAMES} == after[(year - 1, prefix)], (year, prefix)
        for name in NAMES:  # the map: every figure, prefecture by prefecture
            body = dashboard_data(c, year=year, region="530000", figure=name)
            on_map = {p["code"][:4]: p["value"] for p in body["prefectures"]}
            for prefecture in PREFECTURES:
                assert on_map[prefecture] == after[(year, prefecture)][name], (year, prefecture, name)
            assert sum(on_map.values()) <= after[(year, "53")][name]  # the province's own records add to it
    # the drill-down of a prefecture, county by county (as Kunming's staff sees it too)
    kunming = logged_in(client, "kunming_staff")
    for year in YEARS:
        for name in NAMES:
            body = dashboard_data(kunming, year=year, figure=name)
            assert body["region"]["code"] == "530100"
            assert [(p["code"], p["value"]) for p in body["prefectures"]] == [("530100", after[(year, "5301")][name])]
            assert {k["name"]: k["value"] for k in body["key_figures"]}[name] == after[(year, "5301")][name]
            by_county = {row["code"]: row["value"] for row in body["counties"]}
            assert by_county[COUNTY["5301"]] == counties[(year, COUNTY["5301"])][name], (year, name)
            assert sum(by_county.values()) == after[(year, "5301")][name], (year, name)


# --- the report ------------------------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True)
    return done.stdout.decode()


def download(client, fmt: str, prefix: str, first: int, last: int) -> bytes:
    response = client.get(
        reverse("stats:report_download"),
        {"year": first, "year_to": last, "region": prefix.ljust(6, "0"), "format": fmt},
    )
    assert response.status_code == 200, response.content[:500]
    return response.content


def pdf_rows(text: str) -> list[list[str]]:
    """The PDF's lines as cells (``pdftotext -layout`` keeps a table's row on one line, its cells
    apart by two spaces or more)."""
    return [re.split(r"\s{2,}", line.strip()) for line in text.splitlines() if line.strip()]


def docx_rows(content: bytes) -> tuple[list[str], list[list[list[str]]]]:
    doc = Document(io.BytesIO(content))
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in doc.tables]
    return [p.text for p in doc.paragraphs], tables


def expected_areas(prefix: str, year_figures, county_figures) -> dict[str, dict[str, int]]:
    """The report's table by area: the prefectures of the province, or the data set's county of the
    prefecture (its other counties have nothing of the data set)."""
    if prefix == "53":
        return {region_of(p).name: year_figures(p) for p in PREFECTURES}
    county = Region.objects.get(code=COUNTY[prefix])
    return {county.name: county_figures(county.code)}


def check_documents(client, prefix, first, last, totals, areas, by_year=None):
    """The report's content, its PDF and its Word file all say ``totals`` (and, per area, ``areas``;
    per year, ``by_year``)."""
    region = region_of(prefix)
    report = annual_report(region, first, last)
    assert report.totals == totals, (prefix, first, last)
    rows = {r.name: v for r, v in report.rows}
    for area, figures in areas.items():
        assert rows[area] == figures, (prefix, first, last, area)
    if by_year:
        assert dict(report.years) == by_year
    written = sentences(totals, area=region.name, first=first, last=last)
    assert report.sentences == written
    labels = {name: str(figure(CODES[name]).label) for name in NAMES}

    # the PDF, read back
    text = pdf_text(download(client, "pdf", prefix, first, last))
    flat = "".join(text.split())
    for sentence in written:  # the sentences, with the hand-counted numbers in them
        assert "".join(sentence.split()) in flat, sentence
    lines = pdf_rows(text)
    for name in NAMES:  # the totals table: the figure's label, then its value
        assert [labels[name], number(totals[name])] in lines, (name, prefix, first, last)
    for area, figures in areas.items():  # the table by area, five figures to a table
        found = [cells[1:] for cells in lines if cells[0] == area and len(cells) > 1]
        assert [number(figures[n]) for n in NAMES] == [v for row in found for v in row], (area, found)
    if by_year:
        for name in NAMES:
            row = [labels[name], *[number(by_year[y][name]) for y in sorted(by_year)], number(totals[name])]
            assert row in lines, row

    # the Word file, read back
    paragraphs, tables = docx_rows(download(client, "docx", prefix, first, last))
    for sentence in written:
        assert sentence in paragraphs
    assert {row[0]: row[1] for row in tables[0][1:]} == {labels[n]: number(totals[n]) for n in NAMES}
    for area, figures in areas.items():
        cells = {}
        for table in tables[1:]:
            header = table[0]
            for row in table[1:]:
                if row[0] == area:
                    cells.update(dict(zip(header[1:], row[1:], strict=True)))
        assert cells == {labels[n]: number(figures[n]) for n in NAMES}, area
    if by_year:
        table = tables[-1]
        assert table[0][1:-1] == [str(y) for y in sorted(by_year)]
        got = {row[0]: row[1:] for row in table[1:]}
        assert got == {labels[n]: [*[number(by_year[y][n]) for y in sorted(by_year)], number(totals[n])] for n in NAMES}


@pytest.mark.parametrize(("prefix", "username"), AREAS)
def test_each_years_report_says_the_hand_counted_figures(client, data, prefix, username):
    after, counties = data
    c = logged_in(client, username)
    for year in YEARS:
        check_documents(
            c,
            prefix,
            year,
            year,
            after[(year, prefix)],
            expected_areas(prefix, lambda p, y=year: after[(y, p)], lambda code, y=year: counties[(y, code)]),
        )


@pytest.mark.parametrize(("prefix", "username"), AREAS)
def test_the_periods_report_sums_the_hand_counted_years(client, data, prefix, username):
    after, counties = data
    first, last = YEARS[0], YEARS[-1]
    check_documents(
        logged_in(client, username),
        prefix,
        first,
        last,
        period(after, prefix),
        expected_areas(
            prefix,
            lambda p: period(after, p),
            lambda code: {n: sum(counties[(y, code)][n] for y in YEARS) for n in NAMES},
        ),
        by_year={year: after[(year, prefix)] for year in YEARS},
    )
    # the figures the data set was counted for are not all zero: a report of zeros would not pass
    assert period(after, prefix)["registrations"] >= sum(EXPECTED[(y, prefix)]["registrations"] for y in YEARS) > 0
