"""What a user is refused, and that they are told why (in Chinese) with nothing written: issue dates,
serial bounds, the issue page, API messages, the public verification, the reconciliation export,
the actions on one certificate, and printing."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext
from rest_framework.test import APIClient

from boai.audit.models import AuditEntry
from boai.cases.models import OrganCase
from boai.certificates import selectors, services
from boai.certificates.models import Certificate, CertificateBatch
from boai.core.errors import Conflict, InvalidInput
from boai.core.models import Organisation
from boai.core.tests.personas import user

from .helpers import closed_case, issue, serial, snapshot, stock

pytestmark = pytest.mark.django_db


def client(username):
    c = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    c.force_login(user(username))
    return c


def api(username):
    c = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    c.force_authenticate(user(username))
    return c


def zh(msgid, **params):
    """A message as the Chinese UI shows it (the English msgid until locale/ has its translation)."""
    with translation.override("zh-hans"):
        text = gettext(msgid)
    return text % params if params else text


def closed_days_ago(days):
    case = closed_case()
    OrganCase.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=days))
    return OrganCase.objects.get(pk=case.pk)


DATE_RULE = "The issue date must be between the day the case was closed (%(closed)s) and today (%(today)s)."


# --- 1. issue dates ---------------------------------------------------------------------------------


def test_an_issue_date_before_the_case_was_closed_or_in_the_future_is_refused_by_the_service():
    stock()
    case = closed_days_ago(3)
    today = timezone.localdate()
    for day in (today.replace(year=1900, month=1, day=1), today - timedelta(days=4), today + timedelta(days=1)):
        before = snapshot()
        with pytest.raises(InvalidInput) as caught:
            issue(case, 1001, issued_on=day)
        assert caught.value.field == "issued_on" and (today - timedelta(days=3)).isoformat() in caught.value.message
        assert snapshot() == before
    assert issue(case, 1001, issued_on=today - timedelta(days=3)).issued_on == today - timedelta(days=3)


def test_the_issue_page_and_the_api_refuse_an_issue_date_of_1900_and_the_public_page_shows_nothing():
    stock()
    case = closed_days_ago(3)
    today = timezone.localdate()
    message = zh(DATE_RULE, closed=(today - timedelta(days=3)).isoformat(), today=today.isoformat())
    before = snapshot()
    page = client("opo_staff").post(
        f"/workspace/certificates/issue/{case.pk}/",
        {"serial": 1001, "recipient_name": "普丽", "recipient_relationship": "spouse", "issued_on": "1900-01-01"},
    )
    assert page.status_code == 200 and message in page.content.decode()
    response = api("opo_staff").post(
        "/api/v1/certificates/",
        {"kind": "organ", "case": case.pk, "serial": 1001, "recipient_name": "普丽", "issued_on": "1900-01-01"},
        format="json",
    )
    assert response.status_code == 400 and response.json()["errors"]["issued_on"] == [message]
    tomorrow = (today + timedelta(days=1)).isoformat()
    response = api("opo_staff").post(
        "/api/v1/certificates/",
        {"kind": "organ", "case": case.pk, "serial": 1001, "recipient_name": "普丽", "issued_on": tomorrow},
        format="json",
    )
    assert response.status_code == 400 and "issued_on" in response.json()["errors"]
    assert snapshot() == before
    cache.clear()
    assert Client().get("/verify/", {"number": "00001001"}).status_code == 404


def test_a_batch_cannot_be_received_in_the_future():
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = api("prov_admin").post(
        "/api/v1/certificate-batches/",
        {"serial_from": 1, "serial_to": 10, "received_on": tomorrow, "supplier": "总会"},
        format="json",
    )
    assert response.status_code == 400 and response.json()["errors"]["received_on"] == ["日期不能晚于今天。"]
    page = client("prov_admin").post(
        "/workspace/certificates/stock/",
        {"batch-serial_from": 1, "batch-serial_to": 10, "batch-received_on": tomorrow, "batch-supplier": "总会"},
    )
    assert page.status_code == 200 and "日期不能晚于今天。" in page.content.decode()
    assert not CertificateBatch.objects.exists() and not Certificate.objects.exists()


# --- 2. serial bounds on the API ------------------------------------------------------------------


@pytest.mark.parametrize(
    "serials, field, message",
    [
        ((123456789, 123456789), "serial_from", "请确保该值小于或者等于 99999999。"),
        ((1, 1099511627776), "serial_to", "请确保该值小于或者等于 99999999。"),
        ((-5, 3), "serial_from", "请确保该值大于或者等于 1。"),
        ((0, 3), "serial_from", "请确保该值大于或者等于 1。"),
    ],
)
def test_the_batch_api_takes_the_serials_the_page_takes(serials, field, message):
    response = api("prov_admin").post(
        "/api/v1/certificate-batches/",
        {"serial_from": serials[0], "serial_to": serials[1], "received_on": "2026-01-05", "supplier": "总会"},
        format="json",
    )
    assert response.status_code == 400 and response.json()["errors"][field] == [message]
    assert not CertificateBatch.objects.exists() and not Certificate.objects.exists()


def test_the_service_refuses_a_serial_beyond_eight_digits_whoever_calls_it():
    from datetime import date

    before = snapshot()
    with pytest.raises(InvalidInput) as caught:
        services.batch_receive(
            actor=user("prov_admin"),
            serial_from=99_999_990,
            serial_to=100_000_009,
            received_on=date(2026, 1, 5),
            supplier="总会",
        )
    assert caught.value.field == "serial_to" and "99999999" in str(caught.value.message)
    assert snapshot() == before


# --- 3. the issue page says why before any form -------------------------------------------------------


def _issue_page(case):
    return client("opo_staff").get(f"/workspace/certificates/issue/{case.pk}/").content.decode()


def test_the_issue_page_says_why_it_cannot_issue_and_shows_no_form():
    from boai.cases.tests.helpers import open_organ, walk_organ

    case = closed_case()
    html = _issue_page(case)  # the unit holds no blank
    assert "本单位没有空白证书库存" in html and 'name="serial"' not in html
    stock()
    assert 'name="serial"' in _issue_page(case)
    issue(case, 1001)
    html = _issue_page(case)
    assert "此案例已有有效证书" in html and 'name="serial"' not in html
    before = snapshot()
    posted = client("opo_staff").post(
        f"/workspace/certificates/issue/{case.pk}/",
        {"serial": 1002, "recipient_name": "普丽", "recipient_relationship": "spouse", "issued_on": "2026-01-05"},
    )
    assert posted.status_code == 200 and "此案例已有有效证书" in posted.content.decode() and snapshot() == before
    open_case = OrganCase.objects.get(pk=open_organ()["id"])
    walk_organ(open_case.pk, "allocated")
    html = _issue_page(open_case)
    assert "只有已结案且有器官捐献的案例才能颁发证书。" in html and 'name="serial"' not in html
    uncounted = closed_case("33")
    OrganCase.objects.filter(pk=uncounted.pk).update(counted_at=None)  # closed, but no organ was recovered
    html = _issue_page(uncounted)
    assert "只有已结案且有器官捐献的案例才能颁发证书。" in html and 'name="serial"' not in html


def test_the_issue_rules_live_in_one_function_the_service_raises():
    stock()
    case = closed_case()
    assert services.organ_issue_refusal(actor=user("opo_staff"), case=case) is None
    assert services.organ_issue_refusal(actor=user("wuhua_staff"), case=case).status == 403
    issue(case, 1001)
    refusal = services.organ_issue_refusal(actor=user("opo_staff"), case=case)
    assert isinstance(refusal, Conflict) and refusal.code == "cert.case_has_certificate"
    with pytest.raises(Conflict) as caught:
        issue(case, 1002)
    assert caught.value.code == refusal.code


# --- 4. API messages in the user's language ----------------------------------------------------------


def test_the_api_says_which_fields_are_missing_in_chinese():
    stock()
    case = closed_case()
    response = api("opo_staff").post("/api/v1/certificates/", {"kind": "organ", "case": case.pk}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["serial"] == errors["recipient_name"] == errors["issued_on"] == ["该字段是必填项。"]


# --- 5. the public verification finds what people type --------------------------------------------


@pytest.mark.parametrize(
    "typed", ["00001001", "1001", "１００１", "０００００１００１", " 0000\u200b1001\u200b ", "\u30000000 1001\ufeff"]
)
def test_the_public_verification_finds_a_number_however_it_was_typed(typed):
    stock()
    cert = issue(closed_case(), 1001)
    cache.clear()
    page = Client().get("/verify/", {"number": typed})
    html = page.content.decode()
    assert page.status_code == 200 and "00001001" in html and cert.donor_name not in html and "家属甲" not in html


@pytest.mark.parametrize("typed", ["1002", "0", "000", "123456789", "9" * 5000, "1001x", "\u200b"])
def test_the_public_verification_finds_nothing_for_other_numbers(typed):
    stock()
    issue(closed_case(), 1001)
    cache.clear()
    assert Client().get("/verify/", {"number": typed}).status_code == 404


def test_a_long_digit_string_is_not_turned_into_a_number():
    assert selectors.number_candidates("1" * 100_000) == []
    assert selectors.number_candidates("٣") == ["٣"]  # a non-ASCII digit is not a serial


# --- 6. the reconciliation export of a wrong period ------------------------------------------------


@pytest.mark.parametrize(
    "query, message",
    [("since=2026-02-30", "输入一个有效的日期。"), ("since=2026-11-10&until=2026-11-01", "开始日期须早于结束日期。")],
)
def test_a_wrong_period_shows_the_page_with_the_error_not_a_file(query, message):
    stock()
    response = client("prov_admin").get(f"/workspace/certificates/reconciliation/?{query}&format=xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()
    assert not AuditEntry.objects.filter(action="certificates.certificate.exported").exists()
    good = client("prov_admin").get("/workspace/certificates/reconciliation/?since=2026-11-01&format=xlsx")
    assert "spreadsheet" in good["Content-Type"]


# --- 7. the actions on one certificate --------------------------------------------------------------


def _detail(username, cert):
    return client(username).get(f"/workspace/certificates/{cert.pk}/").content.decode()


def _form(cert, action):
    return f'action="/workspace/certificates/{cert.pk}/{action}/"'


def test_a_malformed_version_is_a_clear_error_and_nothing_is_written():
    stock()
    cert = issue(closed_case(), 1001)
    before = snapshot()
    for version in ("abc", "", "-1"):
        page = client("opo_staff").post(
            f"/workspace/certificates/{cert.pk}/void/", {"version": version, "reason": "姓名写错"}
        )
        assert page.status_code == 200
        assert zh("This page is out of date or was altered: reload the certificate and try again.") in (
            page.content.decode()
        )
    assert snapshot() == before


def test_a_second_void_says_the_certificate_is_already_void_and_offers_no_void_form():
    stock()
    cert = issue(closed_case(), 1001)
    opo = client("opo_staff")
    data = {"version": cert.version, "reason": "姓名写错"}
    assert opo.post(f"/workspace/certificates/{cert.pk}/void/", data).status_code == 302
    before = snapshot()
    again = opo.post(f"/workspace/certificates/{cert.pk}/void/", data)
    html = again.content.decode()
    assert again.status_code == 200
    assert "证书 00001001 当前状态为“已作废”，不能作废。" in html
    assert "他人已修改" not in html and _form(cert, "void") not in html
    assert snapshot() == before


def test_a_refused_void_leaves_no_void_form_for_the_user_who_cannot_use_it():
    stock()
    cert = issue(closed_case(), 1001)
    assert _form(cert, "void") in _detail("opo_staff", cert)
    assert _form(cert, "void") not in _detail("wuhua_staff", cert)
    before = snapshot()
    refused = client("wuhua_staff").post(
        f"/workspace/certificates/{cert.pk}/void/", {"version": cert.version, "reason": "x"}
    )
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "您没有执行此操作的权限。" in html and _form(cert, "void") not in html
    assert snapshot() == before


def test_the_page_offers_exactly_the_actions_the_services_take():
    stock(confirm=False)  # 1001-1005 handed to OPO-KMU1, not yet confirmed
    handed = serial(1001)
    # on the way: the province reports it lost; the unit neither reports it lost nor returns it
    assert _form(handed, "lost") in _detail("prov_admin", handed)
    html = _detail("opo_staff", handed)
    assert _form(handed, "lost") not in html and _form(handed, "return") not in html
    with pytest.raises(Conflict):
        services.certificate_report_lost(actor=user("opo_staff"), certificate=handed, note="x")
    services.transfer_confirm(actor=user("opo_staff"), transfer=handed.transfer)
    received = serial(1001)
    html = _detail("opo_staff", received)
    for action in ("void", "lost", "return"):
        assert _form(received, action) in html
    assert _form(received, "lost") not in _detail("prov_admin", received)
    for action, call in [
        ("void", services.void_refusal),
        ("lost", services.lost_refusal),
        ("return", services.return_refusal),
    ]:
        for who in ("opo_staff", "prov_admin", "wuhua_staff"):
            shown = _form(received, action) in _detail(who, received)
            assert shown == (call(actor=user(who), certificate=received) is None), (action, who)


def test_only_a_voided_body_certificate_without_a_valid_successor_offers_a_replacement():
    from boai.cases.tests.helpers import open_body, walk_body

    case = open_body()["id"]
    walk_body(case, "received")
    reception = Certificate.objects.get(body_case_id=case, kind="body_reception")
    province = client("prov_admin")
    assert _form(reception, "reissue") not in _detail("prov_admin", reception)
    before = snapshot()
    refused = province.post(f"/workspace/certificates/{reception.pk}/reissue/", follow=True)
    assert zh("Only a voided certificate is replaced.") in refused.content.decode() and snapshot() == before
    services.certificate_void(actor=user("prov_admin"), certificate=reception, reason="姓名有误")
    assert _form(reception, "reissue") in _detail("prov_admin", reception)
    assert _form(reception, "reissue") not in _detail("kunming_staff", reception)
    assert province.post(f"/workspace/certificates/{reception.pk}/reissue/").status_code == 302
    assert _form(reception, "reissue") not in _detail("prov_admin", reception)  # a valid one exists again


# --- 8. printing --------------------------------------------------------------------------------


def test_printing_is_audited_only_once_the_pdf_is_made(monkeypatch):
    stock()
    cert = issue(closed_case(), 1001)

    def broken(*args, **kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr("boai.certificates.views.render_pdf", broken)
    printed = AuditEntry.objects.filter(action="certificates.certificate.printed")
    with pytest.raises(RuntimeError):
        client("opo_staff").get(f"/workspace/certificates/{cert.pk}/certificate.pdf")
    with pytest.raises(RuntimeError):
        client("opo_staff").post("/workspace/certificates/print/", {"ids": [cert.pk]})
    assert not printed.exists()
    monkeypatch.undo()
    response = client("opo_staff").get(f"/workspace/certificates/{cert.pk}/certificate.pdf")
    assert response["Content-Type"] == "application/pdf" and printed.count() == 1


# --- 9. the reads of the stock and reconciliation pages --------------------------------------------


def test_the_stock_and_reconciliation_reads_are_scoped_in_the_selectors():
    from openpyxl import load_workbook

    stock()
    province, unit = selectors.stock_overview(user=user("prov_admin")), selectors.stock_overview(user=user("opo_staff"))
    assert (province.is_province, province.in_province, len(province.batches)) == (True, 5, 1)
    assert (unit.is_province, unit.is_unit, unit.in_province, unit.batches, unit.on_hand) == (False, True, 0, [], 5)
    result, rows = selectors.reconciliation_for(user=user("opo_staff"))
    kmu1 = Organisation.objects.get(code="OPO-KMU1").name
    assert [r[0] for r in rows] == [kmu1] and result.balanced  # its own line, not the province's
    _, province_rows = selectors.reconciliation_for(user=user("prov_admin"))
    assert kmu1 in [r[0] for r in province_rows] and len(province_rows) > len(rows)
    export = client("opo_staff").get("/workspace/certificates/reconciliation/?format=xlsx")
    sheet = load_workbook(BytesIO(b"".join(export.streaming_content))).active
    assert [r[:2] for r in sheet.iter_rows(min_row=2, values_only=True) if r and r[0]] == [(kmu1, 5)]
