"""The event calendar on a 390×844 phone: the month grid becomes a list of the days that have events
(a multi-day event under each of its days), nothing scrolls sideways, and the page passes axe-core's
WCAG 2.1 AA check; the list page as well."""

from datetime import date
from pathlib import Path

import pytest

from boai.core.tests.browser import assert_accessible, fits, main_text, phone_pages, require_chromium

from .factories import make_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()

SHOTS = Path("/tmp/shots-events")


def test_the_calendar_on_a_phone_lists_the_days_with_events(browser, live_server, transactional_base_data):
    make_event(region="530102", title="五华器官捐献宣传周", starts_on=date(2025, 5, 30), ends_on=date(2025, 6, 2))
    make_event(region="530102", title="5·8红十字日宣传", kind="red_cross_day", starts_on=date(2025, 5, 8))
    get, close = phone_pages(browser, live_server.url)
    try:
        page = get("wuhua_staff")
        page.goto(f"{live_server.url}/workspace/outreach/events/calendar/?date=2025-05-15")
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "calendar-month-phone.png"), full_page=True)
        visible_days = page.locator("table.cal td:visible")
        assert visible_days.count() == 3  # 8 May, 30 and 31 May (1 June lies outside the month)
        text = main_text(page)
        assert "2025-05-08 星期四" in text and "5·8红十字日宣传" in text
        assert text.count("五华器官捐献宣传周") == 2
        fits(page)
        assert_accessible(page)
        page.goto(f"{live_server.url}/workspace/outreach/events/calendar/?view=week&date=2025-06-01")
        page.screenshot(path=str(SHOTS / "calendar-week-phone.png"), full_page=True)
        assert main_text(page).count("五华器官捐献宣传周") == 3  # Friday 30 May to Sunday 1 June
        fits(page)
        assert_accessible(page)
        page.goto(f"{live_server.url}/workspace/outreach/events/")
        page.screenshot(path=str(SHOTS / "events-list-phone.png"), full_page=True)
        fits(page)
        assert_accessible(page)
        page.click("text=5·8红十字日宣传")
        page.wait_for_selector("#event-registrations")
        page.screenshot(path=str(SHOTS / "event-page-phone.png"), full_page=True)
        fits(page)
        assert_accessible(page)
        page.goto(f"{live_server.url}/workspace/outreach/events/new/")
        page.fill("#id_title", "手机上添加的活动")
        page.fill("#id_starts_on", "2025-05-10")
        page.fill("#id_ends_on", "2025-05-09")
        page.click("button[type=submit].primary")
        page.wait_for_selector(".field-error")
        page.screenshot(path=str(SHOTS / "event-form-phone.png"), full_page=True)
        fits(page)
        assert_accessible(page)
        page.goto(f"{live_server.url}/workspace/outreach/partners/")
        fits(page)
        assert_accessible(page)
    finally:
        close()


def test_the_calendar_on_a_desktop_is_a_month_grid(browser, live_server, transactional_base_data):
    from boai.core.tests.browser import login

    make_event(region="530102", title="五华器官捐献宣传周", starts_on=date(2025, 5, 30), ends_on=date(2025, 6, 2))
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20000)
    try:
        login(page, live_server.url, "wuhua_staff")
        page.goto(f"{live_server.url}/workspace/outreach/events/calendar/?date=2025-05-15")
        assert page.locator("table.cal tbody tr").count() == 5
        assert page.locator("table.cal td:visible").count() == 35
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "calendar-month-desktop.png"), full_page=True)
        page.click("#cal-next")
        assert "date=2025-06-01" in page.url
        # June's grid starts on Monday 26 May: 30 and 31 May (greyed) and 1 and 2 June
        assert page.locator("table.cal td.cal-busy").count() == 4
        assert page.locator("table.cal td.cal-busy.cal-out").count() == 2
        assert_accessible(page)
    finally:
        context.close()
