"""Real Chromium (Debian's package) through Playwright: the county clerk's login and scope, and
WCAG 2.1 AA (axe-core) on the public pages and the login."""

import re

import pytest

from boai.core.tests.browser import assert_accessible, login, require_chromium
from boai.registry.models import Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()


@pytest.fixture
def page(browser, live_server, transactional_base_data):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_a_county_clerk_logs_in_and_sees_only_their_county(page, live_server):
    login(page, live_server.url, "wuhua_staff")
    assert "五华区" in page.inner_text("main")
    page.click("nav#ws-nav >> text=意愿登记")
    page.wait_for_selector("table.records")
    shown = set(re.findall(r"YN\d{10}", page.inner_text("table.records")))
    expected = set(Registration.objects.filter(region_id="530102").values_list("number", flat=True))
    others = set(Registration.objects.exclude(region_id="530102").values_list("number", flat=True))
    assert shown == expected and len(shown) >= 2
    assert not shown & others
    counties = {cell.strip() for cell in page.locator("table.records tbody td:nth-child(5)").all_inner_texts()}
    assert counties == {"五华区"}
    # an id from another county typed into the address bar: the same "not found" as a missing record
    other = Registration.objects.exclude(region_id="530102").first()
    response = page.goto(f"{live_server.url}/workspace/registrations/{other.pk}/")
    assert response.status == 404
    assert other.name not in page.content()


def test_the_search_filters_as_you_type(page, live_server):
    login(page, live_server.url, "kunming_staff")
    page.goto(f"{live_server.url}/workspace/registrations/")
    target = Registration.objects.filter(region_id="530103").first()
    page.fill("#q", target.name)
    page.wait_for_function("document.querySelectorAll('table.records tbody tr').length === 1")
    assert target.number in page.inner_text("table.records")


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/no-such-page/", "/verify/", "/verify/?number=00000000"])
def test_public_pages_meet_wcag_21_aa(page, live_server, path):
    page.goto(f"{live_server.url}{path}")
    assert_accessible(page)


def test_the_public_portal_fits_a_small_phone(browser, live_server, transactional_base_data):
    context = browser.new_context(viewport={"width": 360, "height": 640}, device_scale_factor=2)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    font_px = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert font_px >= 16
    context.close()
