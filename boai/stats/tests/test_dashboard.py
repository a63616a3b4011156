"""The statistics dashboard against hand counts: a small data set in 2019 (a year the demo data leaves
empty) across two prefectures, read by the selectors, the page (tables without JavaScript), the JSON
endpoint and the Excel download; the area kept to the user's own; bad input answered with a message."""

import io
from datetime import date, datetime, timedelta

import pytest
from django.test import Client
from openpyxl import load_workbook

from boai.audit.models import AuditEntry
from boai.cases.models import BodyCase, OrganCase
from boai.cases.tests.helpers import open_body, open_organ
from boai.core.figures import SHANGHAI
from boai.core.models import Region
from boai.core.tests.personas import user
from boai.registry.notices import CURRENT
from boai.registry.services import PersonData, registration_create
from boai.registry.tests.helpers import resident_id
from boai.stats.selectors import dashboard as selectors

pytestmark = pytest.mark.django_db
YEAR = 2019


def register(seq, signed_on, *, region="530102", born=date(1970, 1, 1), sex="M", ethnic="01", **more):
    return registration_create(
        actor=user("prov_admin"),
        channel="paper",
        consent_version=CURRENT,
        now=datetime(signed_on.year, signed_on.month, signed_on.day, 15, 0, tzinfo=SHANGHAI),
        data=PersonData(
            name="统计测试",
            id_type="resident_id",
            id_number=resident_id(region=region, born=born, seq=seq, sex=sex),
            phone="13800009999",
            region_code=region,
            ethnic_group=ethnic,
            signed_on=signed_on,
            **({"organs": ["all"]} | more | ({"executor_name": "李明"} if more.get("body") else {})),
        ),
    )


def organ_case(seq, counted_at, category, region):
    case = open_organ(id_number=resident_id("530102", date(1971, 5, 6), seq, "M"))
    OrganCase.objects.filter(pk=case["id"]).update(
        counted_at=counted_at, donation_category=category, region_id=region, beneficiaries=2
    )


@pytest.fixture
def known():
    """Three registrations signed in 2019 (two in Wuhua, Kunming; one in Qilin, Qujing), one in 2018;
    two organ donations in 2019 (C-I in Wuhua in March, C-II in Qilin in November) and one body
    donation received in Wuhua in December 2019 at 23:30 Beijing time (still 2019)."""
    register("11", date(2019, 3, 5), sex="F", born=date(1970, 4, 1))  # 49: 40-49; organs
    register("12", date(2019, 3, 20), born=date(1990, 1, 1), ethnic="03", body=True)  # 29: 18-29; organs + body
    register("13", date(2019, 11, 2), region="530302", born=date(1960, 1, 1), organs=[], body=True)  # 59; body
    register("14", date(2018, 6, 1))
    organ_case("41", datetime(2019, 3, 10, 9, 0, tzinfo=SHANGHAI), "c1", "530102")
    organ_case("42", datetime(2019, 11, 30, 20, 0, tzinfo=SHANGHAI), "c2", "530302")
    body = open_body()
    BodyCase.objects.filter(pk=body["id"]).update(counted_at=datetime(2019, 12, 31, 23, 30, tzinfo=SHANGHAI))


def rows(table_id, data):
    table = next(t for t in data["breakdowns"] if t["id"] == table_id)
    return {r["key"]: r["value"] for r in table["rows"]}


def test_the_selectors_give_the_hand_counts(known):
    province = Region.objects.get(code="530000")
    data = selectors.dashboard(year=YEAR, region=province, figure_name="registrations")
    key = {k["name"]: k for k in data["key_figures"]}
    assert (key["registrations"]["value"], key["registrations"]["previous"]) == (3, 1)
    assert key["registrations"]["difference"] == 2 and key["registrations"]["change"] == 200.0
    assert (key["organ_donations"]["value"], key["organ_beneficiaries"]["value"], key["body_donations"]["value"]) == (
        2,
        4,
        1,
    )
    assert key["organ_donations"]["change"] is None  # nothing the year before: no percentage
    series = {s["name"]: s["values"] for s in data["monthly"]["series"]}
    assert series["registrations"] == [0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0]
    assert series["organ_donations"] == [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0]
    assert series["body_donations"] == [0] * 11 + [1]  # 23:30 on 31 December in Beijing is still 2019
    by_prefecture = {p["code"]: p["value"] for p in data["prefectures"]}
    assert len(by_prefecture) == 16 and by_prefecture["530100"] == 2 and by_prefecture["530300"] == 1
    assert sum(by_prefecture.values()) == 3
    assert data["counties"] == []  # the province: counties come with a prefecture
    assert rows("sex", data) == {"M": 2, "F": 1}
    assert rows("age", data) == {"18-29": 1, "30-39": 0, "40-49": 1, "50-59": 1, "60-69": 0, "70+": 0}
    assert rows("ethnic", data) == {"01": 2, "03": 1}
    assert rows("wish", data) == {"organs": 2, "tissues": 0, "body": 2}
    assert rows("channel", data) == {"paper": 3}
    assert rows("category", data) == {"c1": 1, "c2": 1, "c3": 0}
    labels = {r["key"]: r["label"] for r in next(t for t in data["breakdowns"] if t["id"] == "ethnic")["rows"]}
    assert labels == {"01": "汉族", "03": "回族"}


def test_a_prefecture_on_the_map_drills_down_to_its_counties(known):
    kunming = Region.objects.get(code="530100")
    data = selectors.dashboard(year=YEAR, region=kunming, figure_name="registrations")
    counties = {c["code"]: c["value"] for c in data["counties"]}
    assert counties["530102"] == 2 and sum(counties.values()) == 2
    assert set(counties) == set(Region.objects.filter(parent=kunming).values_list("code", flat=True))
    organ = selectors.dashboard(year=YEAR, region=Region.objects.get(code="530300"), figure_name="organ_donations")
    assert {c["code"]: c["value"] for c in organ["counties"] if c["value"]} == {"530302": 1}
    assert [p["code"] for p in organ["prefectures"]] == ["530300"]  # the map keeps to the area chosen


def test_the_page_shows_every_number_in_tables_without_javascript(known):
    client = Client()
    client.force_login(user("prov_admin"))
    html = client.get(f"/workspace/stats/?year={YEAR}&figure=organ_donations").content.decode()
    assert 'aria-hidden="true"' in html and "echarts.min.js" in html and "<script>" not in html
    registrations = '<th scope="row">意愿登记</th><td class="num">3</td><td class="num">1</td>'
    assert registrations + '<td class="num">+2 (+200.0%)</td>' in html
    assert '<th scope="row">2019-03</th><td class="num">2</td><td class="num">1</td><td class="num">0</td>' in html
    assert 'data-prefecture="530300">曲靖市</a></th><td class="num">1</td>' in html  # organ donations by prefecture
    assert '<th scope="row">中国一类（C-I）：脑死亡器官捐献（DBD）</th><td class="num">1</td>' in html
    assert 'id="county-section" hidden' in html  # the province: no county table until a prefecture is chosen
    drilled = client.get(f"/workspace/stats/?year={YEAR}&region=530100").content.decode()
    assert '<th scope="row">五华区</th><td class="num">2</td>' in drilled
    assert 'id="county-section" hidden' not in drilled


def test_a_prefecture_user_starts_on_their_prefecture_and_cannot_ask_for_another(known, english):
    client = Client()
    client.force_login(user("kunming_staff"))
    data = client.get(f"/workspace/stats/data/?year={YEAR}").json()
    assert data["region"]["code"] == "530100" and [p["code"] for p in data["prefectures"]] == ["530100"]
    assert {c["code"]: c["value"] for c in data["counties"]}["530102"] == 2
    for url in ("/workspace/stats/data/", "/workspace/stats/", "/workspace/stats/export/"):
        refused = client.get(f"{url}?year={YEAR}&region=530300")
        assert refused.status_code == 400 and "outside your area" in refused.content.decode()
        body = refused.content.decode()
        assert "records" not in body and "prefectures" not in body and "key_figures" not in body  # no numbers
    assert client.get(f"/workspace/stats/data/?year={YEAR}&region=530000").status_code == 400  # above their own
    wuhua = Client()
    wuhua.force_login(user("wuhua_staff"))
    assert wuhua.get(f"/workspace/stats/data/?year={YEAR}").json()["region"]["code"] == "530102"
    assert wuhua.get(f"/workspace/stats/data/?year={YEAR}&region=530100").status_code == 400


@pytest.mark.parametrize(
    "query, field, words",
    [
        ("year=1999", "year", "Give a year from 2000"),
        ("year=20x5", "year", "Give a year from 2000"),
        ("year=2999", "year", "Give a year from 2000"),
        ("region=999999", "region", "No region has the code 999999"),
        ("region=53%27--", "region", "No region has the code"),
        ("figure=nothing", "figure", "no such figure"),
    ],
)
def test_bad_input_is_answered_with_a_clear_400(english, query, field, words):
    client = Client()
    client.force_login(user("prov_admin"))
    answer = client.get(f"/workspace/stats/data/?{query}")
    assert answer.status_code == 400 and words in answer.json()[field][0]
    page = client.get(f"/workspace/stats/?{query}")
    assert page.status_code == 400 and words in page.content.decode()


def test_the_excel_download_holds_every_table_and_is_audited(known):
    client = Client()
    client.force_login(user("kunming_staff"))
    before = AuditEntry.objects.filter(action="stats.dashboard.exported").count()
    answer = client.get(f"/workspace/stats/export/?year={YEAR}&figure=registrations")
    assert answer.status_code == 200
    assert answer["Content-Disposition"].startswith('attachment; filename="statistics-530100-2019')
    book = load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    assert len(book.sheetnames) == 2 + 2 + 7  # key figures, months, prefectures, counties, seven breakdowns
    key = {r[0]: r[1:] for r in book[book.sheetnames[0]].iter_rows(min_row=2, values_only=True)}
    assert key["意愿登记"] == (2, 1, 1, 100.0)  # Kunming: two in 2019, one in 2018 (Wuhua)
    counties = {r[1]: r[2] for r in book[book.sheetnames[3]].iter_rows(min_row=2, values_only=True)}
    assert counties["五华区"] == 2
    entry = AuditEntry.objects.filter(action="stats.dashboard.exported").order_by("-id").first()
    assert AuditEntry.objects.filter(action="stats.dashboard.exported").count() == before + 1
    assert entry.changes == {"year": YEAR, "region": "530100", "figure": "registrations"}
    coordinator = Client()
    coordinator.force_login(user("coordinator"))
    assert coordinator.get(f"/workspace/stats/export/?year={YEAR}").status_code == 403
    assert AuditEntry.objects.filter(action="stats.dashboard.exported").count() == before + 1


def test_the_map_of_yunnan_names_the_sixteen_prefectures_of_our_region_table():
    import json
    from pathlib import Path

    from django.conf import settings

    geo = json.loads((Path(settings.BASE_DIR) / "boai/core/static/vendor/echarts/yunnan.json").read_text("utf-8"))
    on_map = {f["id"]: f["properties"]["name"] for f in geo["features"]}
    ours = dict(Region.objects.filter(level=Region.Level.PREFECTURE, code__startswith="53").values_list("code", "name"))
    assert on_map == ours and len(ours) == 16


def test_numbers_read_with_thousands_separators_and_a_true_minus(known, monkeypatch):
    figures = [{"name": "registrations", "label": "意愿登记", "value": 5840, "previous": 8910,
                "difference": -3070, "change": -34.5}]  # fmt: skip
    monkeypatch.setattr(selectors, "key_figures", lambda year, prefix: figures)
    client = Client()
    client.force_login(user("prov_admin"))
    html = client.get(f"/workspace/stats/?year={YEAR}").content.decode()
    assert '<td class="num">5,840</td><td class="num">8,910</td><td class="num">\u22123,070 (\u221234.5%)</td>' in html


def test_the_year_under_way_says_up_to_which_day_it_counts(known, english):
    client = Client()
    client.force_login(user("prov_admin"))
    today = datetime.now(SHANGHAI).date()
    current = client.get("/workspace/stats/").content.decode()
    assert f"{today.year}: up to {today:%B} {today.day} (Beijing time)" in current
    assert "up to" not in client.get(f"/workspace/stats/?year={YEAR}").content.decode()


def test_the_demo_registers_people_of_the_last_months_through_the_registry(monkeypatch):
    from boai.core.figures import figure
    from boai.registry.models import Registration
    from boai.stats import demo

    monkeypatch.setattr(demo, "REGISTRATIONS", 40)
    today = datetime.now(SHANGHAI).date()
    registrations = figure("registry.registrations")

    def counted():
        return registrations.count(today.year, "53") + registrations.count(today.year - 1, "53")

    before, known_ids = counted(), set(Registration.objects.values_list("pk", flat=True))
    assert demo.load() is True
    made = Registration.objects.exclude(pk__in=known_ids)
    assert counted() - before == made.count() >= 30  # the tally counts them: they came through the service
    assert today - timedelta(days=560) <= min(made.values_list("signed_on", flat=True))
    assert max(made.values_list("signed_on", flat=True)) <= today
    assert len({r.region_id[:4] for r in made}) >= 5 and {r.sex for r in made} == {"M", "F"}
    assert len({r.channel for r in made}) >= 3 and len({r.ethnic_group for r in made}) >= 3
    again = made.count()
    assert demo.load() is False and counted() - before == again  # loaded once
