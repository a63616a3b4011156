"""A citizen on a small phone: registers (the code read from the file outbox), downloads the e-card
PDF, looks the registration up and withdraws it. The portal pages pass axe-core's WCAG 2.1 AA rules."""

import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from boai.core.tests.browser import assert_accessible, require_chromium
from boai.registry.models import Registration
from boai.registry.tests.helpers import last_code, resident_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()


@pytest.fixture
def phone(browser, live_server, transactional_base_data, settings, tmp_path):
    settings.BOAI_SMS_OUTBOX = tmp_path / "sms-outbox.jsonl"
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        locale="zh-CN",
        accept_downloads=True,
        bypass_csp=True,
    )
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


def test_register_download_the_card_look_up_and_withdraw_on_a_phone(phone, live_server, settings):
    page, outbox, id_number = phone, settings.BOAI_SMS_OUTBOX, resident_id(seq="61")
    page.goto(f"{live_server.url}/")
    page.click("text=立即登记")
    assert_accessible(page)
    page.fill("#id_name", "李桂英")
    page.fill("#id_id_number", id_number)
    page.fill("#id_phone", "13600005555")
    page.select_option("#id_region", "530102")
    page.check("input[name=organs][value=all]")
    page.check("input[name=tissues][value=cornea]")
    page.fill("#id_family_1_name", "李强")
    page.fill("#id_family_1_relationship", "儿子")
    page.check("#id_consent")
    page.click("button[value=send_code]")
    page.wait_for_selector(".msg-success")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    page.fill("#id_code", last_code(outbox))
    page.click("button[value=register]")
    page.wait_for_url(re.compile(r".*/my/card/$"))
    reg = Registration.objects.get(name="李桂英")
    assert reg.number in page.inner_text("main")
    with page.expect_download() as download:
        page.click("a[href$='card.pdf']")
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(open(download.value.path(), "rb").read())).pages)
    assert reg.number in text and "李桂英" in text

    page.goto(f"{live_server.url}/v/{reg.verify_code}/")
    assert "李**" in page.inner_text("main") and "李桂英" not in page.content()
    assert_accessible(page)

    from django.utils import timezone

    from boai.core.models import SmsCode

    SmsCode.objects.update(created_at=timezone.now() - timezone.timedelta(minutes=5))  # past the 1-a-minute limit
    page.goto(f"{live_server.url}/lookup/")
    assert_accessible(page)
    page.fill("#id_id_number", id_number)
    page.click("button[value=send_code]")
    page.fill("#id_code", last_code(outbox))
    page.click("button[value=verify]")
    page.wait_for_url(re.compile(r".*/my/$"))
    page.fill("#id_reason", "想再和家人商量")
    page.once("dialog", lambda dialog: dialog.accept())  # the confirmation before withdrawing
    page.click("button.danger")
    page.wait_for_selector("text=重新登记")
    reg.refresh_from_db()
    assert reg.status == "withdrawn" and reg.withdrawal_reason == "想再和家人商量"
