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
