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
    page.wait_for_selector("#code-sent")  # swapped in without a reload: the code is in the outbox by now
    page.fill("#id_code", last_code(outbox))
    page.click("button[value=verify]")
    page.wait_for_url(re.compile(r".*/my/$"))
    page.fill("#id_reason", "想再和家人商量")
    page.once("dialog", lambda dialog: dialog.accept())  # the confirmation before withdrawing
    page.click("button.danger")
    page.wait_for_selector("text=重新登记")
    reg.refresh_from_db()
    assert reg.status == "withdrawn" and reg.withdrawal_reason == "想再和家人商量"


@pytest.fixture
def small_phone(browser, live_server, transactional_base_data, settings, tmp_path):
    settings.BOAI_SMS_OUTBOX = tmp_path / "sms-outbox.jsonl"
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="zh-CN", bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


def test_every_error_at_once_then_the_code_without_reloading_on_a_390_by_844_phone(small_phone, live_server, settings):
    """Issue 12 item 10: the whole form is checked first, every error at once; then "send code" swaps
    the form in place (no navigation), the message beside the focused code field, the button counting down."""
    page, outbox = small_phone, settings.BOAI_SMS_OUTBOX
    page.goto(f"{live_server.url}/register/")
    page.wait_for_function("window.htmx !== undefined")
    page.evaluate("window.__notReloaded = true")
    page.fill("#id_name", "李桂英")
    page.fill("#id_id_number", "530102197001011231")  # the check digit is wrong
    page.fill("#id_phone", "13600005555")
    page.select_option("#id_region", "530102")
    page.check("input[name=organs][value=all]")  # and no consent
    page.click("button[value=send_code]")
    page.wait_for_selector("#error-summary")
    assert page.evaluate("window.__notReloaded") is True
    summary = page.locator("#error-summary")
    assert summary.locator("a[href='#id_id_number']").count() == 1
    assert summary.locator("a[href='#id_consent']").count() == 1
    assert page.get_attribute("#id_id_number", "aria-invalid") == "true"
    assert page.get_attribute("#id_consent", "aria-invalid") == "true"
    assert page.locator("#id_id_number_error").is_visible() and page.locator("#id_consent_error").is_visible()
    page.wait_for_function("document.activeElement.id === 'error-summary'")
    assert not outbox.exists()  # no code was sent
    assert_accessible(page)

    page.fill("#id_id_number", resident_id(seq="62"))
    page.check("#id_consent")
    page.click("button[value=send_code]")
    page.wait_for_selector("#code-sent")
    assert page.evaluate("window.__notReloaded") is True  # no navigation: the form was swapped in place
    assert page.locator("#error-summary").count() == 0
    page.wait_for_function("document.activeElement.id === 'id_code'")  # htmx focuses it when the swap settles
    for selector in ("#code-sent", "#id_code"):  # the message and the code field on the screen together
        box = page.locator(selector).bounding_box()
        assert box and 0 <= box["y"] and box["y"] + box["height"] <= 844, selector
    button = page.locator("button[value=send_code]")
    assert button.is_disabled()
    assert re.search(r"\d+", button.inner_text())
    assert len(outbox.read_text(encoding="utf-8").splitlines()) == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)

    page.fill("#id_code", last_code(outbox))
    page.press("#id_code", "Enter")  # a phone's "Go" key registers; it does not send another code
    page.wait_for_url(re.compile(r".*/my/card/$"))
    assert Registration.objects.filter(name="李桂英").count() == 1
    assert len(outbox.read_text(encoding="utf-8").splitlines()) == 1
    page.goto(f"{live_server.url}/register/received/")  # the neutral answer (item 3b) is accessible too
    assert_accessible(page)
