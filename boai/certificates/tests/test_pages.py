"""The certificate pages, the printed PDF, the public verification and the API."""

import json
from io import BytesIO

import pytest
from django.test import Client
from pypdf import PdfReader

from boai.certificates.models import Certificate, Kind
from boai.core.tests.personas import user

from .helpers import closed_case, issue, serial, stock

pytestmark = pytest.mark.django_db


def today() -> str:  # an issue date must lie between the case's closing day and today
    from django.utils import timezone

    return timezone.localdate().isoformat()


def client(username):
    c = Client()
    c.force_login(user(username))
    return c


def test_a_printed_certificate_has_the_chinese_title_the_number_and_a_qr_code():
    stock()
    cert = issue(closed_case(), 1001)
    response = client("opo_staff").get(f"/workspace/certificates/{cert.pk}/certificate.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(BytesIO(response.content))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "人体器官捐献证书" in text and "00001001" in text and cert.donor_name in text
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points


def test_a_batch_print_puts_each_certificate_on_its_own_page():
    stock()
    a, b = issue(closed_case("31"), 1001), issue(closed_case("32"), 1002)
    response = client("opo_staff").post("/workspace/certificates/print/", {"ids": [a.pk, b.pk, serial(1003).pk]})
    reader = PdfReader(BytesIO(response.content))
    assert len(reader.pages) == 2  # the blank 1003 has nothing to print
    assert "00001002" in reader.pages[1].extract_text()


def test_the_public_verification_shows_only_the_minimum():
    stock()
    cert = issue(closed_case(), 1001)
    page = Client().get("/verify/", {"number": "00001001"})
    html = page.content.decode()
    assert page.status_code == 200 and "00001001" in html and cert.donor_name not in html
    assert cert.donor_name[0] in html and "家属甲" not in html  # a masked name, never the recipient
    assert Client().get("/verify/", {"number": "00001002"}).status_code == 404  # a blank is not a certificate
    assert Client().get("/verify/", {"number": "nonsense"}).status_code == 404
    assert Client().get("/verify/").status_code == 200


def test_the_verification_page_shows_examples_in_the_configured_formats(settings):
    from django.utils import timezone

    settings.BOAI_CERT_FORMATS = {**settings.BOAI_CERT_FORMATS, "body_reception": "YN-JS-{year}-{sequence:05d}"}
    html = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get("/verify/").content.decode()
    year = timezone.localdate().year
    assert "00001001" in html and f"YN-JS-{year}-00001" in html and "证书上印有的编号" in html


def test_the_public_verification_is_rate_limited(rate_limits):
    rate_limits(verify="3/m")
    codes = [Client().get("/verify/", {"number": f"X{i}"}).status_code for i in range(5)]
    assert codes[:3] == [404, 404, 404] and codes[3:] == [429, 429]


def test_a_voided_certificate_says_so_publicly():
    from boai.certificates import services

    stock()
    cert = issue(closed_case(), 1001)
    services.certificate_void(actor=user("opo_staff"), certificate=cert, reason="重发")
    assert "msg-error" in Client().get("/verify/", {"number": "00001001"}).content.decode()


def test_the_unit_issues_from_the_case_page_and_the_register_lists_it():
    stock()
    case = closed_case()
    opo = client("opo_staff")
    assert "issue/" in opo.get(f"/workspace/cases/organ/{case.pk}/").content.decode()
    response = opo.post(
        f"/workspace/certificates/issue/{case.pk}/",
        {"serial": 1003, "recipient_name": "普丽", "recipient_relationship": "spouse", "issued_on": today()},
    )
    assert response.status_code == 302
    cert = Certificate.objects.get(organ_case=case, kind=Kind.ORGAN)
    assert cert.number == "00001003" and cert.recipient_name == "普丽"
    register = client("kunming_staff").get("/workspace/certificates/").content.decode()
    assert "00001003" in register
    assert "00001003" not in client("qilin_staff").get("/workspace/certificates/").content.decode()


def test_the_stock_page_hands_out_and_the_unit_confirms():
    from boai.certificates.models import StockTransfer
    from boai.core.models import Organisation

    province = client("prov_admin")
    response = province.post(
        "/workspace/certificates/stock/",
        {"batch-serial_from": 1, "batch-serial_to": 50, "batch-received_on": "2026-11-01", "batch-supplier": "总会"},
    )
    assert response.status_code == 302 and Certificate.objects.count() == 50
    bad = province.post(
        "/workspace/certificates/stock/",
        {"batch-serial_from": 40, "batch-serial_to": 60, "batch-received_on": "2026-11-01", "batch-supplier": "总会"},
    )
    assert bad.status_code == 200 and "00000040" in bad.content.decode() and Certificate.objects.count() == 50
    unit = Organisation.objects.get(code="OPO-KMU1")
    province.post("/workspace/certificates/stock/", {"hand-unit": unit.pk, "hand-serial_from": 1, "hand-serial_to": 20})
    transfer = StockTransfer.objects.get()
    page = province.get("/workspace/certificates/stock/").content.decode()
    assert "省级空白库存尚有 30 张" in page  # 50 received, 20 handed out, none confirmed yet
    assert (
        client("wuhua_staff").post(f"/workspace/certificates/stock/transfers/{transfer.pk}/confirm/").status_code == 403
    )
    assert (
        client("opo_staff").post(f"/workspace/certificates/stock/transfers/{transfer.pk}/confirm/").status_code == 302
    )
    assert Certificate.objects.filter(state="received").count() == 20
    assert (
        "您可见的单位共有 20 张空白证书库存"
        in client("opo_staff").get("/workspace/certificates/stock/").content.decode()
    )


def test_the_register_exports_to_excel():
    from openpyxl import load_workbook

    stock()
    issue(closed_case(), 1001)
    response = client("prov_admin").get("/workspace/certificates/?format=xlsx")
    rows = list(load_workbook(BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0][1] in ("证书编号", "Certificate number") and any(r[1] == "00001001" for r in rows[1:])
    assert client("opo_staff").get("/workspace/certificates/?format=csv").status_code == 403


def test_the_api_issues_lists_and_voids():
    from rest_framework.test import APIClient

    stock()
    case = closed_case()
    api = APIClient()
    api.force_authenticate(user("opo_staff"))
    bad = api.post("/api/v1/certificates/", {"kind": "organ", "case": case.pk}, format="json")
    assert bad.status_code == 400 and "serial" in bad.json()["errors"]
    created = api.post(
        "/api/v1/certificates/",
        {"kind": "organ", "case": case.pk, "serial": 1001, "recipient_name": "普丽", "issued_on": today()},
        format="json",
    )
    assert created.status_code == 201 and created.json()["number"] == "00001001"
    again = api.post(
        "/api/v1/certificates/",
        {"kind": "organ", "case": case.pk, "serial": 1002, "recipient_name": "普丽", "issued_on": today()},
        format="json",
    )
    assert again.status_code == 409 and again.json()["code"] == "cert.case_has_certificate"
    listed = api.get("/api/v1/certificates/?kind=organ&state=issued").json()
    assert [c["number"] for c in listed["results"]] == ["00001001"]
    no_reason = api.post(f"/api/v1/certificates/{created.json()['id']}/void/", {"reason": ""}, format="json")
    assert no_reason.status_code == 400
    voided = api.post(f"/api/v1/certificates/{created.json()['id']}/void/", {"reason": "重发"}, format="json")
    assert voided.status_code == 200 and voided.json()["state"] == "voided"
    batches = APIClient()
    batches.force_authenticate(user("prov_admin"))
    made = batches.post(
        "/api/v1/certificate-batches/",
        {"serial_from": 5000, "serial_to": 5009, "received_on": "2026-11-01", "supplier": "总会"},
        format="json",
    )
    assert made.status_code == 201 and made.json()["size"] == 10
    assert api.get("/api/v1/certificate-batches/").status_code == 403
    assert json.dumps(created.json(), ensure_ascii=False).count("普丽") == 1
    assert Certificate.objects.filter(kind=Kind.ORGAN).count() == 20


def test_a_spoiled_blank_says_voided_on_the_public_page_and_prints_nothing():
    """A spoiled blank found and filled in is a real number on a void paper: "voided", not "no such
    certificate" as for a forgery (issue 12, item 4); a blank still in stock is no certificate."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from boai.certificates import services

    stock()
    photo = SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    services.certificate_void(actor=user("opo_staff"), certificate=serial(1002), reason="污损", photo=photo)
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/verify/", {"number": "00001002"})
    assert response.status_code == 200 and "This certificate was voided" in response.content.decode()
    assert Client().get("/verify/", {"number": "00001003"}).status_code == 404
    assert client("opo_staff").get(f"/workspace/certificates/{serial(1002).pk}/certificate.pdf").status_code == 404


def test_odd_ids_in_a_batch_print_are_ignored():
    response = client("prov_admin").post(
        "/workspace/certificates/print/", {"ids": ["9" * 30, "9223372036854775808", "x"]}
    )
    assert response.status_code == 302
