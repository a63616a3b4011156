"""Real Chromium (Debian's package) through Playwright: the county clerk's login and scope, and
WCAG 2.1 AA (axe-core) on the public pages and the login."""

import os
import re
import shutil

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from boai.core.tests.personas import PASSWORD
from boai.lib import chromium
from boai.registry.models import Registration

CHROMIUM, ARGS = chromium.EXECUTABLE, chromium.ARGS
WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

if not shutil.which(CHROMIUM) and not os.environ.get("CI"):
    pytest.skip("Debian's chromium is not installed (make test installs it as root)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, transactional_base_data):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(re.compile(r".*/accounts/login/otp/"))
    device = TOTPDevice.objects.get(user__username=username)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.fill("#id_code", f"{code:06d}")
    page.click("button.primary")
    page.wait_for_url(re.compile(r".*/workspace/$"))


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
    from axe_playwright_python.sync_playwright import Axe

    page.goto(f"{live_server.url}{path}")
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()


def test_the_public_portal_fits_a_small_phone(browser, live_server, transactional_base_data):
    context = browser.new_context(viewport={"width": 360, "height": 640}, device_scale_factor=2)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    font_px = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert font_px >= 16
    context.close()
