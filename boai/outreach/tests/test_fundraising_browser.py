"""Fundraising on a phone-sized Chromium: a branch clerk opens the list, types a day in, imports an
export with a bad row and reads the row error report; every page fits the screen and passes axe-core."""

from datetime import date
from pathlib import Path

import pytest

from boai.core.tests.browser import assert_accessible, fits, main_text, phone_pages, require_chromium

from .factories import make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()

SHOTS = Path("/tmp/shots-fundraising")


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_clerk_records_and_imports_results_on_a_phone(browser, live_server, transactional_base_data, tmp_path):
    p = make_project(
        region="530102",
        created_by="wuhua_staff",
        starts_on=date(2025, 5, 5),
        ends_on=date(2025, 5, 8),
        target_fen=20_000_000,
        days=((date(2025, 5, 5), 1_865_000, 412),),
    )
    get, close = phone_pages(browser, live_server.url)
    try:
        page = get("wuhua_staff")
        base = f"{live_server.url}/workspace/outreach/fundraising"
        page.goto(f"{base}/")
        assert p.title in main_text(page)
        fits(page)
        assert_accessible(page)
        shot(page, "list")

        page.goto(f"{base}/{p.pk}/results/")
        page.fill("#id_day", "2025-05-06")
        page.fill("#id_amount", "24,310.50")
        page.fill("#id_donors", "538")
        page.click("button[type=submit].primary")
        page.wait_for_url(f"{base}/{p.pk}/")
        assert "¥42,960.50" in main_text(page)
        fits(page)
        assert_accessible(page)
        shot(page, "detail")

        page.goto(f"{base}/new/")
        fits(page)
        assert_accessible(page)
        shot(page, "form")

        export = tmp_path / "腾讯公益导出.csv"
        export.write_bytes('日期,金额,捐款人次\n2025-05-07,"31,876.20",701\n2025-05-09,10,1\n'.encode("gbk"))
        page.goto(f"{base}/{p.pk}/import/")
        fits(page)
        assert_accessible(page)
        page.set_input_files("#id_file", str(export))
        page.click("button[type=submit].primary")
        page.wait_for_selector("#row-errors")
        body = main_text(page)
        assert "3\t日期" in body and "2025-05-08" in body  # the row, its column and the reason
        assert page.locator("#days-replaced").count() == 0  # 7 May is a new day: nothing to replace
        fits(page)
        assert_accessible(page)
        shot(page, "import")
        page.click("#confirm-import")  # nothing was saved before this confirmation
        page.wait_for_selector("#import-summary")
        fits(page)
    finally:
        close()
