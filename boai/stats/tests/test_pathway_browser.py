"""The donor pathway on a phone (390×844), in Chromium: the funnel and its tables fit (tables scroll
in their own box), axe finds no WCAG 2.1 AA violation, and the Excel export downloads. Screenshot
in /tmp/shots-ux/pathway.png."""

from pathlib import Path

import pytest

from boai.core.tests.browser import assert_accessible, fits, phone_pages, require_chromium

from .pathway_factories import APPROACHED, H2, PROCURED, beijing, organ_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()

SHOTS = Path("/tmp/shots-ux")


def test_the_pathway_on_a_phone(browser, live_server, transactional_base_data):
    organ_case([*PROCURED, "allocated", "closed"], counted=beijing(2025, 3, 2), recipients=2)
    organ_case([*APPROACHED, "declined"], hospital=H2)
    organ_case(["not_suitable"], region="530302")
    get, close = phone_pages(browser, live_server.url)
    try:
        page = get("prov_admin")
        page.goto(f"{live_server.url}/workspace/stats/pathway/?year=2025")
        page.wait_for_selector("#pathway-stages")
        assert page.inner_text("#pathway-stages tbody tr:first-child td") == "3"
        fits(page)
        # every conversion rate shows in full, its cell inside the screen and not clipped
        for cell in page.query_selector_all("#pathway-rates td"):
            box = cell.bounding_box()
            assert box["x"] + box["width"] <= 390 and cell.evaluate("c => c.scrollWidth <= c.clientWidth")
        assert "100.0%" in page.inner_text("#pathway-rates") or "%" in page.inner_text("#pathway-rates")
        # the funnel's words are 12 px or more on screen, and each count ends inside the drawing
        sizes = page.eval_on_selector_all(".pathway-funnel text", "ts => ts.map(t => t.getBoundingClientRect().height)")
        assert sizes and min(sizes) >= 12, sizes
        svg = page.query_selector(".pathway-funnel svg").bounding_box()
        for t in page.query_selector_all(".pathway-funnel text"):
            b = t.bounding_box()
            assert b["x"] + b["width"] <= svg["x"] + svg["width"] + 0.5
        assert_accessible(page)
        # a wrong year: the workspace page (its menu button), the message beside the year
        page.goto(f"{live_server.url}/workspace/stats/pathway/?year=abc")
        assert page.is_visible(".nav-toggle") and page.is_visible("#year_error")
        page.goto(f"{live_server.url}/workspace/stats/pathway/?year=2025")
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "pathway.png"), full_page=True)
        page.select_option("#region", "530100")
        page.click(".filters button[type=submit]")
        page.wait_for_url("**region=530100**")
        assert page.inner_text("#pathway-stages tbody tr:first-child td") == "2"
        with page.expect_download() as download:
            page.click(".page-head .actions a")
        assert download.value.suggested_filename.startswith("donor-pathway-2025-530100")
    finally:
        close()


def test_the_population_table_fits_a_phone(browser, live_server, transactional_base_data):
    from boai.stats import demo

    demo.load()
    SHOTS.mkdir(exist_ok=True)
    get, close = phone_pages(browser, live_server.url)
    try:
        page = get("prov_admin")
        page.goto(f"{live_server.url}/workspace/stats/population/?year=2023")
        page.wait_for_selector("#population-table")
        cell = page.query_selector("#population-table tbody tr:first-child td.num")
        box = cell.bounding_box()
        assert box["x"] + box["width"] <= 390  # the population in view without scrolling sideways
        assert "," in cell.inner_text()
        rows = page.eval_on_selector_all("#population-table tbody tr", "rs => rs.map(r => r.offsetHeight)")
        page.query_selector("#population-table").screenshot(path=str(SHOTS / "population-table.png"))
        # the source under the area's name, not a narrow column of its own: a row of a short name is 4 lines at
        # most, the longest autonomous prefecture's 5 (they were 7, 150 px)
        assert sorted(rows)[len(rows) // 2] <= 100 and max(rows) <= 125, rows
        fits(page)
        assert_accessible(page)
    finally:
        close()
