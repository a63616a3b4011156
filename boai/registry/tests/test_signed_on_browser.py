"""A county clerk in Chromium enters a paper form signed days ago: the date field starts at today,
the clerk sets the day on the form, and the registration shows both days."""

from datetime import timedelta

import pytest
from django.utils import timezone

from boai.core.tests.browser import assert_accessible, login, require_chromium
from boai.registry.models import Registration
from boai.registry.tests.helpers import resident_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def page(browser, live_server, transactional_base_data):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


def test_a_paper_form_signed_days_ago_keeps_its_day(page, live_server, tmp_path):
    scan = tmp_path / "form.pdf"
    scan.write_bytes(PDF)
    signed = timezone.localdate() - timedelta(days=5)
    login(page, live_server.url, "wuhua_staff")
    page.goto(f"{live_server.url}/workspace/registrations/new/")
    assert page.input_value("#id_signed_on") == timezone.localdate().isoformat()
    assert_accessible(page)
    page.fill("#id_name", "和签署")
    page.fill("#id_id_number", resident_id(seq="91"))
    page.fill("#id_phone", "13800007777")
    page.select_option("#id_region", "530102")
    page.check("input[name=organs][value=all]")
    page.fill("#id_signed_on", signed.isoformat())
    page.check("#id_consent_signed")
    page.set_input_files("#id_scan", str(scan))
    page.click("button[type=submit].primary")
    page.wait_for_selector("#signed-on")
    reg = Registration.objects.get(name="和签署")
    assert reg.signed_on == signed and timezone.localdate(reg.registered_at) == timezone.localdate()
    assert signed.isoformat() in page.inner_text("#signed-on")
    assert timezone.localtime(reg.registered_at).strftime("%Y-%m-%d %H:%M") in page.inner_text("#signed-on")
