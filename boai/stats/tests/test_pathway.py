"""The donor pathway against hand-counted cases: each stage, each loss reason, conversion rates,
per-hospital rows, donors per million with and without a population, the area a user may see, bad
input, the Excel export, and the cases the demo walked through the real workflow."""

import io
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from openpyxl import load_workbook

from boai.audit.models import AuditEntry
from boai.cases.models import OrganCase
from boai.core.figures import SHANGHAI, figure
from boai.core.models import Region
from boai.core.tests.personas import user
from boai.stats.models import RegionPopulation
from boai.stats.selectors import pathway as selectors

from .pathway_factories import APPROACHED, H1, H2, H3, PROCURED, beijing, day_after, organ_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases():
    """Kunming (530102) in 2025: 13 cases at every stage and loss; Qujing (530302): 2; one of 2024."""
    made = {}

    def add(key, states, **kw):
        next_day = kw.get("counted") == "next day"
        if next_day:
            kw["counted"] = None
        made[key] = organ_case(states, **kw)
        if next_day:  # the organ recovered the day after the referral
            made[key].counted_at = day_after(made[key])
            made[key].save(update_fields=["counted_at"])

    add("utilised", [*PROCURED, "allocated", "closed"], counted="next day", recipients=2)
    add("not_used", [*PROCURED, "allocated", "closed"], counted="next day", recipients=0)
    add("none_recovered", [*PROCURED, "closed"], not_recovered=("function", "other"))
    add("family_withdrew_organs", [*PROCURED, "closed"], hospital=H2, not_recovered=("family",))
    add("ethics", [*APPROACHED, "consented", "ethics_rejected"], hospital=H2)
    add("declined", [*APPROACHED, "declined"], hospital=H2)
    add("revoked", [*APPROACHED, "consented", "declined"], hospital=H2, ended="consent_revoked")
    add("unsuitable", ["evaluating", "not_suitable"])
    add("refusal", ["refusal_on_record"])
    add("cancelled", ["evaluating", "first_determination", "cancelled"])
    add("open", ["evaluating"])
    # 00:30 on 1 January 2025 in Beijing is still 2024 in UTC: it belongs to 2025
    add("new_year", [], referred=beijing(2025, 1, 1, 0, 30))
    # referred on the last day of 2025, the organ recovered in 2026: in the 2025 pathway, the 2026 figure
    add(
        "late",
        [*PROCURED, "allocated", "closed"],
        hospital=H2,
        referred=beijing(2025, 12, 31, 10),
        counted=beijing(2026, 1, 2),
        recipients=1,
    )
    add("qujing_utilised", [*PROCURED, "allocated"], region="530302", hospital=H3, counted="next day", recipients=3)
    add("qujing_unsuitable", ["not_suitable"], region="530302", hospital=H3)
    add("last_year", [*PROCURED, "allocated", "closed"], referred=beijing(2024, 6, 1), counted="next day", recipients=1)
    add("before_new_year", [], referred=beijing(2024, 12, 31, 23, 59))
    return made


def _kunming():
    return selectors.pathway(region=Region.objects.get(code="530100"), year=2025)


def test_each_case_counts_at_the_furthest_stage_it_reached_and_its_loss_reason(cases):
    total = _kunming().total
    assert total.stages == {"referred": 13, "eligible": 9, "consented": 7, "actual": 3, "utilised": 2}
    assert total.open == 2  # still under evaluation; opened at 00:30 on New Year's Day
    assert total.losses["referred"] == {**dict.fromkeys(selectors.REASONS, 0), "medical": 1, "refusal_on_record": 1}
    assert total.losses["eligible"] == {**dict.fromkeys(selectors.REASONS, 0), "declined": 1, "logistics": 1}
    assert total.losses["consented"] == {
        **dict.fromkeys(selectors.REASONS, 0),
        "declined": 2,
        "medical": 1,
        "ethics": 1,
    }
    assert total.losses["actual"] == {**dict.fromkeys(selectors.REASONS, 0), "logistics": 1}
    # every case is utilised, lost once, or in progress
    lost = sum(sum(by.values()) for by in total.losses.values())
    assert total.stages["utilised"] + lost + total.open == total.stages["referred"]


@pytest.mark.parametrize(
    "key, stage, reason",
    [
        ("utilised", "utilised", ""),
        ("not_used", "actual", "logistics"),
        ("none_recovered", "consented", "medical"),
        ("family_withdrew_organs", "consented", "declined"),
        ("ethics", "consented", "ethics"),
        ("declined", "eligible", "declined"),
        ("revoked", "consented", "declined"),
        ("unsuitable", "referred", "medical"),
        ("refusal", "referred", "refusal_on_record"),
        ("cancelled", "eligible", "logistics"),
        ("open", "referred", "open"),
    ],
)
def test_one_case_alone(cases, key, stage, reason):
    OrganCase.objects.exclude(pk=cases[key].pk).update(region_id="530302")
    total = _kunming().total
    reached = selectors.STAGES.index(stage)
    assert [total.stages[s] for s in selectors.STAGES] == [1] * (reached + 1) + [0] * (4 - reached)
    if reason in ("", "open"):
        assert not any(sum(by.values()) for by in total.losses.values())
        assert total.open == (reason == "open")
    else:
        assert total.losses[stage][reason] == 1
        assert sum(sum(by.values()) for by in total.losses.values()) == 1


def test_a_closed_case_with_nothing_to_explain_its_loss_is_unknown():
    stage, reason = selectors.place(
        state="closed", reached={"consented"}, counted=False, transplanted=False, not_recovered=[]
    )
    assert (stage, reason) == (2, "other")


def test_conversion_rates_and_the_prefecture_and_hospital_rows(cases):
    data = selectors.pathway(region=Region.objects.get(code="530000"), year=2025)
    rates = data.total.rates
    assert rates["consented_eligible"] == pytest.approx(8 / 10)
    assert rates["actual_eligible"] == pytest.approx(4 / 10)
    assert rates["utilised_actual"] == pytest.approx(3 / 4)
    assert [r.code for r, _t in data.prefectures] == ["530100", "530300"]
    kunming, qujing = (t for _r, t in data.prefectures)
    assert kunming.stages["referred"] == 13 and qujing.stages == {
        "referred": 2,
        "eligible": 1,
        "consented": 1,
        "actual": 1,
        "utilised": 1,
    }
    assert kunming.rates["actual_consented"] == pytest.approx(3 / 7)
    hospitals = {(r.code, h): t for r, h, t in data.hospitals}
    assert set(hospitals) == {("530100", H1), ("530100", H2), ("530300", H3)}
    assert hospitals[("530100", H1)].stages == {
        "referred": 8,
        "eligible": 4,
        "consented": 3,
        "actual": 2,
        "utilised": 1,
    }
    assert hospitals[("530100", H2)].stages == {
        "referred": 5,
        "eligible": 5,
        "consented": 4,
        "actual": 1,
        "utilised": 1,
    }
    assert hospitals[("530100", H1)].rates["utilised_actual"] == pytest.approx(1 / 2)
    empty = selectors.Tally()
    assert all(v is None for v in empty.rates.values())  # no division by nought


def test_actual_donors_agree_with_the_published_figure_save_for_the_year_of_recovery(cases):
    data = selectors.pathway(region=Region.objects.get(code="530000"), year=2025)
    # the case referred on 31 December 2025 and recovered in 2026: in this pathway, in the 2026 figure
    assert data.total.stages["actual"] == figure("cases.organ_donations").count(2025, "53") + 1
    assert figure("cases.organ_donations").count(2026, "53") == 1
    assert (
        selectors.pathway(region=Region.objects.get(code="530000"), year=2024).total.stages
        == {
            "referred": 2,
            "eligible": 1,
            "consented": 1,
            "actual": 1,
            "utilised": 1,
        }
        and figure("cases.organ_donations").count(2024, "53") == 1
    )


def test_donors_per_million_where_the_population_is_entered(cases):
    RegionPopulation.objects.create(region_id="530100", year=2025, population=8_500_000)
    RegionPopulation.objects.create(region_id="530300", year=2024, population=5_800_000)  # another year
    data = selectors.pathway(region=Region.objects.get(code="530000"), year=2025)
    kunming, qujing = (t for _r, t in data.prefectures)
    assert kunming.pmp == pytest.approx(3 / 8.5)
    assert qujing.pmp is None and data.total.pmp is None
    RegionPopulation.objects.create(region_id="530000", year=2025, population=46_000_000)
    assert selectors.pathway(region=Region.objects.get(code="530000"), year=2025).total.pmp == pytest.approx(4 / 46)
    # a county's area is part of its prefecture: the prefecture's population does not apply to it
    county = selectors.pathway(region=Region.objects.get(code="530102"), year=2025)
    assert county.total.stages["referred"] == 13 and county.prefectures[0][1].pmp is None


class Tables(HTMLParser):
    """The text of each cell of the page's tables, by the table's id."""

    def __init__(self, page: str):
        super().__init__()
        self.tables, self.table, self.row, self.cell = {}, None, None, None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.table = self.tables.setdefault(dict(attrs).get("id"), [])
        elif tag == "tr" and self.table is not None:
            self.row = []
            self.table.append(self.row)
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        elif tag == "table":
            self.table = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def _page(username, query=""):
    client = Client()
    client.force_login(user(username))
    return client.get(f"/workspace/stats/pathway/{query}")


def test_the_page_shows_the_funnel_its_table_the_losses_and_the_hospitals(cases):
    RegionPopulation.objects.create(region_id="530100", year=2025, population=8_500_000)
    response = _page("prov_admin", "?year=2025")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and "<script" not in page.split("<main", 1)[-1]
    tables = Tables(page).tables
    assert [row[1] for row in tables["pathway-stages"][1:]] == ["15", "10", "8", "4", "3", "2"]
    rates = dict(tables["pathway-rates"])
    assert list(rates.values()) == ["66.7%", "80.0%", "40.0%", "50.0%", "75.0%", "—"]  # no province population
    losses = tables["pathway-losses"]
    assert losses[1][1:] == ["0", "1", "2", "0", "0", "0", "3"]  # refusal; Kunming's and Qujing's unsuitable
    assert losses[3][1:] == ["2", "0", "1", "1", "0", "0", "4"]
    assert losses[-1][1:] == ["3", "1", "3", "1", "2", "0", "10"]  # the total lost by reason
    prefectures = {row[0]: row for row in tables["pathway-prefectures"][1:]}
    kunming = next(row for name, row in prefectures.items() if name.startswith("昆明"))
    assert kunming[1:7] == ["13", "9", "7", "3", "2", "2"] and kunming[-1] == "0.35"
    qujing = next(row for name, row in prefectures.items() if name.startswith("曲靖"))
    assert qujing[-1] == "—"
    hospitals = {row[0]: row for row in tables["pathway-hospitals"][1:]}
    assert hospitals[H1][2:7] == ["8", "4", "3", "2", "1"] and hospitals[H3][2:7] == ["2", "1", "1", "1", "1"]


def test_a_prefecture_sees_only_its_own_area(cases):
    tables = Tables(_page("kunming_staff", "?year=2025").content.decode()).tables
    assert [row[0] for row in tables["pathway-prefectures"][1:-1]] == ["昆明市"]
    assert [row[1] for row in tables["pathway-stages"][1:]] == ["13", "9", "7", "3", "2", "2"]
    assert H3 not in {row[0] for row in tables["pathway-hospitals"][1:]}
    qilin = Tables(_page("qilin_staff", "?year=2025").content.decode()).tables
    assert [row[1] for row in qilin["pathway-stages"][1:]] == ["2", "1", "1", "1", "1", "0"]
    page = _page("kunming_staff", "?year=2025").content.decode()
    assert 'value="530102"' in page and 'value="530300"' not in page  # its counties to choose, not Qujing
    refused = _page("kunming_staff", "?year=2025&region=530300")
    assert refused.status_code == 400 and H3 not in refused.content.decode()


@pytest.mark.parametrize(
    "query, words",
    [
        ("?year=abc", "Give a year from 2000"),
        ("?year=1999", "from 2000"),
        ("?year=2999", "from 2000"),
        ("?region=999999", "No region has the code 999999"),
        ("?region=53x", "No region has the code 53x"),
        ("?region=530300", "outside your area"),
    ],
)
def test_bad_input_is_refused_with_a_message(english, cases, query, words):
    response = _page("kunming_staff", query)
    assert response.status_code == 400
    assert words in response.content.decode()


def test_the_export_holds_the_tables_and_is_audited(cases):
    RegionPopulation.objects.create(region_id="530100", year=2025, population=8_500_000)
    client = Client()
    client.force_login(user("kunming_staff"))
    response = client.get("/workspace/stats/pathway/export/?year=2025&region=530100")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    areas, losses, hospitals = book.worksheets
    rows = list(areas.iter_rows(values_only=True))
    assert rows[1][:7] == ("昆明市", 13, 9, 7, 3, 2, 2) and rows[1][-2:] == (8_500_000, "0.35")
    assert [r[-1] for r in list(losses.iter_rows(values_only=True))[1:]] == [2, 2, 4, 1]
    assert {r[1] for r in list(hospitals.iter_rows(values_only=True))[1:]} == {H1, H2}
    entry = AuditEntry.objects.filter(action="stats.dashboard.exported").latest("id")
    assert entry.actor_username == "kunming_staff" and entry.changes["year"] == 2025
    assert client.get("/workspace/stats/pathway/export/?year=2025&region=530300").status_code == 400
    assert not AuditEntry.objects.filter(action="stats.dashboard.exported", object_id="530300").exists()


def test_the_menu_leads_to_the_pathway():
    client = Client()
    client.force_login(user("auditor"))
    assert 'href="/workspace/stats/pathway/"' in client.get("/workspace/").content.decode()
    client.force_login(user("opo_staff"))
    assert 'href="/workspace/stats/pathway/"' not in client.get("/workspace/").content.decode()


def test_the_cases_walked_through_the_workflow():
    """The demo's organ cases, taken step by step through the case services: a C-I case closed with
    organs transplanted, a C-II case at consent, a C-II family that declined, a C-I case on the
    person's own wish approved by the ethics committee."""
    from boai.cases.demo import load_demo_cases

    load_demo_cases()
    expected = {"马建国": (4, ""), "沈永福": (2, "open"), "杨国华": (1, "declined"), "罗永平": (2, "open")}
    years = {c.name: c.referred_at.astimezone(SHANGHAI).year for c in OrganCase.objects.all()}
    for year in set(years.values()):
        total = selectors.pathway(region=Region.objects.get(code="530000"), year=year).total
        mine = [expected[name] for name, y in years.items() if y == year]
        assert total.stages["referred"] == len(mine)
        for i, stage in enumerate(selectors.STAGES):
            assert total.stages[stage] == sum(1 for s, _r in mine if s >= i), stage
        assert total.open == sum(1 for _s, r in mine if r == "open")
        assert total.losses["eligible"]["declined"] == sum(1 for s, r in mine if (s, r) == (1, "declined"))


@pytest.mark.parametrize(
    "query, field, words",
    [("?year=abc", "year", "Give a year from 2000"), ("?region=999999", "region", "No region has the code")],
)
def test_bad_input_shows_the_workspace_page_with_the_message_beside_the_field(english, cases, query, field, words):
    for url in ("/workspace/stats/pathway/", "/workspace/stats/pathway/export/"):
        client = Client()
        client.force_login(user("kunming_staff"))
        response = client.get(url + query)
        body = response.content.decode()
        assert response.status_code == 400
        assert 'id="ws-nav"' in body  # the workspace, its menu, not the public error page
        assert f'id="{field}_error"' in body and words in body.split(f'id="{field}_error"')[1].split("</p>")[0]
        assert f'aria-describedby="{field}_error"' in body
        assert "pathway-prefectures" not in body  # no figures under a refused choice


def test_the_funnel_is_readable_on_a_phone(cases):
    body = _page("prov_admin", "?year=2025").content.decode()
    svg = body.split('class="bar-chart">')[1].split("</svg>")[0]
    assert 'font-size="11"' not in svg and svg.count('font-size="14"') == 10  # a label and a count per stage
    view_width = int(body.split('viewBox="0 0 ')[1].split(" ")[0])
    assert view_width <= 400  # at a 390 px phone's width a unit is about a pixel: 14-unit text ≥ 12 px
    # every count ends inside the drawing
    for x, value in re.findall(r'<text x="([\d.]+)" y="[\d.]+" font-size="14">(\d+)</text>', svg):
        assert float(x) + 9 * len(value) <= view_width
