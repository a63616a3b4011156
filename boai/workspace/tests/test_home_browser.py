"""The home page of every role on a phone (390×844), in Chromium: its own work, nothing wider than
the screen, WCAG 2.1 AA (axe-core); a refusal keeps the menu. Screenshots go to /tmp/shots-ux/ for a
person to look at."""

import shutil
from pathlib import Path

import pytest

from boai.core.tests.browser import assert_accessible, login, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()

SHOTS = Path("/tmp/shots-ux")
ROLES = ["prov_admin", "wuhua_staff", "coordinator", "opo_staff", "station_staff", "auditor", "sysadmin"]


@pytest.fixture
def phone(browser, live_server, transactional_base_data):
    from boai.cases.demo import load_demo_cases
    from boai.certificates.demo import load_demo_certificates

    load_demo_cases()
    load_demo_certificates()
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


@pytest.mark.parametrize("username", ROLES)
def test_each_role_lands_on_its_work_on_a_phone(phone, live_server, tmp_path, username):
    page = phone
    login(page, live_server.url, username)
    panels = page.locator("main section.home-panel")
    assert panels.count() >= 1, f"{username} has nothing on the home page"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / f"home-{username}.png"), full_page=True)
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(tmp_path / f"home-{username}.png", SHOTS / f"home-{username}.png")


def test_a_refusal_on_a_phone_keeps_the_menu(phone, live_server, tmp_path):
    page = phone
    login(page, live_server.url, "wuhua_staff")
    response = page.goto(f"{live_server.url}/workspace/audit/")
    assert response.status == 403
    assert page.locator("#ws-nav a").count() >= 3
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "refused.png"), full_page=True)
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(tmp_path / "refused.png", SHOTS / "refused-wuhua_staff.png")


def _shot(page, tmp_path, name):
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(tmp_path / f"{name}.png", SHOTS / f"{name}.png")


def test_a_case_page_names_people_and_rules_in_words_on_a_phone(phone, live_server, tmp_path):
    from boai.cases.models import OrganCase
    from boai.workspace.tests.test_links import USERNAMES, rule_codes

    page = phone
    login(page, live_server.url, "coordinator")
    case = OrganCase.objects.get(state="ethics_approved")
    page.goto(f"{live_server.url}/workspace/cases/organ/{case.pk}/")
    text = page.inner_text("body")
    assert "杨洁" in text  # the coordinator's own steps, by name
    assert not USERNAMES.search(text), USERNAMES.findall(text)
    assert not [code for code in rule_codes() if code in text]
    assert "SHA-256" not in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    _shot(page, tmp_path, "case-coordinator")


def test_the_paper_form_on_a_phone(phone, live_server, tmp_path):
    page = phone
    login(page, live_server.url, "wuhua_staff")
    page.goto(f"{live_server.url}/workspace/registrations/new/")
    assert page.locator("#id_executor_relationship").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    _shot(page, tmp_path, "paper-form-wuhua_staff")
