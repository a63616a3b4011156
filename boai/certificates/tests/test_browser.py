"""Real Chromium: the province receives a batch of consent forms and hands a range to a unit, the unit
confirms, and the coordinator records a consent on the form's number (a wrong number is shown under
the field); the case page shows the form and the reconciliation counts it."""

import pytest

from boai.cases.models import OrganCase
from boai.cases.tests.helpers import PDF, fill_relative, open_organ, signer, walk_organ
from boai.cases.tests.test_browser import as_role, open_case, shot, take_step  # noqa: F401  (as_role: a fixture)
from boai.certificates.models import Certificate, Kind, State
from boai.core.tests.browser import assert_accessible, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()


def test_consent_forms_from_the_province_to_a_signed_consent(as_role, live_server, tmp_path):  # noqa: F811
    province = as_role("prov_admin")
    province.goto(f"{live_server.url}/workspace/certificates/consent-forms/")
    province.fill("#id_batch-serial_from", "1")
    province.fill("#id_batch-serial_to", "50")
    province.fill("#id_batch-supplier", "云南省红十字会印制")
    province.click("button:has-text('入库')")
    province.wait_for_selector(".msg-success")
    assert "50 份空白同意书已入库" in province.inner_text("main")
    province.select_option("#id_hand-unit", label="昆明医科大学第一附属医院")
    province.fill("#id_hand-serial_from", "1")
    province.fill("#id_hand-serial_to", "20")
    province.click("button:has-text('下发')")
    province.wait_for_selector(".msg-success")
    assert "省级空白库存尚有 30 份同意书" in province.inner_text("main")
    shot(province, "consent-forms-province")
    assert_accessible(province)

    opo = as_role("opo_staff")
    opo.goto(f"{live_server.url}/workspace/certificates/consent-forms/")
    opo.click("button:has-text('确认签收')")
    opo.wait_for_selector(".msg-success")
    assert "已确认签收：20 份同意书" in opo.inner_text("main")
    shot(opo, "consent-forms-unit")

    case = open_organ()["id"]
    walk_organ(case, "family_approached")
    scan = tmp_path / "同意书.pdf"
    scan.write_bytes(PDF)
    coordinator = as_role("coordinator")
    url = f"{live_server.url}/workspace/cases/organ/{case}/"
    open_case(coordinator, url)

    def consent(p, number):
        p.check("input[name=basis][value=family]")
        for i, s in enumerate([signer("spouse", "51"), signer("child", "52"), signer("parent", "53")]):
            fill_relative(p, i, s)
        p.check("#id_family_complete")
        p.check("input[name=organs][value=kidney]")
        p.fill("#id_consent_form_number", number)
        p.set_input_files("#id_scan", str(scan))

    coordinator.click("#next-steps a.button:has-text('记录同意书')")
    coordinator.wait_for_selector("form.form")
    consent(coordinator, "ZQ00000031")  # still at the province
    coordinator.click("form.form button[type=submit]")
    coordinator.wait_for_selector(".field-error, .msg-error")
    assert "同意书 ZQ00000031 未下发给本案例所属单位" in coordinator.inner_text("main")
    shot(coordinator, "consent-form-refused")
    assert OrganCase.objects.get(pk=case).state == "family_approached"

    open_case(coordinator, url)
    take_step(coordinator, "记录同意书", lambda p: consent(p, "zq00000007"), name="consent-form-number")
    assert "ZQ00000007" in coordinator.inner_text("#consent-form")
    shot(coordinator, "consent-form-case")
    used = Certificate.objects.get(kind=Kind.ORGAN_CONSENT, serial=7)
    assert used.state == State.ISSUED and used.organ_case_id == case

    opo.goto(f"{live_server.url}/workspace/certificates/consent-forms/reconciliation/")
    row = opo.inner_text("table.records tbody tr:first-child")
    assert "昆明医科大学第一附属医院" in row and "\t20\t1\t" in row
    shot(opo, "consent-forms-reconciliation")
    opo.goto(f"{live_server.url}/workspace/certificates/{used.pk}/")
    shot(opo, "consent-form-detail")
    assert "ZQ00000007" in opo.inner_text("main")


@pytest.fixture
def phone_page(browser, transactional_base_data):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


def test_the_qr_link_on_a_phone_shows_the_masked_name_and_a_typed_number_only_the_state(phone_page, live_server):
    """Issue 12, item 4: the QR link (number and check code) opens the date and the masked name; the
    number typed alone, in other brackets, shows only type, number and state. Both pass axe-core."""
    from django.test import RequestFactory

    from boai.certificates.tests.helpers import closed_case, issue, stock
    from boai.certificates.views import verify_url

    stock()
    cert = issue(closed_case(), 1001)
    url = verify_url(RequestFactory().get("/"), cert).replace("http://testserver", live_server.url)
    phone_page.goto(url)
    facts = phone_page.inner_text(".verified")
    assert "证书有效" in facts and cert.donor_name[0] + "*" in facts and cert.issued_on.isoformat() in facts
    assert_accessible(phone_page)
    phone_page.goto(f"{live_server.url}/verify/")
    phone_page.fill("#number", "１００１")
    phone_page.click("main form button[type=submit]")
    phone_page.wait_for_selector(".verified")
    facts = phone_page.inner_text(".verified")
    assert "00001001" in facts and cert.donor_name[0] + "*" not in facts and cert.issued_on.isoformat() not in facts
    assert_accessible(phone_page)
