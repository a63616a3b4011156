"""The annual report's page on a phone-sized Chromium: a Kunming clerk sees the year's sentences for
their prefecture, the form and the download links fit the screen and pass axe-core's WCAG 2.1 AA check;
a summary of several years shows its one sentence; a bad year is told beside the field."""

import pytest

from boai.core.tests.browser import assert_accessible, fits, phone_pages, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()


def test_a_clerk_reads_the_report_and_its_summary_on_a_phone(browser, live_server, transactional_base_data):
    get, close = phone_pages(browser, live_server.url)
    try:
        page = get("kunming_staff")
        page.goto(f"{live_server.url}/workspace/stats/report/")
        assert page.locator("#id_region").input_value() == "530100"
        assert page.locator(".report-sentence").count() == 5
        assert "昆明市" in page.locator("#report-preview").inner_text()
        assert page.locator("#report-downloads a").count() == 2
        fits(page)
        assert_accessible(page)
        page.fill("#id_year", "2021")
        page.fill("#id_year_to", "2025")
        page.click("#report-form button[type=submit]")
        page.wait_for_selector("#report-preview")
        assert page.locator(".report-sentence").count() == 1
        assert "2021" in page.locator(".report-sentence").inner_text()
        page.fill("#id_year", "1990")
        page.fill("#id_year_to", "")
        page.click("#report-form button[type=submit]")
        page.wait_for_selector("#id_year_error")
        assert page.locator("#report-preview").count() == 0
        fits(page)
        assert_accessible(page)
    finally:
        close()
