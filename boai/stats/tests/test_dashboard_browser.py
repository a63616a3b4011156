"""Issue 16: the statistics dashboard in a real browser, on a 390×844 phone and on a desktop screen. The
charts (ECharts, drawn on canvas from the page's JSON) come up beside their tables; clicking a
prefecture on the map of Yunnan (at the prefecture's centre, where the map puts it) loads that
prefecture's table by county. The page passes axe-core; the desktop page is photographed whole."""

from collections import Counter
from datetime import date, datetime

import pytest

from boai.core.figures import SHANGHAI
from boai.core.models import Region
from boai.core.tests.browser import PHONE, assert_accessible, fits, login, require_chromium
from boai.core.tests.personas import user
from boai.registry.models import Registration
from boai.registry.notices import CURRENT
from boai.registry.services import PersonData, registration_create
from boai.registry.tests.helpers import resident_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()

YEAR = 2025
DESKTOP = {"width": 1280, "height": 900}
# (prefecture, registrations to add in YEAR): a demo-like spread over the province
SPREAD = {"5301": 14, "5303": 7, "5304": 4, "5305": 3, "5306": 5, "5323": 3, "5325": 6, "5329": 5, "5328": 2}
ETHNIC = ["01", "01", "01", "04", "05", "03", "13", "01", "09"]  # Han, Yi, Tibetan... a Yunnan mix


def demo_like():
    """Registrations signed across the year in nine prefectures (men and women, several ages and
    ethnic groups); returns how many each county of Kunming got."""
    counties = {p: list(Region.objects.filter(level="county", code__startswith=p).order_by("code")[:3]) for p in SPREAD}
    per_county: dict[str, int] = {}
    n = 0
    for prefecture, count in SPREAD.items():
        for i in range(count):
            county = counties[prefecture][i % len(counties[prefecture])]
            signed = date(YEAR, 1 + (n * n + n // 4) % 12, 1 + n % 27)  # an uneven year, as real ones are
            registration_create(
                actor=user("prov_admin"),
                channel="paper",
                consent_version=CURRENT,
                now=datetime(YEAR, 12, 31, 12, 0, tzinfo=SHANGHAI),
                data=PersonData(
                    name="统计演示",
                    id_type="resident_id",
                    id_number=resident_id(county.code, date(1950 + (n * 7) % 50, 3, 1), f"{n % 100:02d}", "MF"[n % 2]),
                    phone="13800009999",
                    region_code=county.code,
                    ethnic_group=ETHNIC[n % len(ETHNIC)],
                    signed_on=signed,
                    organs=["all"],
                ),
            )
            per_county[county.code] = per_county.get(county.code, 0) + 1
            n += 1
    return per_county


def open_dashboard(page, base):
    page.goto(f"{base}/workspace/stats/?year={YEAR}")
    page.wait_for_selector("#dash[data-ready='1']")
    assert page.get_attribute("#map-chart", "aria-hidden") == "true"
    assert page.evaluate("!!echarts.getInstanceByDom(document.getElementById('map-chart'))")


def click_prefecture(page, name):
    """Click the map inside the prefecture ``name``: the chart says which region each point of the
    canvas shows (``getRegionByCoord``); the click goes to the point of that prefecture farthest from
    any other, as a person would aim at its middle."""
    page.locator("#map-chart").scroll_into_view_if_needed()
    x, y = page.evaluate(
        """(name) => {
            const el = document.getElementById('map-chart');
            const chart = echarts.getInstanceByDom(el);
            const geo = chart.getModel().getSeriesByIndex(0).coordinateSystem;
            const inside = [], outside = [];
            for (let x = 2; x < el.clientWidth; x += 6) {
                for (let y = 2; y < el.clientHeight; y += 6) {
                    const region = geo.getRegionByCoord(chart.convertFromPixel({seriesIndex: 0}, [x, y]));
                    (region && region.name === name ? inside : outside).push([x, y]);
                }
            }
            let best = null, bestDistance = -1;
            for (const [x, y] of inside) {
                let nearest = Infinity;
                for (const [u, v] of outside) nearest = Math.min(nearest, (x - u) ** 2 + (y - v) ** 2);
                if (nearest > bestDistance) { bestDistance = nearest; best = [x, y]; }
            }
            return best;
        }""",
        name,
    )
    box = page.locator("#map-chart").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def county_rows(page) -> dict[str, int]:
    cells = page.eval_on_selector_all(
        "#county-table tbody tr", "rows => rows.map(r => [r.cells[0].innerText, r.cells[1].innerText])"
    )
    return {name: int(value.replace(",", "")) for name, value in cells}


def test_the_dashboard_on_a_phone_and_a_desktop_drills_down_from_the_map(
    browser, live_server, transactional_base_data, tmp_path
):
    demo = Counter(r.region_id for r in Registration.objects.all() if r.signed_on.year == YEAR)
    expected = demo + Counter(demo_like())
    kunming_counties = dict(Region.objects.filter(code__startswith="5301", level="county").values_list("name", "code"))
    context = browser.new_context(locale="zh-CN", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(20000)
    refused = []  # what the page's Content Security Policy blocked (an inline style or script)
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        login(page, live_server.url, "prov_admin")  # once: a second factor's code is not taken twice
        for viewport in (PHONE, DESKTOP):
            page.set_viewport_size(viewport)
            open_dashboard(page, live_server.url)
            assert page.is_hidden("#county-section")
            click_prefecture(page, "昆明市")
            page.wait_for_selector("#county-section:not([hidden])")
            page.locator("#county-title", has_text="昆明市").wait_for()
            rows = county_rows(page)
            assert rows == {name: expected[code] for name, code in kunming_counties.items()}
            assert sum(rows.values()) >= SPREAD["5301"]
            # every table at full height: none cut inside a scroll box of its own
            cut = page.eval_on_selector_all(
                "#dash .table-wrap",
                "ws => ws.filter(w => w.scrollHeight > w.clientHeight + 1).map(w => w.getAttribute('aria-labelledby'))",
            )
            assert cut == []
            if viewport is PHONE:
                fits(page)
                # the key figures' four columns (this year, the year before, the difference) fit 390 px
                assert page.eval_on_selector("#key-section .table-wrap", "w => w.scrollWidth - w.clientWidth") <= 1
            assert_accessible(page)
        click_prefecture(page, "曲靖市")
        page.locator("#county-title", has_text="曲靖市").wait_for()
        assert sum(county_rows(page).values()) == sum(n for code, n in expected.items() if code[:4] == "5303")
        assert refused == []
        page.evaluate("window.scrollTo(0, 0)")
        shot = tmp_path / "dashboard.png"  # docs/dashboard.png comes from scripts/screenshot.py on the demo
        height = page.evaluate("document.getElementById('county-section').getBoundingClientRect().bottom")
        page.set_viewport_size({"width": DESKTOP["width"], "height": int(height) + 24})
        page.wait_for_timeout(300)  # the charts follow the window's size
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 50_000
    finally:
        context.close()
