"""Training on a phone (390×844), in Chromium: the class list and a class's page (sessions, roster,
attendance) fit the screen and pass axe-core; the attendance of a held session is taken on the page.
Screenshots go to /tmp/shots-ux/."""

from datetime import timedelta
from pathlib import Path

import pytest

from boai.core.tests.browser import assert_accessible, login, require_chromium
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


def test_a_class_on_a_phone(phone, live_server):
    from ..models import Attendance
    from ..services import training as services
    from .factories import make_coordinator, today
    from .test_training_services import klass

    c = klass()
    held = services.session_add(
        actor=user("prov_admin"), training_class=c, day=today() - timedelta(days=1), topic="政策法规", hours="6"
    )
    services.session_add(
        actor=user("prov_admin"), training_class=c, day=today() + timedelta(days=1), topic="沟通", hours="4"
    )
    e = services.enrol(
        actor=user("prov_admin"), training_class=c, coordinator=make_coordinator(name="陈小晨", state="trainee")
    )
    page = phone
    login(page, live_server.url, "prov_admin")
    SHOTS.mkdir(exist_ok=True)
    page.goto(f"{live_server.url}/workspace/coordinators/classes/")
    assert c.title in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    page.screenshot(path=str(SHOTS / "training-classes.png"), full_page=True)
    page.goto(f"{live_server.url}/workspace/coordinators/classes/{c.pk}/")
    page.click(f"summary:has-text('{held.day:%Y-%m-%d}')")
    page.select_option(f"#st-{held.pk}-{e.pk}", "late")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    page.screenshot(path=str(SHOTS / "training-class.png"), full_page=True)
    page.click(f"form[action$='/sessions/{held.pk}/attendance/'] button[type=submit]")
    page.wait_for_load_state()
    assert Attendance.objects.get(enrolment=e, session=held).status == "late"
