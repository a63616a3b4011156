"""The on-call roster on a phone (390×844), in Chromium: the page does not scroll sideways, with a
coordinator the witness rule refuses marked on it. Screenshot in /tmp/shots-ux/."""

from pathlib import Path

import pytest

from boai.core.tests.browser import login, require_chromium
from boai.core.tests.personas import user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()

SHOTS = Path("/tmp/shots-ux")


@pytest.fixture
def phone(browser, live_server, transactional_base_data):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


def test_the_roster_fits_a_phone(phone, live_server):
    from boai.cases.tests.helpers import staff_account

    from ..models import Qualification
    from ..services.practice import shift_add
    from .factories import make_qualified, today

    ok = make_qualified(
        name="林静", region="530100", organisation="RC530100", account=staff_account("c_ok", "coordinator", "RC530100")
    )
    off = make_qualified(name="吴刚", region="530100")
    for person in (ok, off):
        shift_add(
            actor=user("kunming_staff"), prefecture="530100", coordinator=person, starts_on=today(), ends_on=today()
        )
    Qualification.objects.filter(coordinator=off).update(state=Qualification.State.SUSPENDED)  # since then
    page = phone
    login(page, live_server.url, "kunming_staff")
    page.goto(f"{live_server.url}/workspace/coordinators/on-call/?prefecture=530100")
    page.wait_for_selector("text=吴刚")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "on-call.png"), full_page=True)
    wide = page.evaluate(  # what sticks out of the page, outside a table's own scrolling box
        "[...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > 391 && !e.closest('.table-wrap'))"
        ".map(e => e.tagName + '.' + e.className)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, wide
    page.evaluate("document.querySelector('.table-wrap').scrollLeft = 10000")
    page.screenshot(path=str(SHOTS / "on-call-scrolled.png"))
