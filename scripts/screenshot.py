"""Screenshots of Boai's pages for the README and for looking at what we build.

Usage: python scripts/screenshot.py [BASE_URL] [OUT_DIR]   (a server from `make run` must be up)
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from boai.lib import chromium  # noqa: E402

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(sys.argv[2] if len(sys.argv) > 2 else "var/screenshots")
LOCALE = sys.argv[3] if len(sys.argv) > 3 else "zh-CN"  # the browser's language picks the page language


def login(page, username, password="Demo-Boai-2026"):
    page.goto(f"{BASE}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{BASE}/workspace/**")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium.EXECUTABLE, headless=True, args=chromium.ARGS)
        desktop = browser.new_page(viewport={"width": 1280, "height": 800}, locale=LOCALE)
        desktop.goto(f"{BASE}/")
        desktop.screenshot(path=OUT / "portal.png", full_page=True)
        desktop.goto(f"{BASE}/accounts/login/")
        desktop.screenshot(path=OUT / "login.png")
        login(desktop, "kunming_staff")
        desktop.screenshot(path=OUT / "workspace.png", full_page=True)
        desktop.goto(f"{BASE}/workspace/registrations/")
        desktop.screenshot(path=OUT / "registrations.png", full_page=True)
        desktop.click("table.records tbody tr:first-child a")
        desktop.screenshot(path=OUT / "registration.png", full_page=True)
        desktop.goto(f"{BASE}/workspace/organisations/")
        desktop.screenshot(path=OUT / "organisations.png", full_page=True)
        prov = browser.new_page(viewport={"width": 1280, "height": 800}, locale=LOCALE)
        login(prov, "prov_admin")
        for kind in ("organ", "body"):
            prov.goto(f"{BASE}/workspace/cases/{kind}/")
            prov.screenshot(path=OUT / f"cases-{kind}.png", full_page=True)
            prov.click("table.records tbody tr:first-child a")
            prov.screenshot(path=OUT / f"case-{kind}.png", full_page=True)
        prov.goto(f"{BASE}/workspace/stats/")
        prov.locator("canvas").nth(1).wait_for()
        prov.wait_for_timeout(800)  # the charts' entry animation
        prov.screenshot(path=OUT / "dashboard.png", full_page=True)
        prov.goto(f"{BASE}/workspace/certificates/")
        prov.screenshot(path=OUT / "certificates.png", full_page=True)
        prov.goto(f"{BASE}/workspace/certificates/stock/")
        prov.screenshot(path=OUT / "certificate-stock.png", full_page=True)
        prov.goto(f"{BASE}/workspace/certificates/reconciliation/")
        prov.screenshot(path=OUT / "reconciliation.png", full_page=True)
        auditor = browser.new_page(viewport={"width": 1280, "height": 800}, locale=LOCALE)
        login(auditor, "auditor")
        auditor.goto(f"{BASE}/workspace/audit/")
        auditor.wait_for_selector("#chain .msg")
        auditor.screenshot(path=OUT / "audit.png", full_page=True)
        phone = browser.new_page(viewport={"width": 375, "height": 740}, device_scale_factor=2, locale=LOCALE)
        phone.goto(f"{BASE}/")
        phone.screenshot(path=OUT / "portal-phone.png", full_page=True)
        phone.goto(f"{BASE}/verify/")
        phone.screenshot(path=OUT / "verify-phone.png", full_page=True)
        login(phone, "wuhua_staff")
        phone.goto(f"{BASE}/workspace/registrations/")
        phone.screenshot(path=OUT / "registrations-phone.png", full_page=True)
        browser.close()
    print(f"screenshots in {OUT}/")


if __name__ == "__main__":
    main()
