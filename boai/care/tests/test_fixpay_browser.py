"""Real Chromium on a phone (390×844): the payments list and the budgets stack each row as a small card,
amount and state first, nothing cut off and no sideways scrolling; the pages pass axe-core. Screenshots
in /tmp/shots-fixpay/."""

from pathlib import Path

import pytest

from boai.core.tests.browser import assert_accessible, login, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()

SHOTS = Path("/tmp/shots-fixpay")


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


def _inside(page, selector) -> bool:
    """Every element of ``selector`` lies inside the phone's width (not cut off, not off-screen)."""
    return page.evaluate(
        """s => [...document.querySelectorAll(s)].every(e => {
             const r = e.getBoundingClientRect();
             return getComputedStyle(e).display === "none" || (r.width > 0 && r.left >= 0 && r.right <= 390); })""",
        selector,
    )


def test_payments_and_budgets_are_readable_on_a_phone(phone, live_server, transactional_base_data):
    from .factories import make_family
    from .payments_helpers import applied, approved

    approved(yuan=3000, budget_yuan=100000)
    applied(family=make_family(), kind="hardship", yuan=12345)
    SHOTS.mkdir(exist_ok=True)

    login(phone, live_server.url, "prov_admin")
    phone.goto(f"{live_server.url}/workspace/care/payments/")
    phone.screenshot(path=str(SHOTS / "payments-list-390.png"), full_page=True)
    rows = phone.locator("table.stack tbody tr")
    assert rows.count() == 2
    assert _inside(phone, "table.stack tbody td")
    assert phone.locator("table.stack caption").evaluate("c => c.getBoundingClientRect().height") < 40
    first = rows.first.locator("td").evaluate_all("cells => cells.map(c => getComputedStyle(c).order)")
    assert first.count("-1") == 2  # the amount and the state lead the card
    assert "¥" in rows.first.inner_text()
    # the kind reads on one line: not one character per line
    kind = rows.first.locator("td").nth(2)
    assert kind.evaluate("c => c.getBoundingClientRect().height") < 60
    assert_accessible(phone)

    phone.goto(f"{live_server.url}/workspace/care/budgets/")
    phone.screenshot(path=str(SHOTS / "budgets-390.png"), full_page=True)
    assert _inside(phone, "table.stack tbody td, table.stack tfoot td")
    # each amount under its label (drawn by the CSS from data-label), all on screen
    labels = phone.locator("table.stack tbody td").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c, '::before').content)"
    )
    for label in ("已批准未付", "已支付", "余额"):
        assert f'"{label}"' in labels, labels
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(phone)
