"""The public memorial wall and its message form in a phone-sized Chromium: a consented donor with a
published message is shown, and both pages pass axe-core's WCAG 2.1 AA check."""

from datetime import date
from pathlib import Path

import pytest

from boai.core.tests.browser import assert_accessible, require_chromium
from boai.core.tests.personas import user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()

SHOTS = Path("/tmp/shots-ux")  # screenshots to look at


def test_the_public_wall_shows_a_consented_donor_and_is_accessible(browser, live_server, transactional_base_data):
    from boai.care.tests.factories import make_family

    from ..services import wall as services

    named = make_family(donor_name="林浏览", donated_on=date(2024, 6, 1))
    entry, code = services.wall_consent_record(
        family=named,
        actor=user("wuhua_staff"),
        member=named.members.first(),
        consented_on=date(2024, 7, 1),
        show_name=True,
        show_year=True,
        show_prefecture=True,
    )
    message = services.wall_message_submit(code=code, text="您的爱在延续。", signed="女儿", ip="10.0.0.9")
    services.wall_message_decide(message=message, actor=user("wuhua_staff"), approve=True)
    anonymous = make_family(donor_name="何不显", donated_on=date(2025, 1, 5))
    services.wall_consent_record(
        family=anonymous,
        actor=user("wuhua_staff"),
        member=anonymous.members.first(),
        consented_on=date(2025, 2, 1),
        show_name=False,
        show_year=True,
        show_prefecture=True,
    )
    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.set_default_timeout(20000)
    page.goto(f"{live_server.url}/memorial/")
    body = page.locator("main").inner_text()
    assert "林浏览" in body and "您的爱在延续。" in body and "何不显" not in body
    assert_accessible(page)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "memorial-wall-phone.png"), full_page=True)
    page.goto(f"{live_server.url}/memorial/message/")
    page.fill("#id_code", "WRONG-CODE")
    page.fill("#id_text", "想您")
    page.click("button[type=submit].primary")
    page.wait_for_selector(".field-error")
    assert_accessible(page)
    page.screenshot(path=str(SHOTS / "memorial-message-phone.png"), full_page=True)
    context.close()
