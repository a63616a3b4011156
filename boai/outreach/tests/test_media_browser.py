"""The media pages on a phone-sized Chromium: a Wuhua clerk adds a report from an event's link (the
event pre-selected), is told beside the field that a javascript: link is refused, saves a proper one,
and the list, the report's page and the form fit the screen and pass axe-core's WCAG 2.1 AA check."""

from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from boai.core.tests.browser import assert_accessible, fits, main_text, phone_pages, require_chromium

from ..models import MediaReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()

SHOTS = Path("/tmp/shots-media")


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_clerk_adds_a_report_from_an_event_on_a_phone(browser, live_server, transactional_base_data):
    from .factories import make_event, make_media

    event = make_event(region="530102", title="五华区5·8宣传活动", starts_on=date(2025, 5, 8))
    make_media(region="530102", event=event, published_on=date(2025, 5, 9))
    get, close = phone_pages(browser, live_server.url)
    try:
        page = get("wuhua_staff")
        page.goto(f"{live_server.url}/workspace/outreach/media/new/?event={event.pk}")
        assert page.locator("#id_event").input_value() == str(event.pk)
        fits(page)
        assert_accessible(page)
        page.fill("#id_outlet", "昆明日报")
        page.fill("#id_title", "五华区宣传活动见报")
        page.fill("#id_url", "javascript:alert(1)")
        page.fill("#id_published_on", "2025-05-09")
        page.select_option("#id_kind", "news")
        page.fill("#id_reach", "3000")
        page.click("form.form button[type=submit]")
        page.wait_for_selector("#id_url_error")
        assert not MediaReport.objects.filter(title="五华区宣传活动见报").exists()
        fits(page)
        assert_accessible(page)
        shot(page, "media-form-refused-phone")
        page.fill("#id_url", "https://www.kunming.cn/news/1.html")
        page.click("form.form button[type=submit]")
        page.wait_for_selector("#media-link")
        link = page.locator("#media-link")
        assert link.get_attribute("target") == "_blank" and link.get_attribute("rel") == "noopener noreferrer"
        assert "五华区5·8宣传活动" in main_text(page)
        fits(page)
        assert_accessible(page)
        shot(page, "media-detail-phone")
        page.goto(f"{live_server.url}/workspace/outreach/media/")
        assert "五华区宣传活动见报" in main_text(page)
        fits(page)
        assert_accessible(page)
        shot(page, "media-list-phone")
        page.goto(f"{live_server.url}/workspace/")
        year = timezone.localdate().year  # the home page counts Beijing's year
        page.click(f"#main a[href='/workspace/outreach/media/?year={year}']")
        page.wait_for_url(f"**/workspace/outreach/media/?year={year}")
        page.goto(f"{live_server.url}/workspace/")
        fits(page)
        shot(page, "home-phone")
    finally:
        close()
