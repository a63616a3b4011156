"""A campaign's page on a 390-px phone: the per-day column chart fits the card, and the per-channel
table shows both its columns (the long channel labels wrap)."""

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from boai.core.tests.browser import assert_accessible, fits, phone_pages, require_chromium

from .factories import make_campaign
from .test_campaigns_pages import make_registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()

SHOTS = Path("/tmp/shots-fixui")


def inside(inner, outer) -> bool:
    return inner["x"] >= outer["x"] - 1 and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 1


def test_the_campaign_page_shows_the_day_chart_and_both_channel_columns_on_a_phone(
    browser, live_server, transactional_base_data
):
    c = make_campaign(starts_on=date(2025, 3, 1), ends_on=date(2025, 5, 9))
    for day in (3, 3, 17):
        make_registration(c.code, at=datetime(2025, 3, day, 10, tzinfo=ZoneInfo("Asia/Shanghai")), channel="event")
    get, close = phone_pages(browser, live_server.url)
    try:
        page = get("prov_admin")
        page.goto(f"{live_server.url}/workspace/outreach/campaigns/{c.pk}/")
        fits(page)
        assert_accessible(page)
        chart = page.locator("#per-day-svg").locator("xpath=..").bounding_box()
        card = page.locator("#per-day-title").locator("xpath=..").bounding_box()
        assert inside(chart, card) and chart["height"] < 200  # one compact strip, not a page of bars
        wrap = page.locator("#per-channel-table").locator("xpath=..").bounding_box()
        for cell in page.locator("#per-channel-table tbody tr").first.locator("th, td").all():
            assert inside(cell.bounding_box(), wrap)  # the label and its count both in view
        page.locator("#per-channel-table").scroll_into_view_if_needed()
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "campaign-phone-test.png"), full_page=True)
    finally:
        close()
