"""Issue 15: staff create a campaign in the workspace, open its registration link on a 390×844 phone,
register (the SMS code from the test's outbox), reload the campaign page and see the count go up by one.
The public pages touched (the form reached through the link, the unknown link's page) pass axe-core."""

import re

import pytest

from boai.core.tests.browser import PHONE, assert_accessible, fits, phone_pages, require_chromium
from boai.registry.models import Registration
from boai.registry.tests.helpers import last_code, resident_id

from ..models import Campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()

SHOTS = "/tmp/shots-campaigns"


@pytest.fixture
def citizen(browser, live_server, transactional_base_data, settings, tmp_path):
    settings.BOAI_SMS_OUTBOX = tmp_path / "sms-outbox.jsonl"
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


def _shot(page, name):
    import os

    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_a_campaign_made_in_the_workspace_counts_a_registration_through_its_link(
    browser, live_server, citizen, settings
):
    get, close = phone_pages(browser, live_server.url)
    try:
        staff = get("prov_admin")
        staff.goto(f"{live_server.url}/workspace/outreach/campaigns/new/")
        staff.fill("#id_title", "浏览器测试登记季")
        staff.fill("#id_code", "browser-season")
        staff.fill("#id_starts_on", "2026-01-01")
        staff.fill("#id_ends_on", "2026-12-31")
        staff.select_option("#id_region", "530000")
        staff.click("form.form button.primary")
        staff.wait_for_url(re.compile(r".*/workspace/outreach/campaigns/\d+/$"))
        campaign = Campaign.objects.get(code="browser-season")
        assert staff.inner_text("#attributed-total") == "0"
        fits(staff)

        staff.goto(f"{live_server.url}/workspace/outreach/campaigns/{campaign.pk}/link/")
        link = staff.inner_text("#short-link")
        assert link.endswith("/c/browser-season/")
        fits(staff)
        assert_accessible(staff)
        _shot(staff, "link")

        page, outbox = citizen, settings.BOAI_SMS_OUTBOX
        page.goto(link)
        page.wait_for_url(re.compile(r".*/register/\?c=browser-season$"))
        assert "浏览器测试登记季" in page.inner_text("#campaign-banner")
        assert_accessible(page)
        page.fill("#id_name", "李桂英")
        page.fill("#id_id_number", resident_id(seq="71"))
        page.fill("#id_phone", "13600005555")
        page.select_option("#id_region", "530102")
        page.check("input[name=organs][value=all]")
        page.fill("#id_family_1_name", "李强")
        page.fill("#id_family_1_relationship", "儿子")
        page.check("#id_consent")
        page.click("button[value=send_code]")
        page.wait_for_selector(".msg-success")
        page.fill("#id_code", last_code(outbox))
        page.click("button[value=register]")
        page.wait_for_url(re.compile(r".*/my/card/$"))
        assert Registration.objects.get(name="李桂英").campaign == "browser-season"

        staff.goto(f"{live_server.url}/workspace/outreach/campaigns/{campaign.pk}/")
        assert staff.inner_text("#attributed-total") == "1"
        assert "1" in staff.inner_text("#per-channel-table")
        assert_accessible(staff)
        _shot(staff, "campaign")

        page.goto(f"{live_server.url}/c/no-such-code/")
        assert page.locator("a[href='/register/']").count() >= 1
        assert_accessible(page)
        fits(page)
        _shot(page, "unknown")
    finally:
        close()
