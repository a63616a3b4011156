"""The public open data page on a phone (390 px, Debian's Chromium): the table scrolls sideways inside
its box with the prefecture column staying in view, "<5" and its note are shown, the page itself does
not scroll sideways, and axe-core's WCAG 2.1 AA check passes. The staff population page too."""

import pytest
from django.core.cache import cache

from boai.core.tests.browser import PHONE, assert_accessible, fits, phone_pages, require_chromium

from .test_open_data import counted  # noqa: F401 (the fixture: a known table)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()


def test_the_open_data_page_reads_on_a_phone_and_is_accessible(
    browser,
    live_server,
    transactional_base_data,
    counted,  # noqa: F811
):
    cache.clear()
    context = browser.new_context(locale="zh-CN", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(20000)
    page.goto(f"{live_server.url}/open-data/")
    table = page.locator("table.open-data")
    assert table.locator("tbody tr").count() == 16
    assert "<5" in page.locator("table.open-data").inner_text()
    assert "<5" in page.locator("#open-data-note").inner_text()
    fits(page)  # the page does not scroll sideways: the table's box does
    wrap = page.locator(".open-data-wrap")
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")
    first = page.locator("table.open-data tbody th").first
    before = first.bounding_box()["x"]
    wrap.evaluate("el => { el.scrollLeft = 400; }")
    assert wrap.evaluate("el => el.scrollLeft") > 0
    assert abs(first.bounding_box()["x"] - before) < 2  # the prefecture's name stays in view
    assert_accessible(page)
    page.select_option("#year", "2024")
    page.click("form.filters button[type=submit]")
    assert "2024" in page.locator("h2#open-data-title").inner_text()
    context.close()


def test_the_population_page_is_accessible(browser, live_server, transactional_base_data):
    get, close = phone_pages(browser, live_server.url)
    try:
        page = get("kunming_staff")
        page.goto(f"{live_server.url}/workspace/stats/population/")
        page.select_option("#id_region", "530100")
        page.fill("#id_year", "2024")
        page.fill("#id_population", "-3")
        page.click("form.form button[type=submit]")
        page.wait_for_selector(".field-error")
        assert_accessible(page)
        page.fill("#id_population", "8600000")
        page.click("form.form button[type=submit]")
        page.wait_for_selector("#population-table td.num")
        assert "8,600,000" in page.locator("#population-table").inner_text()
        assert_accessible(page)
    finally:
        close()
