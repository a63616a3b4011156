"""Chinese shows on a machine without CJK fonts (a kiosk, a fresh browser container, CI screenshots):
the pages carry their own web font, Noto Sans SC split by unicode-range, served from /static/ (no
CDN). The system's own CJK fonts cannot be uninstalled here, so the test asks Chromium which font it
actually drew the Chinese text with, and that the subsets came from our static files."""

import shutil
from pathlib import Path

import pytest

from boai.core.tests.browser import assert_accessible, login, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()

SHOTS = Path("/tmp/shots-ux")


def _fonts_used(page, selector: str) -> set[tuple[str, bool]]:
    """The fonts Chromium drew ``selector``'s text with, and whether each was a web font (DevTools
    ``CSS.getPlatformFontsForNode``: ``isCustomFont`` is false for a font installed on the machine)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    text = cdp.send("DOM.describeNode", {"nodeId": node, "depth": 1})["node"]["children"][0]["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": text})["fonts"]
    return {(font["familyName"], font["isCustomFont"]) for font in fonts}


def _check(page, tmp_path, name, served):
    page.evaluate("document.fonts.ready")
    page.wait_for_function("document.fonts.status === 'loaded'")
    assert page.evaluate("""() => document.fonts.check('16px "Noto Sans SC"', '捐献')""")
    loaded = page.evaluate(
        """() => [...document.fonts].filter(f => f.family.replace(/["']/g, '') === 'Noto Sans SC'
                                            && f.status === 'loaded').length"""
    )
    assert loaded >= 2, "the Noto Sans SC faces for the page's Chinese were not loaded"
    font_requests = [(url, status) for url, status in served if ".woff2" in url]
    assert font_requests, "no web font was requested"
    assert all("/static/vendor/noto-sans-sc/files/" in url and status == 200 for url, status in font_requests)
    used = _fonts_used(page, "h1")
    # the subsets' own name is "Noto Sans SC Thin" (a variable font's default instance)
    assert used and all(name.startswith("Noto Sans SC") and custom for name, custom in used), used
    assert_accessible(page)  # WCAG 2.1 AA with the web font drawing the page
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=False)
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(tmp_path / f"{name}.png", SHOTS / f"font-{name}.png")


@pytest.fixture
def phone(browser, live_server, transactional_base_data):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(20000)
    served: list[tuple[str, int]] = []
    page.on("response", lambda response: served.append((response.url, response.status)))
    yield page, served
    context.close()


def test_the_portal_draws_its_chinese_with_the_served_web_font(phone, live_server, tmp_path):
    page, served = phone
    page.goto(f"{live_server.url}/")
    _check(page, tmp_path, "portal", served)


def test_the_workspace_draws_its_chinese_with_the_served_web_font(phone, live_server, tmp_path):
    page, served = phone
    login(page, live_server.url, "wuhua_staff")
    served.clear()
    page.reload()
    _check(page, tmp_path, "workspace", served)
