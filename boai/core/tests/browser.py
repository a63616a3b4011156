"""What the browser tests share: Debian's Chromium driven by Playwright (the ``browser`` fixture is
in conftest.py), a staff login with its second factor, and axe-core's WCAG 2.1 AA check."""

import os
import re
import shutil

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from boai.core.tests.personas import PASSWORD
from boai.lib import chromium

WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def require_chromium():
    """Call at the top of a browser test module. Outside CI a missing Chromium skips; in CI it fails."""
    if not shutil.which(chromium.EXECUTABLE) and not os.environ.get("CI"):
        pytest.skip("Debian's chromium is not installed (make test installs it as root)", allow_module_level=True)


def launch(playwright):
    return playwright.chromium.launch(executable_path=chromium.EXECUTABLE, headless=True, args=chromium.ARGS)


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


def assert_accessible(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()


PHONE = {"width": 390, "height": 844}


def phone_pages(browser, base: str):
    """``(get, close)``: ``get("wuhua_staff")`` is a logged-in zh-CN phone page of that account (one
    browser context each, the data-confirm questions accepted); ``close()`` closes them all."""
    contexts, pages = [], {}

    def get(username):
        if username not in pages:
            context = browser.new_context(locale="zh-CN", viewport=PHONE)
            contexts.append(context)
            page = context.new_page()
            page.set_default_timeout(20000)
            page.on("dialog", lambda dialog: dialog.accept())
            login(page, base, username)
            pages[username] = page
        return pages[username]

    def close():
        for context in contexts:
            context.close()

    return get, close


def main_text(page) -> str:
    return page.inner_text("main")


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"
