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
        assert_accessible(page)
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
