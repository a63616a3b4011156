"""Real Chromium on a phone (390 px): the public ledger passes axe-core (WCAG 2.1 AA), needs no
sideways scrolling of the page (the tables scroll in their own box), and its chart has a bar per month."""

from datetime import date

import pytest

from boai.core.tests.browser import assert_accessible, require_chromium

from .factories import make_family, make_ledger_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()


@pytest.fixture
def phone_page(browser, transactional_base_data):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


def test_the_public_ledger_on_a_phone(phone_page, live_server):
    for day in (3, 4, 5):
        make_ledger_entry(family=make_family(), amount_fen=123456, paid_on=date(2025, 3, day))
    for region in ("530302", "532301", "530402"):  # one each: "Other (combined)"
        make_ledger_entry(family=make_family(region=region), paid_on=date(2025, 8, 1))
    phone_page.goto(f"{live_server.url}/ledger/?year=2025")
    assert "3,703.68" in phone_page.inner_text("main")
    assert phone_page.locator("svg[role=img] rect").count() == 12
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(phone_page)
