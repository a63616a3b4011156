"""Chinese in a ``.mono`` span (an award's document number on a coordinator's page) is drawn with the
vendored Noto Sans SC, not as boxes: the monospace stack falls back to it. Chromium reports the fonts it
used for the span. Screenshot in /tmp/shots-ux/."""

from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from boai.core.tests.browser import login, require_chromium
from boai.core.tests.personas import user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()

SHOTS = Path("/tmp/shots-ux")
NUMBER = "云红发〔2025〕12号"


def test_a_document_number_in_chinese_is_drawn_with_the_cjk_font(browser, live_server, transactional_base_data):
    from ..models import Award
    from .factories import make_qualified

    person = make_qualified(name="字体测", region="530102")
    Award.objects.create(
        kind=Award.Kind.EXCELLENT_COORDINATOR,
        year=2025,
        coordinator=person,
        name=person.name,
        organisation=person.organisation,
        region=person.region,
        document_number=NUMBER,
        awarded_on=date(2025, 12, 1),
        awarded_by="云南省红十字会",
        created_by=user("prov_admin"),
        created_at=timezone.now(),
    )
    context = browser.new_context(locale="zh-CN", viewport={"width": 1000, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20000)
    login(page, live_server.url, "prov_admin")
    page.goto(f"{live_server.url}/workspace/coordinators/{person.pk}/")
    span = page.locator(f".mono:has-text('{NUMBER}')").first
    span.scroll_into_view_if_needed()
    page.evaluate("document.fonts.ready")
    page.wait_for_timeout(300)
    SHOTS.mkdir(exist_ok=True)
    span.screenshot(path=str(SHOTS / "mono-document-number.png"))
    page.screenshot(path=str(SHOTS / "mono-coordinator-page.png"), full_page=True)

    cdp = context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": ".mono"})["nodeIds"]
    fonts = set()
    for node in nodes:
        html = cdp.send("DOM.getOuterHTML", {"nodeId": node})["outerHTML"]
        if NUMBER in html:
            fonts |= {f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}
    context.close()
    assert any(name.startswith("Noto Sans SC") for name in fonts), (
        fonts
    )  # 云红发〔〕号 are not left to a font without them (boxes)
