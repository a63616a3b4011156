"""A county clerk in Chromium imports a list with three bad rows: reads the check, downloads the
error report, and imports the valid rows."""

import io
import re

import pytest
from openpyxl import load_workbook

from boai.core.tests.browser import login, require_chromium
from boai.registry.models import Registration
from boai.registry.tests.test_import_export import BAD, GOOD, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()


@pytest.fixture
def page(browser, live_server, transactional_base_data):
    context = browser.new_context(locale="zh-CN", accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


def test_import_a_list_with_three_bad_rows(page, live_server, tmp_path):
    listing = tmp_path / "名单.xlsx"
    listing.write_bytes(xlsx(GOOD + BAD).read())
    login(page, live_server.url, "wuhua_staff")
    page.goto(f"{live_server.url}/workspace/registrations/")
    page.click("a[href$='/import/']")
    page.set_input_files("#id_file", str(listing))
    page.check("#id_consent")
    page.click("button.primary")
    page.wait_for_selector("text=有错误的行")
    status = page.inner_text("#import-status")
    assert re.search(r"有错误的行\s*3", status) and re.search(r"无误的行\s*2", status)
    with page.expect_download() as download:
        page.click("a[href$='report.xlsx']")
    report = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    flagged = [row[0] for row in report.iter_rows(min_row=2, values_only=True) if row[-1]]
    assert flagged == ["孙三", "李四", "赵一又"]
    before = Registration.objects.count()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button.primary")  # import the 2 valid rows only
    page.wait_for_selector("text=已导入")
    assert Registration.objects.count() == before + 2
    assert Registration.objects.filter(channel="import", name__in=["赵一", "钱二"]).count() == 2
