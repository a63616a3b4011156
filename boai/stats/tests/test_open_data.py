"""The open data page and CSV: the published figures by prefecture for a year with data, small numbers
shown as "<5" with a complementary cell hidden, the province total, the BOM, and a bad year refused."""

from datetime import date

import pytest
from django.core.cache import cache

from boai.stats.selectors import open_data as selectors

pytestmark = pytest.mark.django_db

YEAR = 2024

# registrations of YEAR by prefecture (code prefix -> count), the province figure their sum
REGISTRATIONS = {"5301": 40, "5303": 3, "5304": 12, "5325": 0}
# donor households visited and the person-visits to them (the same visits: suppressed together)
HOUSEHOLDS = {"5301": 3, "5303": 6, "5304": 20}
PERSON_VISITS = {"5301": 9, "5303": 15, "5304": 48}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def counted(monkeypatch):
    """The figures as a known table: registrations by prefecture, organ donations 2 in Kunming, the
    rest 0 — so the test checks the page, the suppression and the CSV, not each app's counting."""
    from boai.core import figures as core_figures

    real = core_figures.figure

    class Fake:
        def __init__(self, code):
            self.code = code
            self.label = real(code).label

        def count(self, year, prefix):
            if year != YEAR:
                return 0
            if self.code == "registry.registrations":
                return sum(n for p, n in REGISTRATIONS.items() if p.startswith(prefix))
            if self.code == "cases.organ_donations":
                return 2 if "5301".startswith(prefix) else 0
            for code, counts in (
                ("care.families_visited_households", HOUSEHOLDS),
                ("care.families_visited_person_visits", PERSON_VISITS),
            ):
                if self.code == code:
                    return sum(n for p, n in counts.items() if p.startswith(prefix))
            return 0

    monkeypatch.setattr(selectors, "figure", Fake)
    monkeypatch.setattr(selectors, "last_full_year", lambda today=None: 2025)


def _row(html: str, name: str) -> str:
    start = html.index(f'<th scope="row">{name}')
    return html[start : html.index("</tr>", start)]


def test_the_page_shows_the_year_by_prefecture_with_small_numbers_hidden(client, counted):
    response = client.get("/open-data/")  # 2025 has no data: the latest year with data
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<option value="{YEAR}" selected>' in html
    assert html.count('<th scope="row">') == 17  # 16 prefectures and the province
    kunming, qujing, yuxi = _row(html, "昆明市"), _row(html, "曲靖市"), _row(html, "玉溪市")
    assert ">40<" in kunming and ">12<" not in yuxi
    assert "&lt;5" in qujing and ">3<" not in qujing  # 3 registrations: hidden
    # the complementary cell: the next-smallest (Yuxi's 12) is hidden in the registrations column
    assert 'class="num suppressed">*<' in yuxi
    # organ donations: 2 in Kunming and 2 in the province: both hidden, nothing to subtract; a hidden
    # total is "*" whatever its size
    assert 'class="num suppressed">*<' in _row(html, "云南省")
    assert ">55<" in _row(html, "云南省")  # the province's registrations
    note = html[html.index('id="open-data-note"') :]
    assert "&lt;5" in note and "“*”" in note  # the note explains both marks
    assert "1至4" in note or "1 to 4" in note


def test_the_csv_has_a_bom_a_header_and_the_suppressed_cells(client, counted):
    response = client.get(f"/open-data/{YEAR}.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = text.lstrip("\ufeff").splitlines()
    header = lines[0].split(",")
    assert len(header) == 2 + 13
    assert len(lines) == 1 + 17
    rows = {line.split(",")[0]: line.split(",") for line in lines[1:]}
    assert rows["530100"][2:4] == ["40", "<5"]  # registrations, organ donations
    assert rows["530300"][2] == "<5"
    assert rows["530400"][2] == "*"
    assert rows["530000"][2:4] == ["55", "*"]
    assert rows["532500"][2] == "0"  # 0 stays 0
    assert "3" not in rows["530300"][2:] and "12" not in rows["530400"][2:]


def test_a_year_without_data_is_refused(client, counted):
    assert client.get("/open-data/2023.csv").status_code == 404
    for bad in ("2023", "abcd", "99999", "-1"):
        response = client.get(f"/open-data/?year={bad}")
        assert response.status_code == 404
        assert 'role="alert"' in response.content.decode()
        assert "<table" not in response.content.decode()


def test_the_table_is_cached(client, counted, django_assert_max_num_queries):
    client.get("/open-data/")
    with django_assert_max_num_queries(8):  # the regions and the session, never the 221 counts again
        assert client.get("/open-data/").status_code == 200


def test_the_public_footer_links_to_the_open_data(client, counted):
    assert 'href="/open-data/"' in client.get("/memorial/").content.decode()


def test_the_last_full_year():
    assert selectors.last_full_year(date(2026, 1, 1)) == 2025


def test_households_visited_and_person_visits_hide_the_same_prefectures(client, counted):
    """Kunming's 3 households are "<5"; its 9 person-visits, shown alone, would say "at most 9" and, with
    the difference of the two totals, tie the hidden households down: they are hidden too ("*"), and so
    is the next prefecture (Qujing) in both columns, while Yuxi's 20 and 48 and the totals stay."""
    lines = client.get(f"/open-data/{YEAR}.csv").content.decode("utf-8").lstrip("\ufeff").splitlines()
    rows = {line.split(",")[0]: line.split(",") for line in lines[1:]}
    header = lines[0].split(",")
    from boai.core.figures import figure

    h = header.index(str(figure("care.families_visited_households").label))
    v = header.index(str(figure("care.families_visited_person_visits").label))
    assert [rows[c][h] for c in ("530100", "530300", "530400", "530000")] == ["<5", "*", "20", "29"]
    assert [rows[c][v] for c in ("530100", "530300", "530400", "530000")] == ["*", "*", "48", "72"]
    assert "9" not in rows["530100"][v] and "15" not in rows["530300"][v]


def test_a_malformed_year_gets_the_shared_wording_and_a_year_without_data_its_own(client, counted, english):
    malformed = client.get("/open-data/?year=abcd")
    assert malformed.status_code == 404 and "Give a year from 2000" in malformed.content.decode()
    empty = client.get("/open-data/?year=2023")
    assert empty.status_code == 404 and "no published figures for the year asked for" in empty.content.decode()
